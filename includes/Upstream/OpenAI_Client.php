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
 * Voice: transcribe() and speech() send a visitor's recording and fetch spoken replies;
 * speech_stream() hands audio bytes over as they arrive; chat_stream_with_transcription() runs
 * a transcription in parallel with a streamed (audio) chat completion, so the native voice
 * pipeline gets the visitor's words without waiting for them. Chat with audio in or out is an
 * ordinary chat()/chat_stream() body (`input_audio` parts, `modalities`, `audio`); streamed
 * audio pieces reach $on_delta inside the chunk.
 *
 * @phpstan-type Stream_Result array{finish_reason: string, usage: array<string, mixed>|null, aborted: bool, request_id: string}
 * @phpstan-type Transcript array{text: string, usage: array<string, mixed>|null}
 * @phpstan-type Raw_Response array{status: int, body: string, headers: array<string, string>}
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
	 * @param array<string, mixed>    $body     Request body; stream options are added.
	 * @param callable                $on_delta Receives each non-empty text delta.
	 * @param (callable(): bool)|null $still_wanted Asked while no text was handed over yet: false
	 *                                              when the visitor left (stops the call, no retry).
	 * @phpstan-param callable(string, array<string, mixed>): (bool|null) $on_delta
	 * @return Stream_Result
	 * @throws Upstream_Error When the call fails; retried only while no text was handed over.
	 */
	public function chat_stream( array $body, callable $on_delta, ?callable $still_wanted = null ): array {
		$body['stream']         = true;
		$body['stream_options'] = array( 'include_usage' => true );
		$delivered              = false;
		$deliver                = static function ( string $text, array $chunk ) use ( $on_delta, &$delivered ): bool {
			$delivered = true;
			return false !== $on_delta( $text, $chunk );
		};
		// Until the first text goes out, writing it is not there to tell us the visitor left:
		// ask the caller (about once a second, and before any retry) instead.
		$waiting = null === $still_wanted ? null : static function () use ( $still_wanted, &$delivered ): bool {
			return $delivered || false !== $still_wanted();
		};
		return $this->with_retries(
			'/chat/completions',
			$body,
			fn ( string $key ): array => $this->request_stream( $body, $key, $deliver, $waiting ),
			static function () use ( &$delivered, $waiting ): bool {
				return ! $delivered && ( null === $waiting || $waiting() );
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
	 * POST /audio/transcriptions: a recording, sent as multipart built in memory.
	 *
	 * @param string                               $audio    Recording bytes (already validated).
	 * @param string                               $filename voice.mp3 or voice.wav: the extension must match the content.
	 * @param array<string, string|int|float|bool> $fields   model, response_format (json), prompt, ...
	 * @return Transcript
	 * @throws Upstream_Error When the call fails after any retries.
	 */
	public function transcribe( string $audio, string $filename, array $fields ): array {
		$multipart = new Multipart_Body( $fields, 'file', $filename, self::audio_mime( $filename ), $audio );
		$answer    = $this->with_retries(
			'/audio/transcriptions',
			$fields,
			fn ( string $key ): array => $this->decode_json( $this->request_raw( 'POST', '/audio/transcriptions', $multipart->body(), $multipart->content_type(), $key ) )
		);
		return $this->transcript_of( $answer, $fields );
	}

	/**
	 * POST /audio/speech, answered with the whole audio file.
	 *
	 * Models that can (see Speech_Events) answer as events, which carry the billed usage.
	 *
	 * @param array<string, mixed>      $body  model, input, voice, instructions, response_format, speed.
	 * @param array<string, mixed>|null $usage Receives the provider's usage, or null when it reported none.
	 * @return string The audio bytes.
	 * @throws Upstream_Error When the call fails after any retries.
	 */
	public function speech( array $body, ?array &$usage = null ): string {
		$usage  = null;
		$events = self::speech_events( $body );
		$json   = (string) wp_json_encode( $body, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
		$answer = $this->with_retries(
			'/audio/speech',
			$body,
			fn ( string $key ): array => $this->request_raw( 'POST', '/audio/speech', $json, 'application/json', $key, '*/*' )
		);
		if ( '' === $answer['body'] || str_starts_with( strtolower( $answer['headers']['content-type'] ?? '' ), 'application/json' ) ) {
			$error = Upstream_Error::malformed( 'speech answer without audio (' . ( $answer['headers']['content-type'] ?? 'no content type' ) . ')', $answer['status'], $answer['headers']['x-request-id'] ?? '' );
			$this->record( $error, '/audio/speech', $body, 1 );
			throw $error;
		}
		if ( null === $events ) {
			return $answer['body'];
		}
		$audio = $events->feed( $answer['body'] . "\n\n" );
		$usage = $events->usage();
		return $audio;
	}

	/**
	 * Asks for speech as an event stream when the model offers one (the usage comes with
	 * it), otherwise as raw audio.
	 *
	 * @param array<string, mixed> $body Speech request body; stream_format is set here.
	 * @return Speech_Events|null The decoder for an event stream, null for raw audio.
	 */
	private static function speech_events( array &$body ): ?Speech_Events {
		unset( $body['stream_format'] );
		if ( ! Speech_Events::supported( (string) ( $body['model'] ?? '' ) ) ) {
			return null;
		}
		$body['stream_format'] = 'sse';
		return new Speech_Events();
	}

	/**
	 * POST /audio/speech, handing the audio bytes over while the provider sends them (as
	 * events decoded here where the model offers them, else raw chunked audio), so a visitor
	 * hears the start before the end exists.
	 *
	 * @param array<string, mixed>      $body     model, input, voice, instructions, response_format, speed.
	 * @param callable                  $on_audio Receives each piece of bytes; false stops reading.
	 * @param array<string, mixed>|null $usage    Receives the provider's usage, or null when it reported none.
	 * @phpstan-param callable(string): (bool|null) $on_audio
	 * @return bool False when the visitor went away (or $on_audio said stop), true when complete.
	 * @throws Upstream_Error When the call fails; retried only while no byte was handed over.
	 */
	public function speech_stream( array $body, callable $on_audio, ?array &$usage = null ): bool {
		$usage     = null;
		$events    = self::speech_events( $body );
		$delivered = false;
		$deliver   = static function ( string $bytes ) use ( $on_audio, $events, &$delivered, &$usage ): bool {
			if ( null !== $events ) {
				$bytes = $events->feed( $bytes );
				$usage = $events->usage();
				if ( '' === $bytes ) {
					return true;
				}
			}
			$delivered = true;
			return false !== $on_audio( $bytes );
		};
		return $this->with_retries(
			'/audio/speech',
			$body,
			fn ( string $key ): bool => $this->request_audio_stream( $body, $key, $deliver ),
			static function () use ( &$delivered ): bool {
				return ! $delivered;
			}
		);
	}

	/**
	 * A streamed chat completion (as chat_stream()) while a transcription of the same recording
	 * runs in parallel on a second connection.
	 *
	 * $on_transcript is called once, as soon as the transcription is done: with its text and usage, or
	 * with null when it failed (the failure is logged for the admin; the answer goes on). That
	 * may be before or after the first $on_delta call.
	 *
	 * @param array<string, mixed>                 $body          Chat request body; stream options are added.
	 * @param callable                             $on_delta      As for chat_stream().
	 * @param string                               $audio         Recording bytes.
	 * @param string                               $filename      voice.mp3 or voice.wav.
	 * @param array<string, string|int|float|bool> $fields        Transcription fields (model, response_format, ...).
	 * @param callable                             $on_transcript Receives the transcript text or null.
	 * @phpstan-param callable(string, array<string, mixed>): (bool|null) $on_delta
	 * @phpstan-param callable(string|null, array<string, mixed>|null=): void $on_transcript
	 * @return Stream_Result
	 * @throws Upstream_Error When the chat call fails; retried only while nothing was handed over.
	 */
	public function chat_stream_with_transcription( array $body, callable $on_delta, string $audio, string $filename, array $fields, callable $on_transcript ): array {
		$body['stream']         = true;
		$body['stream_options'] = array( 'include_usage' => true );
		$delivered              = false;
		$deliver                = static function ( string $text, array $chunk ) use ( $on_delta, &$delivered ): bool {
			$delivered = true;
			return false !== $on_delta( $text, $chunk );
		};
		$multipart              = new Multipart_Body( $fields, 'file', $filename, self::audio_mime( $filename ), $audio );
		$transcribing           = true;
		return $this->with_retries(
			'/chat/completions',
			$body,
			function ( string $key ) use ( $body, $deliver, $multipart, $fields, $on_transcript, &$transcribing ): array {
				if ( ! $transcribing ) {
					return $this->request_stream( $body, $key, $deliver ); // A retry: the transcript is settled.
				}
				$transcribing = false;
				return $this->request_stream_alongside( $body, $key, $deliver, $multipart, $fields, $on_transcript );
			},
			static function () use ( &$delivered ): bool {
				return ! $delivered;
			}
		);
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
	 * @param string $key    API key.
	 * @param string $accept Accept header (speech answers are audio).
	 * @return array<string, string>
	 */
	private function headers( string $key, string $accept = 'application/json' ): array {
		$headers      = array(
			'Authorization' => 'Bearer ' . $key,
			'Accept'        => $accept,
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
		$raw = null === $body ? null : (string) wp_json_encode( $body, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
		return $this->decode_json( $this->request_raw( $method, $path, $raw, 'application/json', $key ) );
	}

	/**
	 * One request through WordPress's HTTP API; any answer but a 2xx is thrown.
	 *
	 * @param string      $method       HTTP method.
	 * @param string      $path         API path.
	 * @param string|null $body         Encoded body, or null.
	 * @param string      $content_type Its content type.
	 * @param string      $key          API key.
	 * @param string      $accept       Accept header.
	 * @return Raw_Response
	 * @throws Upstream_Error On any failure.
	 */
	private function request_raw( string $method, string $path, ?string $body, string $content_type, string $key, string $accept = 'application/json' ): array {
		$args = array(
			'method'              => $method,
			'headers'             => $this->headers( $key, $accept ),
			'timeout'             => $this->timeouts['total'],
			// Never follow a redirect: it could carry the Authorization header to another host.
			'redirection'         => 0,
			'user-agent'          => $this->user_agent(),
			'limit_response_size' => self::MAX_RESPONSE_BYTES,
		);
		if ( null !== $body ) {
			$args['headers']['Content-Type'] = $content_type;
			$args['body']                    = $body;
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
		return array(
			'status'  => $status,
			'body'    => $raw,
			'headers' => $header_map,
		);
	}

	/**
	 * The JSON document of a successful answer.
	 *
	 * @param array $response Answer.
	 * @phpstan-param Raw_Response $response
	 * @return array<string, mixed>
	 * @throws Upstream_Error When it is not a JSON object.
	 */
	private function decode_json( array $response ): array {
		$decoded = json_decode( $response['body'], true );
		if ( ! is_array( $decoded ) ) {
			throw Upstream_Error::malformed(
				sprintf( 'HTTP %d answer is not JSON (%s): %s', $response['status'], json_last_error_msg(), Upstream_Error::scrub( substr( $response['body'], 0, 120 ), $this->keys->key() ) ),
				$response['status'],
				$response['headers']['x-request-id'] ?? ''
			);
		}
		return $decoded;
	}

	/**
	 * The transcript in a transcription answer.
	 *
	 * @param array<string, mixed>                 $answer Decoded answer.
	 * @param array<string, string|int|float|bool> $fields Request fields, for the log.
	 * @return Transcript
	 * @throws Upstream_Error When there is no text.
	 */
	private function transcript_of( array $answer, array $fields ): array {
		if ( ! isset( $answer['text'] ) || ! is_string( $answer['text'] ) ) {
			$error = Upstream_Error::malformed( 'transcription without text' );
			$this->record( $error, '/audio/transcriptions', $fields, 1 );
			throw $error;
		}
		return array(
			'text'  => trim( $answer['text'] ),
			'usage' => isset( $answer['usage'] ) && is_array( $answer['usage'] ) ? $answer['usage'] : null,
		);
	}

	/**
	 * Content type of a recording, from its (server-chosen) file name.
	 *
	 * @param string $filename voice.mp3 or voice.wav.
	 */
	private static function audio_mime( string $filename ): string {
		return str_ends_with( strtolower( $filename ), '.wav' ) ? 'audio/wav' : 'audio/mpeg';
	}

	/**
	 * Options every direct curl request shares: method, body, headers, no redirects,
	 * http(s) only, connect timeout, and the site's CA bundle and proxy (as WordPress's HTTP
	 * API would use them).
	 *
	 * @param string                $url     Absolute URL.
	 * @param array<string, string> $headers Header map.
	 * @param string                $body    Request body.
	 * @return array<int, mixed>
	 * @throws Upstream_Error When the site blocks the host.
	 */
	private function curl_options( string $url, array $headers, string $body ): array {
		if ( _wp_http_get_object()->block_request( $url ) ) {
			throw Upstream_Error::transport( 'The site blocks requests to this host (WP_HTTP_BLOCK_EXTERNAL; add it to WP_ACCESSIBLE_HOSTS): ' . $url );
		}
		$lines = array();
		foreach ( $headers as $name => $value ) {
			$lines[] = $name . ': ' . $value;
		}
		// No "Expect: 100-continue" round trip before a large body (an image or a recording).
		$lines[] = 'Expect:';

		$options = array(
			CURLOPT_POST           => true,
			CURLOPT_POSTFIELDS     => $body,
			CURLOPT_HTTPHEADER     => $lines,
			CURLOPT_USERAGENT      => $this->user_agent(),
			CURLOPT_FOLLOWLOCATION => false,
			CURLOPT_PROTOCOLS      => CURLPROTO_HTTP | CURLPROTO_HTTPS,
			CURLOPT_CONNECTTIMEOUT => $this->timeouts['connect'],
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
		return $options;
	}

	/**
	 * One streamed chat completion through curl.
	 *
	 * @param array<string, mixed>    $body    Request body with stream: true.
	 * @param string                  $key     API key.
	 * @param callable                $deliver Hands text on; false = stop.
	 * @param (callable(): bool)|null $still_wanted False when the visitor left (see chat_stream()).
	 * @phpstan-param callable(string, array<string, mixed>): bool $deliver
	 * @return Stream_Result
	 * @throws Upstream_Error On any failure.
	 */
	private function request_stream( array $body, string $key, callable $deliver, ?callable $still_wanted = null ): array {
		$state = new Stream_State( $key );
		$curl  = $this->stream_handle( $body, $key, $state, $deliver, $still_wanted );
		// phpcs:disable WordPress.WP.AlternativeFunctions -- WordPress's HTTP API cannot stream to a callback (see the class comment).
		curl_exec( $curl );
		$errno   = curl_errno( $curl );
		$message = curl_error( $curl );
		curl_close( $curl );
		// phpcs:enable WordPress.WP.AlternativeFunctions

		return $state->result( $errno, $message, $this->timeouts, $deliver );
	}

	/**
	 * A curl handle for a streamed chat completion, feeding a Stream_State.
	 *
	 * @param array<string, mixed>    $body    Request body with stream: true.
	 * @param string                  $key     API key.
	 * @param Stream_State            $state   Receives headers and chunks.
	 * @param callable                $deliver Hands text on; false = stop.
	 * @param (callable(): bool)|null $still_wanted False when the visitor left (see chat_stream()).
	 * @phpstan-param callable(string, array<string, mixed>): bool $deliver
	 * @throws Upstream_Error When the request cannot be made.
	 */
	private function stream_handle( array $body, string $key, Stream_State $state, callable $deliver, ?callable $still_wanted = null ): \CurlHandle {
		$url     = $this->url( '/chat/completions' );
		$headers = array_merge(
			$this->headers( $key, 'text/event-stream' ),
			array( 'Content-Type' => 'application/json' )
		);
		$options = $this->curl_options( $url, $headers, (string) wp_json_encode( $body, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE ) );
		$idle    = (float) $this->timeouts['stream_idle'];

		$options[ CURLOPT_TIMEOUT ]        = $this->timeouts['stream_total'];
		$options[ CURLOPT_HEADERFUNCTION ] = static function ( $curl, string $line ) use ( $state ): int {
			$state->header_line( $line );
			return strlen( $line );
		};
		$options[ CURLOPT_WRITEFUNCTION ]  = static function ( $curl, string $data ) use ( $state, $deliver ): int {
			return $state->write( $data, $deliver ) ? strlen( $data ) : 0;
		};
		// Called about once a second even while no byte arrives: the place to notice an idle
		// provider (curl's own low-speed check averages over several seconds) or a visitor
		// who left.
		$options[ CURLOPT_NOPROGRESS ]       = false;
		$options[ CURLOPT_XFERINFOFUNCTION ] = static function () use ( $state, $idle, $still_wanted ): int {
			if ( null !== $still_wanted && ! $still_wanted() ) {
				$state->client_gone = true;
				return 1;
			}
			return $state->keep_going( $idle ) ? 0 : 1;
		};

		// phpcs:ignore WordPress.WP.AlternativeFunctions -- see the class comment.
		$curl = curl_init( $url );
		if ( false === $curl ) {
			throw Upstream_Error::transport( 'curl_init() failed' );
		}
		// phpcs:ignore WordPress.WP.AlternativeFunctions
		curl_setopt_array( $curl, $options );
		return $curl;
	}

	/**
	 * A streamed chat completion and a transcription on two connections at once (curl multi):
	 * the chat's chunks are handed over as they arrive, the transcript as soon as it is done.
	 *
	 * @param array<string, mixed>                 $body          Chat request body with stream: true.
	 * @param string                               $key           API key.
	 * @param callable                             $deliver       Hands chat pieces on; false = stop.
	 * @param Multipart_Body                       $multipart     The transcription request.
	 * @param array<string, string|int|float|bool> $fields        Its fields, for the log.
	 * @param callable                             $on_transcript Receives the transcript or null.
	 * @phpstan-param callable(string, array<string, mixed>): bool $deliver
	 * @phpstan-param callable(string|null, array<string, mixed>|null=): void $on_transcript
	 * @return Stream_Result
	 * @throws Upstream_Error When the chat call failed.
	 */
	private function request_stream_alongside( array $body, string $key, callable $deliver, Multipart_Body $multipart, array $fields, callable $on_transcript ): array {
		$state = new Stream_State( $key );
		$chat  = $this->stream_handle( $body, $key, $state, $deliver );

		$url                                 = $this->url( '/audio/transcriptions' );
		$options                             = $this->curl_options( $url, $this->headers( $key ) + array( 'Content-Type' => $multipart->content_type() ), $multipart->body() );
		$response_header                     = array();
		$options[ CURLOPT_RETURNTRANSFER ]   = true;
		$options[ CURLOPT_TIMEOUT ]          = $this->timeouts['total'];
		$options[ CURLOPT_HEADERFUNCTION ]   = static function ( $curl, string $line ) use ( &$response_header ): int {
			$colon = strpos( $line, ':' );
			if ( false !== $colon ) {
				$response_header[ strtolower( trim( substr( $line, 0, $colon ) ) ) ] = trim( substr( $line, $colon + 1 ) );
			}
			return strlen( $line );
		};
		$options[ CURLOPT_NOPROGRESS ]       = false;
		$options[ CURLOPT_XFERINFOFUNCTION ] = static fn (): int => connection_aborted() ? 1 : 0;

		// phpcs:disable WordPress.WP.AlternativeFunctions -- WordPress's HTTP API cannot run two requests while streaming one.
		$transcription = curl_init( $url );
		if ( false === $transcription ) {
			curl_close( $chat );
			throw Upstream_Error::transport( 'curl_init() failed' );
		}
		curl_setopt_array( $transcription, $options );

		$multi = curl_multi_init();
		curl_multi_add_handle( $multi, $chat );
		curl_multi_add_handle( $multi, $transcription );
		$results = array();
		do {
			$status = curl_multi_exec( $multi, $running );
			while ( false !== ( $done = curl_multi_info_read( $multi ) ) ) { // phpcs:ignore Generic.CodeAnalysis.AssignmentInCondition.FoundInWhileCondition, WordPress.CodeAnalysis.AssignmentInCondition.FoundInWhileCondition -- the documented way to drain curl's message queue.
				$handle = $done['handle'];
				if ( $handle === $transcription ) {
					$results['transcription'] = (int) $done['result'];
					$this->settle_transcript( $transcription, (int) $done['result'], $response_header, $key, $fields, $on_transcript );
				} else {
					$results['chat'] = (int) $done['result'];
				}
			}
			if ( $running > 0 ) {
				curl_multi_select( $multi, 0.2 );
			}
		} while ( $running > 0 && CURLM_OK === $status );

		if ( ! isset( $results['transcription'] ) ) {
			// curl multi failed as a whole; the transcript never came.
			$on_transcript( null );
		}
		$errno   = $results['chat'] ?? CURLE_RECV_ERROR;
		$message = curl_error( $chat );
		if ( '' === $message && 0 !== $errno ) {
			$message = curl_strerror( $errno ) ?? 'error ' . $errno;
		}
		curl_multi_remove_handle( $multi, $chat );
		curl_multi_remove_handle( $multi, $transcription );
		curl_multi_close( $multi );
		curl_close( $chat );
		curl_close( $transcription );
		// phpcs:enable WordPress.WP.AlternativeFunctions

		return $state->result( $errno, $message, $this->timeouts, $deliver );
	}

	/**
	 * Hands a parallel transcription's outcome over: the text, or null after logging why not.
	 *
	 * @param \CurlHandle                          $curl          The finished transcription.
	 * @param int                                  $errno         Its curl result.
	 * @param array<string, string>                $headers       Its response headers.
	 * @param string                               $key           API key, scrubbed from errors.
	 * @param array<string, string|int|float|bool> $fields        Its fields, for the log.
	 * @param callable                             $on_transcript Receives the text or null.
	 * @phpstan-param callable(string|null, array<string, mixed>|null=): void $on_transcript
	 */
	private function settle_transcript( \CurlHandle $curl, int $errno, array $headers, string $key, array $fields, callable $on_transcript ): void {
		// phpcs:disable WordPress.WP.AlternativeFunctions -- see request_stream_alongside().
		$status = (int) curl_getinfo( $curl, CURLINFO_RESPONSE_CODE );
		$body   = (string) curl_multi_getcontent( $curl );
		$detail = curl_error( $curl );
		// phpcs:enable WordPress.WP.AlternativeFunctions
		$failure = null;
		if ( 28 === $errno ) {
			$failure = Upstream_Error::timeout( sprintf( 'no transcription within %d s', $this->timeouts['total'] ) );
		} elseif ( 0 !== $errno ) {
			$failure = Upstream_Error::transport( sprintf( 'curl error %d: %s', $errno, $detail ), false, $key );
		} elseif ( $status < 200 || $status >= 300 ) {
			$failure = Upstream_Error::from_response( $status, $body, $headers, $key );
		} else {
			try {
				$answer     = $this->decode_json(
					array(
						'status'  => $status,
						'body'    => $body,
						'headers' => $headers,
					)
				);
				$transcript = $this->transcript_of( $answer, $fields );
				// The usage too: the provider billed this call, so the ledger must see it.
				$on_transcript( $transcript['text'], $transcript['usage'] );
				return;
			} catch ( Upstream_Error $error ) {
				$failure = $error;
			}
		}
		$this->record( $failure, '/audio/transcriptions', $fields, 1 );
		$on_transcript( null );
	}

	/**
	 * One streamed speech request through curl: audio bytes are handed over as they arrive.
	 *
	 * @param array<string, mixed> $body     Speech request body.
	 * @param string               $key      API key.
	 * @param callable             $on_audio Receives bytes; false = stop.
	 * @phpstan-param callable(string): bool $on_audio
	 * @return bool False when stopped early (the visitor left), true when complete.
	 * @throws Upstream_Error On any failure.
	 */
	private function request_audio_stream( array $body, string $key, callable $on_audio ): bool {
		$delivered = false;
		$url       = $this->url( '/audio/speech' );
		$headers   = array_merge( $this->headers( $key, '*/*' ), array( 'Content-Type' => 'application/json' ) );
		$options   = $this->curl_options( $url, $headers, (string) wp_json_encode( $body, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE ) );
		$idle      = (float) $this->timeouts['stream_idle'];
		$status    = 0;
		$head      = array();
		$error     = '';
		$stopped   = false;
		$last      = microtime( true );
		$is_idle   = false;

		$options[ CURLOPT_TIMEOUT ]          = $this->timeouts['stream_total'];
		$options[ CURLOPT_HEADERFUNCTION ]   = static function ( $curl, string $line ) use ( &$status, &$head, &$last ): int {
			$last = microtime( true );
			if ( preg_match( '#^HTTP/\S+\s+(\d{3})#', $line, $match ) ) {
				$status = (int) $match[1];
				$head   = array();
			} elseif ( false !== strpos( $line, ':' ) ) {
				list( $name, $value )                = explode( ':', $line, 2 );
				$head[ strtolower( trim( $name ) ) ] = trim( $value );
			}
			return strlen( $line );
		};
		$options[ CURLOPT_WRITEFUNCTION ]    = static function ( $curl, string $data ) use ( &$status, &$head, &$error, &$stopped, &$delivered, &$last, $on_audio ): int {
			$last = microtime( true );
			if ( $status < 200 || $status >= 300 || str_starts_with( strtolower( $head['content-type'] ?? '' ), 'application/json' ) ) {
				$error .= substr( $data, 0, max( 0, 65536 - strlen( $error ) ) ); // An error document; bounded.
				return strlen( $data );
			}
			$delivered = true;
			if ( false === $on_audio( $data ) ) {
				$stopped = true;
				return 0;
			}
			return strlen( $data );
		};
		$options[ CURLOPT_NOPROGRESS ]       = false;
		$options[ CURLOPT_XFERINFOFUNCTION ] = static function () use ( &$stopped, &$last, &$is_idle, $idle ): int {
			if ( connection_aborted() ) {
				$stopped = true;
				return 1;
			}
			if ( microtime( true ) - $last > $idle ) {
				$is_idle = true;
				return 1;
			}
			return 0;
		};

		// phpcs:disable WordPress.WP.AlternativeFunctions -- WordPress's HTTP API cannot stream to a callback (see the class comment).
		$curl = curl_init( $url );
		if ( false === $curl ) {
			throw Upstream_Error::transport( 'curl_init() failed' );
		}
		curl_setopt_array( $curl, $options );
		curl_exec( $curl );
		$errno   = curl_errno( $curl );
		$message = curl_error( $curl );
		curl_close( $curl );
		// phpcs:enable WordPress.WP.AlternativeFunctions

		if ( $stopped ) {
			return false;
		}
		if ( $status >= 300 ) {
			throw Upstream_Error::from_response( $status, $error, $head, $key );
		}
		if ( $is_idle ) {
			throw Upstream_Error::timeout( sprintf( 'the speech stream sent nothing for %d s', $this->timeouts['stream_idle'] ) );
		}
		if ( 28 === $errno ) {
			throw Upstream_Error::timeout( sprintf( 'the speech stream ran past %d s (%s)', $this->timeouts['stream_total'], $message ) );
		}
		if ( 0 !== $errno ) {
			if ( 0 === $status ) {
				throw Upstream_Error::transport( sprintf( 'curl error %d: %s', $errno, $message ), in_array( $errno, array( 6, 7, 52, 56 ), true ), $key );
			}
			throw Upstream_Error::malformed( sprintf( 'the speech stream was cut (curl error %d: %s)', $errno, $message ), $status, $head['x-request-id'] ?? '' );
		}
		if ( $status < 200 || ! $delivered ) {
			throw Upstream_Error::malformed( sprintf( 'speech answer without audio (HTTP %d, %s): %s', $status, $head['content-type'] ?? 'no content type', Upstream_Error::scrub( substr( $error, 0, 120 ), $key ) ), $status, $head['x-request-id'] ?? '' );
		}
		return true;
	}
}
