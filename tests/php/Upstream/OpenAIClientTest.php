<?php
/**
 * OpenAI_Client against the OpenAI simulator: real HTTP on 127.0.0.1:4010.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Upstream;

use VoiceVisionChat\Security\Api_Key_Store;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Support\Error_Log;
use VoiceVisionChat\Tests\Support\TestCase;
use VoiceVisionChat\Upstream\OpenAI_Client;
use VoiceVisionChat\Upstream\Upstream_Error;

require_once __DIR__ . '/Simulator.php';

/**
 * Requests, streaming, retries and the mapping of every simulated fault.
 */
final class OpenAIClientTest extends TestCase {

	private const KEY = 'sk-vvc-test-client-5f3a9c1d2e7b';

	protected function setUp(): void {
		parent::setUp();
		Simulator::configure( self::KEY, array( 'organization' => 'org-vvc', 'project' => 'proj_vvc' ) );
	}

	/**
	 * A chat body carrying the marker.
	 *
	 * @param string $marker Test marker.
	 * @return array<string, mixed>
	 */
	private function body( string $marker ): array {
		return array(
			'model'                 => 'gpt-5.4-mini',
			'messages'              => array(
				array(
					'role'    => 'system',
					'content' => 'Be brief.',
				),
				array(
					'role'    => 'user',
					'content' => 'Question ' . $marker,
				),
			),
			'max_completion_tokens' => 200,
		);
	}

	/**
	 * Calls chat() and returns the error it must throw.
	 *
	 * @param OpenAI_Client        $client Client.
	 * @param array<string, mixed> $body   Body.
	 */
	private function chat_error( OpenAI_Client $client, array $body ): Upstream_Error {
		try {
			$client->chat( $body );
		} catch ( Upstream_Error $error ) {
			return $error;
		}
		$this->fail( 'chat() did not throw' );
	}

	/**
	 * Calls chat_stream() and returns the deltas and the error it threw (or the result).
	 *
	 * @param OpenAI_Client        $client Client.
	 * @param array<string, mixed> $body   Body.
	 * @return array{deltas: list<string>, error: Upstream_Error|null, result: array<string, mixed>|null}
	 */
	private function stream( OpenAI_Client $client, array $body ): array {
		$deltas = array();
		try {
			$result = $client->chat_stream(
				$body,
				static function ( string $text ) use ( &$deltas ): bool {
					$deltas[] = $text;
					return true;
				}
			);
			return array(
				'deltas' => $deltas,
				'error'  => null,
				'result' => $result,
			);
		} catch ( Upstream_Error $error ) {
			return array(
				'deltas' => $deltas,
				'error'  => $error,
				'result' => null,
			);
		}
	}

	public function test_chat_returns_the_completion_and_the_request_validates_against_the_spec(): void {
		$marker = Simulator::marker( 'json' );
		Simulator::script(
			array(
				'match' => array( 'contains' => $marker ),
				'reply' => array( 'content' => 'Scripted answer for ' . $marker ),
			)
		);
		$completion = Simulator::client()->chat( $this->body( $marker ) );

		$this->assertSame( 'Scripted answer for ' . $marker, $completion['choices'][0]['message']['content'] );
		$this->assertSame( 'stop', $completion['choices'][0]['finish_reason'] );

		$requests = Simulator::requests( $marker );
		$this->assertCount( 1, $requests );
		$this->assertSame( '/v1/chat/completions', $requests[0]['path'] );
		$this->assertTrue( $requests[0]['validation']['ok'], 'request valid: ' . wp_json_encode( $requests[0]['validation'] ) );
		// The simulator logs only the key's last four characters.
		$this->assertStringEndsWith( substr( self::KEY, -4 ), $requests[0]['headers']['authorization'] );
		$this->assertStringStartsWith( 'Bearer ', $requests[0]['headers']['authorization'] );
		$this->assertSame( 'org-vvc', $requests[0]['headers']['openai-organization'] );
		$this->assertSame( 'proj_vvc', $requests[0]['headers']['openai-project'] );
		$this->assertArrayNotHasKey( 'stream', $requests[0]['body'] );
	}

	public function test_stream_hands_over_every_delta_and_the_finish_reason(): void {
		$marker = Simulator::marker( 'stream' );
		$answer = 'A streamed answer long enough to arrive in several chunks, for ' . $marker . '.';
		Simulator::script(
			array(
				'match' => array( 'contains' => $marker ),
				'reply' => array( 'content' => $answer ),
			)
		);
		$outcome = $this->stream( Simulator::client(), $this->body( $marker ) );

		$this->assertNull( $outcome['error'] );
		$this->assertGreaterThan( 1, count( $outcome['deltas'] ) );
		$this->assertSame( $answer, implode( '', $outcome['deltas'] ) );
		$this->assertSame( 'stop', $outcome['result']['finish_reason'] ?? null );
		$this->assertFalse( $outcome['result']['aborted'] ?? true );
		$this->assertIsArray( $outcome['result']['usage'] ?? null, 'include_usage chunk read' );

		$requests = Simulator::requests( $marker );
		$this->assertCount( 1, $requests );
		$this->assertTrue( $requests[0]['validation']['ok'] );
		$this->assertTrue( $requests[0]['body']['stream'] );
		$this->assertSame( array( 'include_usage' => true ), $requests[0]['body']['stream_options'] );
		$this->assertSame( 'complete', $requests[0]['outcome'] );
	}

	public function test_stream_stops_reading_when_the_visitor_is_gone(): void {
		$marker = Simulator::marker( 'abort' );
		Simulator::script(
			array(
				'match' => array( 'contains' => $marker ),
				'reply' => array( 'content' => str_repeat( 'word ', 400 ) . $marker ),
			)
		);
		$calls  = 0;
		$result = Simulator::client()->chat_stream(
			$this->body( $marker ),
			static function () use ( &$calls ): bool {
				++$calls;
				return false; // The visitor closed the page after the first piece.
			}
		);
		$this->assertSame( 1, $calls, 'no delta after the visitor left' );
		$this->assertTrue( $result['aborted'] );
		$this->assertCount( 1, Simulator::requests( $marker ), 'an abort is not retried' );
	}

	public function test_429_without_retry_after_is_retried_with_backoff_then_succeeds(): void {
		$marker = Simulator::marker( 'rl' );
		Simulator::script(
			array(
				'match' => array( 'contains' => $marker ),
				'fault' => array( 'type' => 'rate_limit' ),
				'times' => 2,
			),
			array(
				'match' => array( 'contains' => $marker ),
				'reply' => array( 'content' => 'after the rate limit' ),
			)
		);
		$sleeps     = array();
		$completion = Simulator::client( $sleeps )->chat( $this->body( $marker ) );

		$this->assertSame( 'after the rate limit', $completion['choices'][0]['message']['content'] );
		$this->assertCount( 3, Simulator::requests( $marker ) );
		$this->assertCount( 2, $sleeps );
		// 0.5 s then 1 s, each shortened by up to 25 % jitter.
		$this->assertGreaterThanOrEqual( 0.375, $sleeps[0] );
		$this->assertLessThanOrEqual( 0.5, $sleeps[0] );
		$this->assertGreaterThanOrEqual( 0.75, $sleeps[1] );
		$this->assertLessThanOrEqual( 1.0, $sleeps[1] );
	}

	public function test_429_with_retry_after_waits_what_the_provider_asked(): void {
		$marker = Simulator::marker( 'ra' );
		Simulator::script(
			array(
				'match' => array( 'contains' => $marker ),
				'fault' => array(
					'type'        => 'rate_limit_retry_after',
					'retry_after' => 3,
				),
			),
			array(
				'match' => array( 'contains' => $marker ),
				'reply' => array( 'content' => 'waited' ),
			)
		);
		$sleeps  = array();
		$outcome = $this->stream( Simulator::client( $sleeps ), $this->body( $marker ) );

		$this->assertNull( $outcome['error'] );
		$this->assertSame( 'waited', implode( '', $outcome['deltas'] ) );
		$this->assertSame( array( 3.0 ), $sleeps );
		$this->assertCount( 2, Simulator::requests( $marker ) );
	}

	public function test_a_retry_after_longer_than_the_cap_is_not_waited_for(): void {
		$marker = Simulator::marker( 'ralong' );
		Simulator::script(
			array(
				'match' => array( 'contains' => $marker ),
				'fault' => array(
					'type'        => 'rate_limit_retry_after',
					'retry_after' => 30,
				),
			)
		);
		$sleeps = array();
		$error  = $this->chat_error( Simulator::client( $sleeps ), $this->body( $marker ) );

		$this->assertSame( 'vvc_rate_limited', $error->vvc_code() );
		$this->assertSame( 429, $error->status() );
		$this->assertSame( array(), $sleeps );
		$this->assertCount( 1, Simulator::requests( $marker ) );
	}

	public function test_persistent_429_ends_as_rate_limited_after_two_retries(): void {
		$marker = Simulator::marker( 'rl3' );
		Simulator::script(
			array(
				'match' => array( 'contains' => $marker ),
				'fault' => array( 'type' => 'rate_limit' ),
				'times' => 3,
			)
		);
		$sleeps = array();
		$error  = $this->chat_error( Simulator::client( $sleeps ), $this->body( $marker ) );

		$this->assertSame( 'vvc_rate_limited', $error->vvc_code() );
		$this->assertSame( 'rate_limit_exceeded', $error->provider_code() );
		$this->assertCount( 3, Simulator::requests( $marker ) );
		$this->assertCount( 2, $sleeps );
	}

	public function test_insufficient_quota_is_never_retried(): void {
		$marker = Simulator::marker( 'quota' );
		Simulator::script(
			array(
				'match' => array( 'contains' => $marker ),
				'fault' => array( 'type' => 'insufficient_quota' ),
				'times' => 3,
			)
		);
		$sleeps = array();
		$error  = $this->chat_error( Simulator::client( $sleeps ), $this->body( $marker ) );

		$this->assertSame( 'vvc_upstream_quota', $error->vvc_code() );
		$this->assertSame( 503, $error->status() );
		$this->assertSame( array(), $sleeps );
		$this->assertCount( 1, Simulator::requests( $marker ) );

		// The stream path follows the same rule.
		$marker2 = Simulator::marker( 'quota-stream' );
		Simulator::script(
			array(
				'match' => array( 'contains' => $marker2 ),
				'fault' => array( 'type' => 'insufficient_quota' ),
				'times' => 3,
			)
		);
		$outcome = $this->stream( Simulator::client( $sleeps ), $this->body( $marker2 ) );
		$this->assertSame( 'vvc_upstream_quota', $outcome['error']?->vvc_code() );
		$this->assertCount( 1, Simulator::requests( $marker2 ) );
	}

	public function test_invalid_key_maps_to_upstream_auth_and_the_key_is_in_no_log_or_message(): void {
		$key = 'sk-invalid-vvc-7d41b9e2c6a0f35d';
		Simulator::configure( $key );
		$marker = Simulator::marker( 'auth' );
		$error  = $this->chat_error( Simulator::client(), $this->body( $marker ) );

		$this->assertSame( 'vvc_upstream_auth', $error->vvc_code() );
		$this->assertSame( 401, $error->http_status() );
		$this->assertSame( 'invalid_api_key', $error->provider_code() );
		$this->assertNotEmpty( $error->request_id() );

		$log = ( new Error_Log() )->recent( 1 );
		$this->assertSame( 1, $log[0]['context']['attempts'], '401 is not retried' );
		$this->assertSame( 'vvc_upstream_auth', $log[0]['code'] );
		$this->assertStringContainsString( 'HTTP 401 invalid_api_key', $log[0]['detail'] );
		$this->assertSame( $error->request_id(), $log[0]['context']['request_id'] );

		// The simulator quotes the first 8 and last 4 characters, as OpenAI does.
		$everything = wp_json_encode( $log ) . $error->detail() . $error->to_wp_error()->get_error_message() . $error->to_admin_wp_error()->get_error_message();
		$this->assertStringNotContainsString( $key, (string) $everything );
		$this->assertStringNotContainsString( substr( $key, 0, 8 ), (string) $everything );
		$this->assertStringNotContainsString( substr( $key, -4 ), (string) $everything );
		$this->assertStringNotContainsString( 'invalid_api_key', $error->to_wp_error()->get_error_message(), 'the visitor gets no provider detail' );
	}

	public function test_500_is_retried_then_reported_as_upstream_error(): void {
		$marker = Simulator::marker( '500' );
		Simulator::script(
			array(
				'match' => array( 'contains' => $marker ),
				'fault' => array( 'type' => 'server_error' ),
				'times' => 3,
			)
		);
		$sleeps = array();
		$error  = $this->chat_error( Simulator::client( $sleeps ), $this->body( $marker ) );

		$this->assertSame( 'vvc_upstream_error', $error->vvc_code() );
		$this->assertSame( 502, $error->status() );
		$this->assertSame( 500, $error->http_status() );
		$this->assertCount( 3, Simulator::requests( $marker ) );
		$this->assertCount( 2, $sleeps );
	}

	public function test_503_once_then_success_in_a_stream(): void {
		$marker = Simulator::marker( '503' );
		Simulator::script(
			array(
				'match' => array( 'contains' => $marker ),
				'fault' => array( 'type' => 'unavailable' ),
			),
			array(
				'match' => array( 'contains' => $marker ),
				'reply' => array( 'content' => 'recovered' ),
			)
		);
		$sleeps  = array();
		$outcome = $this->stream( Simulator::client( $sleeps ), $this->body( $marker ) );

		$this->assertNull( $outcome['error'] );
		$this->assertSame( 'recovered', implode( '', $outcome['deltas'] ) );
		$this->assertCount( 1, $sleeps );
		$requests = Simulator::requests( $marker );
		$this->assertCount( 2, $requests );
		$this->assertSame( 503, $requests[0]['status'] );
	}

	public function test_a_silent_provider_times_out_as_upstream_timeout(): void {
		$marker = Simulator::marker( 'timeout' );
		Simulator::script(
			array(
				'match' => array( 'contains' => $marker ),
				'fault' => array(
					'type' => 'timeout',
					'ms'   => 4000,
				),
				'times' => 2,
			)
		);
		$sleeps  = array();
		$started = microtime( true );
		$error   = $this->chat_error( Simulator::client( $sleeps, array( 'total' => 1 ) ), $this->body( $marker ) );
		$this->assertSame( 'vvc_upstream_timeout', $error->vvc_code() );
		$this->assertSame( 504, $error->status() );
		$this->assertLessThan( 3.5, microtime( true ) - $started, 'the client gave up at its own timeout' );

		$outcome = $this->stream( Simulator::client( $sleeps, array( 'stream_idle' => 1 ) ), $this->body( $marker ) );
		$this->assertSame( 'vvc_upstream_timeout', $outcome['error']?->vvc_code() );
		$this->assertCount( 2, Simulator::requests( $marker ), 'a timeout is not retried' );
	}

	public function test_malformed_json_is_an_upstream_error(): void {
		$marker = Simulator::marker( 'malformed' );
		Simulator::script(
			array(
				'match' => array( 'contains' => $marker ),
				'fault' => array( 'type' => 'malformed_json' ),
				'times' => 2,
			)
		);
		$error = $this->chat_error( Simulator::client(), $this->body( $marker ) );
		$this->assertSame( 'vvc_upstream_error', $error->vvc_code() );
		$this->assertStringContainsString( 'not JSON', $error->detail() );

		$outcome = $this->stream( Simulator::client(), $this->body( $marker ) );
		$this->assertSame( 'vvc_upstream_error', $outcome['error']?->vvc_code() );
		$this->assertStringContainsString( 'not JSON', (string) $outcome['error']?->detail() );
	}

	public function test_a_cut_stream_after_some_text_is_an_error_and_is_not_retried(): void {
		$marker = Simulator::marker( 'cut' );
		Simulator::script(
			array(
				'match' => array( 'contains' => $marker ),
				'reply' => array( 'content' => 'This answer will be cut off in the middle of its sentence ' . $marker ),
				'fault' => array(
					'type'         => 'cut_stream',
					'after_chunks' => 3,
				),
			)
		);
		$sleeps  = array();
		$outcome = $this->stream( Simulator::client( $sleeps ), $this->body( $marker ) );

		$this->assertNotEmpty( $outcome['deltas'], 'the text before the cut was handed over' );
		$this->assertSame( 'vvc_upstream_error', $outcome['error']?->vvc_code() );
		$this->assertSame( array(), $sleeps );
		$requests = Simulator::requests( $marker );
		$this->assertCount( 1, $requests );
		$this->assertSame( 'cut', $requests[0]['outcome'] );
	}

	public function test_list_models_reads_the_models_list(): void {
		$before = Simulator::request_count();
		$models = Simulator::client()->list_models();
		$this->assertGreaterThan( 5, count( $models ) );
		$ids = array_column( $models, 'id' );
		$this->assertContains( 'gpt-5.4-mini', $ids );
		$this->assertGreaterThan( $before, Simulator::request_count() );
	}

	public function test_no_key_means_not_configured_and_no_request(): void {
		update_option(
			Settings::OPTION,
			array(
				'base_url'   => Simulator::base_url(),
				'key_choice' => 'plugin',
			)
		);
		delete_option( Api_Key_Store::OPTION );
		( new Error_Log() )->clear();
		$marker = Simulator::marker( 'nokey' );
		$error  = $this->chat_error( Simulator::client(), $this->body( $marker ) );

		$this->assertSame( 'vvc_not_configured', $error->vvc_code() );
		$this->assertSame( 503, $error->status() );
		$this->assertSame( array(), Simulator::requests( $marker ) );
		$this->assertFalse( get_option( Error_Log::OPTION ), 'visitors on an unconfigured site write nothing' );
	}

	public function test_an_unreachable_provider_is_retried_then_an_upstream_error(): void {
		Simulator::configure( self::KEY, array( 'base_url' => 'http://127.0.0.1:9/v1' ) );
		$sleeps = array();
		$error  = $this->chat_error( Simulator::client( $sleeps ), $this->body( 'x' ) );
		$this->assertSame( 'vvc_upstream_error', $error->vvc_code() );
		$this->assertCount( 2, $sleeps, 'connection refused is worth a retry' );

		$sleeps  = array();
		$outcome = $this->stream( Simulator::client( $sleeps ), $this->body( 'x' ) );
		$this->assertSame( 'vvc_upstream_error', $outcome['error']?->vvc_code() );
		$this->assertCount( 2, $sleeps );
	}

	public function test_streaming_honours_the_sites_block_external_policy(): void {
		// WP_HTTP_BLOCK_EXTERNAL is on in the test site; only 127.0.0.1 is accessible.
		Simulator::configure( self::KEY, array( 'base_url' => 'http://192.0.2.10/v1' ) );
		$outcome = $this->stream( Simulator::client(), $this->body( 'x' ) );
		$this->assertSame( 'vvc_upstream_error', $outcome['error']?->vvc_code() );
		$this->assertStringContainsString( 'WP_HTTP_BLOCK_EXTERNAL', (string) $outcome['error']?->detail() );
	}

	public function test_only_the_final_failure_is_logged_with_its_context(): void {
		$marker = Simulator::marker( 'log' );
		Simulator::script(
			array(
				'match' => array( 'contains' => $marker ),
				'fault' => array( 'type' => 'server_error' ),
				'times' => 3,
			)
		);
		( new Error_Log() )->clear();
		$this->chat_error( Simulator::client(), $this->body( $marker ) );

		$log = ( new Error_Log() )->recent( 50 );
		$this->assertCount( 1, $log );
		$this->assertSame( 3, $log[0]['context']['attempts'] );
		$this->assertSame( 500, $log[0]['context']['http_status'] );
		$this->assertSame( 'gpt-5.4-mini', $log[0]['context']['model'] );
		$this->assertSame( Simulator::base_url() . '/chat/completions', $log[0]['context']['endpoint'] );
	}
}
