<?php
/**
 * Dashboard > Chat usage, Settings > Chat budget and Settings > Chat FAQ (the App_Page
 * screens): menu entries, assets on their own screens only, markup, and wiring.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Admin;

use VoiceVisionChat\Admin\App_Assets;
use VoiceVisionChat\Admin\Budget_Page;
use VoiceVisionChat\Admin\Dashboard_Page;
use VoiceVisionChat\Admin\Faq_Page;
use VoiceVisionChat\Tests\Support\TestCase;

/**
 * The React admin screens' PHP side.
 */
final class DashboardPageTest extends TestCase {

	private const DASHBOARD_HOOK = 'dashboard_page_vvc-usage';

	private const BUDGET_HOOK = 'settings_page_vvc-budget';

	private const FAQ_HOOK = 'settings_page_vvc-faq';

	/**
	 * A build folder with known asset files, so the test does not depend on `npm run build`.
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
		$GLOBALS['admin_page_hooks']['index.php']           = 'dashboard';
		$GLOBALS['admin_page_hooks']['options-general.php'] = 'settings';
		$GLOBALS['title']                                   = 'Chat usage and costs';
		$GLOBALS['wp_scripts']                              = null;
		$GLOBALS['wp_styles']                               = null;

		$this->build_dir = sys_get_temp_dir() . '/vvc-dashboard-page-' . wp_generate_password( 8, false );
		mkdir( $this->build_dir );
		foreach ( array( 'dashboard', 'budget', 'faq' ) as $name ) {
			file_put_contents(
				$this->build_dir . "/$name.asset.php",
				"<?php return array( 'dependencies' => array( 'react', 'react-dom', 'wp-api-fetch', 'wp-components', 'wp-element', 'wp-i18n' ), 'version' => '$name-1' );"
			);
		}
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

	private function assets( ?string $build_dir = null ): App_Assets {
		return new App_Assets( VVC_PLUGIN_FILE, $build_dir ?? $this->build_dir );
	}

	/**
	 * A submenu entry by parent and slug, or null.
	 *
	 * @param string $parent Parent file.
	 * @param string $slug   Page slug.
	 * @return array<int, string>|null
	 */
	private static function entry( string $parent, string $slug ): ?array {
		foreach ( $GLOBALS['submenu'][ $parent ] ?? array() as $entry ) {
			if ( $slug === $entry[2] ) {
				return $entry;
			}
		}
		return null;
	}

	/**
	 * Whether a method of an object of a class is attached to a hook.
	 *
	 * @param string $hook   Hook.
	 * @param string $class  Class name.
	 * @param string $method Method.
	 */
	private static function attached( string $hook, string $class, string $method ): bool {
		foreach ( $GLOBALS['wp_filter'][ $hook ]->callbacks ?? array() as $callbacks ) {
			foreach ( $callbacks as $callback ) {
				if ( is_array( $callback['function'] ) && $callback['function'][0] instanceof $class && $method === $callback['function'][1] ) {
					return true;
				}
			}
		}
		return false;
	}

	public function test_administrators_get_the_usage_page_under_dashboard_and_the_budget_under_settings(): void {
		$this->log_in_as( 'administrator' );

		( new Dashboard_Page( $this->assets() ) )->add_page();
		( new Budget_Page( $this->assets() ) )->add_page();

		$usage = self::entry( 'index.php', Dashboard_Page::SLUG );
		$this->assertNotNull( $usage, 'Dashboard > Chat usage exists' );
		$this->assertSame( 'manage_options', $usage[1] );
		$this->assertSame( 'Chat usage', $usage[0] );
		$this->assertNotFalse( has_action( self::DASHBOARD_HOOK ) );

		$budget = self::entry( 'options-general.php', Budget_Page::SLUG );
		$this->assertNotNull( $budget, 'Settings > Chat budget exists' );
		$this->assertSame( 'manage_options', $budget[1] );
		$this->assertNotFalse( has_action( self::BUDGET_HOOK ) );
	}

	public function test_editors_get_no_pages_and_no_assets(): void {
		$this->log_in_as( 'editor' );
		$dashboard = new Dashboard_Page( $this->assets() );
		$budget    = new Budget_Page( $this->assets() );

		$dashboard->add_page();
		$budget->add_page();
		$dashboard->enqueue( self::DASHBOARD_HOOK );
		$budget->enqueue( self::BUDGET_HOOK );

		$this->assertNull( self::entry( 'index.php', Dashboard_Page::SLUG ) );
		$this->assertNull( self::entry( 'options-general.php', Budget_Page::SLUG ) );
		$this->assertFalse( wp_script_is( Dashboard_Page::HANDLE, 'enqueued' ) );
		$this->assertFalse( wp_script_is( Budget_Page::HANDLE, 'enqueued' ) );
	}

	public function test_each_app_loads_on_its_own_screen_only(): void {
		$this->log_in_as( 'administrator' );
		$dashboard = new Dashboard_Page( $this->assets() );
		$budget    = new Budget_Page( $this->assets() );
		$dashboard->add_page();
		$budget->add_page();

		foreach ( array( 'index.php', 'settings_page_voice-vision-chat', 'plugins.php' ) as $other ) {
			$dashboard->enqueue( $other );
			$budget->enqueue( $other );
		}
		$this->assertFalse( wp_script_is( Dashboard_Page::HANDLE, 'enqueued' ), 'nothing on other screens' );
		$this->assertFalse( wp_script_is( Budget_Page::HANDLE, 'enqueued' ) );

		$dashboard->enqueue( self::DASHBOARD_HOOK );
		$budget->enqueue( self::DASHBOARD_HOOK );

		$this->assertTrue( wp_script_is( Dashboard_Page::HANDLE, 'enqueued' ) );
		$this->assertFalse( wp_script_is( Budget_Page::HANDLE, 'enqueued' ), 'the budget app stays off the dashboard' );
		$script = wp_scripts()->registered[ Dashboard_Page::HANDLE ];
		$this->assertStringEndsWith( '/build/admin/dashboard.js', (string) $script->src );
		$this->assertSame( 'dashboard-1', $script->ver );
		$this->assertContains( 'wp-api-fetch', $script->deps );
		$this->assertSame( 1, wp_scripts()->get_data( Dashboard_Page::HANDLE, 'group' ), 'loaded in the footer' );
		$this->assertSame( 'voice-vision-chat', $script->textdomain );
		$style = wp_styles()->registered[ Dashboard_Page::HANDLE ];
		$this->assertStringEndsWith( '/build/admin/dashboard.css', (string) $style->src );
		$this->assertSame( array( 'wp-components' ), $style->deps );
		$this->assertSame( 'replace', wp_styles()->get_data( Dashboard_Page::HANDLE, 'rtl' ) );

		$budget->enqueue( self::BUDGET_HOOK );
		$this->assertStringEndsWith( '/build/admin/budget.js', (string) wp_scripts()->registered[ Budget_Page::HANDLE ]->src );
	}

	public function test_the_real_builds_exist_and_use_wordpress_packages(): void {
		$this->log_in_as( 'administrator' );
		$dashboard = new Dashboard_Page( $this->assets( VVC_PLUGIN_DIR . 'build/admin' ) );
		$budget    = new Budget_Page( $this->assets( VVC_PLUGIN_DIR . 'build/admin' ) );
		$dashboard->add_page();
		$budget->add_page();

		$dashboard->enqueue( self::DASHBOARD_HOOK );
		$budget->enqueue( self::BUDGET_HOOK );

		$this->assertTrue( wp_script_is( Dashboard_Page::HANDLE, 'enqueued' ), 'build/admin/dashboard.asset.php exists (run npm run build)' );
		$this->assertTrue( wp_script_is( Budget_Page::HANDLE, 'enqueued' ), 'build/admin/budget.asset.php exists (run npm run build)' );
		foreach ( array( Dashboard_Page::HANDLE, Budget_Page::HANDLE ) as $handle ) {
			$deps = wp_scripts()->registered[ $handle ]->deps;
			foreach ( array( 'wp-api-fetch', 'wp-element', 'wp-i18n' ) as $package ) {
				$this->assertContains( $package, $deps, $handle );
			}
		}
		$this->assertContains( 'wp-components', wp_scripts()->registered[ Budget_Page::HANDLE ]->deps );
		foreach ( array( 'dashboard', 'budget', 'faq' ) as $name ) {
			$this->assertFileExists( VVC_PLUGIN_DIR . "build/admin/$name.css" );
			$this->assertFileExists( VVC_PLUGIN_DIR . "build/admin/$name-rtl.css" );
		}
	}

	public function test_the_dashboard_prints_its_root_with_a_working_export_address(): void {
		$user = $this->log_in_as( 'administrator' );

		ob_start();
		( new Dashboard_Page( $this->assets() ) )->render();
		$html = (string) ob_get_clean();

		$this->assertStringContainsString( '<h1>Chat usage and costs</h1>', $html );
		$this->assertSame( 1, substr_count( $html, 'id="vvc-dashboard-root"' ) );
		$this->assertMatchesRegularExpression( '/data-export-url="([^"]+)"/', $html );
		preg_match( '/data-export-url="([^"]+)"/', $html, $match );
		$export = html_entity_decode( $match[1] );
		$this->assertStringStartsWith( rest_url( 'voice-vision-chat/v1/admin/usage/export' ), $export );
		parse_str( (string) wp_parse_url( $export, PHP_URL_QUERY ), $query );
		$this->assertSame( 1, wp_verify_nonce( (string) ( $query['_wpnonce'] ?? '' ), 'wp_rest' ), 'the REST nonce of user ' . $user );
		$this->assertStringContainsString( 'data-budget-url="' . esc_url( admin_url( 'options-general.php?page=vvc-budget' ) ) . '"', $html );
		$this->assertStringNotContainsString( 'npm run build', $html );
	}

	public function test_the_budget_screen_prints_its_root(): void {
		$this->log_in_as( 'administrator' );
		$GLOBALS['title'] = 'Chat budget, prices and models';

		ob_start();
		( new Budget_Page( $this->assets() ) )->render();
		$html = (string) ob_get_clean();

		$this->assertStringContainsString( '<h1>Chat budget, prices and models</h1>', $html );
		$this->assertSame( 1, substr_count( $html, 'id="vvc-budget-root"' ) );
		$this->assertStringContainsString( 'data-usage-url="' . esc_url( admin_url( 'index.php?page=vvc-usage' ) ) . '"', $html );
	}

	public function test_a_missing_build_loads_nothing_and_says_how_to_fix_it(): void {
		$this->log_in_as( 'administrator' );
		unlink( $this->build_dir . '/dashboard.asset.php' );
		$page = new Dashboard_Page( $this->assets() );
		$page->add_page();

		$page->enqueue( self::DASHBOARD_HOOK );
		ob_start();
		$page->render();
		$html = (string) ob_get_clean();

		$this->assertFalse( wp_script_is( Dashboard_Page::HANDLE, 'registered' ) );
		$this->assertStringContainsString( 'npm run build', $html );
	}

	public function test_render_prints_nothing_for_users_without_manage_options(): void {
		$this->log_in_as( 'editor' );

		ob_start();
		( new Dashboard_Page( $this->assets() ) )->render();
		( new Budget_Page( $this->assets() ) )->render();

		$this->assertSame( '', ob_get_clean() );
	}

	public function test_the_faq_screen_sits_under_settings_and_loads_on_its_own_screen_only(): void {
		$this->log_in_as( 'administrator' );
		$faq    = new Faq_Page( $this->assets() );
		$budget = new Budget_Page( $this->assets() );
		$faq->add_page();
		$budget->add_page();

		$entry = self::entry( 'options-general.php', Faq_Page::SLUG );
		$this->assertNotNull( $entry, 'Settings > Chat FAQ exists' );
		$this->assertSame( 'manage_options', $entry[1] );
		$this->assertSame( 'Chat FAQ', $entry[0] );
		$this->assertSame( admin_url( 'options-general.php?page=vvc-faq' ), Faq_Page::url() );

		$faq->enqueue( self::BUDGET_HOOK );
		$this->assertFalse( wp_script_is( Faq_Page::HANDLE, 'enqueued' ), 'not on the budget screen' );
		$faq->enqueue( self::FAQ_HOOK );
		$this->assertTrue( wp_script_is( Faq_Page::HANDLE, 'enqueued' ) );
		$this->assertSame( Faq_Page::HANDLE, $faq->handle() );
		$this->assertStringEndsWith( '/build/admin/faq.js', (string) wp_scripts()->registered[ Faq_Page::HANDLE ]->src );
		$this->assertStringEndsWith( '/build/admin/faq.css', (string) wp_styles()->registered[ Faq_Page::HANDLE ]->src );
		$this->assertFalse( wp_script_is( Budget_Page::HANDLE, 'enqueued' ) );
	}

	public function test_editors_get_no_faq_screen(): void {
		$this->log_in_as( 'editor' );
		$faq = new Faq_Page( $this->assets() );

		$faq->add_page();
		$faq->enqueue( self::FAQ_HOOK );
		ob_start();
		$faq->render();

		$this->assertNull( self::entry( 'options-general.php', Faq_Page::SLUG ) );
		$this->assertFalse( wp_script_is( Faq_Page::HANDLE, 'enqueued' ) );
		$this->assertSame( '', ob_get_clean() );
	}

	public function test_the_faq_screen_prints_its_root_with_the_export_and_settings_addresses(): void {
		$this->log_in_as( 'administrator' );
		$GLOBALS['title'] = 'Chat FAQ and answer cache';

		ob_start();
		( new Faq_Page( $this->assets() ) )->render();
		$html = (string) ob_get_clean();

		$this->assertStringContainsString( '<h1>Chat FAQ and answer cache</h1>', $html );
		$this->assertSame( 1, substr_count( $html, 'id="' . Faq_Page::ROOT_ID . '"' ) );
		$this->assertSame( 1, preg_match( '/data-export-url="([^"]+)"/', $html, $match ) );
		$export = html_entity_decode( $match[1] );
		$this->assertStringStartsWith( rest_url( 'voice-vision-chat/v1/admin/faq/export' ), $export );
		parse_str( (string) wp_parse_url( $export, PHP_URL_QUERY ), $query );
		$this->assertSame( 1, wp_verify_nonce( (string) ( $query['_wpnonce'] ?? '' ), 'wp_rest' ) );
		$this->assertStringContainsString( 'data-settings-url="' . esc_url( admin_url( 'options-general.php?page=voice-vision-chat' ) ) . '"', $html );
		$this->assertStringNotContainsString( 'npm run build', $html );
		$this->assertStringContainsString( '<noscript>', $html );
	}

	public function test_plugin_register_wires_every_page(): void {
		foreach ( array( Dashboard_Page::class, Budget_Page::class, Faq_Page::class ) as $class ) {
			$this->assertTrue( self::attached( 'admin_menu', $class, 'add_page' ), "$class::add_page on admin_menu" );
			$this->assertTrue( self::attached( 'admin_enqueue_scripts', $class, 'enqueue' ), "$class::enqueue on admin_enqueue_scripts" );
		}
	}
}
