<?php
/**
 * What one streamed chat completion has received so far.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Upstream;

defined( 'ABSPATH' ) || exit;

/**
 * Fed by curl's header and write callbacks during OpenAI_Client::chat_stream(); afterwards
 * turns what happened into a result or an Upstream_Error.
 *
 * Kept apart from the client so the parsing of chunks, the bounded buffers and the mapping of
 * curl outcomes read as one piece.
 *
 * @phpstan-import-type Stream_Result from OpenAI_Client
 */
final class Stream_State {

	/**
	 * Largest body kept when the answer is not a stream (an error, or a server that ignored
	 * `stream: true`).
	 */
	private const MAX_BODY_BYTES = 4194304;

	/**
	 * Set when the visitor went away (the delivery callback or connection_aborted() said so).
	 *
	 * @var bool
	 */
	public bool $client_gone = false;

	/**
	 * Set when the provider sent nothing for longer than the idle timeout.
	 *
	 * @var bool
	 */
	private bool $idle = false;

	/**
	 * When the last byte (header or body) arrived, from microtime( true ).
	 *
	 * @var float
	 */
	private float $last_activity;

	/**
	 * HTTP status of the final answer (0 until a status line arrived).
	 *
	 * @var int
	 */
	private int $status = 0;

	/**
	 * Response headers of the final answer, lower-case names.
	 *
	 * @var array<string, string>
	 */
	private array $headers = array();

	/**
	 * Body bytes kept when the answer is not an event stream.
	 *
	 * @var string
	 */
	private string $body = '';

	/**
	 * Whether the body was longer than MAX_BODY_BYTES.
	 *
	 * @var bool
	 */
	private bool $body_truncated = false;

	/**
	 * Event parser.
	 *
	 * @var Sse_Reader
	 */
	private Sse_Reader $reader;

	/**
	 * `finish_reason` of the first choice, once sent.
	 *
	 * @var string
	 */
	private string $finish_reason = '';

	/**
	 * The usage chunk (stream_options.include_usage), once sent.
	 *
	 * @var array<string, mixed>|null
	 */
	private ?array $usage = null;

	/**
	 * Whether `data: [DONE]` arrived.
	 *
	 * @var bool
	 */
	private bool $done = false;

	/**
	 * Whether any text was handed to the visitor.
	 *
	 * @var bool
	 */
	private bool $delivered = false;

	/**
	 * A problem found in the stream itself, which stopped the transfer.
	 *
	 * @var Upstream_Error|null
	 */
	private ?Upstream_Error $problem = null;

	/**
	 * The API key, scrubbed from anything quoted.
	 *
	 * @var string
	 */
	private string $secret;

	/**
	 * Starts empty.
	 *
	 * @param string $secret The API key, to keep it out of error details.
	 */
	public function __construct( string $secret = '' ) {
		$this->reader        = new Sse_Reader();
		$this->secret        = $secret;
		$this->last_activity = microtime( true );
	}

	/**
	 * Progress check: false when the transfer should stop because the visitor left or the
	 * provider has been silent for too long.
	 *
	 * @param float $idle_seconds Longest silence accepted.
	 */
	public function keep_going( float $idle_seconds ): bool {
		if ( connection_aborted() ) {
			$this->client_gone = true;
			return false;
		}
		if ( microtime( true ) - $this->last_activity > $idle_seconds ) {
			$this->idle = true;
			return false;
		}
		return true;
	}

	/**
	 * One header line from curl (status lines included; a new one starts a new response, as
	 * after `100 Continue`).
	 *
	 * @param string $line Raw header line with its line break.
	 */
	public function header_line( string $line ): void {
		$this->last_activity = microtime( true );
		if ( preg_match( '#^HTTP/\S+\s+(\d{3})#', $line, $match ) ) {
			$this->status  = (int) $match[1];
			$this->headers = array();
			return;
		}
		$colon = strpos( $line, ':' );
		if ( false !== $colon ) {
			$this->headers[ strtolower( trim( substr( $line, 0, $colon ) ) ) ] = trim( substr( $line, $colon + 1 ) );
		}
	}

	/**
	 * Body bytes from curl.
	 *
	 * @param string   $data    Bytes as received.
	 * @param callable $deliver Hands text on; false = stop.
	 * @phpstan-param callable(string, array<string, mixed>): bool $deliver
	 * @return bool Whether to keep reading.
	 */
	public function write( string $data, callable $deliver ): bool {
		$this->last_activity = microtime( true );
		if ( ! $this->is_success() || ! $this->is_event_stream() ) {
			$room = self::MAX_BODY_BYTES - strlen( $this->body );
			if ( strlen( $data ) > $room ) {
				$this->body          .= substr( $data, 0, max( 0, $room ) );
				$this->body_truncated = true;
				return false;
			}
			$this->body .= $data;
			return true;
		}

		try {
			$events = $this->reader->feed( $data );
		} catch ( \LengthException $e ) {
			$this->problem = Upstream_Error::malformed( 'stream line too long: ' . $e->getMessage(), $this->status, $this->request_id() );
			return false;
		}
		foreach ( $events as $event ) {
			if ( ! $this->event( $event['data'], $deliver ) ) {
				return false;
			}
		}
		return true;
	}

	/**
	 * How the transfer ended, as a result or an exception.
	 *
	 * @param int                                        $errno    curl error number (0 = complete).
	 * @param string                                     $message  curl error message.
	 * @param array{stream_total: int, stream_idle: int} $timeouts Timeouts used, for the detail.
	 * @param callable                                   $deliver Hands text on (for a non-stream answer).
	 * @phpstan-param callable(string, array<string, mixed>): bool $deliver
	 * @return Stream_Result
	 * @throws Upstream_Error When the call failed.
	 */
	public function result( int $errno, string $message, array $timeouts, callable $deliver ): array {
		if ( $this->client_gone ) {
			return $this->outcome( true );
		}
		if ( null !== $this->problem ) {
			throw $this->problem;
		}
		if ( $this->status >= 400 ) {
			throw Upstream_Error::from_response( $this->status, $this->body, $this->headers, $this->secret );
		}
		if ( $this->idle ) {
			throw Upstream_Error::timeout(
				$this->delivered || $this->status > 0
					? sprintf( 'the stream sent nothing for %d s', $timeouts['stream_idle'] )
					: sprintf( 'no answer within %d s', $timeouts['stream_idle'] )
			);
		}
		if ( 28 === $errno ) {
			throw Upstream_Error::timeout( sprintf( 'the stream ran past %d s (%s)', $timeouts['stream_total'], $message ) );
		}
		if ( 0 !== $errno ) {
			if ( 0 === $this->status ) {
				// No answer at all: name not resolved, connection refused or reset. Worth a retry.
				throw Upstream_Error::transport( sprintf( 'curl error %d: %s', $errno, $message ), in_array( $errno, array( 6, 7, 52, 56 ), true ), $this->secret );
			}
			throw Upstream_Error::malformed( sprintf( 'the stream was cut (curl error %d: %s)', $errno, $message ), $this->status, $this->request_id() );
		}
		if ( $this->status < 200 || $this->status >= 300 ) {
			throw Upstream_Error::malformed( sprintf( 'unexpected HTTP %d', $this->status ), $this->status, $this->request_id() );
		}
		if ( ! $this->is_event_stream() ) {
			return $this->whole_completion( $deliver );
		}
		if ( ! $this->done && '' === $this->finish_reason ) {
			throw Upstream_Error::malformed( 'the stream ended before its last chunk (no finish_reason, no [DONE])', $this->status, $this->request_id() );
		}
		return $this->outcome( false );
	}

	/**
	 * Handles one event's data.
	 *
	 * @param string   $data    The event's data.
	 * @param callable $deliver Hands text on; false = stop.
	 * @phpstan-param callable(string, array<string, mixed>): bool $deliver
	 * @return bool Whether to keep reading.
	 */
	private function event( string $data, callable $deliver ): bool {
		if ( '[DONE]' === trim( $data ) ) {
			$this->done = true;
			return true;
		}
		$chunk = json_decode( $data, true );
		if ( ! is_array( $chunk ) ) {
			$this->problem = Upstream_Error::malformed(
				sprintf( 'stream chunk is not JSON (%s): %s', json_last_error_msg(), Upstream_Error::scrub( substr( $data, 0, 120 ), $this->secret ) ),
				$this->status,
				$this->request_id()
			);
			return false;
		}
		if ( isset( $chunk['error'] ) && is_array( $chunk['error'] ) ) {
			$this->problem = Upstream_Error::from_stream_error( $chunk['error'], $this->request_id(), $this->secret );
			return false;
		}
		if ( isset( $chunk['usage'] ) && is_array( $chunk['usage'] ) ) {
			$this->usage = $chunk['usage'];
		}
		$choice = $chunk['choices'][0] ?? null;
		if ( ! is_array( $choice ) ) {
			return true; // The usage chunk has no choices.
		}
		$text = '';
		if ( isset( $choice['delta']['content'] ) && is_string( $choice['delta']['content'] ) ) {
			$text .= $choice['delta']['content'];
		}
		if ( isset( $choice['delta']['refusal'] ) && is_string( $choice['delta']['refusal'] ) ) {
			$text .= $choice['delta']['refusal'];
		}
		// An audio reply (modalities text + audio) has no content: its text is the transcript of
		// what the model says, and its sound comes in `data` pieces, which $deliver finds in the
		// chunk. Either counts as delivered, so nothing is retried after it.
		$audio = $choice['delta']['audio'] ?? null;
		if ( is_array( $audio ) && isset( $audio['transcript'] ) && is_string( $audio['transcript'] ) ) {
			$text .= $audio['transcript'];
		}
		$has_sound = is_array( $audio ) && isset( $audio['data'] ) && is_string( $audio['data'] ) && '' !== $audio['data'];
		if ( isset( $choice['finish_reason'] ) && is_string( $choice['finish_reason'] ) ) {
			$this->finish_reason = $choice['finish_reason'];
		}
		if ( '' !== $text || $has_sound ) {
			$this->delivered = true;
			if ( ! $deliver( $text, $chunk ) ) {
				$this->client_gone = true;
				return false;
			}
		}
		return true;
	}

	/**
	 * A server that ignored `stream: true` answered with one JSON completion: hand its text on
	 * in one piece.
	 *
	 * @param callable $deliver Hands text on.
	 * @phpstan-param callable(string, array<string, mixed>): bool $deliver
	 * @return Stream_Result
	 * @throws Upstream_Error When the body is not a completion.
	 */
	private function whole_completion( callable $deliver ): array {
		$completion = $this->body_truncated ? null : json_decode( $this->body, true );
		$message    = is_array( $completion ) ? ( $completion['choices'][0]['message'] ?? null ) : null;
		if ( ! is_array( $completion ) || ! is_array( $message ) ) {
			throw Upstream_Error::malformed(
				sprintf( 'expected an event stream, got %s: %s', $this->headers['content-type'] ?? 'no content type', Upstream_Error::scrub( substr( $this->body, 0, 120 ), $this->secret ) ),
				$this->status,
				$this->request_id()
			);
		}
		$text = is_string( $message['content'] ?? null ) ? $message['content'] : ( is_string( $message['refusal'] ?? null ) ? $message['refusal'] : '' );
		if ( '' !== $text && ! $deliver( $text, $completion ) ) {
			return $this->outcome( true );
		}
		$finish              = $completion['choices'][0]['finish_reason'] ?? '';
		$this->finish_reason = is_string( $finish ) ? $finish : '';
		$this->usage         = isset( $completion['usage'] ) && is_array( $completion['usage'] ) ? $completion['usage'] : null;
		return $this->outcome( false );
	}

	/**
	 * The result array.
	 *
	 * @param bool $aborted Whether the visitor went away.
	 * @return Stream_Result
	 */
	private function outcome( bool $aborted ): array {
		return array(
			'finish_reason' => $this->finish_reason,
			'usage'         => $this->usage,
			'aborted'       => $aborted,
			'request_id'    => $this->request_id(),
		);
	}

	/**
	 * Whether the final status is 2xx.
	 */
	private function is_success(): bool {
		return $this->status >= 200 && $this->status < 300;
	}

	/**
	 * Whether the answer is text/event-stream.
	 */
	private function is_event_stream(): bool {
		return str_contains( strtolower( $this->headers['content-type'] ?? '' ), 'text/event-stream' );
	}

	/**
	 * The provider's x-request-id, or ''.
	 */
	private function request_id(): string {
		return $this->headers['x-request-id'] ?? '';
	}
}
