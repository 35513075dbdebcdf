<?php
/**
 * The spending ledger: reserve before a call, settle or release after, atomically.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Cost;

use VoiceVisionChat\Admin\Budget_Page;

use DateTimeImmutable;
use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * Keeps what the plugin has spent and has promised to spend, per period, in the database.
 *
 * Each limited line (the site today, the site this month, each of a visitor's keys today) is
 * a row of `{prefix}vvc_budget` with spent_micros and reserved_micros. reserve() adds the
 * call's worst case to every line with a conditional UPDATE (`... WHERE spent + reserved +
 * amount <= cap`), one row at a time in a fixed order, and checks that the row changed; if a
 * line has no room the lines already raised are lowered again and the call is refused. Each
 * UPDATE is atomic in InnoDB, so however many PHP workers race, no line ever holds more than
 * its cap; a refused racer may briefly hold room it gives back, which can only refuse
 * another call, never admit one too many. No transaction is needed (and none is opened, so
 * the ledger also works inside a caller's transaction).
 *
 * Reservations are rows of `{prefix}vvc_reservations` with an expiry: a request that dies
 * between reserve() and settle() leaves its reservation to be released by the next
 * reserve() (or the daily cron) once it expires. Claiming a reservation is itself a
 * conditional statement, so a reservation is released or settled exactly once.
 *
 * Crossing the soft limit (a share of the site's daily or monthly cap) sends one email per
 * period: the period row's soft_notified flag is set with a conditional UPDATE and only the
 * request that flips it sends the mail.
 *
 * @phpstan-type Reservation array{id: int, micros: int}
 * @phpstan-type Line array{key: string, scope: string, cap: int, keep: int}
 * @phpstan-type Gauge array{scope: string, period: string, spent: int, reserved: int, cap: int, soft: int}
 */
final class Budget_Ledger {

	/**
	 * Period rows, without the table prefix.
	 */
	public const TABLE = 'vvc_budget';

	/**
	 * Open reservations, without the table prefix.
	 */
	public const RESERVATIONS = 'vvc_reservations';

	/**
	 * Reservation states: held by a running request, or released by the expiry sweep.
	 */
	private const HELD    = 0;
	private const EXPIRED = 1;

	/**
	 * Seconds in a day.
	 */
	private const DAY = 86400;

	/**
	 * How long period rows are kept: site rows feed the dashboard, visitor rows only limits.
	 */
	private const KEEP_SITE_SECONDS    = 400 * self::DAY;
	private const KEEP_VISITOR_SECONDS = 2 * self::DAY;

	/**
	 * Most expired reservations released per sweep, so one request never does a day's work.
	 */
	private const SWEEP_BATCH = 100;

	/**
	 * The admin's limits.
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
	 * Stores the limits and the clock.
	 *
	 * @param Budget_Settings $settings Limits.
	 * @param callable|null   $clock    Returns the Unix time; time() when null.
	 */
	public function __construct( Budget_Settings $settings, ?callable $clock = null ) {
		$this->settings = $settings;
		$this->clock    = $clock ?? static fn (): int => time();
	}

	/**
	 * CREATE TABLE statements for dbDelta.
	 *
	 * @param string $prefix          Table prefix of the site.
	 * @param string $charset_collate $wpdb->get_charset_collate().
	 * @return list<string>
	 */
	public static function schema( string $prefix, string $charset_collate ): array {
		return array(
			"CREATE TABLE {$prefix}" . self::TABLE . " (
  period_key varchar(100) NOT NULL,
  spent_micros bigint(20) unsigned NOT NULL DEFAULT 0,
  reserved_micros bigint(20) unsigned NOT NULL DEFAULT 0,
  soft_notified tinyint(1) unsigned NOT NULL DEFAULT 0,
  expires_at bigint(20) unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY  (period_key),
  KEY expires_at (expires_at)
) $charset_collate;",
			"CREATE TABLE {$prefix}" . self::RESERVATIONS . " (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  amount_micros bigint(20) unsigned NOT NULL DEFAULT 0,
  period_keys varchar(1000) NOT NULL DEFAULT '',
  state tinyint(1) unsigned NOT NULL DEFAULT 0,
  expires_at bigint(20) unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY  (id),
  KEY state_expires (state,expires_at)
) $charset_collate;",
		);
	}

	/**
	 * Holds the worst-case cost of a call against every limit that applies, or refuses it.
	 *
	 * @param int                   $micros Worst-case cost (at least one micro-dollar is held).
	 * @param Visitor_Identity|null $who    The visitor, for their daily limit; null for site-only.
	 * @return Reservation|WP_Error vvc_budget_exhausted (503) when the site's limit is reached,
	 *                              vvc_rate_limited (429) when the visitor's is,
	 *                              vvc_budget_unavailable (503) when the ledger cannot be written.
	 */
	public function reserve( int $micros, ?Visitor_Identity $who = null ): array|WP_Error {
		global $wpdb;
		$micros = max( 1, $micros );
		$this->sweep_expired();

		$lines = $this->lines( $who );
		if ( ! $this->ensure_rows( $lines ) ) {
			return self::unavailable();
		}

		$inserted = $wpdb->insert( // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- the ledger is its own table; caching would defeat it.
			$wpdb->prefix . self::RESERVATIONS,
			array(
				'amount_micros' => $micros,
				'period_keys'   => implode( ',', array_column( $lines, 'key' ) ),
				'state'         => self::HELD,
				'expires_at'    => $this->now() + 60 * (int) $this->settings->get( 'reservation_ttl_minutes' ),
			),
			array( '%d', '%s', '%d', '%d' )
		);
		if ( 1 !== $inserted ) {
			return self::unavailable();
		}
		$id = (int) $wpdb->insert_id;

		$raised = array();
		foreach ( $lines as $line ) {
			$changed = $this->raise( $line, $micros );
			if ( 1 !== $changed ) {
				foreach ( $raised as $done ) {
					$this->lower( $done['key'], $micros, 0 );
				}
				$wpdb->delete( $wpdb->prefix . self::RESERVATIONS, array( 'id' => $id ), array( '%d' ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
				return null === $changed ? self::unavailable() : $this->refusal( $line );
			}
			$raised[] = $line;
		}
		return array(
			'id'     => $id,
			'micros' => $micros,
		);
	}

	/**
	 * Replaces a reservation with what the call really cost (from the provider's usage).
	 * If the reservation already expired, the cost is still charged to the same periods.
	 *
	 * @param int $reservation_id Id from reserve().
	 * @param int $actual_micros  Real cost.
	 */
	public function settle( int $reservation_id, int $actual_micros ): void {
		$reservation = $this->claim( $reservation_id );
		if ( null === $reservation ) {
			return;
		}
		$actual = max( 0, $actual_micros );
		foreach ( $reservation['keys'] as $key ) {
			$this->lower( $key, $reservation['held'], $actual );
		}
		$this->notify_soft_limits( $reservation['keys'] );
	}

	/**
	 * Gives a reservation back unspent (the call failed before the provider billed anything).
	 *
	 * @param int $reservation_id Id from reserve().
	 */
	public function release( int $reservation_id ): void {
		$reservation = $this->claim( $reservation_id );
		if ( null === $reservation ) {
			return;
		}
		foreach ( $reservation['keys'] as $key ) {
			$this->lower( $key, $reservation['held'], 0 );
		}
	}

	/**
	 * Releases reservations whose request never came back (crashed, killed, timed out).
	 *
	 * @return int How many were released.
	 */
	public function sweep_expired(): int {
		global $wpdb;
		$expired  = $wpdb->get_results( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare( "SELECT id, amount_micros, period_keys FROM {$wpdb->prefix}vvc_reservations WHERE state = %d AND expires_at < %d ORDER BY id LIMIT %d", self::HELD, $this->now(), self::SWEEP_BATCH ),
			'ARRAY_A'
		);
		$released = 0;
		foreach ( is_array( $expired ) ? $expired : array() as $row ) {
			// Only the process whose UPDATE flips the state gives the money back.
			$claimed = $wpdb->query( $wpdb->prepare( "UPDATE {$wpdb->prefix}vvc_reservations SET state = %d WHERE id = %d AND state = %d", self::EXPIRED, (int) $row['id'], self::HELD ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			if ( 1 !== $claimed ) {
				continue;
			}
			foreach ( self::split_keys( (string) $row['period_keys'] ) as $key ) {
				$this->lower( $key, (int) $row['amount_micros'], 0 );
			}
			++$released;
		}
		return $released;
	}

	/**
	 * The site's budget state, for routing: normal, soft (at or past the soft limit of the
	 * day or the month) or hard (nothing left).
	 */
	public function state(): string {
		$state = 'normal';
		foreach ( $this->gauges() as $gauge ) {
			$used = $gauge['spent'] + $gauge['reserved'];
			if ( $gauge['cap'] > 0 && $used >= $gauge['cap'] ) {
				return 'hard';
			}
			if ( $gauge['soft'] > 0 && $used >= $gauge['soft'] ) {
				$state = 'soft';
			}
		}
		return $state;
	}

	/**
	 * Spending against each limit now, for the dashboard's gauges and the router.
	 *
	 * @param Visitor_Identity|null $who Include this visitor's lines.
	 * @return list<Gauge>
	 */
	public function gauges( ?Visitor_Identity $who = null ): array {
		global $wpdb;
		$lines  = $this->lines( $who );
		$keys   = array_column( $lines, 'key' );
		$rows   = $wpdb->get_results( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare(
				"SELECT period_key, spent_micros, reserved_micros FROM {$wpdb->prefix}vvc_budget WHERE period_key IN (" . implode( ',', array_fill( 0, count( $keys ), '%s' ) ) . ')',
				$keys
			),
			'OBJECT_K'
		);
		$gauges = array();
		foreach ( $lines as $line ) {
			$row      = is_array( $rows ) ? ( $rows[ $line['key'] ] ?? null ) : null;
			$gauges[] = array(
				'scope'    => $line['scope'],
				'period'   => $line['key'],
				'spent'    => null === $row ? 0 : (int) $row->spent_micros,
				'reserved' => null === $row ? 0 : (int) $row->reserved_micros,
				'cap'      => $line['cap'],
				'soft'     => str_starts_with( $line['scope'], 'site_' ) ? $this->settings->soft_of( $line['cap'] ) : 0,
			);
		}
		return $gauges;
	}

	/**
	 * Deletes period rows past their keeping time and finished expired reservations.
	 *
	 * @return int Rows deleted.
	 */
	public function purge(): int {
		global $wpdb;
		$now     = $this->now();
		$deleted = (int) $wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->prefix}vvc_budget WHERE expires_at < %d LIMIT 10000", $now ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		// An expired reservation is kept a day so a late settle() still finds its periods.
		$deleted += (int) $wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->prefix}vvc_reservations WHERE state = %d AND expires_at < %d LIMIT 10000", self::EXPIRED, $now - self::DAY ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		return $deleted;
	}

	/**
	 * The limited lines for a request now: the site's day and month, then the visitor's keys.
	 *
	 * @param Visitor_Identity|null $who The visitor.
	 * @return list<Line>
	 */
	private function lines( ?Visitor_Identity $who ): array {
		$now   = $this->now();
		$day   = wp_date( 'Y-m-d', $now );
		$lines = array(
			array(
				'key'   => 'site:d:' . $day,
				'scope' => 'site_day',
				'cap'   => (int) $this->settings->get( 'site_day_micros' ),
				'keep'  => self::KEEP_SITE_SECONDS,
			),
			array(
				'key'   => 'site:m:' . wp_date( 'Y-m', $now ),
				'scope' => 'site_month',
				'cap'   => (int) $this->settings->get( 'site_month_micros' ),
				'keep'  => self::KEEP_SITE_SECONDS,
			),
		);
		if ( null !== $who ) {
			$cap  = $this->settings->visitor_day_micros( $who->roles() );
			$keys = $who->limit_keys();
			sort( $keys ); // A fixed order for every request.
			foreach ( $keys as $key ) {
				$lines[] = array(
					'key'   => 'vd:' . $key . ':' . $day,
					'scope' => 'visitor_day',
					'cap'   => $cap,
					'keep'  => self::KEEP_VISITOR_SECONDS,
				);
			}
		}
		return $lines;
	}

	/**
	 * Makes sure every line has its row (a no-op for rows that exist).
	 *
	 * @param array $lines Lines.
	 * @phpstan-param list<Line> $lines
	 */
	private function ensure_rows( array $lines ): bool {
		global $wpdb;
		$values = array();
		$args   = array();
		foreach ( $lines as $line ) {
			$values[] = '(%s, %d)';
			$args[]   = $line['key'];
			$args[]   = $this->now() + $line['keep'];
		}
		$result = $wpdb->query( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare(
				"INSERT INTO {$wpdb->prefix}vvc_budget (period_key, expires_at) VALUES " . implode( ', ', $values ) . ' ON DUPLICATE KEY UPDATE period_key = period_key', // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared, WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare -- $values is a list of '(%s, %d)' placeholders.
				$args
			)
		);
		return false !== $result;
	}

	/**
	 * Adds an amount to a line's reservations if it fits under the line's cap.
	 *
	 * @param array $line   The line.
	 * @param int   $micros Amount.
	 * @return int|null Rows changed (1 when it fit), null when the query failed.
	 * @phpstan-param Line $line
	 */
	private function raise( array $line, int $micros ): ?int {
		global $wpdb;
		if ( $line['cap'] <= 0 ) {
			$sql = $wpdb->prepare( "UPDATE {$wpdb->prefix}vvc_budget SET reserved_micros = reserved_micros + %d WHERE period_key = %s", $micros, $line['key'] );
		} else {
			$sql = $wpdb->prepare(
				"UPDATE {$wpdb->prefix}vvc_budget SET reserved_micros = reserved_micros + %d WHERE period_key = %s AND spent_micros + reserved_micros + %d <= %d",
				$micros,
				$line['key'],
				$micros,
				$line['cap']
			);
		}
		$changed = $wpdb->query( $sql ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.NotPrepared -- prepared just above.
		return false === $changed ? null : (int) $changed;
	}

	/**
	 * Takes a held amount off a line's reservations and adds what was spent.
	 *
	 * @param string $key    Period key.
	 * @param int    $held   Amount that was reserved (0 when nothing is held any more).
	 * @param int    $actual Amount spent.
	 */
	private function lower( string $key, int $held, int $actual ): void {
		global $wpdb;
		// Clamped at zero: reserved_micros is unsigned, and a reservation swept after a crash
		// mid-reserve may not have raised every line.
		$wpdb->query( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare(
				"UPDATE {$wpdb->prefix}vvc_budget SET reserved_micros = IF(reserved_micros > %d, reserved_micros - %d, 0), spent_micros = spent_micros + %d WHERE period_key = %s",
				$held,
				$held,
				$actual,
				$key
			)
		);
	}

	/**
	 * Takes a reservation out of the table exactly once.
	 *
	 * @param int $reservation_id Reservation id.
	 * @return array{keys: list<string>, held: int}|null The periods and what is still held
	 *                                                    there (0 when the sweep already
	 *                                                    released it); null when unknown or
	 *                                                    already settled.
	 */
	private function claim( int $reservation_id ): ?array {
		global $wpdb;
		$row = $wpdb->get_row( $wpdb->prepare( "SELECT amount_micros, period_keys, state FROM {$wpdb->prefix}vvc_reservations WHERE id = %d", $reservation_id ), 'ARRAY_A' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		if ( ! is_array( $row ) ) {
			return null;
		}
		$state   = (int) $row['state'];
		$deleted = $wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->prefix}vvc_reservations WHERE id = %d AND state = %d", $reservation_id, $state ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		if ( 1 !== $deleted ) {
			// Settled by someone else, or swept between the two statements: look again.
			return self::HELD === $state ? $this->claim( $reservation_id ) : null;
		}
		return array(
			'keys' => self::split_keys( (string) $row['period_keys'] ),
			'held' => self::HELD === $state ? (int) $row['amount_micros'] : 0,
		);
	}

	/**
	 * Sends the soft-limit email for each site period whose spending just crossed it.
	 *
	 * @param array $keys Period keys a settlement touched.
	 * @phpstan-param list<string> $keys
	 */
	private function notify_soft_limits( array $keys ): void {
		global $wpdb;
		foreach ( $keys as $key ) {
			if ( str_starts_with( $key, 'site:d:' ) ) {
				$cap = (int) $this->settings->get( 'site_day_micros' );
			} elseif ( str_starts_with( $key, 'site:m:' ) ) {
				$cap = (int) $this->settings->get( 'site_month_micros' );
			} else {
				continue;
			}
			$soft = $this->settings->soft_of( $cap );
			if ( $soft <= 0 ) {
				continue;
			}
			// The flag flips once per period row; the request that flips it sends the mail.
			$flipped = $wpdb->query( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
				$wpdb->prepare( "UPDATE {$wpdb->prefix}vvc_budget SET soft_notified = 1 WHERE period_key = %s AND soft_notified = 0 AND spent_micros >= %d", $key, $soft )
			);
			if ( 1 === $flipped ) {
				$this->send_soft_limit_email( $key, $cap );
			}
		}
	}

	/**
	 * Tells the admin the soft limit was crossed.
	 *
	 * @param string $key Period key (site:d:Y-m-d or site:m:Y-m).
	 * @param int    $cap The period's hard limit.
	 */
	private function send_soft_limit_email( string $key, int $cap ): void {
		global $wpdb;
		$spent   = (int) $wpdb->get_var( $wpdb->prepare( "SELECT spent_micros FROM {$wpdb->prefix}vvc_budget WHERE period_key = %s", $key ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$monthly = str_starts_with( $key, 'site:m:' );
		$site    = wp_specialchars_decode( (string) get_option( 'blogname' ), ENT_QUOTES );
		$percent = (int) $this->settings->get( 'soft_percent' );

		$subject = $monthly
			/* translators: 1: site name, 2: percentage of the limit. */
			? sprintf( __( '[%1$s] The AI chat has used %2$d%% of its monthly budget', 'voice-vision-chat' ), $site, $percent )
			/* translators: 1: site name, 2: percentage of the limit. */
			: sprintf( __( '[%1$s] The AI chat has used %2$d%% of its daily budget', 'voice-vision-chat' ), $site, $percent );
		$body = sprintf(
			/* translators: 1: amount spent in USD, 2: the limit in USD, 3: the period (a date or a month). */
			__( "The AI chat on your site has spent %1\$s of its %2\$s limit for %3\$s.\n\nFrom now on it answers with the economy model where it can. When the limit is reached it stops calling the AI provider until the period ends, and visitors see a friendly notice instead.\n\nYou can change the limits on the chat's budget screen:", 'voice-vision-chat' ),
			self::usd( $spent ),
			self::usd( $cap ),
			substr( $key, strlen( 'site:d:' ) )
		) . "\n" . Budget_Page::url() . "\n"; // Where the limits are edited.

		wp_mail( $this->settings->notify_email(), $subject, $body );
	}

	/**
	 * The error for a line without room.
	 *
	 * @param array $line The line that refused.
	 * @phpstan-param Line $line
	 */
	private function refusal( array $line ): WP_Error {
		$retry = $this->seconds_until_period_end( 'site_month' === $line['scope'] ? 'month' : 'day' );
		if ( 'visitor_day' === $line['scope'] ) {
			return new WP_Error(
				'vvc_rate_limited',
				__( 'You have asked a lot of questions today. Please come back tomorrow.', 'voice-vision-chat' ),
				array(
					'status'      => 429,
					'scope'       => $line['scope'],
					'retry_after' => $retry,
				)
			);
		}
		return new WP_Error(
			'vvc_budget_exhausted',
			'site_month' === $line['scope']
				? __( 'The chat is resting until next month. You can still browse and search the site.', 'voice-vision-chat' )
				: __( 'The chat is resting until tomorrow. You can still browse and search the site.', 'voice-vision-chat' ),
			array(
				'status'      => 503,
				'scope'       => $line['scope'],
				'retry_after' => $retry,
			)
		);
	}

	/**
	 * Seconds until the current day or month ends in the site's time zone.
	 *
	 * @param string $period day or month.
	 */
	private function seconds_until_period_end( string $period ): int {
		$now  = ( new DateTimeImmutable( '@' . $this->now() ) )->setTimezone( wp_timezone() );
		$next = 'month' === $period ? $now->modify( 'first day of next month' )->setTime( 0, 0 ) : $now->modify( 'tomorrow' );
		return max( 1, $next->getTimestamp() - $this->now() );
	}

	/**
	 * The error when the ledger's tables cannot be written: refuse rather than spend blind.
	 */
	private static function unavailable(): WP_Error {
		return new WP_Error(
			'vvc_budget_unavailable',
			__( 'The chat is unavailable right now. Please try again later.', 'voice-vision-chat' ),
			array( 'status' => 503 )
		);
	}

	/**
	 * Period keys from the stored list.
	 *
	 * @param string $keys Comma-separated keys.
	 * @return list<string>
	 */
	private static function split_keys( string $keys ): array {
		return array_values( array_filter( explode( ',', $keys ), static fn ( string $key ): bool => '' !== $key ) );
	}

	/**
	 * Micro-dollars as US dollars for people, e.g. $4.02.
	 *
	 * @param int $micros Amount.
	 */
	public static function usd( int $micros ): string {
		$decimals = $micros > 0 && $micros < 10000 ? 4 : 2;
		return '$' . number_format_i18n( $micros / 1000000, $decimals );
	}

	/**
	 * Now, from the clock.
	 */
	private function now(): int {
		return ( $this->clock )();
	}
}
