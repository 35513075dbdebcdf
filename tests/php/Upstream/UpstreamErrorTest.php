<?php
/**
 * Upstream_Error: provider answers mapped to the plugin's stable codes.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Upstream;

use VoiceVisionChat\Tests\Support\TestCase;
use VoiceVisionChat\Upstream\Upstream_Error;

/**
 * Codes, statuses, retry hints, messages and scrubbing.
 */
final class UpstreamErrorTest extends TestCase {

	/**
	 * An OpenAI error body.
	 *
	 * @param string      $message Message.
	 * @param string|null $code    Code.
	 * @param string      $type    Type.
	 */
	private function body( string $message, ?string $code, string $type = 'invalid_request_error' ): string {
		return (string) wp_json_encode(
			array(
				'error' => array(
					'message' => $message,
					'type'    => $type,
					'param'   => null,
					'code'    => $code,
				),
			)
		);
	}

	/**
	 * Status, provider code => expected stable code, plugin status, retryable.
	 *
	 * @return array<string, array{0: int, 1: string|null, 2: string, 3: int, 4: bool}>
	 */
	public static function mapping(): array {
		return array(
			'401 invalid key'         => array( 401, 'invalid_api_key', 'vvc_upstream_auth', 502, false ),
			'403 region'              => array( 403, 'unsupported_country_region_territory', 'vvc_upstream_auth', 502, false ),
			'429 quota'               => array( 429, 'insufficient_quota', 'vvc_upstream_quota', 503, false ),
			'429 rate'                => array( 429, 'rate_limit_exceeded', 'vvc_rate_limited', 429, true ),
			'400 context'             => array( 400, 'context_length_exceeded', 'vvc_bad_request', 400, false ),
			'408 timeout'             => array( 408, null, 'vvc_upstream_timeout', 504, true ),
			'409 conflict'            => array( 409, null, 'vvc_upstream_error', 502, true ),
			'404 model'               => array( 404, 'model_not_found', 'vvc_upstream_error', 502, false ),
			'500 server'              => array( 500, null, 'vvc_upstream_error', 502, true ),
			'503 overloaded'          => array( 503, null, 'vvc_upstream_error', 502, true ),
		);
	}

	#[\PHPUnit\Framework\Attributes\DataProvider( 'mapping' )]
	public function test_provider_errors_map_to_stable_codes( int $status, ?string $code, string $expected, int $plugin_status, bool $retryable ): void {
		$error = Upstream_Error::from_response( $status, $this->body( 'Provider says no.', $code ), array( 'x-request-id' => 'req_123' ) );
		$this->assertSame( $expected, $error->vvc_code() );
		$this->assertSame( $plugin_status, $error->status() );
		$this->assertSame( $retryable, $error->is_retryable() );
		$this->assertSame( 'req_123', $error->request_id() );
		$this->assertSame( $expected, $error->to_wp_error()->get_error_code() );
		$this->assertSame( array( 'status' => $plugin_status ), $error->to_wp_error()->get_error_data() );
		$this->assertStringNotContainsString( 'Provider says no', $error->to_wp_error()->get_error_message() );
		$this->assertStringContainsString( 'Provider says no', $error->to_admin_wp_error()->get_error_message() );
		$this->assertStringContainsString( 'req_123', $error->to_admin_wp_error()->get_error_message() );
	}

	public function test_context_length_keeps_an_admin_detail(): void {
		$error = Upstream_Error::from_response( 400, $this->body( "This model's maximum context length is 128000 tokens.", 'context_length_exceeded' ), array() );
		$this->assertSame( "HTTP 400 context_length_exceeded: This model's maximum context length is 128000 tokens.", $error->detail() );
	}

	public function test_retry_after_in_seconds_milliseconds_and_as_a_date(): void {
		$rate = $this->body( 'slow down', 'rate_limit_exceeded' );
		$this->assertSame( 2.0, Upstream_Error::from_response( 429, $rate, array( 'retry-after' => '2' ) )->retry_after() );
		$this->assertSame( 0.25, Upstream_Error::from_response( 429, $rate, array( 'retry-after-ms' => '250', 'retry-after' => '9' ) )->retry_after() );
		$date = Upstream_Error::from_response( 429, $rate, array( 'retry-after' => gmdate( 'D, d M Y H:i:s', time() + 5 ) . ' GMT' ) )->retry_after();
		$this->assertGreaterThanOrEqual( 4.0, $date );
		$this->assertLessThanOrEqual( 5.0, $date );
		$this->assertNull( Upstream_Error::from_response( 429, $rate, array() )->retry_after() );
	}

	public function test_a_non_json_error_page_is_quoted_briefly_without_markup(): void {
		$error = Upstream_Error::from_response( 502, '<html><body><h1>502 Bad Gateway</h1> nginx</body></html>', array() );
		$this->assertSame( 'vvc_upstream_error', $error->vvc_code() );
		$this->assertSame( 'HTTP 502: 502 Bad Gateway nginx', $error->detail() );
	}

	public function test_keys_are_scrubbed_from_details(): void {
		$key   = 'sk-proj-AbCdEf0123456789xyz';
		$error = Upstream_Error::from_response( 401, $this->body( "Incorrect API key provided: sk-proj-****6789xyz. Also $key.", 'invalid_api_key' ), array(), $key );
		$this->assertStringNotContainsString( $key, $error->detail() );
		$this->assertStringNotContainsString( '6789xyz', $error->detail() );
		$this->assertStringNotContainsString( '6789xyz', $error->to_admin_wp_error()->get_error_message() );
		$this->assertSame( 'a [key] b [key]', Upstream_Error::scrub( 'a sk-abc_DEF-123 b secret-value', 'secret-value' ) );
	}

	public function test_stream_errors_and_timeouts(): void {
		$quota = Upstream_Error::from_stream_error( array( 'code' => 'insufficient_quota', 'message' => 'no money' ), 'req_9' );
		$this->assertSame( 'vvc_upstream_quota', $quota->vvc_code() );
		$this->assertFalse( $quota->is_retryable() );
		$this->assertSame( 'vvc_upstream_timeout', Upstream_Error::timeout( 'slow' )->vvc_code() );
		$this->assertSame( 504, Upstream_Error::timeout( 'slow' )->status() );
		$this->assertSame( 'vvc_not_configured', Upstream_Error::not_configured()->vvc_code() );
		$this->assertSame( 503, Upstream_Error::not_configured()->status() );
	}
}
