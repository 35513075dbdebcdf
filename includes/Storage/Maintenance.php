<?php
/**
 * The daily clean-up: expired reservations, old counters, old budget periods, old usage rows.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Storage;

use VoiceVisionChat\Cost\Budget_Ledger;
use VoiceVisionChat\Cost\Budget_Settings;
use VoiceVisionChat\Cost\Rate_Limiter;

defined( 'ABSPATH' ) || exit;

/**
 * Runs once a day on WP-Cron.
 *
 * @phpstan-type Maintenance_Report array{released: int, budget_rows: int, rate_rows: int, usage_rows: int}
 */
final class Maintenance {

	/**
	 * Cron hook name.
	 */
	public const HOOK = 'vvc_daily_maintenance';

	/**
	 * The ledger (expired reservations, old periods).
	 *
	 * @var Budget_Ledger
	 */
	private Budget_Ledger $ledger;

	/**
	 * The rate counters.
	 *
	 * @var Rate_Limiter
	 */
	private Rate_Limiter $limiter;

	/**
	 * The usage log.
	 *
	 * @var Usage_Repository
	 */
	private Usage_Repository $usage;

	/**
	 * Retention period.
	 *
	 * @var Budget_Settings
	 */
	private Budget_Settings $settings;

	/**
	 * Stores the collaborators.
	 *
	 * @param Budget_Ledger    $ledger   Ledger.
	 * @param Rate_Limiter     $limiter  Rate counters.
	 * @param Usage_Repository $usage    Usage log.
	 * @param Budget_Settings  $settings Retention period.
	 */
	public function __construct( Budget_Ledger $ledger, Rate_Limiter $limiter, Usage_Repository $usage, Budget_Settings $settings ) {
		$this->ledger   = $ledger;
		$this->limiter  = $limiter;
		$this->usage    = $usage;
		$this->settings = $settings;
	}

	/**
	 * Schedules the daily run if it is not scheduled (cheap: the cron array is autoloaded).
	 */
	public function schedule(): void {
		if ( ! wp_next_scheduled( self::HOOK ) ) {
			wp_schedule_event( time() + 3600, 'daily', self::HOOK );
		}
	}

	/**
	 * Removes the schedule (deactivation).
	 */
	public function unschedule(): void {
		wp_clear_scheduled_hook( self::HOOK );
	}

	/**
	 * Does the clean-up.
	 *
	 * @return Maintenance_Report What was removed.
	 */
	public function run(): array {
		$released = 0;
		do {
			$batch     = $this->ledger->sweep_expired();
			$released += $batch;
		} while ( $batch > 0 );
		return array(
			'released'    => $released,
			'budget_rows' => $this->ledger->purge(),
			'rate_rows'   => $this->limiter->purge(),
			'usage_rows'  => $this->usage->purge_older_than( (int) $this->settings->get( 'usage_retention_days' ) ),
		);
	}
}
