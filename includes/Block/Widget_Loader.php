<?php
/**
 * Registers the chat widget's script and tells the block's loader how to fetch it.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Block;

use VoiceVisionChat\Settings\Settings;
use WP_Block_Type_Registry;
use WP_Scripts;

defined( 'ABSPATH' ) || exit;

/**
 * Visitors pay for the widget only when they use it.
 *
 * Pages with the block carry only the small loader (view.ts). This class prints, before the
 * loader, a boot object listing the scripts the widget needs in dependency order (WordPress's
 * own React, api-fetch, i18n… and the widget itself), with the inline code WordPress would
 * print around each, so the loader can add the missing ones on the visitor's first
 * interaction. The object is the same for every visitor: no nonce, nothing about the user.
 *
 * @phpstan-type Boot_Script array{handle: string, src: string, before?: string, after?: string}
 * @phpstan-type Boot array{
 *     scripts: list<Boot_Script>,
 *     config: array{restRoot: string, imageMaxSide: int, historyTurns: int, turnMaxChars: int, voice?: Voice_Config},
 *     loadError: string
 * }
 * @phpstan-type Voice_Config array{workletUrl: string, workerUrl: string, maxSeconds: int, consentText: string}
 */
final class Widget_Loader {

	public const HANDLE = 'vvc-chat-widget';

	/**
	 * Core scripts whose inline code differs per user (a REST nonce, the user id): left out.
	 * The widget needs none of it: it calls REST routes by full URL with a visitor token.
	 */
	private const PER_USER_INLINE = array( 'wp-api-fetch', 'wp-data', 'wp-preferences' );

	/**
	 * Chunks the widget downloads later with import() (handle => file under build/).
	 *
	 * Their strings are not in widget.js, so `wp i18n make-json` puts them in a JSON file of
	 * their own, which WordPress loads only for a registered script. Each gets a handle that is
	 * never enqueued; its translations travel with the widget's (see scripts()).
	 */
	private const LAZY_CHUNKS = array( 'vvc-voice-recorder' => 'voice/recorder.js' );

	/**
	 * Absolute path of build/.
	 *
	 * @var string
	 */
	private string $build_dir;

	/**
	 * URL of build/.
	 *
	 * @var string
	 */
	private string $build_url;

	/**
	 * Absolute path of the plugin's languages/ folder.
	 *
	 * @var string
	 */
	private string $languages_dir;

	/**
	 * Plugin settings (image size, history limits).
	 *
	 * @var Settings
	 */
	private Settings $settings;

	/**
	 * Stores where the build is and the settings to read.
	 *
	 * @param string   $build_dir     Absolute path of build/, no trailing slash.
	 * @param string   $build_url     URL of build/, no trailing slash.
	 * @param string   $languages_dir Absolute path of languages/.
	 * @param Settings $settings      Plugin settings.
	 */
	public function __construct( string $build_dir, string $build_url, string $languages_dir, Settings $settings ) {
		$this->build_dir     = $build_dir;
		$this->build_url     = $build_url;
		$this->languages_dir = $languages_dir;
		$this->settings      = $settings;
	}

	/**
	 * Registers (does not enqueue) the widget script with the dependencies webpack found.
	 */
	public function register(): void {
		$asset_file = $this->build_dir . '/chat/widget.asset.php';
		if ( ! is_readable( $asset_file ) ) {
			return; // No build: Chat_Block already says so in the debug log.
		}
		$asset = require $asset_file;
		wp_register_script(
			self::HANDLE,
			$this->build_url . '/chat/widget.js',
			$asset['dependencies'] ?? array(),
			$asset['version'] ?? false,
			array( 'in_footer' => true )
		);
		wp_set_script_translations( self::HANDLE, 'voice-vision-chat', $this->languages_dir );
		foreach ( self::LAZY_CHUNKS as $handle => $file ) {
			if ( is_readable( $this->build_dir . '/' . $file ) ) {
				wp_register_script( $handle, $this->build_url . '/' . $file, array( 'wp-i18n' ), $asset['version'] ?? false, array( 'in_footer' => true ) );
				wp_set_script_translations( $handle, 'voice-vision-chat', $this->languages_dir );
			}
		}
	}

	/**
	 * Adds the boot object before the block's loader script, once per page.
	 *
	 * Hooked to the block's render filter, so only pages that show the block carry it. The
	 * microphone's settings come along only when a block on the page allows voice; a later
	 * block that allows it adds them to the object already printed.
	 *
	 * @param string               $block_content The rendered block.
	 * @param array<string, mixed> $block         The parsed block (its attributes).
	 * @return string The same content.
	 */
	public function attach_boot( string $block_content, array $block = array() ): string {
		$handle = $this->view_script_handle();
		if ( '' === $handle ) {
			return $block_content;
		}
		$attrs       = isset( $block['attrs'] ) && is_array( $block['attrs'] ) ? $block['attrs'] : array();
		$allow_voice = false !== ( $attrs['allowVoice'] ?? true );
		$flags       = JSON_HEX_TAG | JSON_HEX_AMP | JSON_UNESCAPED_SLASHES;
		if ( ! $this->boot_attached( $handle, 'window.vvcChatBoot = ' ) ) {
			wp_add_inline_script( $handle, 'window.vvcChatBoot = ' . wp_json_encode( $this->boot( $allow_voice ), $flags ) . ';', 'before' );
			return $block_content;
		}
		$voice = $allow_voice ? $this->voice_config() : null;
		if ( null !== $voice && ! $this->boot_attached( $handle, 'window.vvcChatBoot.config.voice' ) && ! $this->boot_attached( $handle, 'window.vvcChatBoot = ', '"voice":' ) ) {
			wp_add_inline_script( $handle, 'window.vvcChatBoot.config.voice = ' . wp_json_encode( $voice, $flags ) . ';', 'before' );
		}
		return $block_content;
	}

	/**
	 * Whether chat blocks may offer the microphone: the chat is on and the recorder's bundles
	 * exist. Hooked to `vvc_voice_available`, which render.php asks before it reserves the
	 * microphone's place in the shell.
	 *
	 * @param bool $available What earlier callbacks decided.
	 */
	public function voice_available( bool $available ): bool {
		return $available && (bool) $this->settings->get( 'enabled' ) && null !== $this->voice_config();
	}

	/**
	 * The microphone's settings: where the recorder's worklet and encoder worker are (each
	 * with its build version, as WordPress would version a script), the longest recording
	 * and the owner's consent notice. Null when those bundles were not built.
	 *
	 * @return Voice_Config|null
	 */
	public function voice_config(): ?array {
		$urls = array();
		foreach ( array( 'recorder-worklet', 'encoder-worker' ) as $name ) {
			$asset_file = $this->build_dir . '/voice/' . $name . '.asset.php';
			if ( ! is_readable( $asset_file ) ) {
				return null;
			}
			$asset         = require $asset_file;
			$version       = is_array( $asset ) && isset( $asset['version'] ) ? (string) $asset['version'] : '';
			$url           = $this->build_url . '/voice/' . $name . '.js';
			$urls[ $name ] = esc_url_raw( '' !== $version ? add_query_arg( 'ver', $version, $url ) : $url );
		}
		return array(
			'workletUrl'  => $urls['recorder-worklet'],
			'workerUrl'   => $urls['encoder-worker'],
			'maxSeconds'  => (int) $this->settings->get( 'voice_max_seconds' ),
			'consentText' => (string) $this->settings->get( 'voice_consent_text' ),
		);
	}

	/**
	 * What the loader needs: the scripts, the widget's site-wide settings, one message.
	 *
	 * @param bool $with_voice Include the microphone's settings (a block on the page allows voice).
	 * @return Boot
	 */
	public function boot( bool $with_voice = false ): array {
		$config = array(
			'restRoot'     => esc_url_raw( get_rest_url() ),
			'imageMaxSide' => (int) $this->settings->get( 'image_max_side' ),
			'historyTurns' => (int) $this->settings->get( 'history_turns' ),
			'turnMaxChars' => (int) $this->settings->get( 'turn_max_chars' ),
		);
		$voice  = $with_voice ? $this->voice_config() : null;
		if ( null !== $voice ) {
			$config['voice'] = $voice;
		}
		return array(
			'scripts'   => $this->scripts(),
			'config'    => $config,
			'loadError' => __( 'The chat could not load. Please check your connection, then click in the chat to try again.', 'voice-vision-chat' ),
		);
	}

	/**
	 * The widget and everything it depends on, dependencies first.
	 *
	 * The loader skips what the page already has (WordPress prints <script id="{handle}-js">).
	 *
	 * @return list<Boot_Script>
	 */
	public function scripts(): array {
		$wp_scripts = wp_scripts();
		if ( ! isset( $wp_scripts->registered[ self::HANDLE ] ) ) {
			return array();
		}
		$order = array();
		$this->collect( $wp_scripts, self::HANDLE, $order, array() );

		$scripts = array();
		foreach ( $order as $handle ) {
			$item = $wp_scripts->registered[ $handle ];
			if ( ! is_string( $item->src ) || '' === $item->src ) {
				continue; // An alias that only groups its dependencies.
			}
			$entry = array(
				'handle' => $handle,
				'src'    => $this->src( $wp_scripts, $handle ),
			);

			$before = array();
			// The widget's lazy chunks share its text domain: their strings are set up with it.
			$translated = self::HANDLE === $handle ? array_merge( array( $handle ), array_keys( self::LAZY_CHUNKS ) ) : array( $handle );
			foreach ( $translated as $translated_handle ) {
				$translations = isset( $wp_scripts->registered[ $translated_handle ] ) ? $wp_scripts->print_translations( $translated_handle, false ) : false;
				if ( is_string( $translations ) && '' !== $translations ) {
					$before[] = $translations;
				}
			}
			$after = array();
			if ( ! in_array( $handle, self::PER_USER_INLINE, true ) ) {
				$before = array_merge( $before, $this->inline( $wp_scripts, $handle, 'before' ) );
				$after  = $this->inline( $wp_scripts, $handle, 'after' );
			}
			if ( $before ) {
				$entry['before'] = implode( "\n", $before );
			}
			if ( $after ) {
				$entry['after'] = implode( "\n", $after );
			}
			$scripts[] = $entry;
		}
		return $scripts;
	}

	/**
	 * Depth-first walk of the dependency graph: each handle after its dependencies.
	 *
	 * @param WP_Scripts          $wp_scripts Registered scripts.
	 * @param string              $handle     Handle to add.
	 * @param string[]            $order      Handles in load order (filled in).
	 * @param array<string, true> $visiting   Handles on the current path, against cycles.
	 */
	private function collect( WP_Scripts $wp_scripts, string $handle, array &$order, array $visiting ): void {
		if ( isset( $visiting[ $handle ] ) || in_array( $handle, $order, true ) || ! isset( $wp_scripts->registered[ $handle ] ) ) {
			return;
		}
		$visiting[ $handle ] = true;
		foreach ( $wp_scripts->registered[ $handle ]->deps as $dependency ) {
			$this->collect( $wp_scripts, (string) $dependency, $order, $visiting );
		}
		$order[] = $handle;
	}

	/**
	 * The URL WordPress would print for a script: base URL, version, `script_loader_src`.
	 *
	 * @param WP_Scripts $wp_scripts Registered scripts.
	 * @param string     $handle     Registered handle with a src.
	 */
	private function src( WP_Scripts $wp_scripts, string $handle ): string {
		$item = $wp_scripts->registered[ $handle ];
		$src  = (string) $item->src;
		if ( ! preg_match( '|^(https?:)?//|', $src ) && ! ( $wp_scripts->content_url && str_starts_with( $src, $wp_scripts->content_url ) ) ) {
			$src = $wp_scripts->base_url . $src;
		}
		if ( null !== $item->ver ) {
			$version = $item->ver ? $item->ver : $wp_scripts->default_version;
			$src     = add_query_arg( 'ver', (string) $version, $src );
		}
		/** This filter is documented in wp-includes/class-wp-scripts.php */
		$src = (string) apply_filters( 'script_loader_src', $src, $handle ); // phpcs:ignore WordPress.NamingConventions.PrefixAllGlobals.NonPrefixedHooknameFound -- core's filter, applied as core does.
		return esc_url_raw( $src );
	}

	/**
	 * Inline code added to a script with wp_add_inline_script().
	 *
	 * @param WP_Scripts $wp_scripts Registered scripts.
	 * @param string     $handle     Handle.
	 * @param string     $position   'before' or 'after'.
	 * @return list<string>
	 */
	private function inline( WP_Scripts $wp_scripts, string $handle, string $position ): array {
		$data = $wp_scripts->get_data( $handle, $position );
		if ( ! is_array( $data ) ) {
			return array();
		}
		return array_values( array_filter( $data, static fn ( $code ): bool => is_string( $code ) && '' !== $code ) );
	}

	/**
	 * The handle WordPress gave the block's viewScript, '' before the block is registered.
	 */
	private function view_script_handle(): string {
		$block = WP_Block_Type_Registry::get_instance()->get_registered( Chat_Block::NAME );
		return (string) ( $block->view_script_handles[0] ?? '' );
	}

	/**
	 * Whether this page already got a piece of the boot code (the block can appear more than once).
	 *
	 * @param string $handle   The loader's handle.
	 * @param string $prefix   How the piece starts.
	 * @param string $contains Something it must also contain, '' for anything.
	 */
	private function boot_attached( string $handle, string $prefix, string $contains = '' ): bool {
		$before = wp_scripts()->get_data( $handle, 'before' );
		if ( ! is_array( $before ) ) {
			return false;
		}
		foreach ( $before as $code ) {
			if ( is_string( $code ) && str_starts_with( $code, $prefix ) && ( '' === $contains || str_contains( $code, $contains ) ) ) {
				return true;
			}
		}
		return false;
	}
}
