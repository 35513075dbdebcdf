<?php
/**
 * A failed provider call, mapped to one of the plugin's stable error codes.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Upstream;

use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * Carries two faces of one failure: the stable code and friendly message a visitor sees, and
 * the precise reason (HTTP status, provider code and message, request id) only an admin sees.
 *
 * Thrown by OpenAI_Client; controllers turn it into a WP_Error with to_wp_error() for visitors
 * or to_admin_wp_error() on admin routes.
 */
final class Upstream_Error extends \RuntimeException {

	/**
	 * HTTP status the plugin answers with, per stable code.
	 *
	 * @var array<string, int>
	 */
	private const STATUS = array(
		'vvc_bad_request'      => 400,
		'vvc_rate_limited'     => 429,
		'vvc_upstream_error'   => 502,
		'vvc_upstream_auth'    => 502,
		'vvc_upstream_quota'   => 503,
		'vvc_not_configured'   => 503,
		'vvc_upstream_timeout' => 504,
	);

	/**
	 * Stable code, e.g. vvc_upstream_quota.
	 *
	 * @var string
	 */
	private string $vvc_code;

	/**
	 * Precise reason for the admin, already scrubbed of secrets.
	 *
	 * @var string
	 */
	private string $detail;

	/**
	 * HTTP status the provider answered with (0: no answer, e.g. a timeout).
	 *
	 * @var int
	 */
	private int $http_status;

	/**
	 * The provider's own error code (`error.code`), when it sent one.
	 *
	 * @var string
	 */
	private string $provider_code;

	/**
	 * The provider's x-request-id header, for support tickets.
	 *
	 * @var string
	 */
	private string $request_id;

	/**
	 * Whether trying again may help (408, 409, 429 except insufficient_quota, 5xx, no connection).
	 *
	 * @var bool
	 */
	private bool $retryable;

	/**
	 * Seconds the provider asked us to wait (Retry-After / retry-after-ms), when it said.
	 *
	 * @var float|null
	 */
	private ?float $retry_after;

	/**
	 * Builds the error; use the named constructors below.
	 *
	 * @param string     $vvc_code      Stable code.
	 * @param string     $detail        Precise reason for the admin.
	 * @param int        $http_status   Provider's HTTP status or 0.
	 * @param string     $provider_code Provider's error code or ''.
	 * @param string     $request_id    Provider's x-request-id or ''.
	 * @param bool       $retryable     Whether a retry may help.
	 * @param float|null $retry_after   Seconds to wait, if the provider said.
	 */
	private function __construct( string $vvc_code, string $detail, int $http_status = 0, string $provider_code = '', string $request_id = '', bool $retryable = false, ?float $retry_after = null ) {
		parent::__construct( $detail );
		$this->vvc_code      = $vvc_code;
		$this->detail        = $detail;
		$this->http_status   = $http_status;
		$this->provider_code = $provider_code;
		$this->request_id    = $request_id;
		$this->retryable     = $retryable;
		$this->retry_after   = $retry_after;
	}

	/**
	 * Maps an HTTP error answer from the provider.
	 *
	 * @param int                   $status  HTTP status (>= 400).
	 * @param string                $body    Response body, normally `{error:{message,type,param,code}}`.
	 * @param array<string, string> $headers Response headers, lower-case names.
	 * @param string                $secret  The API key, scrubbed from anything quoted back.
	 */
	public static function from_response( int $status, string $body, array $headers, string $secret = '' ): self {
		$decoded  = json_decode( $body, true );
		$error    = is_array( $decoded ) && isset( $decoded['error'] ) && is_array( $decoded['error'] ) ? $decoded['error'] : array();
		$code     = isset( $error['code'] ) && is_scalar( $error['code'] ) ? (string) $error['code'] : '';
		$type     = isset( $error['type'] ) && is_string( $error['type'] ) ? $error['type'] : '';
		$message  = isset( $error['message'] ) && is_string( $error['message'] ) ? $error['message'] : '';
		$provider = '' !== $code ? $code : $type;

		if ( '' === $message ) {
			// Not the provider's error shape (a proxy's HTML page, say): quote a little of it.
			$message = trim( (string) preg_replace( '/\s+/', ' ', wp_strip_all_tags( substr( $body, 0, 200 ) ) ) );
		}
		$detail      = sprintf(
			'HTTP %d%s: %s',
			$status,
			'' !== $provider ? ' ' . $provider : '',
			'' !== $message ? $message : 'no error message'
		);
		$request_id  = $headers['x-request-id'] ?? '';
		$retry_after = self::parse_retry_after( $headers );

		if ( 401 === $status || 403 === $status ) {
			$vvc_code = 'vvc_upstream_auth';
		} elseif ( 429 === $status && 'insufficient_quota' === $code ) {
			$vvc_code = 'vvc_upstream_quota';
		} elseif ( 429 === $status ) {
			$vvc_code = 'vvc_rate_limited';
		} elseif ( 408 === $status ) {
			$vvc_code = 'vvc_upstream_timeout';
		} elseif ( 400 === $status || 413 === $status || 422 === $status ) {
			$vvc_code = 'vvc_bad_request';
		} else {
			$vvc_code = 'vvc_upstream_error';
		}
		$retryable = ( 429 === $status && 'insufficient_quota' !== $code ) || in_array( $status, array( 408, 409 ), true ) || $status >= 500;

		return new self( $vvc_code, self::scrub( $detail, $secret ), $status, $provider, $request_id, $retryable, $retry_after );
	}

	/**
	 * The provider did not answer in time (connect, total or idle timeout).
	 *
	 * @param string $detail What timed out.
	 */
	public static function timeout( string $detail ): self {
		return new self( 'vvc_upstream_timeout', $detail );
	}

	/**
	 * No usable HTTP exchange: DNS, refused connection, TLS, a blocked host.
	 *
	 * @param string $detail     What went wrong.
	 * @param bool   $retryable  Whether a retry may help (a refused connection may; a policy block never).
	 * @param string $secret     The API key, scrubbed from the detail.
	 */
	public static function transport( string $detail, bool $retryable = false, string $secret = '' ): self {
		return new self( 'vvc_upstream_error', self::scrub( $detail, $secret ), 0, '', '', $retryable );
	}

	/**
	 * A 2xx answer that is not what the API promises (broken JSON, missing fields, a cut stream).
	 *
	 * @param string $detail     What was wrong.
	 * @param int    $status     HTTP status of the answer.
	 * @param string $request_id Provider's x-request-id or ''.
	 */
	public static function malformed( string $detail, int $status = 200, string $request_id = '' ): self {
		return new self( 'vvc_upstream_error', $detail, $status, '', $request_id );
	}

	/**
	 * An error object sent inside a stream (`data: {"error": {...}}`).
	 *
	 * @param array<mixed> $error      The `error` object.
	 * @param string       $request_id Provider's x-request-id or ''.
	 * @param string       $secret     The API key, scrubbed from the detail.
	 */
	public static function from_stream_error( array $error, string $request_id, string $secret = '' ): self {
		$code    = isset( $error['code'] ) && is_scalar( $error['code'] ) ? (string) $error['code'] : '';
		$message = isset( $error['message'] ) && is_string( $error['message'] ) ? $error['message'] : 'no error message';
		$mapped  = 'insufficient_quota' === $code ? 'vvc_upstream_quota' : ( 'context_length_exceeded' === $code ? 'vvc_bad_request' : 'vvc_upstream_error' );
		return new self( $mapped, self::scrub( 'stream error ' . $code . ': ' . $message, $secret ), 200, $code, $request_id );
	}

	/**
	 * No API key anywhere (environment, constant, Connectors, plugin option).
	 */
	public static function not_configured(): self {
		return new self( 'vvc_not_configured', 'No API key is configured (OPENAI_API_KEY, the Connectors screen or the plugin settings).' );
	}

	/**
	 * Stable code, e.g. vvc_rate_limited.
	 */
	public function vvc_code(): string {
		return $this->vvc_code;
	}

	/**
	 * HTTP status the plugin answers with.
	 */
	public function status(): int {
		return self::STATUS[ $this->vvc_code ] ?? 502;
	}

	/**
	 * Precise, scrubbed reason for the admin log.
	 */
	public function detail(): string {
		return $this->detail;
	}

	/**
	 * Provider's HTTP status, 0 when there was no answer.
	 */
	public function http_status(): int {
		return $this->http_status;
	}

	/**
	 * Provider's error code or type ('' if none).
	 */
	public function provider_code(): string {
		return $this->provider_code;
	}

	/**
	 * Provider's x-request-id ('' if none).
	 */
	public function request_id(): string {
		return $this->request_id;
	}

	/**
	 * Whether a retry may help.
	 */
	public function is_retryable(): bool {
		return $this->retryable;
	}

	/**
	 * Seconds the provider asked to wait, or null.
	 */
	public function retry_after(): ?float {
		return $this->retry_after;
	}

	/**
	 * Context for Error_Log::record().
	 *
	 * @return array{http_status: int, provider_code: string, request_id: string}
	 */
	public function log_context(): array {
		return array(
			'http_status'   => $this->http_status,
			'provider_code' => $this->provider_code,
			'request_id'    => $this->request_id,
		);
	}

	/**
	 * The friendly, translated message for a visitor; never any provider detail.
	 */
	public function visitor_message(): string {
		switch ( $this->vvc_code ) {
			case 'vvc_rate_limited':
				return __( 'The assistant is getting a lot of questions right now. Please try again in a moment.', 'voice-vision-chat' );
			case 'vvc_upstream_timeout':
				return __( 'The assistant took too long to answer. Please try again.', 'voice-vision-chat' );
			case 'vvc_bad_request':
				return __( 'The assistant could not handle this question. Try a shorter message, fewer earlier messages or another image.', 'voice-vision-chat' );
			case 'vvc_upstream_quota':
			case 'vvc_not_configured':
			case 'vvc_upstream_auth':
				return __( 'The assistant is not available right now. The site owner has been notified.', 'voice-vision-chat' );
			default:
				return __( 'The assistant could not answer just now. Please try again.', 'voice-vision-chat' );
		}
	}

	/**
	 * The error as a visitor should get it from the REST API.
	 */
	public function to_wp_error(): WP_Error {
		return new WP_Error( $this->vvc_code, $this->visitor_message(), array( 'status' => $this->status() ) );
	}

	/**
	 * The error as an admin should get it: the precise reason, translated framing.
	 */
	public function to_admin_wp_error(): WP_Error {
		switch ( $this->vvc_code ) {
			case 'vvc_upstream_auth':
				/* translators: %s: the provider's status and message, e.g. "HTTP 401 invalid_api_key: Incorrect API key provided". */
				$format = __( 'The provider rejected the API key (%s).', 'voice-vision-chat' );
				break;
			case 'vvc_upstream_quota':
				/* translators: %s: the provider's status and message. */
				$format = __( 'The provider account has no quota left; check billing (%s).', 'voice-vision-chat' );
				break;
			case 'vvc_not_configured':
				/* translators: %s: where the plugin looked for a key. */
				$format = __( 'No API key is configured: %s', 'voice-vision-chat' );
				break;
			case 'vvc_upstream_timeout':
				/* translators: %s: what timed out. */
				$format = __( 'The provider did not answer in time (%s).', 'voice-vision-chat' );
				break;
			default:
				/* translators: %s: the provider's status and message, or the connection problem. */
				$format = __( 'The provider call failed (%s).', 'voice-vision-chat' );
		}
		$detail = $this->detail;
		if ( '' !== $this->request_id ) {
			$detail .= ' [request ' . $this->request_id . ']';
		}
		return new WP_Error( $this->vvc_code, sprintf( $format, $detail ), array( 'status' => $this->status() ) );
	}

	/**
	 * Removes the key, and anything shaped like an OpenAI key, from text quoted from the provider.
	 *
	 * OpenAI's 401 message quotes part of the key it rejected.
	 *
	 * @param string $text   Text to clean.
	 * @param string $secret The configured key.
	 */
	public static function scrub( string $text, string $secret = '' ): string {
		if ( '' !== $secret ) {
			$text = str_replace( $secret, '[key]', $text );
		}
		return (string) preg_replace( '/\b(sk|ek|rk)-[A-Za-z0-9_\-\*\.]{3,}/', '[key]', $text );
	}

	/**
	 * Seconds from retry-after-ms or Retry-After (seconds or an HTTP date).
	 *
	 * @param array<string, string> $headers Response headers, lower-case names.
	 */
	private static function parse_retry_after( array $headers ): ?float {
		if ( isset( $headers['retry-after-ms'] ) && is_numeric( $headers['retry-after-ms'] ) ) {
			return max( 0.0, (float) $headers['retry-after-ms'] / 1000 );
		}
		if ( ! isset( $headers['retry-after'] ) || '' === trim( $headers['retry-after'] ) ) {
			return null;
		}
		$value = trim( $headers['retry-after'] );
		if ( is_numeric( $value ) ) {
			return max( 0.0, (float) $value );
		}
		$time = strtotime( $value );
		return false === $time ? null : max( 0.0, (float) ( $time - time() ) );
	}
}
