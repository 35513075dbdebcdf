<?php
/**
 * GET /voice-vision-chat/v1/admin/errors.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Rest;

use VoiceVisionChat\Security\Api_Key_Store;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Support\Error_Log;
use VoiceVisionChat\Tests\Support\TestCase;
use WP_REST_Request;

/**
 * Admin_Errors_Controller through the real REST server.
 */
final class AdminErrorsControllerTest extends TestCase {

	private const ROUTE = '/voice-vision-chat/v1/admin/errors';

	private function get( array $query = array() ): \WP_REST_Response {
		$request = new WP_REST_Request( 'GET', self::ROUTE );
		$request->set_query_params( $query );
		return rest_do_request( $request );
	}

	public function test_only_administrators_may_read_the_log(): void {
		( new Error_Log() )->record( 'vvc_upstream_auth', 'secret-ish detail' );

		$response = $this->get();
		$this->assertSame( 401, $response->get_status() );
		$this->assertSame( 'vvc_forbidden', $response->get_data()['code'] );

		$this->log_in_as( 'editor' );
		$response = $this->get();
		$this->assertSame( 403, $response->get_status() );
		$this->assertSame( 'vvc_forbidden', $response->get_data()['code'] );
		$this->assertStringNotContainsString( 'secret-ish', (string) wp_json_encode( $response->get_data() ) );
	}

	public function test_returns_entries_newest_first_with_a_limit(): void {
		$log = new Error_Log();
		$log->record( 'vvc_upstream_timeout', 'first', array( 'model' => 'gpt-5.4-mini' ) );
		$log->record( 'vvc_upstream_quota', 'second' );
		$log->record( 'vvc_upstream_auth', 'third', array( 'status' => 401 ) );
		$this->log_in_as( 'administrator' );

		$response = $this->get();
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( 'no-store', $response->get_headers()['Cache-Control'] ?? null );
		$data = rest_get_server()->response_to_data( $response, false );
		$this->assertSame( array( 'third', 'second', 'first' ), array_column( $data, 'detail' ) );
		$this->assertSame( array( 'time', 'code', 'detail', 'context' ), array_keys( $data[0] ) );
		$this->assertSame( '{"status":401}', wp_json_encode( $data[0]['context'] ) );
		$this->assertSame( '{}', wp_json_encode( $data[1]['context'] ), 'an empty context is still an object' );

		$this->assertCount( 2, $this->get( array( 'limit' => 2 ) )->get_data() );
	}

	public function test_limit_outside_its_range_is_refused(): void {
		$this->log_in_as( 'administrator' );
		foreach ( array( 0, 51, 'all' ) as $limit ) {
			$response = $this->get( array( 'limit' => $limit ) );
			$this->assertSame( 400, $response->get_status(), (string) $limit );
			$this->assertSame( 'rest_invalid_param', $response->get_data()['code'] );
		}
	}

	public function test_the_key_never_shows_up_in_the_log_route(): void {
		$key = 'sk-proj-LOGGEDlogged00000000000000009';
		( new Api_Key_Store( new Settings() ) )->save_plugin_key( $key );
		( new Error_Log() )->record( 'vvc_upstream_auth', 'Incorrect API key provided: ' . $key, array( 'sent' => 'Bearer ' . $key ) );
		$this->log_in_as( 'administrator' );

		$body = (string) wp_json_encode( $this->get()->get_data() );
		$this->assertStringNotContainsString( $key, $body );
		$this->assertStringNotContainsString( 'LOGGED', $body );
		$this->assertStringContainsString( 'Incorrect API key provided: [redacted]', $body );
	}
}
