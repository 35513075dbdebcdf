<?php
/**
 * The daily clean-up and its schedule.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Storage;

use VoiceVisionChat\Cost\Budget_Ledger;
use VoiceVisionChat\Cost\Budget_Settings;
use VoiceVisionChat\Cost\Rate_Limiter;
use VoiceVisionChat\Storage\Maintenance;
use VoiceVisionChat\Storage\Schema;
use VoiceVisionChat\Storage\Usage_Repository;
use VoiceVisionChat\Tests\Support\TestCase;

/**
 * Maintenance.
 */
final class MaintenanceTest extends TestCase {

	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		( new Schema() )->install();
	}

	protected function tearDown(): void {
		wp_clear_scheduled_hook( Maintenance::HOOK );
		parent::tearDown();
	}

	public function test_run_releases_expired_holds_and_purges_old_rows(): void {
		$now      = 1795348800;
		$settings = new Budget_Settings( array( 'usage_retention_days' => 30 ) );
		$clock    = static function () use ( &$now ): int {
			return $now;
		};
		$ledger   = new Budget_Ledger( $settings, $clock );
		$limiter  = new Rate_Limiter( $settings, $clock );
		$usage    = new Usage_Repository( $clock );

		$ledger->reserve( 100 );
		$ledger->reserve( 100 );
		$limiter->hit( 'test:maintenance', 60, 5 );
		$usage->insert( array( 'created_at' => gmdate( 'Y-m-d H:i:s', $now - 31 * 86400 ) ) );
		$usage->insert( array() );

		$now   += 2 * 3600;
		$report = ( new Maintenance( $ledger, $limiter, $usage, $settings ) )->run();

		$this->assertSame( 2, $report['released'] );
		$this->assertSame( 1, $report['rate_rows'] );
		$this->assertSame( 1, $report['usage_rows'] );
		$this->assertSame( 0, $report['budget_rows'], 'today\'s site periods are kept' );
		$this->assertSame( 0, $ledger->gauges()[0]['reserved'] );
	}

	public function test_schedule_is_daily_and_unschedule_removes_it(): void {
		$settings    = new Budget_Settings();
		$maintenance = new Maintenance( new Budget_Ledger( $settings ), new Rate_Limiter( $settings ), new Usage_Repository(), $settings );

		wp_clear_scheduled_hook( Maintenance::HOOK );
		$maintenance->schedule();
		$this->assertSame( 'daily', wp_get_schedule( Maintenance::HOOK ) );
		$first = wp_next_scheduled( Maintenance::HOOK );
		$maintenance->schedule();
		$this->assertSame( $first, wp_next_scheduled( Maintenance::HOOK ), 'scheduled once' );

		$maintenance->unschedule();
		$this->assertFalse( wp_next_scheduled( Maintenance::HOOK ) );
	}

	public function test_the_plugin_wires_the_cron_hook_and_the_schedule(): void {
		$this->assertNotFalse( has_action( Maintenance::HOOK ) );
		$this->assertNotFalse( has_action( 'deactivate_' . plugin_basename( VVC_PLUGIN_FILE ) ) );
	}
}
