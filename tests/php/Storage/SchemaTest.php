<?php
/**
 * The custom tables: created on activation, upgraded on a version change, dropped on uninstall.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Storage;

use PHPUnit\Framework\TestCase;
use VoiceVisionChat\Storage\Schema;
use VoiceVisionChat\Storage\Usage_Table;
use VoiceVisionChat\Uninstaller;

/**
 * Schema. DDL commits in MariaDB, so this class runs outside the transactional TestCase and
 * leaves the tables installed when it ends.
 */
final class SchemaTest extends TestCase {

	protected function setUp(): void {
		parent::setUp();
		global $wpdb;
		$wpdb->query( 'ROLLBACK' );
		$wpdb->query( 'SET autocommit = 1' );
	}

	protected function tearDown(): void {
		( new Schema() )->install();
		parent::tearDown();
	}

	/**
	 * Tables of this site that exist now.
	 *
	 * @return list<string>
	 */
	private static function existing(): array {
		global $wpdb;
		$found = array();
		foreach ( Schema::tables() as $table ) {
			if ( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $wpdb->prefix . $table ) ) ) ) {
				$found[] = $table;
			}
		}
		return $found;
	}

	public function test_the_plugin_is_activated_with_its_tables_and_schema_version(): void {
		global $wpdb;
		$this->assertSame( array( 'vvc_usage', 'vvc_budget', 'vvc_reservations', 'vvc_rate' ), self::existing() );
		$this->assertSame( Schema::VERSION, (int) get_option( Schema::OPTION ) );

		$columns = $wpdb->get_col( "DESCRIBE {$wpdb->prefix}vvc_usage" );
		$this->assertSame( array_merge( array( 'id' ), Usage_Table::columns() ), $columns );
		$this->assertSame( array( 'period_key', 'spent_micros', 'reserved_micros', 'soft_notified', 'expires_at' ), $wpdb->get_col( "DESCRIBE {$wpdb->prefix}vvc_budget" ) );
	}

	public function test_the_activation_and_upgrade_hooks_are_wired(): void {
		$this->assertNotFalse( has_action( 'activate_' . plugin_basename( VVC_PLUGIN_FILE ) ) );
		$this->assertNotFalse( has_action( 'plugins_loaded' ) );
		$found = false;
		foreach ( $GLOBALS['wp_filter']['plugins_loaded']->callbacks as $callbacks ) {
			foreach ( $callbacks as $callback ) {
				$found = $found || ( is_array( $callback['function'] ) && $callback['function'][0] instanceof Schema && 'maybe_upgrade' === $callback['function'][1] );
			}
		}
		$this->assertTrue( $found, 'Schema::maybe_upgrade runs on plugins_loaded' );
	}

	public function test_a_version_change_recreates_missing_tables(): void {
		global $wpdb;
		$wpdb->query( "DROP TABLE {$wpdb->prefix}vvc_rate" );
		( new Schema() )->maybe_upgrade();
		$this->assertNotContains( 'vvc_rate', self::existing(), 'same version: nothing is done on a normal request' );

		update_option( Schema::OPTION, 0 );
		( new Schema() )->maybe_upgrade();
		$this->assertContains( 'vvc_rate', self::existing() );
		$this->assertSame( Schema::VERSION, (int) get_option( Schema::OPTION ) );
	}

	public function test_a_column_added_to_the_schema_is_added_by_dbdelta_without_losing_rows(): void {
		global $wpdb;
		$wpdb->insert( $wpdb->prefix . 'vvc_usage', Usage_Table::normalize( array( 'model' => 'kept' ) ) );
		$wpdb->query( "ALTER TABLE {$wpdb->prefix}vvc_usage DROP COLUMN error_code" );

		( new Schema() )->install();
		$this->assertContains( 'error_code', $wpdb->get_col( "DESCRIBE {$wpdb->prefix}vvc_usage" ) );
		$this->assertSame( '1', $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}vvc_usage WHERE model = 'kept'" ) );
		$wpdb->query( "DELETE FROM {$wpdb->prefix}vvc_usage WHERE model = 'kept'" );
	}

	public function test_uninstall_drops_the_tables(): void {
		( new Uninstaller() )->run();
		$this->assertSame( array(), self::existing() );
		$this->assertFalse( get_option( Schema::OPTION ) );
	}
}
