<?php
/**
 * POST /voice-vision-chat/v1/session.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Rest;

use VoiceVisionChat\Security\Visitor_Token;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Tests\Support\TestCase;

/**
 * Session_Controller through the real REST server.
 */
final class SessionControllerTest extends TestCase {

	private const ROUTE = '/voice-vision-chat/v1/session';

	/**
	 * Rows in wp_options and their names.
	 *
	 * @return array{count: int, names: string}
	 */
	private function options_snapshot(): array {
		global $wpdb;
		return array(
			'count' => (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->options}" ),
			'names' => md5( implode( ',', $wpdb->get_col( "SELECT option_name FROM {$wpdb->options} ORDER BY option_name" ) ) ),
		);
	}

	public function test_route_is_registered_for_post_only_with_a_schema(): void {
		$routes = rest_get_server()->get_routes();
		$this->assertArrayHasKey( self::ROUTE, $routes );
		$this->assertSame( array( 'POST' => true ), $routes[ self::ROUTE ][0]['methods'] );
		$this->assertSame( 404, $this->dispatch( 'GET', self::ROUTE )->get_status() );

		$schema = $this->dispatch( 'OPTIONS', self::ROUTE )->get_data();
		$this->assertSame( array( 'token', 'expires_at' ), array_keys( $schema['schema']['properties'] ) );
	}

	public function test_anonymous_visitor_gets_a_working_token_that_is_not_cached(): void {
		$before   = time();
		$response = $this->dispatch( 'POST', self::ROUTE );

		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( 'no-store', $response->get_headers()['Cache-Control'] ?? null );
		$data = $response->get_data();
		$this->assertSame( array( 'token', 'expires_at' ), array_keys( $data ) );
		$this->assertGreaterThanOrEqual( $before + 7200, $data['expires_at'] );
		$this->assertLessThanOrEqual( time() + 7200, $data['expires_at'] );

		$visitor_id = ( new Visitor_Token() )->verify( $data['token'] );
		$this->assertIsString( $visitor_id, 'the token verifies with the site secret' );
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{32}$/', $visitor_id );
	}

	public function test_visitor_cannot_choose_the_id_or_the_expiry(): void {
		$chosen   = str_repeat( 'a', 32 );
		$response = $this->dispatch(
			'POST',
			self::ROUTE,
			array(
				'visitor_id' => $chosen,
				'expires_at' => time() + YEAR_IN_SECONDS,
				'token'      => 'x',
			)
		);
		$data     = $response->get_data();
		$this->assertSame( 200, $response->get_status() );
		$this->assertNotSame( $chosen, ( new Visitor_Token() )->verify( $data['token'] ) );
		$this->assertLessThanOrEqual( time() + 7200, $data['expires_at'] );

		$second = $this->dispatch( 'POST', self::ROUTE )->get_data();
		$this->assertNotSame( ( new Visitor_Token() )->verify( $data['token'] ), ( new Visitor_Token() )->verify( $second['token'] ), 'every session gets its own id' );
	}

	public function test_disabled_chat_answers_503(): void {
		( new Settings() )->update( array( 'enabled' => false ) );

		$response = $this->dispatch( 'POST', self::ROUTE );
		$this->assertSame( 503, $response->get_status() );
		$this->assertSame( 'vvc_disabled', $response->get_data()['code'] );
		$this->assertArrayNotHasKey( 'token', $response->get_data() );
	}

	public function test_twenty_sessions_write_only_the_per_ip_counter(): void {
		$before  = $this->options_snapshot();
		$queries = array();
		add_filter(
			'query',
			static function ( string $sql ) use ( &$queries ): string {
				$queries[] = $sql;
				return $sql;
			}
		);

		for ( $i = 0; $i < 20; $i++ ) {
			$this->assertSame( 200, $this->dispatch( 'POST', self::ROUTE )->get_status() );
		}
		remove_all_filters( 'query' );

		$this->assertSame( $before, $this->options_snapshot() );
		$writes = array_values( (array) preg_grep( '/^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i', $queries ) );
		$this->assertCount( 20, $writes, 'one counter write per session' );
		foreach ( $writes as $write ) {
			$this->assertMatchesRegularExpression( '/^INSERT INTO \w*vvc_rate \(bucket, hits, expires_at\) VALUES \(\'ses:ip:[0-9a-f]{32}@3600:/', $write );
		}
		$this->assertSame( 1, count( array_unique( $writes ) ), 'the same hashed bucket each time, never the raw IP' );
	}

	public function test_issuing_a_session_makes_one_query_the_per_ip_counter(): void {
		global $wpdb;
		$this->dispatch( 'POST', self::ROUTE ); // Warms what WordPress itself loads once per request.

		$queries = $wpdb->num_queries;
		$this->assertSame( 200, $this->dispatch( 'POST', self::ROUTE )->get_status() );
		$this->assertSame( $queries + 1, $wpdb->num_queries );
	}

	public function test_logged_in_users_get_a_session_too(): void {
		$this->log_in_as( 'subscriber' );
		$this->assertSame( 200, $this->dispatch( 'POST', self::ROUTE )->get_status() );
	}
}
