<?php
/**
 * Settings > Voice & Vision Chat: menu entry, assets on its own screen only, markup, and the
 * link from the Plugins screen.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Admin;

use VoiceVisionChat\Admin\App_Assets;
use VoiceVisionChat\Admin\Settings_Page;
use VoiceVisionChat\Tests\Support\TestCase;

/**
 * The settings screen's PHP side.
 */
final class SettingsPageTest extends TestCase {

	private const HOOK_SUFFIX = 'settings_page_voice-vision-chat';

	/**
	 * A build folder with a known asset file, so the test does not depend on `npm run build`.
	 *
	 * @var string
	 */
	private string $build_dir;

	/**
	 * Admin menu globals as they were before the test, restored afterwards.
	 *
	 * @var array<string, mixed>
	 */
	private array $saved_globals = array();

	protected function setUp(): void {
		parent::setUp();
		require_once ABSPATH . 'wp-admin/includes/plugin.php';
		foreach ( array( 'submenu', 'menu', '_registered_pages', '_wp_submenu_nopriv', '_parent_pages', 'wp_scripts', 'wp_styles', 'title', 'admin_page_hooks' ) as $name ) {
			$this->saved_globals[ $name ] = $GLOBALS[ $name ] ?? null;
		}
		// What wp-admin/menu.php sets up before admin_menu runs; page hook names derive from it.
		$GLOBALS['admin_page_hooks']['options-general.php'] = 'settings';
		// What admin.php sets before a screen renders.
		$GLOBALS['title'] = 'Voice & Vision Chat settings';
		// Fresh script and style registries, so one test's enqueues never leak into another.
		$GLOBALS['wp_scripts'] = null;
		$GLOBALS['wp_styles']  = null;

		$this->build_dir = sys_get_temp_dir() . '/vvc-settings-page-' . wp_generate_password( 8, false );
		mkdir( $this->build_dir );
		file_put_contents(
			$this->build_dir . '/settings.asset.php',
			"<?php return array( 'dependencies' => array( 'wp-api-fetch', 'wp-components', 'wp-element', 'wp-i18n' ), 'version' => 'test-1' );"
		);
	}

	protected function tearDown(): void {
		foreach ( $this->saved_globals as $name => $value ) {
			$GLOBALS[ $name ] = $value;
		}
		foreach ( (array) glob( $this->build_dir . '/*' ) as $file ) {
			unlink( (string) $file );
		}
		rmdir( $this->build_dir );
		parent::tearDown();
	}

	private function page( ?string $build_dir = null ): Settings_Page {
		return new Settings_Page( new App_Assets( VVC_PLUGIN_FILE, $build_dir ?? $this->build_dir ), VVC_PLUGIN_FILE );
	}

	/**
	 * The entry under Settings with our slug, or null.
	 *
	 * @return array<int, string>|null
	 */
	private function settings_submenu_entry(): ?array {
		foreach ( $GLOBALS['submenu']['options-general.php'] ?? array() as $entry ) {
			if ( Settings_Page::SLUG === $entry[2] ) {
				return $entry;
			}
		}
		return null;
	}

	public function test_administrators_get_the_page_under_settings_behind_manage_options(): void {
		$this->log_in_as( 'administrator' );

		$this->page()->add_page();

		$entry = $this->settings_submenu_entry();
		$this->assertNotNull( $entry, 'Settings > Voice & Vision Chat exists' );
		$this->assertSame( 'manage_options', $entry[1] );
		$this->assertSame( 'Voice &amp; Vision Chat', $entry[0] );
		$this->assertNotFalse( has_action( self::HOOK_SUFFIX ), 'the page has a render callback' );
	}

	public function test_editors_get_no_page_and_no_assets(): void {
		$this->log_in_as( 'editor' );
		$page = $this->page();

		$page->add_page();
		$page->enqueue( self::HOOK_SUFFIX );

		$this->assertNull( $this->settings_submenu_entry() );
		$this->assertFalse( wp_script_is( Settings_Page::HANDLE, 'enqueued' ) );
	}

	public function test_assets_load_on_the_settings_screen_only(): void {
		$this->log_in_as( 'administrator' );
		$page = $this->page();
		$page->add_page();

		$page->enqueue( 'index.php' );
		$page->enqueue( 'options-general.php' );
		$this->assertFalse( wp_script_is( Settings_Page::HANDLE, 'enqueued' ), 'nothing on other screens' );
		$this->assertFalse( wp_style_is( 'wp-components', 'enqueued' ) );

		$page->enqueue( self::HOOK_SUFFIX );

		$this->assertTrue( wp_script_is( Settings_Page::HANDLE, 'enqueued' ) );
		$script = wp_scripts()->registered[ Settings_Page::HANDLE ];
		$this->assertStringEndsWith( '/build/admin/settings.js', (string) $script->src );
		$this->assertSame( array( 'wp-api-fetch', 'wp-components', 'wp-element', 'wp-i18n' ), $script->deps );
		$this->assertSame( 'test-1', $script->ver );
		$this->assertSame( 1, wp_scripts()->get_data( Settings_Page::HANDLE, 'group' ), 'loaded in the footer' );
		$this->assertSame( 'voice-vision-chat', $script->textdomain, 'translations are wired' );

		$this->assertTrue( wp_style_is( Settings_Page::HANDLE, 'enqueued' ) );
		$this->assertSame( array( 'wp-components' ), wp_styles()->registered[ Settings_Page::HANDLE ]->deps );
		$this->assertStringEndsWith( '/build/admin/settings.css', (string) wp_styles()->registered[ Settings_Page::HANDLE ]->src );
		$this->assertSame( 'replace', wp_styles()->get_data( Settings_Page::HANDLE, 'rtl' ) );
	}

	public function test_the_real_build_depends_on_wordpress_packages_not_bundled_copies(): void {
		$this->log_in_as( 'administrator' );
		$page = $this->page( VVC_PLUGIN_DIR . 'build/admin' );
		$page->add_page();

		$page->enqueue( self::HOOK_SUFFIX );

		$this->assertTrue( wp_script_is( Settings_Page::HANDLE, 'enqueued' ), 'build/admin/settings.asset.php exists (run npm run build)' );
		$deps = wp_scripts()->registered[ Settings_Page::HANDLE ]->deps;
		foreach ( array( 'wp-api-fetch', 'wp-components', 'wp-element', 'wp-i18n' ) as $package ) {
			$this->assertContains( $package, $deps );
		}
		$this->assertFileExists( VVC_PLUGIN_DIR . 'build/admin/settings.css' );
		$this->assertFileExists( VVC_PLUGIN_DIR . 'build/admin/settings-rtl.css' );
	}

	public function test_a_missing_build_loads_nothing_and_says_how_to_fix_it(): void {
		$this->log_in_as( 'administrator' );
		unlink( $this->build_dir . '/settings.asset.php' );
		$page = $this->page();
		$page->add_page();

		$page->enqueue( self::HOOK_SUFFIX );
		ob_start();
		$page->render();
		$html = (string) ob_get_clean();

		$this->assertFalse( wp_script_is( Settings_Page::HANDLE, 'registered' ) );
		$this->assertStringContainsString( 'npm run build', $html );
	}

	public function test_render_prints_the_heading_and_the_app_root(): void {
		$this->log_in_as( 'administrator' );

		ob_start();
		$this->page()->render();
		$html = (string) ob_get_clean();

		$this->assertStringContainsString( '<h1>Voice &amp; Vision Chat settings</h1>', $html );
		$this->assertSame( 1, substr_count( $html, 'id="vvc-settings-root"' ) );
		$this->assertStringNotContainsString( 'npm run build', $html );
	}

	public function test_render_prints_nothing_for_users_without_manage_options(): void {
		$this->log_in_as( 'editor' );

		ob_start();
		$this->page()->render();

		$this->assertSame( '', ob_get_clean() );
	}

	public function test_the_plugins_list_links_to_the_settings_first(): void {
		$this->log_in_as( 'administrator' );
		$existing = array( 'deactivate' => '<a href="#">Deactivate</a>' );

		// Through the real filter, which also proves Plugin::register() attached it.
		$links = apply_filters( 'plugin_action_links_' . plugin_basename( VVC_PLUGIN_FILE ), $existing, plugin_basename( VVC_PLUGIN_FILE ), array(), 'all' );

		$this->assertSame( array( 'settings', 'deactivate' ), array_keys( $links ) );
		$this->assertSame(
			'<a href="' . esc_url( admin_url( 'options-general.php?page=voice-vision-chat' ) ) . '">Settings</a>',
			$links['settings']
		);
	}

	public function test_the_plugins_list_gets_no_link_for_users_who_cannot_open_the_page(): void {
		$this->log_in_as( 'editor' );
		$existing = array( 'deactivate' => '<a href="#">Deactivate</a>' );

		$this->assertSame( $existing, $this->page()->add_action_link( $existing ) );
	}

	public function test_plugin_register_wires_the_page_into_admin_hooks(): void {
		foreach ( array( 'admin_menu' => 'add_page', 'admin_enqueue_scripts' => 'enqueue' ) as $hook => $method ) {
			$found = false;
			foreach ( $GLOBALS['wp_filter'][ $hook ]->callbacks ?? array() as $callbacks ) {
				foreach ( $callbacks as $callback ) {
					if ( is_array( $callback['function'] ) && $callback['function'][0] instanceof Settings_Page && $method === $callback['function'][1] ) {
						$found = true;
					}
				}
			}
			$this->assertTrue( $found, "Settings_Page::$method is attached to $hook" );
		}
	}
}
