<?php
/**
 * The usage log: rows, the dashboard's aggregates, filters, CSV export and retention.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Storage;

use VoiceVisionChat\Storage\Schema;
use VoiceVisionChat\Storage\Usage_Repository;
use VoiceVisionChat\Storage\Usage_Table;
use VoiceVisionChat\Tests\Support\TestCase;

/**
 * Usage_Repository and Usage_Table against the real table (rolled back after each test).
 */
final class UsageRepositoryTest extends TestCase {

	/**
	 * 2026-11-22 12:00 UTC.
	 */
	private const NOON = 1795348800;

	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		( new Schema() )->install();
	}

	private static function repository( int $now = self::NOON ): Usage_Repository {
		return new Usage_Repository( static fn (): int => $now );
	}

	private static function at( int $time ): string {
		return gmdate( 'Y-m-d H:i:s', $time );
	}

	public function test_normalize_makes_a_complete_safe_row(): void {
		$row = Usage_Table::normalize(
			array(
				'model'           => str_repeat( 'm', 300 ),
				'text_in_tokens'  => '120',
				'cost_micros'     => -5,
				'cache_hit'       => 7,
				'status_code'     => 5000,
				'latency_ms'      => 99999999999,
				'audio_ms'        => array( 'nope' ),
				'not_a_column'    => 'dropped',
				'created_at'      => 'yesterday',
			)
		);
		$this->assertSame( Usage_Table::columns(), array_keys( $row ) );
		$this->assertSame( 100, strlen( $row['model'] ) );
		$this->assertSame( 120, $row['text_in_tokens'] );
		$this->assertSame( 0, $row['cost_micros'] );
		$this->assertSame( 1, $row['cache_hit'] );
		$this->assertSame( 999, $row['status_code'] );
		$this->assertSame( 4294967295, $row['latency_ms'] );
		$this->assertSame( 0, $row['audio_ms'] );
		$this->assertSame( 1, $row['cost_known'], 'default' );
		$this->assertMatchesRegularExpression( '/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/', $row['created_at'] );
	}

	public function test_insert_and_read_back_with_types(): void {
		$repo = self::repository();
		$id   = $repo->insert(
			array(
				'visitor_hash'    => str_repeat( 'a', 32 ),
				'route'           => 'chat',
				'tier'            => 'economy',
				'model'           => 'gpt-5.4-nano',
				'route_reasons'   => 'simple,comparison',
				'text_in_tokens'  => 40,
				'text_out_tokens' => 12,
				'cost_micros'     => 7,
				'latency_ms'      => 830,
			)
		);
		$this->assertGreaterThan( 0, $id );

		$page = $repo->query( array() );
		$this->assertSame( 1, $page['total'] );
		$row = $page['rows'][0];
		$this->assertSame( $id, $row['id'] );
		$this->assertSame( self::at( self::NOON ), $row['created_at'], 'the clock decides the time' );
		$this->assertSame( 'gpt-5.4-nano', $row['model'] );
		$this->assertSame( 7, $row['cost_micros'] );
		$this->assertSame( 200, $row['status_code'] );
		$this->assertSame( 'simple,comparison', $row['route_reasons'] );
	}

	public function test_daily_cost_by_tier_and_totals(): void {
		$repo = self::repository();
		$day1 = self::NOON - 86400;
		foreach ( array(
			array( $day1, 'economy', 10, 0, 200 ),
			array( $day1 + 60, 'economy', 15, 1, 200 ),
			array( $day1 + 120, 'vision', 900, 0, 200 ),
			array( self::NOON, 'economy', 5, 0, 502 ),
			array( self::NOON + 60, 'standard', 300, 0, 200 ),
			array( self::NOON - 10 * 86400, 'standard', 99999, 0, 200 ),
		) as list( $time, $tier, $cost, $hit, $status ) ) {
			$repo->insert( array( 'created_at' => self::at( $time ), 'tier' => $tier, 'model' => "m-$tier", 'cost_micros' => $cost, 'cache_hit' => $hit, 'status_code' => $status, 'text_in_tokens' => 10, 'text_out_tokens' => 5 ) );
		}

		$from  = self::NOON - 2 * 86400;
		$to    = self::NOON + 86400;
		$daily = $repo->daily_by_tier( $from, $to );
		$this->assertSame(
			array(
				array( 'day' => '2026-11-21', 'tier' => 'economy', 'requests' => 2, 'cost_micros' => 25, 'cache_hits' => 1, 'errors' => 0 ),
				array( 'day' => '2026-11-21', 'tier' => 'vision', 'requests' => 1, 'cost_micros' => 900, 'cache_hits' => 0, 'errors' => 0 ),
				array( 'day' => '2026-11-22', 'tier' => 'economy', 'requests' => 1, 'cost_micros' => 5, 'cache_hits' => 0, 'errors' => 1 ),
				array( 'day' => '2026-11-22', 'tier' => 'standard', 'requests' => 1, 'cost_micros' => 300, 'cache_hits' => 0, 'errors' => 0 ),
			),
			$daily
		);
		$this->assertSame( array( 'requests' => 5, 'cost_micros' => 1230, 'cache_hits' => 1, 'errors' => 1, 'input_tokens' => 50, 'output_tokens' => 25 ), $repo->totals( $from, $to ) );
		$this->assertSame( array( 'model' => 'm-vision', 'requests' => 1, 'cost_micros' => 900 ), $repo->top_models( $from, $to, 2 )[0] );
		$this->assertCount( 2, $repo->top_models( $from, $to, 2 ) );
	}

	public function test_days_follow_the_sites_time_zone(): void {
		update_option( 'gmt_offset', -5 );
		update_option( 'timezone_string', '' );
		$repo = self::repository();
		// 03:00 UTC on the 22nd is 22:00 on the 21st in UTC-5.
		$repo->insert( array( 'created_at' => '2026-11-22 03:00:00', 'tier' => 'economy' ) );
		$this->assertSame( '2026-11-21', $repo->daily_by_tier( self::NOON - 86400, self::NOON )[0]['day'] ?? '' );
	}

	public function test_recent_errors_and_filters(): void {
		$repo = self::repository();
		$repo->insert( array( 'status_code' => 200, 'tier' => 'economy', 'route' => 'chat' ) );
		$repo->insert( array( 'status_code' => 429, 'tier' => 'economy', 'route' => 'chat', 'error_code' => 'vvc_rate_limited' ) );
		$repo->insert( array( 'status_code' => 502, 'tier' => 'vision', 'route' => 'chat_stream', 'error_code' => 'vvc_upstream_error', 'visitor_hash' => str_repeat( 'b', 32 ) ) );
		$repo->insert( array( 'status_code' => 200, 'tier' => 'vision', 'route' => 'chat', 'cache_hit' => 1 ) );

		$errors = $repo->recent_errors( 10 );
		$this->assertSame( array( 'vvc_upstream_error', 'vvc_rate_limited' ), array_column( $errors, 'error_code' ), 'newest first' );

		$this->assertSame( 2, $repo->query( array( 'tier' => 'vision' ) )['total'] );
		$this->assertSame( 1, $repo->query( array( 'tier' => 'vision', 'status' => 'ok' ) )['total'] );
		$this->assertSame( 1, $repo->query( array( 'route' => 'chat_stream' ) )['total'] );
		$this->assertSame( 1, $repo->query( array( 'cache_hit' => true ) )['total'] );
		$this->assertSame( 1, $repo->query( array( 'visitor_hash' => str_repeat( 'b', 32 ) ) )['total'] );
		$this->assertSame( 0, $repo->query( array( 'model' => "x' OR '1'='1" ) )['total'], 'filters are values, not SQL' );
		$this->assertSame( 0, $repo->query( array( 'from' => self::NOON + 1 ) )['total'] );
		$this->assertSame( 4, $repo->query( array( 'from' => self::NOON, 'to' => self::NOON + 1 ) )['total'] );

		$page2 = $repo->query( array(), 2, 3 );
		$this->assertSame( 4, $page2['total'] );
		$this->assertCount( 1, $page2['rows'] );
		$this->assertSame( 200, $page2['rows'][0]['status_code'], 'the oldest row is alone on page 2' );
	}

	public function test_csv_export_has_a_header_every_row_and_no_formulas(): void {
		$repo = self::repository();
		for ( $i = 0; $i < 1003; $i++ ) {
			$repo->insert( array( 'tier' => 'economy', 'cost_micros' => $i ) );
		}
		$repo->insert( array( 'tier' => 'standard', 'model' => '=HYPERLINK("http://evil")', 'error_code' => '@SUM(1)' ) );

		$records = iterator_to_array( $repo->csv_rows( array() ), false );
		$this->assertSame( array_merge( array( 'id' ), Usage_Table::columns() ), $records[0] );
		$this->assertCount( 1 + 1004, $records, 'all rows across export batches' );
		$model_column = array_search( 'model', $records[0], true );
		$error_column = array_search( 'error_code', $records[0], true );
		$this->assertSame( '\'=HYPERLINK("http://evil")', $records[1][ $model_column ] );
		$this->assertSame( "'@SUM(1)", $records[1][ $error_column ] );
		$ids = array_map( 'intval', array_column( array_slice( $records, 1 ), 0 ) );
		$this->assertSame( $ids, array_values( array_unique( $ids ) ), 'no row twice' );

		$filtered = iterator_to_array( $repo->csv_rows( array( 'tier' => 'standard' ) ), false );
		$this->assertCount( 2, $filtered );
	}

	public function test_retention_purge_deletes_only_old_rows(): void {
		$repo = self::repository();
		$repo->insert( array( 'created_at' => self::at( self::NOON - 91 * 86400 ) ) );
		$repo->insert( array( 'created_at' => self::at( self::NOON - 89 * 86400 ) ) );
		$repo->insert( array() );

		$this->assertSame( 1, $repo->purge_older_than( 90 ) );
		$this->assertSame( 2, $repo->query( array() )['total'] );
	}
}
