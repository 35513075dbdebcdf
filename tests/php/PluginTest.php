<?php
/**
 * The plugin loads inside real WordPress and wires its hooks in one place.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests;

use VoiceVisionChat\Tests\Support\TestCase;
use VoiceVisionChat\Storage\Schema;
use VoiceVisionChat\Uninstaller;

/**
 * Loading, wiring and clean-up.
 */
final class PluginTest extends TestCase {

	public function test_block_registration_is_hooked_to_init(): void {
		$this->assertTrue( has_action( 'init' ), 'init has callbacks' );
		$found = false;
		foreach ( $GLOBALS['wp_filter']['init']->callbacks as $callbacks ) {
			foreach ( $callbacks as $callback ) {
				if ( is_array( $callback['function'] ) && $callback['function'][0] instanceof \VoiceVisionChat\Block\Chat_Block ) {
					$found = true;
				}
			}
		}
		$this->assertTrue( $found, 'Chat_Block::register is attached to init' );
	}

	public function test_version_constant_matches_plugin_header(): void {
		$header = get_file_data( VVC_PLUGIN_FILE, array( 'Version' => 'Version' ) );
		$this->assertSame( VVC_VERSION, $header['Version'] );
	}

	public function test_uninstall_removes_prefixed_options_and_transients_only(): void {
		update_option( 'vvc_settings', array( 'a' => 1 ) );
		set_transient( 'vvc_probe', 'x', 60 );
		update_option( 'unrelated_option', 'keep' );

		( new Uninstaller() )->run();
		wp_cache_flush();
		$tables_left = $GLOBALS['wpdb']->get_col( $GLOBALS['wpdb']->prepare( 'SHOW TABLES LIKE %s', $GLOBALS['wpdb']->esc_like( $GLOBALS['wpdb']->prefix . 'vvc_' ) . '%' ) );
		// Dropping tables is DDL and ends the test's transaction: put them back for later tests.
		( new Schema() )->install();

		$this->assertFalse( get_option( 'vvc_settings' ) );
		$this->assertFalse( get_transient( 'vvc_probe' ) );
		$this->assertSame( 'keep', get_option( 'unrelated_option' ) );
		$this->assertSame( array(), $tables_left, 'the plugin tables are dropped' );
	}
}
