<?php
/**
 * The plugin's settings: one autoloaded option, its defaults, its schema and its sanitizer.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * Reads and writes the `vvc_settings` option.
 *
 * Every setting lives in one autoloaded array so the visitor's hot path reads all of it with
 * the options WordPress already loaded (no query of its own); this object normalizes it once
 * and keeps the result until the stored value changes.
 *
 * @phpstan-type Settings_Array array{
 *     base_url: string,
 *     organization: string,
 *     project: string,
 *     text_model: string,
 *     image_model: string,
 *     system_prompt: string,
 *     max_completion_tokens: int,
 *     history_turns: int,
 *     turn_max_chars: int,
 *     image_max_side: int,
 *     image_max_bytes: int,
 *     image_max_pixels: int,
 *     image_detail: string,
 *     key_choice: string,
 *     enabled: bool,
 *     version: int
 * }
 */
final class Settings {

	/**
	 * Option holding every setting.
	 */
	public const OPTION = 'vvc_settings';

	/**
	 * Group name given to register_setting().
	 */
	public const GROUP = 'vvc';

	/**
	 * Model ids: what OpenAI and compatible servers use (letters, digits, . _ : / -).
	 */
	public const MODEL_PATTERN = '^[A-Za-z0-9._:\/-]{1,100}$';

	/**
	 * OpenAI organization and project ids, sent as HTTP headers, so no spaces or line breaks.
	 */
	public const HEADER_ID_PATTERN = '^[A-Za-z0-9_-]{0,100}$';

	/**
	 * Longest system prompt kept, in characters; it is sent with every request.
	 */
	public const SYSTEM_PROMPT_MAX_CHARS = 20000;

	/**
	 * Integer settings and their inclusive ranges; out-of-range values are clamped.
	 *
	 * @var array<string, array{0: int, 1: int}>
	 */
	private const INT_RANGES = array(
		'max_completion_tokens' => array( 16, 4000 ),
		'history_turns'         => array( 0, 30 ),
		'turn_max_chars'        => array( 200, 20000 ),
		'image_max_side'        => array( 256, 2048 ),
		'image_max_bytes'       => array( 102400, 20971520 ),
		'image_max_pixels'      => array( 1000000, 100000000 ),
	);

	/**
	 * The stored option merged with the defaults, once read.
	 *
	 * @var Settings_Array|null
	 */
	private ?array $values = null;

	/**
	 * The raw option $values was made from.
	 *
	 * @var mixed
	 */
	private mixed $values_source = null;

	/**
	 * Default value of every setting.
	 *
	 * @return Settings_Array
	 */
	public static function defaults(): array {
		return array(
			'base_url'              => 'https://api.openai.com/v1',
			'organization'          => '',
			'project'               => '',
			'text_model'            => 'gpt-5.4-mini',
			'image_model'           => 'gpt-5.4-mini',
			'system_prompt'         => sprintf(
				/* translators: %s: the site's name. */
				__( "You are a helpful assistant for the website \"%s\". Answer visitors' questions briefly and politely. When you do not know the answer, say so instead of guessing.", 'voice-vision-chat' ),
				wp_specialchars_decode( (string) get_bloginfo( 'name' ), ENT_QUOTES )
			),
			'max_completion_tokens' => 800,
			'history_turns'         => 10,
			'turn_max_chars'        => 4000,
			'image_max_side'        => 1024,
			'image_max_bytes'       => 5242880,
			'image_max_pixels'      => 40000000,
			'image_detail'          => 'auto',
			'key_choice'            => 'auto',
			'enabled'               => true,
			'version'               => 1,
		);
	}

	/**
	 * Every setting, stored values over defaults.
	 *
	 * The base URL is replaced by the constant VVC_OPENAI_BASE_URL when a site defines it (the
	 * development stack points the plugin at its simulator that way).
	 *
	 * @return Settings_Array
	 */
	public function all(): array {
		// get_option() is a memory lookup for an autoloaded option; normalizing is redone only
		// when the stored value changed (a save, or another request's save seen after a flush).
		$stored = get_option( self::OPTION, array() );
		if ( null === $this->values || $stored !== $this->values_source ) {
			$this->values        = $this->normalize( is_array( $stored ) ? $stored : array() );
			$this->values_source = $stored;
		}
		$values = $this->values;
		if ( self::base_url_is_locked() ) {
			$values['base_url'] = (string) constant( 'VVC_OPENAI_BASE_URL' );
		}
		return $values;
	}

	/**
	 * One setting.
	 *
	 * @param string $key A key of defaults().
	 * @return mixed The value, or null for an unknown key.
	 */
	public function get( string $key ): mixed {
		return $this->all()[ $key ] ?? null;
	}

	/**
	 * Revision of the settings, bumped on every save (caches keyed on it expire with a change).
	 */
	public function version(): int {
		return $this->all()['version'];
	}

	/**
	 * Whether the constant VVC_OPENAI_BASE_URL fixes the base URL (the admin cannot change it).
	 */
	public static function base_url_is_locked(): bool {
		return defined( 'VVC_OPENAI_BASE_URL' ) && is_string( constant( 'VVC_OPENAI_BASE_URL' ) ) && '' !== constant( 'VVC_OPENAI_BASE_URL' );
	}

	/**
	 * Whether the plugin talks to the project's OpenAI simulator rather than a real provider.
	 *
	 * True when the base URL is a loopback address on port 4010 (where the simulator listens)
	 * or when VVC_OPENAI_BASE_URL is defined, which only the development stack does.
	 */
	public function uses_simulator(): bool {
		if ( self::base_url_is_locked() ) {
			return true;
		}
		$parts = wp_parse_url( $this->all()['base_url'] );
		if ( ! is_array( $parts ) ) {
			return false;
		}
		$host = strtolower( trim( (string) ( $parts['host'] ?? '' ), '[]' ) );
		return 4010 === (int) ( $parts['port'] ?? 0 ) && in_array( $host, array( '127.0.0.1', 'localhost', '::1' ), true );
	}

	/**
	 * Saves some settings and bumps the version.
	 *
	 * @param array<string, mixed> $changes Any subset of the settings; unknown keys and `version`
	 *                                      are ignored, invalid values keep the current value.
	 * @return Settings_Array What is stored now.
	 */
	public function update( array $changes ): array {
		unset( $changes['version'] );
		$stored  = get_option( self::OPTION, array() );
		$current = $this->normalize( is_array( $stored ) ? $stored : array() );
		$next    = $this->normalize( array_merge( $current, array_intersect_key( $changes, self::defaults() ) ), $current );

		$next['version'] = $current['version'] + 1;
		update_option( self::OPTION, $next, true );

		return $this->all();
	}

	/**
	 * Registers the option with the Settings API, so every write path (REST, options.php,
	 * WP-CLI) goes through the same sanitizer.
	 */
	public function register(): void {
		register_setting(
			self::GROUP,
			self::OPTION,
			array(
				'type'              => 'object',
				'description'       => __( 'Voice & Vision Chat settings.', 'voice-vision-chat' ),
				'sanitize_callback' => array( $this, 'sanitize_option' ),
				'show_in_rest'      => false,
			)
		);
	}

	/**
	 * The sanitize_option callback: whatever is saved becomes a complete, valid settings array.
	 *
	 * @param mixed $value Value about to be saved.
	 * @return Settings_Array
	 */
	public function sanitize_option( mixed $value ): array {
		$stored   = get_option( self::OPTION, array() );
		$previous = $this->normalize( is_array( $stored ) ? $stored : array() );
		$next     = $this->normalize( is_array( $value ) ? $value : array(), $previous );
		// A save that did not go through update() (options.php, WP-CLI) still gets a new revision.
		if ( $next['version'] <= $previous['version'] ) {
			$next['version'] = $previous['version'] + 1;
		}
		return $next;
	}

	/**
	 * JSON schema of every setting: types, ranges, patterns, enums.
	 *
	 * Used for the admin REST route's item schema and (minus the ranges, which are clamped
	 * rather than refused) for its arguments.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public static function schema(): array {
		$range = static fn ( string $key ): array => array(
			'type'    => 'integer',
			'minimum' => self::INT_RANGES[ $key ][0],
			'maximum' => self::INT_RANGES[ $key ][1],
		);
		return array(
			'base_url'              => array(
				'description' => __( 'Base URL of the OpenAI-compatible API, e.g. https://api.openai.com/v1.', 'voice-vision-chat' ),
				'type'        => 'string',
				'format'      => 'uri',
				'maxLength'   => 500,
			),
			'organization'          => array(
				'description' => __( 'OpenAI organization id sent as the OpenAI-Organization header; empty for none.', 'voice-vision-chat' ),
				'type'        => 'string',
				'pattern'     => self::HEADER_ID_PATTERN,
			),
			'project'               => array(
				'description' => __( 'OpenAI project id sent as the OpenAI-Project header; empty for none.', 'voice-vision-chat' ),
				'type'        => 'string',
				'pattern'     => self::HEADER_ID_PATTERN,
			),
			'text_model'            => array(
				'description' => __( 'Model that answers text questions.', 'voice-vision-chat' ),
				'type'        => 'string',
				'pattern'     => self::MODEL_PATTERN,
			),
			'image_model'           => array(
				'description' => __( 'Model that answers questions with a photo.', 'voice-vision-chat' ),
				'type'        => 'string',
				'pattern'     => self::MODEL_PATTERN,
			),
			'system_prompt'         => array(
				'description' => __( 'Instructions sent to the model before every conversation.', 'voice-vision-chat' ),
				'type'        => 'string',
				'maxLength'   => self::SYSTEM_PROMPT_MAX_CHARS,
			),
			'max_completion_tokens' => array( 'description' => __( 'Most tokens an answer may use.', 'voice-vision-chat' ) ) + $range( 'max_completion_tokens' ),
			'history_turns'         => array( 'description' => __( 'Most earlier turns sent along with a question.', 'voice-vision-chat' ) ) + $range( 'history_turns' ),
			'turn_max_chars'        => array( 'description' => __( 'Most characters in one message.', 'voice-vision-chat' ) ) + $range( 'turn_max_chars' ),
			'image_max_side'        => array( 'description' => __( 'Longest side, in pixels, the browser scales photos down to.', 'voice-vision-chat' ) ) + $range( 'image_max_side' ),
			'image_max_bytes'       => array( 'description' => __( 'Largest photo upload accepted, in bytes.', 'voice-vision-chat' ) ) + $range( 'image_max_bytes' ),
			'image_max_pixels'      => array( 'description' => __( 'Most pixels (width times height) a photo may have.', 'voice-vision-chat' ) ) + $range( 'image_max_pixels' ),
			'image_detail'          => array(
				'description' => __( 'Detail level the model looks at photos with.', 'voice-vision-chat' ),
				'type'        => 'string',
				'enum'        => array( 'auto', 'low', 'high' ),
			),
			'key_choice'            => array(
				'description' => __( 'Which API key to use: "auto" prefers OPENAI_API_KEY and the Connectors key, "plugin" always uses the key saved here.', 'voice-vision-chat' ),
				'type'        => 'string',
				'enum'        => array( 'auto', 'plugin' ),
			),
			'enabled'               => array(
				'description' => __( 'Whether visitors can chat.', 'voice-vision-chat' ),
				'type'        => 'boolean',
			),
			'version'               => array(
				'description' => __( 'Revision of the settings, bumped on every save.', 'voice-vision-chat' ),
				'type'        => 'integer',
				'readonly'    => true,
			),
		);
	}

	/**
	 * Clamps an integer setting to its range.
	 *
	 * @param string $key   A key of INT_RANGES.
	 * @param int    $value Value to clamp.
	 */
	public static function clamp( string $key, int $value ): int {
		if ( ! isset( self::INT_RANGES[ $key ] ) ) {
			return $value;
		}
		return max( self::INT_RANGES[ $key ][0], min( self::INT_RANGES[ $key ][1], $value ) );
	}

	/**
	 * Whether a base URL is acceptable: an absolute http(s) URL that survives esc_url_raw().
	 *
	 * @param string $url Candidate base URL.
	 */
	public static function is_valid_base_url( string $url ): bool {
		$url = trim( $url );
		if ( '' === $url || strlen( $url ) > 500 || ! preg_match( '#^https?://#i', $url ) ) {
			return false;
		}
		$parts = wp_parse_url( $url );
		if ( ! is_array( $parts ) || empty( $parts['host'] ) || isset( $parts['user'] ) || isset( $parts['pass'] ) ) {
			return false;
		}
		return esc_url_raw( $url, array( 'http', 'https' ) ) === $url;
	}

	/**
	 * Cleans a system prompt: no tags or control characters, line breaks kept.
	 *
	 * @param string $prompt Raw prompt.
	 */
	public static function sanitize_prompt( string $prompt ): string {
		$prompt = sanitize_textarea_field( $prompt );
		return mb_substr( $prompt, 0, self::SYSTEM_PROMPT_MAX_CHARS );
	}

	/**
	 * Turns any array into a complete, valid settings array.
	 *
	 * @param array<mixed>              $input    Candidate values.
	 * @param Settings_Array|array<int> $fallback Values kept where $input is invalid; defaults when empty.
	 * @return Settings_Array
	 */
	private function normalize( array $input, array $fallback = array() ): array {
		$defaults = self::defaults();
		/**
		 * Defaults fill whatever the fallback lacks.
		 *
		 * @var Settings_Array $fallback
		 */
		$fallback = array_merge( $defaults, $fallback );
		$out      = $fallback;

		foreach ( self::INT_RANGES as $key => $unused ) {
			if ( isset( $input[ $key ] ) && is_numeric( $input[ $key ] ) ) {
				$out[ $key ] = self::clamp( $key, (int) round( (float) $input[ $key ] ) );
			} else {
				$out[ $key ] = self::clamp( $key, (int) $fallback[ $key ] );
			}
		}

		if ( isset( $input['base_url'] ) && is_string( $input['base_url'] ) && self::is_valid_base_url( $input['base_url'] ) ) {
			$out['base_url'] = untrailingslashit( trim( $input['base_url'] ) );
		}
		foreach ( array( 'text_model', 'image_model' ) as $key ) {
			if ( isset( $input[ $key ] ) && is_string( $input[ $key ] ) && preg_match( '#' . self::MODEL_PATTERN . '#', trim( $input[ $key ] ) ) ) {
				$out[ $key ] = trim( $input[ $key ] );
			}
		}
		foreach ( array( 'organization', 'project' ) as $key ) {
			if ( isset( $input[ $key ] ) && is_string( $input[ $key ] ) && preg_match( '#' . self::HEADER_ID_PATTERN . '#', trim( $input[ $key ] ) ) ) {
				$out[ $key ] = trim( $input[ $key ] );
			}
		}
		if ( isset( $input['system_prompt'] ) && is_string( $input['system_prompt'] ) ) {
			$prompt = self::sanitize_prompt( $input['system_prompt'] );
			// Clearing the prompt means "use the default", never "send no instructions".
			$out['system_prompt'] = '' === $prompt ? $defaults['system_prompt'] : $prompt;
		}
		if ( isset( $input['image_detail'] ) && in_array( $input['image_detail'], array( 'auto', 'low', 'high' ), true ) ) {
			$out['image_detail'] = $input['image_detail'];
		}
		if ( isset( $input['key_choice'] ) && in_array( $input['key_choice'], array( 'auto', 'plugin' ), true ) ) {
			$out['key_choice'] = $input['key_choice'];
		}
		if ( isset( $input['enabled'] ) ) {
			$out['enabled'] = (bool) rest_sanitize_boolean( is_scalar( $input['enabled'] ) ? (string) $input['enabled'] : '' );
		}
		$out['enabled'] = (bool) $out['enabled'];
		if ( isset( $input['version'] ) && is_numeric( $input['version'] ) ) {
			$out['version'] = max( 1, (int) $input['version'] );
		}
		$out['version'] = max( 1, (int) $out['version'] );

		return $out;
	}
}
