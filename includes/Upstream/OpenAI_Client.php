<?php
/**
 * The one place that talks HTTP to the provider (OpenAI or an OpenAI-compatible server).
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Upstream;

use VoiceVisionChat\Security\Api_Key_Store;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Support\Error_Log;

defined( 'ABSPATH' ) || exit;

/**
 * Calls the provider with the server's key: JSON requests through WordPress's HTTP API, streamed
 * chat completions through curl.
 *
 * Why two transports: WordPress's HTTP API returns a response only once it is complete, so it
 * cannot hand tokens to the visitor while they arrive; curl's write callback can. The streaming
 * path still honours the site's HTTP policy (WP_HTTP_BLOCK_EXTERNAL, proxy constants, the CA
 * bundle WordPress ships) so both paths behave alike.
 *
 * Failures are retried with exponential backoff (0.5 s doubling, jitter, cap 8 s, at most two
 * retries) when the provider says a retry may help (408, 409, 429, 5xx, no connection), waiting
 * what Retry-After asks when it says; never for insufficient_quota, never once streamed text has
 * reached the visitor. The final failure is logged for the admin and thrown as Upstream_Error.
 *
 * @phpstan-type Stream_Result array{finish_reason: string, usage: array<string, mixed>|null, aborted: bool, request_id: string}
 * @phpstan-type Timeouts array{connect: int, total: int, stream_total: int, stream_idle: int}
 */
final class OpenAI_Client {

	/**
	 * Retries after the first attempt.
	 */
	public const MAX_RETRIES = 2;

	/**
	 * First backoff delay in seconds; doubles per retry.
	 */
	public const BACKOFF_INITIAL = 0.5;

	/**
	 * Longest wait between attempts. A Retry-After beyond it is not waited for at all: holding a
	 * visitor's request longer than that helps nobody, so the error is returned at once.
	 */
	public const BACKOFF_CAP = 8.0;

	/**
	 * Largest JSON answer read, in bytes (a completion or the models list is far smaller).
	 */
	private const MAX_RESPONSE_BYTES = 8388608;

	/**
	 * Default timeouts in seconds. A stream is bounded by its idle time (no byte for that long)
	 * and a generous total, so a long answer that keeps flowing is not cut at 60 s.
	 *
	 * @var Timeouts
	 */
	private const DEFAULT_TIMEOUTS = array(
		'connect'      => 10,
		'total'        => 60,
		'stream_total' => 300,
		'stream_idle'  => 30,
	);

	/**
	 * Settings: base URL, organization, project.
	 *
	 * @var Settings
	 */
	private Settings $settings;

	/**
	 * Resolves the API key.
	 *
	 * @var Api_Key_Store
	 */
	private Api_Key_Store $keys;

	/**
	 * Admin error log.
	 *
	 * @var Error_Log
	 */
	private Error_Log $log;

	/**
	 * Waits between attempts; replaced in tests so they do not sleep.
	 *
	 * @var callable(float): void
	 */
	private $sleeper;

	/**
	 * Timeouts in seconds.
	 *
	 * @var Timeouts
	 */
	private array $timeouts;

	/**
	 * Stores collaborators.
	 *
	 * @param Settings                     $settings Plugin settings.
	 * @param Api_Key_Store                $keys     API key resolver.
	 * @param Error_Log                    $log      Where failures are recorded for the admin.
	 * @param (callable(float): void)|null $sleeper  Waits the given seconds; usleep() when null.
	 * @param array<string, int>           $timeouts Overrides of connect, total, stream_total, stream_idle (seconds).
	 */
	public function __construct( Settings $settings, Api_Key_Store $keys, Error_Log $log, ?callable $sleeper = null, array $timeouts = array() ) {
		$this->settings = $settings;
		$this->keys     = $keys;
		$this->log      = $log;
		$this->sleeper  = $sleeper ?? static function ( float $seconds ): void {
			usleep( (int) round( $seconds * 1000000 ) );
		};
		$merged         = self::DEFAULT_TIMEOUTS;
		foreach ( $merged as $name => $default ) {
			if ( isset( $timeouts[ $name ] ) && $timeouts[ $name ] > 0 ) {
				$merged[ $name ] = (int) $timeouts[ $name ];
			}
		}
		$this->timeouts = $merged;
	}

	/**
	 * The provider's base URL, without a trailing slash.
	 */
	public function base_url(): string {
		return untrailingslashit( (string) $this->settings->get( 'base_url' ) );
	}

	/**
	 * POST /chat/completions, answered as one JSON document.
	 *
	 * @param array<string, mixed> $body Request body (model, messages, max_completion_tokens, ...).
	 * @return array<string, mixed> The completion; `choices[0].message` is guaranteed to be an array.
	 * @throws Upstream_Error When the call fails after any retries.
	 */
	public function chat( array $body ): array {
		unset( $body['stream'], $body['stream_options'] );
		$completion = $this->with_retries(
			'/chat/completions',
			$body,
			fn ( string $key ): array => $this->request_json( 'POST', '/chat/completions', $body, $key )
		);
		if ( ! isset( $completion['choices'][0]['message'] ) || ! is_array( $completion['choices'][0]['message'] ) ) {
			$error = Upstream_Error::malformed( 'chat completion without choices[0].message' );
			$this->record( $error, '/chat/completions', $body, 1 );
			throw $error;
		}
		return $completion;
	}

	/**
	 * POST /chat/completions with `stream: true`, handing each piece of text over as it arrives.
	 *
	 * $on_delta gets the text and the raw chunk; returning false stops reading, which closes the
	 * connection so the provider stops generating (and billing) too. The same happens when PHP
	 * notices that the visitor's connection is gone.
	 *
	 * @param array<string, mixed> $body     Request body; stream options are added.
	 * @param callable             $on_delta Receives each non-empty text delta.
	 * @phpstan-param callable(string, array<string, mixed>): (bool|null) $on_delta
	 * @return Stream_Result
	 * @throws Upstream_Error When the call fails; retried only while no text was handed over.
	 */
	public function chat_stream( array $body, callable $on_delta ): array {
		$body['stream']         = true;
		$body['stream_options'] = array( 'include_usage' => true );
		$delivered              = false;
		$deliver                = static function ( string $text, array $chunk ) use ( $on_delta, &$delivered ): bool {
			$delivered = true;
			return false !== $on_delta( $text, $chunk );
		};
		return $this->with_retries(
			'/chat/completions',
			$body,
			fn ( string $key ): array => $this->request_stream( $body, $key, $deliver ),
			static function () use ( &$delivered ): bool {
				return ! $delivered;
			}
		);
	}

	/**
	 * GET /models.
	 *
	 * @return list<array<string, mixed>> The models the key may use (`id`, `owned_by`, ...).
	 * @throws Upstream_Error When the call fails after any retries.
	 */
	public function list_models(): array {
		$answer = $this->with_retries(
			'/models',
			array(),
			fn ( string $key ): array => $this->request_json( 'GET', '/models', null, $key )
		);
		if ( ! isset( $answer['data'] ) || ! is_array( $answer['data'] ) || ! array_is_list( $answer['data'] ) ) {
			$error = Upstream_Error::malformed( 'models list without a data array' );
			$this->record( $error, '/models', array(), 1 );
			throw $error;
		}
		return array_values( array_filter( $answer['data'], 'is_array' ) );
	}

	/**
	 * Runs one call with the retry policy, and logs the final failure.
	 *
	 * @template T
	 * @param string                  $path      API path, for the log.
	 * @param array<string, mixed>    $body      Request body, for the log (the model).
	 * @param callable(string): T     $attempt   Performs one attempt with the key.
	 * @param (callable(): bool)|null $may_retry Extra condition for a retry (a stream must not have delivered text).
	 * @return T
	 * @throws Upstream_Error The last failure.
	 */
	private function with_retries( string $path, array $body, callable $attempt, ?callable $may_retry = null ) {
		$key = $this->keys->key();
		if ( '' === $key ) {
			// Not logged: the settings page already says so, and every visitor's attempt on an
			// unconfigured site would otherwise write the log option.
			throw Upstream_Error::not_configured();
		}
		for ( $retry = 0; ; ++$retry ) {
			try {
				return $attempt( $key );
			} catch ( Upstream_Error $error ) {
				$delay = $this->retry_delay( $error, $retry );
				if ( null === $delay || ( null !== $may_retry && ! $may_retry() ) ) {
					$this->record( $error, $path, $body, $retry + 1 );
					throw $error;
				}
				( $this->sleeper )( $delay );
			}
		}
	}

	/**
	 * Seconds to wait before retry number $retry + 1, or null when no retry should happen.
	 *
	 * @param Upstream_Error $error Failure of the last attempt.
	 * @param int            $retry Retries already made.
	 */
	private function retry_delay( Upstream_Error $error, int $retry ): ?float {
		if ( ! $error->is_retryable() || $retry >= self::MAX_RETRIES ) {
			return null;
		}
		$asked = $error->retry_after();
		if ( null !== $asked ) {
			return $asked <= self::BACKOFF_CAP ? $asked : null;
		}
		$delay  = min( self::BACKOFF_INITIAL * ( 2 ** $retry ), self::BACKOFF_CAP );
		$jitter = 1 - wp_rand( 0, 250 ) / 1000;
		return $delay * $jitter;
	}

	/**
	 * Records a final failure for the admin.
	 *
	 * @param Upstream_Error       $error    The failure.
	 * @param string               $path     API path.
	 * @param array<string, mixed> $body     Request body (only the model is logged).
	 * @param int                  $attempts Attempts made.
	 */
	private function record( Upstream_Error $error, string $path, array $body, int $attempts ): void {
		$context = $error->log_context() + array(
			'endpoint' => $this->base_url() . $path,
			'attempts' => $attempts,
		);
		if ( isset( $body['model'] ) && is_string( $body['model'] ) ) {
			$context['model'] = $body['model'];
		}
		$this->log->record( $error->vvc_code(), $error->detail(), $context );
	}

	/**
	 * Headers of every request.
	 *
	 * @param string $key API key.
	 * @return array<string, string>
	 */
	private function headers( string $key ): array {
		$headers      = array(
			'Authorization' => 'Bearer ' . $key,
			'Accept'        => 'application/json',
		);
		$organization = (string) $this->settings->get( 'organization' );
		$project      = (string) $this->settings->get( 'project' );
		if ( '' !== $organization ) {
			$headers['OpenAI-Organization'] = $organization;
		}
		if ( '' !== $project ) {
			$headers['OpenAI-Project'] = $project;
		}
		return $headers;
	}

	/**
	 * Absolute URL of an API path, refusing anything but http(s).
	 *
	 * @param string $path API path starting with a slash.
	 * @throws Upstream_Error When the base URL is not usable.
	 */
	private function url( string $path ): string {
		$base = $this->base_url();
		if ( ! preg_match( '#^https?://[^/]#i', $base ) ) {
			throw Upstream_Error::transport( 'The base URL is not an http(s) URL: ' . $base );
		}
		return $base . $path;
	}

	/**
	 * User-Agent of every request (no site URL: the provider does not need it).
	 */
	private function user_agent(): string {
		return 'VoiceVisionChat/' . VVC_VERSION . ' WordPress/' . get_bloginfo( 'version' );
	}

	/**
	 * One JSON request through WordPress's HTTP API.
	 *
	 * @param string                    $method HTTP method.
	 * @param string                    $path   API path.
	 * @param array<string, mixed>|null $body   JSON body, or null.
	 * @param string                    $key    API key.
	 * @return array<string, mixed> Decoded answer.
	 * @throws Upstream_Error On any failure.
	 */
	private function request_json( string $method, string $path, ?array $body, string $key ): array {
		$headers = $this->headers( $key );
		$args    = array(
			'method'              => $method,
			'headers'             => $headers,
			'timeout'             => $this->timeouts['total'],
			// Never follow a redirect: it could carry the Authorization header to another host.
			'redirection'         => 0,
			'user-agent'          => $this->user_agent(),
			'limit_response_size' => self::MAX_RESPONSE_BYTES,
		);
		if ( null !== $body ) {
			$args['headers']['Content-Type'] = 'application/json';
			$args['body']                    = (string) wp_json_encode( $body, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
		}

		// Not wp_safe_remote_request(): the base URL is the admin's choice and may be a local
		// server on any port; the site's WP_HTTP_BLOCK_EXTERNAL policy still applies.
		$response = wp_remote_request( $this->url( $path ), $args );
		if ( is_wp_error( $response ) ) {
			$message = $response->get_error_message();
			if ( preg_match( '/cURL error 28|timed out|timeout/i', $message ) ) {
				throw Upstream_Error::timeout( sprintf( 'no complete answer within %d s: %s', $this->timeouts['total'], $message ) );
			}
			// cURL 6/7: name not resolved, connection refused. Worth another try; a policy block is not.
			$retryable = (bool) preg_match( '/cURL error (6|7|52|56):/', $message );
			throw Upstream_Error::transport( 'HTTP request failed: ' . $message, $retryable, $key );
		}

		$status     = (int) wp_remote_retrieve_response_code( $response );
		$raw        = (string) wp_remote_retrieve_body( $response );
		$header_map = array();
		foreach ( array( 'x-request-id', 'retry-after', 'retry-after-ms', 'content-type' ) as $name ) {
			$value = wp_remote_retrieve_header( $response, $name );
			$value = is_array( $value ) ? (string) end( $value ) : (string) $value;
			if ( '' !== $value ) {
				$header_map[ $name ] = $value;
			}
		}
		if ( $status < 200 || $status >= 300 ) { // A redirect is not followed (see above), so it is a failure too.
			throw Upstream_Error::from_response( $status, $raw, $header_map, $key );
		}
		$decoded = json_decode( $raw, true );
		if ( ! is_array( $decoded ) ) {
			throw Upstream_Error::malformed(
				sprintf( 'HTTP %d answer is not JSON (%s): %s', $status, json_last_error_msg(), Upstream_Error::scrub( substr( $raw, 0, 120 ), $key ) ),
				$status,
				$header_map['x-request-id'] ?? ''
			);
		}
		return $decoded;
	}

	/**
	 * One streamed chat completion through curl.
	 *
	 * @param array<string, mixed> $body    Request body with stream: true.
	 * @param string               $key     API key.
	 * @param callable             $deliver Hands text on; false = stop.
	 * @phpstan-param callable(string, array<string, mixed>): bool $deliver
	 * @return Stream_Result
	 * @throws Upstream_Error On any failure.
	 */
	private function request_stream( array $body, string $key, callable $deliver ): array {
		$url = $this->url( '/chat/completions' );
		if ( _wp_http_get_object()->block_request( $url ) ) {
			throw Upstream_Error::transport( 'The site blocks requests to this host (WP_HTTP_BLOCK_EXTERNAL; add it to WP_ACCESSIBLE_HOSTS): ' . $url );
		}

		// phpcs:disable WordPress.WP.AlternativeFunctions -- WordPress's HTTP API cannot stream to a callback (see the class comment).
		$state = new Stream_State( $key );
		$idle  = (float) $this->timeouts['stream_idle'];
		$curl  = curl_init( $url );
		if ( false === $curl ) {
			throw Upstream_Error::transport( 'curl_init() failed' );
		}
		$header_map                 = $this->headers( $key );
		$header_map['Accept']       = 'text/event-stream';
		$header_map['Content-Type'] = 'application/json';
		$headers                    = array();
		foreach ( $header_map as $name => $value ) {
			$headers[] = $name . ': ' . $value;
		}
		// No "Expect: 100-continue" round trip before a large body (an image as a data URL).
		$headers[] = 'Expect:';

		$options = array(
			CURLOPT_POST             => true,
			CURLOPT_POSTFIELDS       => (string) wp_json_encode( $body, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE ),
			CURLOPT_HTTPHEADER       => $headers,
			CURLOPT_USERAGENT        => $this->user_agent(),
			CURLOPT_FOLLOWLOCATION   => false,
			CURLOPT_PROTOCOLS        => CURLPROTO_HTTP | CURLPROTO_HTTPS,
			CURLOPT_CONNECTTIMEOUT   => $this->timeouts['connect'],
			CURLOPT_TIMEOUT          => $this->timeouts['stream_total'],
			CURLOPT_HEADERFUNCTION   => static function ( $curl, string $line ) use ( $state ): int {
				$state->header_line( $line );
				return strlen( $line );
			},
			CURLOPT_WRITEFUNCTION    => static function ( $curl, string $data ) use ( $state, $deliver ): int {
				return $state->write( $data, $deliver ) ? strlen( $data ) : 0;
			},
			// Called about once a second even while no byte arrives: the place to notice an idle
			// provider (curl's own low-speed check averages over several seconds) or a visitor
			// who left.
			CURLOPT_NOPROGRESS       => false,
			CURLOPT_XFERINFOFUNCTION => static function () use ( $state, $idle ): int {
				return $state->keep_going( $idle ) ? 0 : 1;
			},
		);
		// The same CA bundle WordPress's HTTP API uses.
		$ca_bundle = ABSPATH . 'wp-includes/certificates/ca-bundle.crt';
		if ( is_readable( $ca_bundle ) ) {
			$options[ CURLOPT_CAINFO ] = $ca_bundle;
		}
		$proxy = new \WP_HTTP_Proxy();
		if ( $proxy->is_enabled() && $proxy->send_through_proxy( $url ) ) {
			$options[ CURLOPT_PROXY ]     = $proxy->host();
			$options[ CURLOPT_PROXYPORT ] = (int) $proxy->port();
			if ( $proxy->use_authentication() ) {
				$options[ CURLOPT_PROXYUSERPWD ] = $proxy->authentication();
			}
		}
		foreach ( $options as $option => $value ) {
			curl_setopt( $curl, $option, $value );
		}
		curl_exec( $curl );
		$errno   = curl_errno( $curl );
		$message = curl_error( $curl );
		curl_close( $curl );
		// phpcs:enable WordPress.WP.AlternativeFunctions

		return $state->result( $errno, $message, $this->timeouts, $deliver );
	}
}
