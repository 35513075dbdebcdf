<?php
/**
 * GET /voice-vision-chat/v1/admin/usage/summary, /log and /export through the real REST server.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Rest;

use VoiceVisionChat\Cost\Budget_Settings;
use VoiceVisionChat\Rest\Admin_Usage_Controller;
use VoiceVisionChat\Rest\Csv_Response;
use VoiceVisionChat\Storage\Schema;
use VoiceVisionChat\Storage\Usage_Repository;
use VoiceVisionChat\Support\Error_Log;
use VoiceVisionChat\Tests\Support\TestCase;
use WP_REST_Request;
use WP_REST_Response;

/**
 * Permissions, the summary's days and sums, the log's filters and paging, the CSV download.
 *
 * Rows are dated in March 2020 so nothing another test leaves for today can mix in.
 */
final class AdminUsageControllerTest extends TestCase {

	private const BASE = '/voice-vision-chat/v1/admin/usage';

	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		// Before any transaction: DDL commits. Another test class may have dropped the tables.
		( new Schema() )->install();
	}

	protected function tearDown(): void {
		remove_all_filters( 'vvc_limit_keys' );
		parent::tearDown();
	}

	/**
	 * Sends a GET with query parameters.
	 *
	 * @param string               $route  Route under /admin/usage.
	 * @param array<string, mixed> $params Query parameters.
	 */
	private function get( string $route, array $params = array() ): WP_REST_Response {
		$request = new WP_REST_Request( 'GET', self::BASE . $route );
		$request->set_query_params( $params );
		return rest_do_request( $request );
	}

	/**
	 * Adds a usage row.
	 *
	 * @param string               $time   UTC time, Y-m-d H:i:s.
	 * @param array<string, mixed> $values Other columns.
	 */
	private static function row( string $time, array $values = array() ): int {
		return ( new Usage_Repository() )->insert( array( 'created_at' => $time ) + $values );
	}

	/**
	 * The summary's entry for a day.
	 *
	 * @param array<string, mixed> $summary Summary body.
	 * @param string               $day     Y-m-d.
	 * @return array<string, mixed>
	 */
	private static function day( array $summary, string $day ): array {
		foreach ( $summary['daily'] as $entry ) {
			if ( $entry['day'] === $day ) {
				return $entry;
			}
		}
		return array();
	}

	/**
	 * Runs the CSV download as the REST server would serve it, and parses the body.
	 *
	 * @param array<string, mixed> $params Query parameters.
	 * @return array{0: WP_REST_Response, 1: list<list<string|null>>}
	 */
	private function download( array $params = array() ): array {
		$request = new WP_REST_Request( 'GET', self::BASE . '/export' );
		$request->set_query_params( $params );
		$response = rest_do_request( $request );
		ob_start();
		$served = apply_filters( 'rest_pre_serve_request', false, $response, $request, rest_get_server() );
		$body   = (string) ob_get_clean();
		$this->assertTrue( $served, 'the plugin served the CSV itself' );
		$records = array();
		$stream  = fopen( 'php://memory', 'r+' );
		fwrite( $stream, $body );
		rewind( $stream );
		while ( false !== ( $record = fgetcsv( $stream, null, ',', '"', '' ) ) ) {
			$records[] = $record;
		}
		fclose( $stream );
		return array( $response, $records );
	}

	public function test_the_plugin_registers_the_three_routes(): void {
		$routes = rest_get_server()->get_routes();
		foreach ( array( '/summary', '/log', '/export' ) as $route ) {
			$this->assertArrayHasKey( self::BASE . $route, $routes );
			$this->assertInstanceOf( Admin_Usage_Controller::class, $routes[ self::BASE . $route ][0]['callback'][0] );
		}
	}

	public function test_only_administrators_may_read_usage(): void {
		foreach ( array( '/summary', '/log', '/export' ) as $route ) {
			$response = $this->get( $route );
			$this->assertSame( 401, $response->get_status(), $route );
			$this->assertSame( 'vvc_forbidden', $response->get_data()['code'] );
		}
		$this->log_in_as( 'editor' );
		foreach ( array( '/summary', '/log', '/export' ) as $route ) {
			$this->assertSame( 403, $this->get( $route )->get_status(), $route );
		}
	}

	public function test_summary_sums_cost_per_day_and_tier_and_fills_empty_days(): void {
		$this->log_in_as( 'administrator' );
		self::row( '2020-03-02 10:00:00', array( 'tier' => 'economy', 'model' => 'gpt-5-nano', 'cost_micros' => 120, 'text_in_tokens' => 30, 'text_out_tokens' => 10 ) );
		self::row( '2020-03-02 11:00:00', array( 'tier' => 'economy', 'model' => 'gpt-5-nano', 'cost_micros' => 80, 'cache_hit' => 1 ) );
		self::row( '2020-03-02 12:00:00', array( 'tier' => 'vision', 'model' => 'gpt-4o', 'cost_micros' => 5000 ) );
		self::row( '2020-03-04 09:00:00', array( 'tier' => '', 'route' => 'faq', 'cache_hit' => 1 ) );
		self::row( '2020-03-04 09:30:00', array( 'tier' => 'standard', 'model' => 'gpt-5-mini', 'cost_micros' => 700, 'status_code' => 502, 'error_code' => 'vvc_upstream_error' ) );
		self::row( '2020-03-06 09:30:00', array( 'tier' => 'standard', 'model' => 'gpt-5-mini', 'cost_micros' => 999999 ) );

		$response = $this->get(
			'/summary',
			array(
				'from' => '2020-03-01',
				'to'   => '2020-03-05',
			)
		);

		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertSame( 'no-store', $response->get_headers()['Cache-Control'] );
		$summary = $response->get_data();
		$this->assertSame( '2020-03-01', $summary['range']['from'] );
		$this->assertSame( '2020-03-05', $summary['range']['to'] );
		$this->assertSame( 5, $summary['range']['days'] );
		$this->assertSame( array( '2020-03-01', '2020-03-02', '2020-03-03', '2020-03-04', '2020-03-05' ), array_column( $summary['daily'], 'day' ), 'every day, empty ones too' );

		$march2 = self::day( $summary, '2020-03-02' );
		$this->assertSame( 3, $march2['requests'] );
		$this->assertSame( 5200, $march2['cost_micros'] );
		$this->assertSame( 1, $march2['cache_hits'] );
		$this->assertEquals(
			(object) array(
				'economy' => 200,
				'vision'  => 5000,
			),
			$march2['cost_by_tier']
		);
		$this->assertEquals( (object) array(), self::day( $summary, '2020-03-03' )['cost_by_tier'], 'an object even when empty' );
		$march4 = self::day( $summary, '2020-03-04' );
		$this->assertSame( 1, $march4['errors'] );
		$this->assertEquals(
			(object) array(
				'standard' => 700,
				'other'    => 0,
			),
			$march4['cost_by_tier'],
			'a row without a tier is "other"'
		);

		$this->assertSame( array( 'economy', 'standard', 'vision', 'other' ), $summary['tiers'], 'tiers in their usual order' );
		$this->assertSame( 5, $summary['totals']['requests'] );
		$this->assertSame( 5900, $summary['totals']['cost_micros'] );
		$this->assertSame( 2, $summary['totals']['cache_hits'] );
		$this->assertSame( 1, $summary['totals']['errors'] );
		$this->assertSame( 30, $summary['totals']['input_tokens'] );
		$this->assertSame(
			array(
				array(
					'model'       => 'gpt-4o',
					'requests'    => 1,
					'cost_micros' => 5000,
				),
				array(
					'model'       => 'gpt-5-mini',
					'requests'    => 1,
					'cost_micros' => 700,
				),
				array(
					'model'       => 'gpt-5-nano',
					'requests'    => 2,
					'cost_micros' => 200,
				),
			),
			$summary['top_models']
		);
	}

	public function test_summary_days_are_the_sites_days(): void {
		$this->log_in_as( 'administrator' );
		update_option( 'timezone_string', '' );
		update_option( 'gmt_offset', 3 );
		// 22:30 UTC on the 2nd is 01:30 on the 3rd at UTC+3.
		self::row( '2020-03-02 22:30:00', array( 'tier' => 'economy', 'cost_micros' => 42 ) );

		$summary = $this->get(
			'/summary',
			array(
				'from' => '2020-03-02',
				'to'   => '2020-03-03',
			)
		)->get_data();

		$this->assertSame( 0, self::day( $summary, '2020-03-02' )['cost_micros'] );
		$this->assertSame( 42, self::day( $summary, '2020-03-03' )['cost_micros'] );
		$this->assertSame( '+03:00', $summary['range']['timezone'] );
	}

	public function test_summary_defaults_to_the_last_30_days_and_reports_budgets_and_errors(): void {
		$this->log_in_as( 'administrator' );
		update_option(
			Budget_Settings::OPTION,
			array(
				'site_day_micros'    => 4000000,
				'site_month_micros'  => 0,
				'soft_percent'       => 75,
				'visitor_day_micros' => 250000,
			)
		);
		$failed = self::row(
			gmdate( 'Y-m-d H:i:s' ),
			array(
				'tier'        => 'standard',
				'model'       => 'gpt-5-mini',
				'route'       => 'chat_stream',
				'status_code' => 503,
				'error_code'  => 'vvc_budget_exhausted',
				'ip_hash'     => str_repeat( 'c', 32 ),
			)
		);
		( new Error_Log() )->record( 'vvc_upstream_auth', 'HTTP 401 invalid_api_key: Incorrect API key provided' );

		$summary = $this->get( '/summary' )->get_data();

		$this->assertSame( 30, $summary['range']['days'] );
		$this->assertSame( wp_date( 'Y-m-d' ), $summary['range']['to'] );
		$this->assertSame( wp_date( 'Y-m-d', time() - 29 * DAY_IN_SECONDS ), $summary['range']['from'] );

		$this->assertSame( array( 'site_day', 'site_month', 'visitor_day' ), array_column( $summary['budgets'], 'scope' ) );
		$this->assertSame( array( 4000000, 0, 250000 ), array_column( $summary['budgets'], 'cap_micros' ) );
		$this->assertSame( 3000000, $summary['budgets'][0]['soft_micros'] );
		$this->assertSame( wp_date( 'Y-m-d' ), $summary['budgets'][0]['period'] );
		$this->assertSame( wp_date( 'Y-m' ), $summary['budgets'][1]['period'] );
		$this->assertContains( $summary['budget_state'], array( 'normal', 'soft', 'hard' ) );

		$this->assertSame( $failed, $summary['recent_errors'][0]['id'] );
		$this->assertSame(
			array(
				'id'          => $failed,
				'time'        => $summary['recent_errors'][0]['time'],
				'route'       => 'chat_stream',
				'tier'        => 'standard',
				'model'       => 'gpt-5-mini',
				'status_code' => 503,
				'error_code'  => 'vvc_budget_exhausted',
			),
			$summary['recent_errors'][0],
			'no hashes in the error list'
		);
		$this->assertMatchesRegularExpression( '/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/', $summary['recent_errors'][0]['time'] );
		$this->assertSame( 'vvc_upstream_auth', $summary['error_log'][0]['code'] );
		$this->assertStringContainsString( 'invalid_api_key', $summary['error_log'][0]['detail'] );
	}

	public function test_summary_refuses_bad_ranges(): void {
		$this->log_in_as( 'administrator' );
		$cases = array(
			array( array( 'from' => '2020-02-30' ), 'rest_invalid_param' ),
			array( array( 'from' => '20-03-01' ), 'rest_invalid_param' ),
			array( array( 'to' => '2020-03-01; DROP TABLE' ), 'rest_invalid_param' ),
			array(
				array(
					'from' => '2020-03-05',
					'to'   => '2020-03-01',
				),
				'vvc_bad_request',
			),
			array(
				array(
					'from' => '2019-01-01',
					'to'   => '2020-03-01',
				),
				'vvc_bad_request',
			),
		);
		foreach ( $cases as list( $params, $code ) ) {
			$response = $this->get( '/summary', $params );
			$this->assertSame( 400, $response->get_status(), (string) wp_json_encode( $params ) );
			$this->assertSame( $code, $response->get_data()['code'], (string) wp_json_encode( $params ) );
		}
		$this->assertSame(
			200,
			$this->get(
				'/summary',
				array(
					'from' => '2019-03-02',
					'to'   => '2020-03-01',
				)
			)->get_status(),
			'366 days are allowed'
		);
	}

	public function test_log_pages_newest_first_with_totals_in_headers(): void {
		$this->log_in_as( 'administrator' );
		$ids = array();
		for ( $i = 1; $i <= 5; $i++ ) {
			$ids[] = self::row(
				"2020-03-0$i 08:00:00",
				array(
					'tier'         => 'economy',
					'model'        => 'vvc-log-test',
					'cost_micros'  => $i,
					'ip_hash'      => str_repeat( 'd', 32 ),
					'visitor_hash' => str_repeat( 'e', 32 ),
				)
			);
		}

		$response = $this->get(
			'/log',
			array(
				'model'    => 'vvc-log-test',
				'per_page' => 2,
				'page'     => 2,
			)
		);

		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( '5', $response->get_headers()['X-WP-Total'] );
		$this->assertSame( '3', $response->get_headers()['X-WP-TotalPages'] );
		$rows = $response->get_data();
		$this->assertSame( array( $ids[2], $ids[1] ), array_column( $rows, 'id' ) );
		$this->assertSame( '2020-03-03T08:00:00Z', $rows[0]['time'] );
		$this->assertSame( 3, $rows[0]['cost_micros'] );
		$this->assertFalse( $rows[0]['cache_hit'] );
		$this->assertTrue( $rows[0]['cost_known'] );
		$this->assertSame( str_repeat( 'e', 32 ), $rows[0]['visitor_hash'] );
		$this->assertArrayNotHasKey( 'ip_hash', $rows[0], 'the address hash stays in the database and the CSV' );
		$this->assertArrayNotHasKey( 'created_at', $rows[0] );
	}

	public function test_log_filters_narrow_the_rows(): void {
		$this->log_in_as( 'administrator' );
		$model = 'vvc-filter-' . wp_generate_password( 6, false );
		self::row(
			'2020-03-01 08:00:00',
			array(
				'model' => $model,
				'tier'  => 'economy',
				'route' => 'chat',
			)
		);
		self::row(
			'2020-03-02 08:00:00',
			array(
				'model'       => $model,
				'tier'        => 'vision',
				'route'       => 'chat_stream',
				'status_code' => 502,
			)
		);
		self::row(
			'2020-03-03 08:00:00',
			array(
				'model'        => $model,
				'tier'         => 'vision',
				'route'        => 'chat',
				'cache_hit'    => 1,
				'visitor_hash' => str_repeat( 'a', 32 ),
			)
		);

		$count = function ( array $filters ) use ( $model ): int {
			$response = $this->get( '/log', array( 'model' => $model ) + $filters );
			$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
			return (int) $response->get_headers()['X-WP-Total'];
		};
		$this->assertSame( 3, $count( array() ) );
		$this->assertSame( 2, $count( array( 'tier' => 'vision' ) ) );
		$this->assertSame( 1, $count( array( 'route' => 'chat_stream' ) ) );
		$this->assertSame( 1, $count( array( 'status' => 'error' ) ) );
		$this->assertSame( 2, $count( array( 'status' => 'ok' ) ) );
		$this->assertSame( 1, $count( array( 'cache_hit' => 'true' ) ) );
		$this->assertSame( 2, $count( array( 'cache_hit' => 'false' ) ) );
		$this->assertSame( 1, $count( array( 'visitor' => str_repeat( 'a', 32 ) ) ) );
		$this->assertSame( 2, $count( array( 'from' => '2020-03-02' ) ) );
		$this->assertSame( 2, $count( array( 'to' => '2020-03-02' ) ), 'the last day is included' );
		$this->assertSame(
			1,
			$count(
				array(
					'from' => '2020-03-02',
					'to'   => '2020-03-02',
				)
			)
		);
	}

	public function test_log_refuses_unknown_filter_values_and_oversized_pages(): void {
		$this->log_in_as( 'administrator' );
		foreach ( array(
			array( 'tier' => 'premium' ),
			array( 'route' => 'admin' ),
			array( 'status' => 'maybe' ),
			array( 'model' => "x' OR '1'='1" ),
			array( 'visitor' => 'not-a-hash' ),
			array( 'per_page' => 101 ),
			array( 'page' => 0 ),
		) as $params ) {
			$response = $this->get( '/log', $params );
			$this->assertSame( 400, $response->get_status(), (string) wp_json_encode( $params ) );
			$this->assertSame( 'rest_invalid_param', $response->get_data()['code'] );
		}
		$past_end = $this->get(
			'/log',
			array(
				'model' => 'vvc-nothing-here',
				'page'  => 3,
			)
		);
		$this->assertSame( 400, $past_end->get_status() );
		$this->assertSame( 'vvc_bad_request', $past_end->get_data()['code'] );
	}

	public function test_export_streams_the_filtered_rows_as_csv_without_formulas(): void {
		$this->log_in_as( 'administrator' );
		$model = 'vvc-csv-' . wp_generate_password( 6, false );
		$first = self::row(
			'2020-03-01 08:00:00',
			array(
				'model'       => $model,
				'tier'        => 'economy',
				'cost_micros' => 17,
			)
		);
		$evil  = self::row(
			'2020-03-02 08:00:00',
			array(
				'model'         => $model,
				'tier'          => 'standard',
				'route_reasons' => '=HYPERLINK("http://evil.example")',
				'error_code'    => '+SUM(1)',
				'status_code'   => 502,
			)
		);
		self::row( '2020-03-02 09:00:00', array( 'model' => 'someone-else' ) );

		list( $response, $records ) = $this->download( array( 'model' => $model ) );

		$this->assertInstanceOf( Csv_Response::class, $response );
		$headers = $response->get_headers();
		$this->assertSame( 'text/csv; charset=utf-8', $headers['Content-Type'] );
		$this->assertMatchesRegularExpression( '/^attachment; filename="vvc-usage-\d{4}-\d\d-\d\d-\d{6}\.csv"$/', $headers['Content-Disposition'] );
		$this->assertSame( 'no-store', $headers['Cache-Control'] );

		$this->assertCount( 3, $records, 'a header and the two matching rows' );
		$header = $records[0];
		$this->assertSame( 'id', $header[0] );
		$this->assertContains( 'ip_hash', $header );
		$column = array_flip( array_map( 'strval', $header ) );
		$this->assertSame( (string) $evil, $records[1][ $column['id'] ], 'newest first' );
		$this->assertSame( (string) $first, $records[2][ $column['id'] ] );
		$this->assertSame( '17', $records[2][ $column['cost_micros'] ] );
		$this->assertSame( '2020-03-01 08:00:00', $records[2][ $column['created_at'] ] );
		$this->assertSame( '\'=HYPERLINK("http://evil.example")', $records[1][ $column['route_reasons'] ], 'formulas are neutralised' );
		$this->assertSame( "'+SUM(1)", $records[1][ $column['error_code'] ] );

		list( , $errors_only ) = $this->download(
			array(
				'model'  => $model,
				'status' => 'error',
			)
		);
		$this->assertCount( 2, $errors_only );
	}

	public function test_other_responses_are_left_to_the_rest_server(): void {
		$this->log_in_as( 'administrator' );
		$request  = new WP_REST_Request( 'GET', self::BASE . '/summary' );
		$response = rest_do_request( $request );
		ob_start();
		$served = apply_filters( 'rest_pre_serve_request', false, $response, $request, rest_get_server() );
		$output = (string) ob_get_clean();

		$this->assertFalse( $served );
		$this->assertSame( '', $output );
	}

	public function test_export_refusals_are_json_errors(): void {
		$this->log_in_as( 'editor' );
		$response = $this->get( '/export' );

		$this->assertNotInstanceOf( Csv_Response::class, $response );
		$this->assertSame( 403, $response->get_status() );
	}
}
