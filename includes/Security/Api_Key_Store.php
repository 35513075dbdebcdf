<?php
/**
 * Finds the provider API key and keeps the plugin's own copy encrypted.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Security;

use VoiceVisionChat\Settings\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * Resolves the OpenAI API key and stores the plugin's own one encrypted at rest.
 *
 * Order with key_choice "auto": the OPENAI_API_KEY environment variable, the OPENAI_API_KEY
 * constant (WordPress 7's convention for both), WordPress 7's Connectors option, then the
 * plugin's own key. With key_choice "plugin" only the plugin's own key is used, so the chat
 * can bill to a dedicated project key.
 *
 * The plugin's key is sealed with libsodium's secretbox under a key derived from the site's
 * salts, in an option that is never autoloaded, so a database dump alone does not reveal it
 * and ordinary page loads never read it.
 */
final class Api_Key_Store {

	/**
	 * Option holding the plugin's own key, encrypted.
	 */
	public const OPTION = 'vvc_api_key';

	/**
	 * Option where WordPress 7's Settings > Connectors keeps the OpenAI key.
	 */
	public const CONNECTORS_OPTION = 'connectors_ai_openai_api_key';

	/**
	 * Name of the environment variable and constant WordPress 7 reads the key from.
	 */
	public const ENV_NAME = 'OPENAI_API_KEY';

	/**
	 * Prefix of the stored format, so a later format change can still read old values.
	 */
	private const FORMAT = 'vvc1:';

	/**
	 * Settings, for key_choice.
	 *
	 * @var Settings
	 */
	private Settings $settings;

	/**
	 * Returns the environment variable's value, or '' when unset.
	 *
	 * @var callable(): string
	 */
	private $read_env;

	/**
	 * Returns the constant's value, or '' when undefined.
	 *
	 * @var callable(): string
	 */
	private $read_constant;

	/**
	 * Stores collaborators. The lookups are injectable so tests need no real environment
	 * variable or constant (a constant cannot be undefined again).
	 *
	 * @param Settings|null             $settings      Settings; a new instance when null.
	 * @param (callable(): string)|null $read_env      Reads OPENAI_API_KEY from the environment.
	 * @param (callable(): string)|null $read_constant Reads the OPENAI_API_KEY constant.
	 */
	public function __construct( ?Settings $settings = null, ?callable $read_env = null, ?callable $read_constant = null ) {
		$this->settings      = $settings ?? new Settings();
		$this->read_env      = $read_env ?? static function (): string {
			$value = getenv( self::ENV_NAME );
			return is_string( $value ) ? $value : '';
		};
		$this->read_constant = $read_constant ?? static function (): string {
			if ( ! defined( self::ENV_NAME ) ) {
				return '';
			}
			$value = constant( self::ENV_NAME );
			return is_string( $value ) ? $value : '';
		};
	}

	/**
	 * The API key to use, or '' when none is configured.
	 */
	public function key(): string {
		return $this->resolve()['key'];
	}

	/**
	 * Where key() came from: env, constant, connectors, plugin or none.
	 */
	public function source(): string {
		return $this->resolve()['source'];
	}

	/**
	 * Last four characters of the key, the only part ever shown; '' when none.
	 */
	public function last4(): string {
		$key = $this->key();
		return strlen( $key ) > 8 ? substr( $key, -4 ) : '';
	}

	/**
	 * Whether the plugin's own (encrypted) key is stored, whichever key is in use.
	 */
	public function has_plugin_key(): bool {
		return '' !== $this->read_plugin_key();
	}

	/**
	 * Encrypts and stores the plugin's own key; an empty string deletes it.
	 *
	 * @param string $plain The key as the provider issued it.
	 */
	public function save_plugin_key( string $plain ): void {
		$plain = trim( $plain );
		if ( '' === $plain ) {
			$this->delete_plugin_key();
			return;
		}
		$nonce  = random_bytes( SODIUM_CRYPTO_SECRETBOX_NONCEBYTES );
		$sealed = self::FORMAT . base64_encode( $nonce . sodium_crypto_secretbox( $plain, $nonce, $this->encryption_key() ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- binary ciphertext in a text column.

		// Delete first: update_option() keeps an existing row's autoload flag in some versions.
		delete_option( self::OPTION );
		add_option( self::OPTION, $sealed, '', false );
	}

	/**
	 * Removes the plugin's own key.
	 */
	public function delete_plugin_key(): void {
		delete_option( self::OPTION );
	}

	/**
	 * Looks the key up.
	 *
	 * Nothing is cached here: the lookups are memory reads (getenv, a constant, options that
	 * WordPress caches) plus one libsodium call, and a cache would go stale when the settings
	 * or the Connectors key change within a request.
	 *
	 * @return array{key: string, source: string}
	 */
	private function resolve(): array {
		$candidates = array();
		if ( 'plugin' !== $this->settings->get( 'key_choice' ) ) {
			$candidates['env']        = $this->read_env;
			$candidates['constant']   = $this->read_constant;
			$candidates['connectors'] = static function (): string {
				$value = get_option( self::CONNECTORS_OPTION, '' );
				return is_string( $value ) ? $value : '';
			};
		}
		$candidates['plugin'] = fn (): string => $this->read_plugin_key();

		foreach ( $candidates as $source => $read ) {
			$key = trim( $read() );
			if ( '' !== $key ) {
				return array(
					'key'    => $key,
					'source' => $source,
				);
			}
		}
		return array(
			'key'    => '',
			'source' => 'none',
		);
	}

	/**
	 * Decrypts the plugin's own key; '' when none is stored or it cannot be opened (for
	 * example after the site's salts changed, which is as good as no key).
	 */
	private function read_plugin_key(): string {
		$stored = get_option( self::OPTION, '' );
		if ( ! is_string( $stored ) || ! str_starts_with( $stored, self::FORMAT ) ) {
			return '';
		}
		$raw = base64_decode( substr( $stored, strlen( self::FORMAT ) ), true ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode -- see save_plugin_key().
		if ( false === $raw || strlen( $raw ) <= SODIUM_CRYPTO_SECRETBOX_NONCEBYTES + SODIUM_CRYPTO_SECRETBOX_MACBYTES ) {
			return '';
		}
		$plain = sodium_crypto_secretbox_open(
			substr( $raw, SODIUM_CRYPTO_SECRETBOX_NONCEBYTES ),
			substr( $raw, 0, SODIUM_CRYPTO_SECRETBOX_NONCEBYTES ),
			$this->encryption_key()
		);
		return is_string( $plain ) ? $plain : '';
	}

	/**
	 * Secretbox key derived from the site's salts, so it never sits in the database.
	 */
	private function encryption_key(): string {
		return sodium_crypto_generichash( wp_salt( 'auth' ) . 'vvc', '', SODIUM_CRYPTO_SECRETBOX_KEYBYTES );
	}
}
