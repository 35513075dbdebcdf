<?php
/**
 * POST /voice-vision-chat/v1/admin/test-connection against the OpenAI simulator.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Rest;

use VoiceVisionChat\Rest\Admin_Connection_Controller;
use VoiceVisionChat\Security\Api_Key_Store;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Tests\Support\TestCase;
use VoiceVisionChat\Tests\Upstream\Simulator;
use WP_REST_Response;
use WP_REST_Server;

require_once __DIR__ . '/../Upstream/Simulator.php';

/**
 * Permission, success, and failures explained precisely for the admin.
 */
final class AdminConnectionControllerTest extends TestCase {

	private const ROUTE = '/voice-vision-chat/v1/admin/test-connection';

	private const KEY = 'sk-vvc-test-admin-4c2d9e8f1a7b';

	protected function setUp(): void {
		parent::setUp();
		Simulator::configure( self::KEY );
	}

	/**
	 * Asserts an error and that the key is nowhere in it.
	 *
	 * @param WP_REST_Response $response Response.
	 * @param int              $status   Expected status.
	 * @param string           $code     Expected code.
	 * @param string           $key      Key that must not appear.
	 */
	private function assertError( WP_REST_Response $response, int $status, string $code, string $key = self::KEY ): void {
		$this->assertSame( $status, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertSame( $code, $response->get_data()['code'] ?? null );
		$json = (string) wp_json_encode( $response->get_data() );
		$this->assertStringNotContainsString( $key, $json );
		$this->assertStringNotContainsString( substr( $key, -4 ), $json );
	}

	public function test_the_plugin_registers_the_route(): void {
		$routes = rest_get_server()->get_routes();
		$this->assertArrayHasKey( self::ROUTE, $routes );
		$this->assertInstanceOf( Admin_Connection_Controller::class, $routes[ self::ROUTE ][0]['callback'][0] );
	}

	public function test_only_admins_may_test(): void {
		$this->assertError( $this->dispatch( 'POST', self::ROUTE ), 401, 'vvc_forbidden' );
		$this->log_in_as( 'editor' );
		$this->assertError( $this->dispatch( 'POST', self::ROUTE ), 403, 'vvc_forbidden' );
	}

	public function test_a_working_connection_reports_the_models(): void {
		$this->log_in_as( 'administrator' );
		$response = $this->dispatch( 'POST', self::ROUTE );

		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$data = $response->get_data();
		$this->assertTrue( $data['ok'] );
		$this->assertGreaterThan( 5, $data['models'] );
		$this->assertSame( Simulator::base_url(), $data['base_url'] );
		$this->assertTrue( $data['simulator'] );
		$this->assertSame( array(), $data['missing_models'] );
		$this->assertSame( 'no-store', $response->get_headers()['Cache-Control'] );
		$this->assertStringNotContainsString( self::KEY, (string) wp_json_encode( $data ) );
	}

	public function test_configured_models_the_provider_does_not_list_are_named(): void {
		update_option( Settings::OPTION, array_merge( (array) get_option( Settings::OPTION ), array( 'image_model' => 'gpt-9-imaginary' ) ) );
		$this->log_in_as( 'administrator' );
		$this->assertSame( array( 'gpt-9-imaginary' ), $this->dispatch( 'POST', self::ROUTE )->get_data()['missing_models'] );
	}

	public function test_a_rejected_key_is_explained_without_the_key(): void {
		$key = 'sk-invalid-admin-8e7d6c5b4a39';
		Simulator::configure( $key );
		$this->log_in_as( 'administrator' );
		$response = $this->dispatch( 'POST', self::ROUTE );

		$this->assertError( $response, 502, 'vvc_upstream_auth', $key );
		$message = (string) $response->get_data()['message'];
		$this->assertStringStartsWith( 'The provider rejected the API key (HTTP 401 invalid_api_key: Incorrect API key provided:', $message );
		$this->assertMatchesRegularExpression( '/\[request req_sim_\d+\]/', $message );
	}

	public function test_no_key_is_explained(): void {
		delete_option( Api_Key_Store::OPTION );
		$this->log_in_as( 'administrator' );
		$response = $this->dispatch( 'POST', self::ROUTE );
		$this->assertError( $response, 503, 'vvc_not_configured' );
		$this->assertStringContainsString( 'OPENAI_API_KEY', (string) $response->get_data()['message'] );
	}

	public function test_an_unreachable_base_url_is_explained(): void {
		Simulator::configure( self::KEY, array( 'base_url' => 'http://127.0.0.1:9/v1' ) );
		// The plugin's own client would wait 0.5 s + 1 s between its retries; this one does not.
		rest_get_server();
		$GLOBALS['wp_rest_server'] = new WP_REST_Server();
		$sleeps                    = array();
		( new Admin_Connection_Controller( new Settings(), Simulator::client( $sleeps ) ) )->register_routes();
		$this->log_in_as( 'administrator' );

		$response = $this->dispatch( 'POST', self::ROUTE );
		$this->assertError( $response, 502, 'vvc_upstream_error' );
		$this->assertStringContainsString( 'cURL error 7', (string) $response->get_data()['message'] );
		$this->assertCount( 2, $sleeps );
	}
}
