<?php
/**
 * Spending against each budget now, for the usage dashboard's gauges.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Cost;

defined( 'ABSPATH' ) || exit;

/**
 * Reads the ledger: the site's day and month lines (Budget_Ledger::gauges()) and, for the
 * per-visitor cap, today's anonymous visitor lines (`vd:v:<hash>:<day>` for a visitor's
 * token, `vd:ip:<hash>:<day>` for an address; see Budget_Ledger::lines()).
 *
 * The per-visitor gauge shows the line closest to the cap: that is the visitor (or the
 * shared address) about to be refused. Logged-in users' lines (`vd:u:...`) are left out,
 * because their caps come from their roles, not from the visitor cap.
 *
 * @phpstan-type Spend_Gauge array{
 *     scope: string,
 *     period: string,
 *     spent_micros: int,
 *     reserved_micros: int,
 *     cap_micros: int,
 *     soft_micros: int,
 *     state: string,
 *     visitors?: int,
 *     at_cap?: int
 * }
 */
final class Spend_Report {

	/**
	 * The ledger.
	 *
	 * @var Budget_Ledger
	 */
	private Budget_Ledger $ledger;

	/**
	 * The limits.
	 *
	 * @var Budget_Settings
	 */
	private Budget_Settings $settings;

	/**
	 * Returns the current Unix time.
	 *
	 * @var callable(): int
	 */
	private $clock;

	/**
	 * Stores collaborators.
	 *
	 * @param Budget_Ledger   $ledger   Ledger (built with the same clock).
	 * @param Budget_Settings $settings Limits.
	 * @param callable|null   $clock    Returns the Unix time; time() when null.
	 */
	public function __construct( Budget_Ledger $ledger, Budget_Settings $settings, ?callable $clock = null ) {
		$this->ledger   = $ledger;
		$this->settings = $settings;
		$this->clock    = $clock ?? static fn (): int => time();
	}

	/**
	 * The site's day, the site's month, and the per-visitor cap, in that order.
	 *
	 * @return list<Spend_Gauge>
	 */
	public function gauges(): array {
		$gauges = array();
		foreach ( $this->ledger->gauges() as $gauge ) {
			$gauges[] = array(
				'scope'           => $gauge['scope'],
				// The period key without its prefix: 2026-11-22 or 2026-11.
				'period'          => (string) preg_replace( '/^site:[dm]:/', '', $gauge['period'] ),
				'spent_micros'    => $gauge['spent'],
				'reserved_micros' => $gauge['reserved'],
				'cap_micros'      => $gauge['cap'],
				'soft_micros'     => $gauge['soft'],
				'state'           => self::state( $gauge['spent'] + $gauge['reserved'], $gauge['cap'], $gauge['soft'] ),
			);
		}
		$gauges[] = $this->visitor_gauge();
		return $gauges;
	}

	/**
	 * The highest anonymous visitor line today against the visitor cap.
	 *
	 * @return Spend_Gauge
	 */
	private function visitor_gauge(): array {
		global $wpdb;
		$day   = wp_date( 'Y-m-d', ( $this->clock )() );
		$cap   = (int) $this->settings->get( 'visitor_day_micros' );
		$like  = array( 'vd:v:%:' . $wpdb->esc_like( $day ), 'vd:ip:%:' . $wpdb->esc_like( $day ) );
		$count = $wpdb->get_row( // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- the ledger's own table; the dashboard needs it live.
			$wpdb->prepare(
				"SELECT COALESCE(SUM(period_key LIKE %s), 0) AS visitors, COALESCE(SUM(%d > 0 AND spent_micros + reserved_micros >= %d), 0) AS at_cap
				FROM {$wpdb->prefix}vvc_budget WHERE period_key LIKE %s OR period_key LIKE %s",
				'vd:v:%',
				$cap,
				$cap,
				$like[0],
				$like[1]
			),
			'ARRAY_A'
		);
		$top   = $wpdb->get_row( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare( "SELECT spent_micros, reserved_micros FROM {$wpdb->prefix}vvc_budget WHERE period_key LIKE %s OR period_key LIKE %s ORDER BY spent_micros + reserved_micros DESC LIMIT 1", $like[0], $like[1] ),
			'ARRAY_A'
		);
		$count = is_array( $count ) ? $count : array();
		$top   = is_array( $top ) ? $top : array();
		$spent = (int) ( $top['spent_micros'] ?? 0 );
		$held  = (int) ( $top['reserved_micros'] ?? 0 );
		return array(
			'scope'           => 'visitor_day',
			'period'          => (string) $day,
			'spent_micros'    => $spent,
			'reserved_micros' => $held,
			'cap_micros'      => $cap,
			'soft_micros'     => 0,
			'state'           => self::state( $spent + $held, $cap, 0 ),
			'visitors'        => (int) ( $count['visitors'] ?? 0 ),
			'at_cap'          => (int) ( $count['at_cap'] ?? 0 ),
		);
	}

	/**
	 * Normal, soft (past the soft limit) or hard (nothing left) for one line.
	 *
	 * @param int $used Spent plus reserved.
	 * @param int $cap  Hard limit, 0 for none.
	 * @param int $soft Soft limit, 0 for none.
	 */
	public static function state( int $used, int $cap, int $soft ): string {
		if ( $cap > 0 && $used >= $cap ) {
			return 'hard';
		}
		if ( $soft > 0 && $used >= $soft ) {
			return 'soft';
		}
		return 'normal';
	}
}
