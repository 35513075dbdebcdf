<?php
/**
 * Writes and reads the usage log.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Storage;

use Generator;

defined( 'ABSPATH' ) || exit;

/**
 * Inserts usage rows and answers the dashboard's questions about them.
 *
 * Times are stored in UTC; days for the chart are the site's days (the site's current UTC
 * offset is applied, so a day that changes daylight-saving time is off by an hour at most).
 *
 * @phpstan-import-type Usage_Row from Usage_Table
 * @phpstan-type Usage_Filters array{
 *     from?: int,
 *     to?: int,
 *     tier?: string,
 *     model?: string,
 *     route?: string,
 *     status?: string,
 *     cache_hit?: bool,
 *     visitor_hash?: string
 * }
 * @phpstan-type Day_Tier array{day: string, tier: string, requests: int, cost_micros: int, cache_hits: int, errors: int}
 * @phpstan-type Totals array{requests: int, cost_micros: int, cache_hits: int, errors: int, input_tokens: int, output_tokens: int}
 * @phpstan-type Model_Total array{model: string, requests: int, cost_micros: int}
 */
final class Usage_Repository {

	/**
	 * Seconds in a day.
	 */
	private const DAY = 86400;

	/**
	 * Rows fetched per query while exporting.
	 */
	private const EXPORT_BATCH = 1000;

	/**
	 * Rows deleted per statement while purging, so no statement locks the table for long.
	 */
	private const PURGE_BATCH = 5000;

	/**
	 * Returns the current Unix time.
	 *
	 * @var callable(): int
	 */
	private $clock;

	/**
	 * Stores the clock.
	 *
	 * @param callable|null $clock Returns the Unix time; time() when null.
	 */
	public function __construct( ?callable $clock = null ) {
		$this->clock = $clock ?? static fn (): int => time();
	}

	/**
	 * Adds a row.
	 *
	 * @param array<string, mixed> $values Partial row; see Usage_Table::normalize().
	 * @return int The new row's id, 0 on failure.
	 */
	public function insert( array $values ): int {
		global $wpdb;
		if ( ! isset( $values['created_at'] ) ) {
			$values['created_at'] = gmdate( 'Y-m-d H:i:s', ( $this->clock )() );
		}
		$row = Usage_Table::normalize( $values );
		$ok  = $wpdb->insert( Usage_Table::name(), $row, Usage_Table::formats() ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- the plugin's own log table.
		return 1 === $ok ? (int) $wpdb->insert_id : 0;
	}

	/**
	 * Requests, cost, cache hits and errors per site day and tier, oldest day first.
	 *
	 * @param int $from Unix time, inclusive.
	 * @param int $to   Unix time, exclusive.
	 * @return list<Day_Tier>
	 */
	public function daily_by_tier( int $from, int $to ): array {
		global $wpdb;
		$offset = wp_timezone()->getOffset( new \DateTimeImmutable( '@' . ( $this->clock )() ) );
		$rows   = $wpdb->get_results( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare(
				"SELECT DATE(DATE_ADD(created_at, INTERVAL %d SECOND)) AS day, tier, COUNT(*) AS requests, SUM(cost_micros) AS cost_micros, SUM(cache_hit) AS cache_hits, SUM(status_code >= 400) AS errors
				FROM {$wpdb->prefix}vvc_usage WHERE created_at >= %s AND created_at < %s GROUP BY day, tier ORDER BY day, tier",
				$offset,
				self::utc( $from ),
				self::utc( $to )
			),
			'ARRAY_A'
		);
		$out    = array();
		foreach ( is_array( $rows ) ? $rows : array() as $row ) {
			$out[] = array(
				'day'         => (string) $row['day'],
				'tier'        => (string) $row['tier'],
				'requests'    => (int) $row['requests'],
				'cost_micros' => (int) $row['cost_micros'],
				'cache_hits'  => (int) $row['cache_hits'],
				'errors'      => (int) $row['errors'],
			);
		}
		return $out;
	}

	/**
	 * Sums over a time range.
	 *
	 * @param int $from Unix time, inclusive.
	 * @param int $to   Unix time, exclusive.
	 * @return Totals
	 */
	public function totals( int $from, int $to ): array {
		global $wpdb;
		$row = $wpdb->get_row( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare(
				"SELECT COUNT(*) AS requests, COALESCE(SUM(cost_micros), 0) AS cost_micros, COALESCE(SUM(cache_hit), 0) AS cache_hits, COALESCE(SUM(status_code >= 400), 0) AS errors,
				COALESCE(SUM(text_in_tokens + cached_in_tokens + audio_in_tokens), 0) AS input_tokens, COALESCE(SUM(text_out_tokens + audio_out_tokens), 0) AS output_tokens
				FROM {$wpdb->prefix}vvc_usage WHERE created_at >= %s AND created_at < %s",
				self::utc( $from ),
				self::utc( $to )
			),
			'ARRAY_A'
		);
		$row = is_array( $row ) ? $row : array();
		return array(
			'requests'      => (int) ( $row['requests'] ?? 0 ),
			'cost_micros'   => (int) ( $row['cost_micros'] ?? 0 ),
			'cache_hits'    => (int) ( $row['cache_hits'] ?? 0 ),
			'errors'        => (int) ( $row['errors'] ?? 0 ),
			'input_tokens'  => (int) ( $row['input_tokens'] ?? 0 ),
			'output_tokens' => (int) ( $row['output_tokens'] ?? 0 ),
		);
	}

	/**
	 * The models that cost the most over a time range.
	 *
	 * @param int $from  Unix time, inclusive.
	 * @param int $to    Unix time, exclusive.
	 * @param int $limit How many.
	 * @return list<Model_Total>
	 */
	public function top_models( int $from, int $to, int $limit = 5 ): array {
		global $wpdb;
		$rows = $wpdb->get_results( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare(
				"SELECT model, COUNT(*) AS requests, SUM(cost_micros) AS cost_micros FROM {$wpdb->prefix}vvc_usage WHERE created_at >= %s AND created_at < %s AND model <> '' GROUP BY model ORDER BY cost_micros DESC, requests DESC, model LIMIT %d",
				self::utc( $from ),
				self::utc( $to ),
				max( 1, $limit )
			),
			'ARRAY_A'
		);
		$out  = array();
		foreach ( is_array( $rows ) ? $rows : array() as $row ) {
			$out[] = array(
				'model'       => (string) $row['model'],
				'requests'    => (int) $row['requests'],
				'cost_micros' => (int) $row['cost_micros'],
			);
		}
		return $out;
	}

	/**
	 * The latest rows that ended in an error (HTTP status 400 or more), newest first.
	 *
	 * @param int $limit How many.
	 * @return list<array<string, int|string>>
	 */
	public function recent_errors( int $limit = 20 ): array {
		return $this->query( array( 'status' => 'error' ), 1, $limit )['rows'];
	}

	/**
	 * One page of rows matching the filters, newest first, and how many match in all.
	 *
	 * @param array $filters  Filters; all optional.
	 * @param int   $page     Page, from 1.
	 * @param int   $per_page Rows per page (1..500).
	 * @return array{rows: list<array<string, int|string>>, total: int}
	 * @phpstan-param Usage_Filters $filters
	 */
	public function query( array $filters, int $page = 1, int $per_page = 50 ): array {
		global $wpdb;
		$per_page             = max( 1, min( 500, $per_page ) );
		$offset               = ( max( 1, $page ) - 1 ) * $per_page;
		list( $where, $args ) = $this->where( $filters );

		$total = (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->prefix}vvc_usage WHERE $where", $args ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared, WordPress.DB.PreparedSQLPlaceholders -- $where holds placeholders only.
		$rows  = $wpdb->get_results( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare( "SELECT * FROM {$wpdb->prefix}vvc_usage WHERE $where ORDER BY id DESC LIMIT %d OFFSET %d", array_merge( $args, array( $per_page, $offset ) ) ), // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared, WordPress.DB.PreparedSQLPlaceholders -- $where holds placeholders only.
			'ARRAY_A'
		);
		return array(
			'rows'  => array_map( array( self::class, 'typed' ), is_array( $rows ) ? array_values( $rows ) : array() ),
			'total' => $total,
		);
	}

	/**
	 * The rows matching the filters as CSV records, a header first, newest row first. Read in
	 * batches, so an export of a large log does not hold it all in memory.
	 *
	 * Text cells that a spreadsheet would run as a formula (starting with = + - @ or a tab)
	 * get a leading apostrophe.
	 *
	 * @param array $filters Filters; all optional.
	 * @return Generator<int, list<string>>
	 * @phpstan-param Usage_Filters $filters
	 */
	public function csv_rows( array $filters ): Generator {
		global $wpdb;
		$columns = array_merge( array( 'id' ), Usage_Table::columns() );
		yield $columns;

		list( $where, $args ) = $this->where( $filters );
		$before               = PHP_INT_MAX;
		do {
			$rows = $wpdb->get_results( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
				$wpdb->prepare( "SELECT * FROM {$wpdb->prefix}vvc_usage WHERE $where AND id < %d ORDER BY id DESC LIMIT %d", array_merge( $args, array( $before, self::EXPORT_BATCH ) ) ), // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared, WordPress.DB.PreparedSQLPlaceholders -- $where holds placeholders only.
				'ARRAY_A'
			);
			$rows = is_array( $rows ) ? $rows : array();
			foreach ( $rows as $row ) {
				$record = array();
				foreach ( $columns as $column ) {
					$record[] = self::csv_cell( (string) ( $row[ $column ] ?? '' ) );
				}
				$before = (int) $row['id'];
				yield $record;
			}
			$fetched = count( $rows );
		} while ( self::EXPORT_BATCH === $fetched );
	}

	/**
	 * Deletes rows older than the retention period.
	 *
	 * @param int $days Days to keep.
	 * @return int Rows deleted.
	 */
	public function purge_older_than( int $days ): int {
		global $wpdb;
		$cutoff  = self::utc( ( $this->clock )() - max( 1, $days ) * self::DAY );
		$deleted = 0;
		do {
			$batch    = (int) $wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->prefix}vvc_usage WHERE created_at < %s ORDER BY id LIMIT %d", $cutoff, self::PURGE_BATCH ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$deleted += $batch;
		} while ( self::PURGE_BATCH === $batch );
		return $deleted;
	}

	/**
	 * A WHERE clause of placeholders and its arguments.
	 *
	 * @param array $filters Filters.
	 * @return array{0: string, 1: list<int|string>}
	 * @phpstan-param Usage_Filters $filters
	 */
	private function where( array $filters ): array {
		// Always one placeholder, so the query is prepared even without filters.
		$clauses = array( 'id > %d' );
		$args    = array( 0 );
		if ( isset( $filters['from'] ) ) {
			$clauses[] = 'created_at >= %s';
			$args[]    = self::utc( $filters['from'] );
		}
		if ( isset( $filters['to'] ) ) {
			$clauses[] = 'created_at < %s';
			$args[]    = self::utc( $filters['to'] );
		}
		foreach ( array( 'tier', 'model', 'route', 'visitor_hash' ) as $column ) {
			if ( isset( $filters[ $column ] ) && '' !== $filters[ $column ] ) {
				$clauses[] = "$column = %s";
				$args[]    = $filters[ $column ];
			}
		}
		if ( isset( $filters['status'] ) && 'error' === $filters['status'] ) {
			$clauses[] = 'status_code >= 400';
		} elseif ( isset( $filters['status'] ) && 'ok' === $filters['status'] ) {
			$clauses[] = 'status_code < 400';
		}
		if ( isset( $filters['cache_hit'] ) ) {
			$clauses[] = 'cache_hit = %d';
			$args[]    = $filters['cache_hit'] ? 1 : 0;
		}
		return array( implode( ' AND ', $clauses ), $args );
	}

	/**
	 * A database row with its numbers as integers.
	 *
	 * @param array<string, mixed> $row Row from wpdb (strings).
	 * @return array<string, int|string>
	 */
	private static function typed( array $row ): array {
		$typed = array( 'id' => (int) ( $row['id'] ?? 0 ) );
		foreach ( Usage_Table::columns() as $column ) {
			$value            = $row[ $column ] ?? '';
			$typed[ $column ] = Usage_Table::is_numeric( $column ) ? (int) $value : (string) $value;
		}
		return $typed;
	}

	/**
	 * A CSV cell that a spreadsheet will show as text, never run as a formula.
	 *
	 * @param string $value Cell value.
	 */
	private static function csv_cell( string $value ): string {
		return '' !== $value && str_contains( "=+-@\t\r", $value[0] ) ? "'" . $value : $value;
	}

	/**
	 * A Unix time as a UTC DATETIME string.
	 *
	 * @param int $time Unix time.
	 */
	private static function utc( int $time ): string {
		return gmdate( 'Y-m-d H:i:s', $time );
	}
}
