<?php
/**
 * GET and POST /voice-vision-chat/v1/admin/settings.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Rest;

use VoiceVisionChat\Rest\Admin_Settings_Controller;
use VoiceVisionChat\Security\Api_Key_Store;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Tests\Support\TestCase;
use WP_REST_Request;
use WP_REST_Response;

/**
 * Admin_Settings_Controller through the real REST server.
 */
final class AdminSettingsControllerTest extends TestCase {

	private const ROUTE = '/voice-vision-chat/v1/admin/settings';

	protected function tearDown(): void {
		putenv( 'OPENAI_API_KEY' );
		parent::tearDown();
	}

	/**
	 * Everything a browser would receive: JSON body and headers.
	 */
	private static function wire( WP_REST_Response $response ): string {
		return (string) wp_json_encode( rest_get_server()->response_to_data( $response, false ) ) . "\n" . (string) wp_json_encode( $response->get_headers() );
	}

	private function assert_key_not_sent( string $key, WP_REST_Response $response ): void {
		$wire = self::wire( $response );
		$this->assertStringNotContainsString( $key, $wire );
		$this->assertStringNotContainsString( substr( $key, 0, -4 ), $wire, 'not even most of it' );
		$this->assertStringNotContainsString( base64_encode( $key ), $wire );
		$this->assertStringNotContainsString( (string) get_option( Api_Key_Store::OPTION, 'no stored key' ), $wire, 'nor the ciphertext' );
	}

	/**
	 * @return array<string, string>
	 */
	private static function error_of( WP_REST_Response $response ): array {
		$data = $response->get_data();
		return array(
			'code'   => $data['code'] ?? '',
			'status' => (string) $response->get_status(),
		);
	}

	public function test_only_administrators_may_read_or_write(): void {
		$expected_anonymous = array(
			'code'   => 'vvc_forbidden',
			'status' => '401',
		);
		$this->assertSame( $expected_anonymous, self::error_of( $this->dispatch( 'GET', self::ROUTE ) ) );
		$this->assertSame( $expected_anonymous, self::error_of( $this->dispatch( 'POST', self::ROUTE, array( 'enabled' => false ) ) ) );

		foreach ( array( 'subscriber', 'editor' ) as $role ) {
			$this->log_in_as( $role );
			$expected = array(
				'code'   => 'vvc_forbidden',
				'status' => '403',
			);
			$this->assertSame( $expected, self::error_of( $this->dispatch( 'GET', self::ROUTE ) ), $role );
			$this->assertSame( $expected, self::error_of( $this->dispatch( 'POST', self::ROUTE, array( 'api_key' => 'sk-evil-000000000000' ) ) ), $role );
		}
		$this->assertFalse( get_option( Api_Key_Store::OPTION ), 'nothing was saved' );
		$this->assertTrue( ( new Settings() )->get( 'enabled' ) );
	}

	public function test_get_returns_every_setting_and_the_key_status(): void {
		$this->log_in_as( 'administrator' );
		$response = $this->dispatch( 'GET', self::ROUTE );

		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( 'no-store', $response->get_headers()['Cache-Control'] ?? null );
		$data = $response->get_data();
		$this->assertSame( array( 'settings', 'api_key', 'simulator', 'base_url_locked' ), array_keys( $data ) );
		$this->assertSame( array_keys( Settings::defaults() ), array_keys( $data['settings'] ) );
		$this->assertSame(
			array(
				'source'     => 'none',
				'last4'      => '',
				'configured' => false,
				'plugin_key' => false,
			),
			$data['api_key']
		);
		$this->assertFalse( $data['simulator'] );
		$this->assertFalse( $data['base_url_locked'] );
	}

	public function test_post_saves_a_subset_clamps_numbers_and_bumps_the_version(): void {
		$this->log_in_as( 'administrator' );
		$version = ( new Settings() )->version();

		$response = $this->dispatch(
			'POST',
			self::ROUTE,
			array(
				'base_url'              => 'http://127.0.0.1:4010/v1/',
				'text_model'            => 'gpt-5.5',
				'max_completion_tokens' => 99999,
				'history_turns'         => -1,
				'system_prompt'         => "Be brief.\n<script>x</script>Use the site's FAQ.",
				'image_detail'          => 'high',
				'organization'          => 'org-123',
			)
		);

		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$settings = $response->get_data()['settings'];
		$this->assertSame( 'http://127.0.0.1:4010/v1', $settings['base_url'] );
		$this->assertSame( 'gpt-5.5', $settings['text_model'] );
		$this->assertSame( 'gpt-5.4-mini', $settings['image_model'], 'untouched' );
		$this->assertSame( 4000, $settings['max_completion_tokens'] );
		$this->assertSame( 0, $settings['history_turns'] );
		$this->assertSame( "Be brief.\nUse the site's FAQ.", $settings['system_prompt'] );
		$this->assertSame( 'high', $settings['image_detail'] );
		$this->assertSame( 'org-123', $settings['organization'] );
		$this->assertSame( $version + 1, $settings['version'] );
		$this->assertTrue( $response->get_data()['simulator'] );

		$stored = get_option( Settings::OPTION );
		$this->assertIsArray( $stored );
		$this->assertSame( 'gpt-5.5', $stored['text_model'] );
	}

	/**
	 * @return array<string, array{0: string, 1: mixed}>
	 */
	public static function invalid_fields(): array {
		return array(
			'javascript base URL' => array( 'base_url', 'javascript:alert(1)' ),
			'ftp base URL'        => array( 'base_url', 'ftp://example.com/v1' ),
			'relative base URL'   => array( 'base_url', '/v1' ),
			'model with space'    => array( 'text_model', 'gpt 5' ),
			'empty model'         => array( 'image_model', '' ),
			'model with markup'   => array( 'text_model', '<b>x</b>' ),
			'detail not in enum'  => array( 'image_detail', 'ultra' ),
			'key choice'          => array( 'key_choice', 'env' ),
			'organization header' => array( 'organization', "org\r\nX: y" ),
			'number as text'      => array( 'history_turns', 'many' ),
			'enabled as text'     => array( 'enabled', 'perhaps' ),
			'key with spaces'     => array( 'api_key', 'sk-abc def' ),
			'key with newline'    => array( 'api_key', "sk-abc\r\nX-Evil: 1" ),
		);
	}

	#[\PHPUnit\Framework\Attributes\DataProvider( 'invalid_fields' )]
	public function test_invalid_values_are_refused_with_400_and_nothing_is_saved( string $field, mixed $value ): void {
		$this->log_in_as( 'administrator' );
		$before = get_option( Settings::OPTION );

		$response = $this->dispatch(
			'POST',
			self::ROUTE,
			// A valid field alongside is not saved either: the request is refused whole.
			array(
				'max_completion_tokens' => 123,
				$field                  => $value,
			)
		);

		$this->assertSame( 400, $response->get_status() );
		$this->assertSame( 'rest_invalid_param', $response->get_data()['code'] );
		$this->assertArrayHasKey( $field, $response->get_data()['data']['params'] );
		$this->assertSame( $before, get_option( Settings::OPTION ) );
		$this->assertFalse( get_option( Api_Key_Store::OPTION ) );
	}

	public function test_base_url_error_explains_what_is_expected(): void {
		$this->log_in_as( 'administrator' );
		$data = $this->dispatch( 'POST', self::ROUTE, array( 'base_url' => 'javascript:alert(1)' ) )->get_data();
		$this->assertSame( 'vvc_bad_request', $data['data']['details']['base_url']['code'] );
		$this->assertStringContainsString( 'https://', $data['data']['params']['base_url'] );
	}

	public function test_extra_fields_and_the_version_cannot_be_written(): void {
		$this->log_in_as( 'administrator' );
		$version  = ( new Settings() )->version();
		$response = $this->dispatch(
			'POST',
			self::ROUTE,
			array(
				'version'       => 500,
				'evil'          => 'x',
				'history_turns' => 2,
			)
		);
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( $version + 1, $response->get_data()['settings']['version'] );
		$this->assertArrayNotHasKey( 'evil', (array) get_option( Settings::OPTION ) );
	}

	public function test_api_key_is_stored_encrypted_kept_when_empty_and_deleted_on_request(): void {
		$this->log_in_as( 'administrator' );
		$key = 'sk-proj-abcdefghijklmnop1234567890WXYZ';

		$response = $this->dispatch( 'POST', self::ROUTE, array( 'api_key' => $key ) );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame(
			array(
				'source'     => 'plugin',
				'last4'      => 'WXYZ',
				'configured' => true,
				'plugin_key' => true,
			),
			$response->get_data()['api_key']
		);
		$this->assert_key_not_sent( $key, $response );
		$this->assertStringNotContainsString( $key, (string) get_option( Api_Key_Store::OPTION ) );

		// Saving the form with an empty key field keeps the saved key.
		$response = $this->dispatch(
			'POST',
			self::ROUTE,
			array(
				'api_key'       => '',
				'history_turns' => 3,
			)
		);
		$this->assertSame( 'WXYZ', $response->get_data()['api_key']['last4'] );
		$this->assertSame( $key, ( new Api_Key_Store( new Settings(), static fn (): string => '', static fn (): string => '' ) )->key() );

		$response = $this->dispatch( 'POST', self::ROUTE, array( 'delete_api_key' => true ) );
		$this->assertSame( 'none', $response->get_data()['api_key']['source'] );
		$this->assertFalse( $response->get_data()['api_key']['plugin_key'] );
		$this->assertFalse( get_option( Api_Key_Store::OPTION ) );
	}

	public function test_key_never_appears_in_the_response_for_any_source(): void {
		$this->log_in_as( 'administrator' );

		// Plugin's own key.
		$plugin_key = 'sk-proj-PLUGINplugin0000000000000001';
		$this->dispatch( 'POST', self::ROUTE, array( 'api_key' => $plugin_key ) );
		$response = $this->dispatch( 'GET', self::ROUTE );
		$this->assertSame( 'plugin', $response->get_data()['api_key']['source'] );
		$this->assert_key_not_sent( $plugin_key, $response );

		// WordPress 7 Connectors key.
		$connectors_key = 'sk-CONNECTORSconnectors000000000002';
		update_option( Api_Key_Store::CONNECTORS_OPTION, $connectors_key );
		$response = $this->dispatch( 'GET', self::ROUTE );
		$this->assertSame( 'connectors', $response->get_data()['api_key']['source'] );
		$this->assertSame( '0002', $response->get_data()['api_key']['last4'] );
		$this->assert_key_not_sent( $connectors_key, $response );
		$this->assert_key_not_sent( $plugin_key, $response );

		// Environment variable, read by the plugin's own store.
		$env_key = 'sk-ENVenv00000000000000000000000003';
		putenv( 'OPENAI_API_KEY=' . $env_key );
		$response = $this->dispatch( 'GET', self::ROUTE );
		$this->assertSame( 'env', $response->get_data()['api_key']['source'] );
		$this->assert_key_not_sent( $env_key, $response );
		putenv( 'OPENAI_API_KEY' );

		// Constant: the test site defines none (and a constant cannot be undefined), so the
		// controller gets a store whose constant lookup returns one.
		$constant_key = 'sk-CONSTANTconstant0000000000000004';
		$settings     = new Settings();
		$controller   = new Admin_Settings_Controller( $settings, new Api_Key_Store( $settings, static fn (): string => '', static fn (): string => $constant_key ) );
		$response     = rest_ensure_response( $controller->get_item( new WP_REST_Request( 'GET', self::ROUTE ) ) );
		$this->assertSame( 'constant', $response->get_data()['api_key']['source'] );
		$this->assertSame( '0004', $response->get_data()['api_key']['last4'] );
		$this->assert_key_not_sent( $constant_key, $response );

		// And with key_choice "plugin", the plugin key is the one in use, still hidden.
		$response = $this->dispatch( 'POST', self::ROUTE, array( 'key_choice' => 'plugin' ) );
		$this->assertSame( 'plugin', $response->get_data()['api_key']['source'] );
		$this->assert_key_not_sent( $plugin_key, $response );
		$this->assert_key_not_sent( $connectors_key, $response );
	}

	public function test_schema_is_published(): void {
		$schema = $this->dispatch( 'OPTIONS', self::ROUTE )->get_data();
		$this->assertSame( array( 'settings', 'api_key', 'simulator', 'base_url_locked' ), array_keys( $schema['schema']['properties'] ) );
		$this->assertSame( 4000, $schema['schema']['properties']['settings']['properties']['max_completion_tokens']['maximum'] );

		$post_args = $schema['endpoints'][1]['args'];
		$this->assertArrayHasKey( 'api_key', $post_args );
		$this->assertArrayHasKey( 'delete_api_key', $post_args );
		$this->assertArrayNotHasKey( 'version', $post_args );
		$this->assertSame( array( 'auto', 'low', 'high' ), $post_args['image_detail']['enum'] );
	}
}
