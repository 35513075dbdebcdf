<?php
/**
 * The widget script is registered, and pages with the block tell the loader how to fetch it
 * without anything per visitor.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Block;

use VoiceVisionChat\Block\Chat_Block;
use VoiceVisionChat\Block\Widget_Loader;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Tests\Support\TestCase;
use WP_Block_Type_Registry;

/**
 * Registration of vvc-chat-widget and the boot object printed before the block's loader.
 */
final class WidgetLoaderTest extends TestCase {

	private function loader(): Widget_Loader {
		return new Widget_Loader( VVC_PLUGIN_DIR . 'build', plugins_url( 'build', VVC_PLUGIN_FILE ), VVC_PLUGIN_DIR . 'languages', new Settings() );
	}

	private function view_handle(): string {
		$block = WP_Block_Type_Registry::get_instance()->get_registered( Chat_Block::NAME );
		$this->assertNotNull( $block, 'run `npm run build` before the PHP tests' );
		return $block->view_script_handles[0];
	}

	/**
	 * Handles of the boot's script list, in order.
	 *
	 * @param array{scripts: list<array{handle: string}>} $boot Boot object.
	 * @return list<string>
	 */
	private function handles( array $boot ): array {
		return array_column( $boot['scripts'], 'handle' );
	}

	/**
	 * Runs $test with a brand-new WP_Scripts (as a fresh request would have, for the user
	 * logged in now), then puts the shared one back for the other tests.
	 *
	 * @param callable(): mixed $test What to run.
	 */
	private function with_fresh_scripts( callable $test ): mixed {
		$saved                 = $GLOBALS['wp_scripts'];
		$GLOBALS['wp_scripts'] = null;
		try {
			$this->loader()->register();
			return $test();
		} finally {
			$GLOBALS['wp_scripts'] = $saved;
		}
	}

	public function test_widget_script_is_registered_with_its_build_dependencies(): void {
		$script = wp_scripts()->registered[ Widget_Loader::HANDLE ] ?? null;
		$this->assertNotNull( $script );
		$this->assertStringEndsWith( '/build/chat/widget.js', (string) $script->src );
		foreach ( array( 'wp-element', 'wp-api-fetch', 'wp-i18n', 'react-jsx-runtime' ) as $dependency ) {
			$this->assertContains( $dependency, $script->deps );
		}
		$this->assertFalse( wp_script_is( Widget_Loader::HANDLE, 'enqueued' ), 'never enqueued: the loader adds it on demand' );
		$this->assertSame( 'voice-vision-chat', $script->textdomain, 'translations set for the widget' );
	}

	public function test_scripts_come_dependencies_first_with_the_urls_wordpress_prints(): void {
		$boot    = $this->loader()->boot();
		$handles = $this->handles( $boot );

		$this->assertSame( Widget_Loader::HANDLE, end( $handles ), 'the widget runs last' );
		$this->assertSame( count( $handles ), count( array_unique( $handles ) ) );
		$position = array_flip( $handles );
		foreach ( $handles as $handle ) {
			foreach ( wp_scripts()->registered[ $handle ]->deps as $dependency ) {
				if ( isset( $position[ $dependency ] ) ) {
					$this->assertLessThan( $position[ $handle ], $position[ $dependency ], "$dependency before $handle" );
				}
			}
		}
		foreach ( array( 'react', 'react-dom', 'wp-element', 'wp-i18n', 'wp-api-fetch' ) as $needed ) {
			$this->assertContains( $needed, $handles );
		}

		$react = $boot['scripts'][ $position['react'] ];
		$this->assertMatchesRegularExpression( '#^https?://[^/]+/wp-includes/js/dist/vendor/react(\.min)?\.js\?ver=#', $react['src'] );
		$widget = $boot['scripts'][ $position[ Widget_Loader::HANDLE ] ];
		$this->assertStringContainsString( '/build/chat/widget.js?ver=', $widget['src'] );
	}

	public function test_site_wide_inline_code_comes_along(): void {
		$boot  = $this->loader()->boot();
		$i18n  = $boot['scripts'][ array_search( 'wp-i18n', $this->handles( $boot ), true ) ];
		$after = $i18n['after'] ?? '';
		$this->assertStringContainsString( 'setLocaleData', $after, 'the text direction WordPress sets after wp-i18n' );
	}

	public function test_strings_of_the_lazily_loaded_voice_chunk_are_translated_with_the_widget(): void {
		$this->assertFileExists( VVC_PLUGIN_DIR . 'build/voice/recorder.js', 'run `npm run build` before the PHP tests' );
		$languages = sys_get_temp_dir() . '/vvc-languages-' . wp_generate_password( 8, false );
		wp_mkdir_p( $languages );
		$json = static fn ( string $source, string $translation ): string => (string) wp_json_encode(
			array(
				'locale_data' => array(
					'messages' => array(
						''      => array( 'domain' => 'messages' ),
						$source => array( $translation ),
					),
				),
			)
		);
		// Named as `wp i18n make-json` names them: the md5 of the file's path in the plugin.
		file_put_contents( $languages . '/voice-vision-chat-de_DE-' . md5( 'build/chat/widget.js' ) . '.json', $json( 'Ask by voice', 'Per Sprache fragen' ) );
		file_put_contents( $languages . '/voice-vision-chat-de_DE-' . md5( 'build/voice/recorder.js' ) . '.json', $json( 'No microphone was found.', 'Kein Mikrofon gefunden.' ) );
		$german = static fn (): string => 'de_DE';
		add_filter( 'determine_locale', $german );
		$saved                 = $GLOBALS['wp_scripts'];
		$GLOBALS['wp_scripts'] = null;
		try {
			// The URL the build has on a site where the plugin sits in its usual folder (the
			// tests run it from the checkout), which is what the md5 names are made from.
			$loader = new Widget_Loader( VVC_PLUGIN_DIR . 'build', content_url( 'plugins/voice-vision-chat/build' ), $languages, new Settings() );
			$loader->register();
			$boot = $loader->boot( true );
			$this->assertFalse( wp_script_is( 'vvc-voice-recorder', 'enqueued' ), 'the chunk is never printed as a script' );
		} finally {
			$GLOBALS['wp_scripts'] = $saved;
			remove_filter( 'determine_locale', $german );
			array_map( 'unlink', (array) glob( $languages . '/*.json' ) );
			rmdir( $languages );
		}

		$widget = end( $boot['scripts'] );
		$this->assertSame( Widget_Loader::HANDLE, $widget['handle'] );
		$before = $widget['before'] ?? '';
		$this->assertStringContainsString( 'Per Sprache fragen', $before, 'the widget\'s own strings' );
		$this->assertStringContainsString( 'Kein Mikrofon gefunden.', $before, 'the voice chunk\'s strings, before the chunk is ever downloaded' );
		$this->assertSame( 2, substr_count( $before, 'setLocaleData' ) );
		$this->assertNotContains( 'vvc-voice-recorder', $this->handles( $boot ), 'not a script the loader adds' );
	}

	public function test_the_boot_object_holds_no_nonce_and_nothing_per_user(): void {
		$as_guest = $this->with_fresh_scripts( fn () => wp_json_encode( $this->loader()->boot() ) );

		$user_id  = $this->log_in_as( 'administrator' );
		$nonce    = wp_create_nonce( 'wp_rest' );
		$as_admin = $this->with_fresh_scripts(
			function () use ( $nonce ) {
				$api_fetch_after = implode( "\n", (array) wp_scripts()->get_data( 'wp-api-fetch', 'after' ) );
				$this->assertStringContainsString( $nonce, $api_fetch_after, 'WordPress did put the nonce in wp-api-fetch' );
				return wp_json_encode( $this->loader()->boot() );
			}
		);

		$this->assertIsString( $as_admin );
		$this->assertStringNotContainsString( $nonce, $as_admin );
		$this->assertStringNotContainsString( 'createNonceMiddleware', $as_admin );
		$this->assertStringNotContainsString( 'WP_DATA_USER_' . $user_id, $as_admin );
		$this->assertSame( $as_guest, $as_admin, 'identical for every visitor, so cached pages are fine' );
	}

	public function test_config_carries_the_site_settings_and_rest_root(): void {
		( new Settings() )->update(
			array(
				'image_max_side' => 800,
				'history_turns'  => 4,
				'turn_max_chars' => 1500,
			)
		);

		$this->assertSame(
			array(
				'restRoot'     => get_rest_url(),
				'imageMaxSide' => 800,
				'historyTurns' => 4,
				'turnMaxChars' => 1500,
			),
			$this->loader()->boot()['config']
		);
	}

	public function test_voice_settings_come_only_when_asked_for(): void {
		( new Settings() )->update(
			array(
				'voice_max_seconds'  => 45,
				'voice_consent_text' => 'Recordings go to OpenAI & are not kept.',
			)
		);
		$this->assertArrayNotHasKey( 'voice', $this->loader()->boot()['config'] );

		$voice = $this->loader()->boot( true )['config']['voice'] ?? null;
		$this->assertIsArray( $voice, 'run `npm run build` before the PHP tests' );
		$this->assertSame( 45, $voice['maxSeconds'] );
		$this->assertSame( 'Recordings go to OpenAI & are not kept.', $voice['consentText'] );
		foreach ( array( 'workletUrl' => 'recorder-worklet', 'workerUrl' => 'encoder-worker' ) as $key => $name ) {
			$asset = require VVC_PLUGIN_DIR . 'build/voice/' . $name . '.asset.php';
			$this->assertSame( plugins_url( 'build/voice/' . $name . '.js', VVC_PLUGIN_FILE ) . '?ver=' . $asset['version'], $voice[ $key ] );
		}
	}

	public function test_no_voice_settings_without_the_voice_bundles(): void {
		$loader = new Widget_Loader( sys_get_temp_dir() . '/vvc-no-build', plugins_url( 'build', VVC_PLUGIN_FILE ), VVC_PLUGIN_DIR . 'languages', new Settings() );
		$this->assertNull( $loader->voice_config() );
		$this->assertArrayNotHasKey( 'voice', $loader->boot( true )['config'] );
	}

	/**
	 * The boot code printed before the loader on a page with these blocks.
	 *
	 * @param string $blocks Block markup.
	 */
	private function boot_code_for( string $blocks ): string {
		$handle = $this->view_handle();
		wp_scripts()->add_data( $handle, 'before', array() );
		do_blocks( $blocks );
		return (string) wp_scripts()->get_inline_script_data( $handle, 'before' );
	}

	public function test_the_page_gets_voice_settings_only_when_a_block_allows_voice(): void {
		$without = $this->boot_code_for( '<!-- wp:voice-vision-chat/chat {"allowVoice":false} /-->' );
		$this->assertStringContainsString( 'window.vvcChatBoot = ', $without );
		$this->assertStringNotContainsString( 'workletUrl', $without );

		$with = $this->boot_code_for( '<!-- wp:voice-vision-chat/chat /-->' );
		$this->assertSame( 1, substr_count( $with, 'workletUrl' ), 'voice allowed by default' );

		// A later block that allows voice adds the settings once; one that does not adds nothing.
		$mixed = $this->boot_code_for(
			'<!-- wp:voice-vision-chat/chat {"allowVoice":false} /--><!-- wp:voice-vision-chat/chat /--><!-- wp:voice-vision-chat/chat /-->'
		);
		$this->assertSame( 1, substr_count( $mixed, 'window.vvcChatBoot = ' ) );
		$this->assertSame( 1, substr_count( $mixed, 'window.vvcChatBoot.config.voice = ' ) );
		$this->assertSame( 1, substr_count( $mixed, 'encoder-worker.js' ) );
	}

	public function test_voice_is_available_while_the_chat_is_on_and_the_recorder_is_built(): void {
		$this->assertTrue( $this->loader()->voice_available( true ), 'run `npm run build` before the PHP tests' );
		$this->assertFalse( $this->loader()->voice_available( false ), 'an earlier callback said no' );

		$unbuilt = new Widget_Loader( sys_get_temp_dir() . '/vvc-no-build', plugins_url( 'build', VVC_PLUGIN_FILE ), VVC_PLUGIN_DIR . 'languages', new Settings() );
		$this->assertFalse( $unbuilt->voice_available( true ) );

		( new Settings() )->update( array( 'enabled' => false ) );
		$this->assertFalse( $this->loader()->voice_available( true ) );
		$this->assertNotFalse( has_filter( 'vvc_voice_available' ), 'wired in Plugin' );
	}

	public function test_script_urls_go_through_script_loader_src(): void {
		$cdn = static fn ( string $src ): string => str_replace( home_url(), 'https://cdn.example.test', $src );
		add_filter( 'script_loader_src', $cdn );
		try {
			$boot = $this->loader()->boot();
		} finally {
			remove_filter( 'script_loader_src', $cdn );
		}
		foreach ( $boot['scripts'] as $script ) {
			$this->assertStringStartsWith( 'https://cdn.example.test/', $script['src'] );
		}
	}

	public function test_a_page_with_the_block_gets_the_boot_object_once_before_the_loader(): void {
		$handle = $this->view_handle();
		wp_scripts()->add_data( $handle, 'before', array() );

		$html = do_blocks( str_repeat( '<!-- wp:voice-vision-chat/chat /-->', 2 ) );
		$this->assertSame( 2, substr_count( $html, 'wp-block-voice-vision-chat-chat' ) );

		$inline = (string) wp_scripts()->get_inline_script_data( $handle, 'before' );
		$this->assertSame( 1, substr_count( $inline, 'window.vvcChatBoot = ' ) );
		$this->assertSame( 1, preg_match( '/^window\.vvcChatBoot = (.*);(?:\n\/\/# sourceURL=\S+)?$/s', $inline, $match ) );
		$boot = json_decode( $match[1], true );
		$this->assertSame( Widget_Loader::HANDLE, end( $boot['scripts'] )['handle'] );
		$this->assertStringNotContainsString( '</script', $inline, 'JSON escaped for a script element' );
	}

	public function test_the_filters_are_wired(): void {
		$this->assertNotFalse( has_filter( 'render_block_' . Chat_Block::NAME ) );
		$found = false;
		foreach ( $GLOBALS['wp_filter']['init']->callbacks as $callbacks ) {
			foreach ( $callbacks as $callback ) {
				if ( is_array( $callback['function'] ) && $callback['function'][0] instanceof Widget_Loader && 'register' === $callback['function'][1] ) {
					$found = true;
				}
			}
		}
		$this->assertTrue( $found, 'Widget_Loader::register is attached to init' );
	}
}
