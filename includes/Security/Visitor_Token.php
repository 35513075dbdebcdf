<?php
/**
 * Short-lived, server-signed visitor tokens.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Security;

use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * Issues and checks visitor tokens without storing anything.
 *
 * A token is `base64url(payload) . "." . base64url(HMAC-SHA256(base64url(payload)))` where
 * the payload is `v1:<visitor id>:<expiry>`. The visitor id is random and chosen by the
 * server, and the HMAC key is derived from the site's salts, so a visitor can neither pick
 * an id nor extend an expiry. Being stateless, issuing a token adds no row anywhere.
 */
final class Visitor_Token {

	/**
	 * Default lifetime in seconds.
	 */
	public const DEFAULT_TTL = 7200;

	/**
	 * Longest token accepted; real ones are about 110 characters.
	 */
	private const MAX_LENGTH = 256;

	/**
	 * HMAC key, or null to derive it from the salts when first needed (wp_salt() is not yet
	 * defined when the plugin is loaded).
	 *
	 * @var string|null
	 */
	private ?string $secret;

	/**
	 * Returns the current Unix time.
	 *
	 * @var callable(): int
	 */
	private $clock;

	/**
	 * Stores the secret and the clock; both injectable so tests are deterministic.
	 *
	 * @param string|null            $secret HMAC key; derived from wp_salt( 'auth' ) when null.
	 * @param (callable(): int)|null $clock  Current time; time() when null.
	 */
	public function __construct( ?string $secret = null, ?callable $clock = null ) {
		$this->secret = $secret;
		$this->clock  = $clock ?? 'time';
	}

	/**
	 * Issues a token for a new, random visitor id.
	 *
	 * @return array{token: string, visitor_id: string, expires_at: int}
	 */
	public function issue(): array {
		/**
		 * Filters how long a visitor token stays valid, in seconds (60 to 86400).
		 *
		 * @param int $ttl Lifetime in seconds. Default two hours.
		 */
		$ttl = (int) apply_filters( 'vvc_visitor_token_ttl', self::DEFAULT_TTL );
		$ttl = max( 60, min( 86400, $ttl ) );

		$visitor_id = bin2hex( random_bytes( 16 ) );
		$expires_at = $this->now() + $ttl;
		$payload    = self::base64url_encode( 'v1:' . $visitor_id . ':' . $expires_at );

		return array(
			'token'      => $payload . '.' . $this->sign( $payload ),
			'visitor_id' => $visitor_id,
			'expires_at' => $expires_at,
		);
	}

	/**
	 * Checks a token.
	 *
	 * @param string $token Token as sent by the browser.
	 * @return string|WP_Error The visitor id, or vvc_invalid_token (401) when the token is
	 *                         malformed, forged or expired.
	 */
	public function verify( string $token ): string|WP_Error {
		if ( '' === $token || strlen( $token ) > self::MAX_LENGTH || ! preg_match( '/^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/', $token, $parts ) ) {
			return self::invalid();
		}
		// Compare encoded forms: another base64 encoding of the same bytes must not pass either.
		if ( ! hash_equals( $this->sign( $parts[1] ), $parts[2] ) ) {
			return self::invalid();
		}
		$payload = self::base64url_decode( $parts[1] );
		if ( null === $payload || ! preg_match( '/^v1:([0-9a-f]{32}):([0-9]{1,12})$/D', $payload, $fields ) ) {
			return self::invalid();
		}
		if ( (int) $fields[2] <= $this->now() ) {
			return self::invalid();
		}
		return $fields[1];
	}

	/**
	 * The one error for every bad token: telling forged from expired would only help forgers.
	 */
	private static function invalid(): WP_Error {
		return new WP_Error(
			'vvc_invalid_token',
			__( 'Your chat session has expired. Please try again.', 'voice-vision-chat' ),
			array( 'status' => 401 )
		);
	}

	/**
	 * Encoded HMAC of an encoded payload.
	 *
	 * @param string $encoded_payload base64url payload.
	 */
	private function sign( string $encoded_payload ): string {
		return self::base64url_encode( hash_hmac( 'sha256', $encoded_payload, $this->secret(), true ) );
	}

	/**
	 * The HMAC key.
	 */
	private function secret(): string {
		if ( null === $this->secret ) {
			$this->secret = wp_salt( 'auth' ) . 'vvc-visitor';
		}
		return $this->secret;
	}

	/**
	 * Current time from the injected clock.
	 */
	private function now(): int {
		return (int) call_user_func( $this->clock );
	}

	/**
	 * URL-safe base64 without padding.
	 *
	 * @param string $bytes Raw bytes.
	 */
	private static function base64url_encode( string $bytes ): string {
		return rtrim( strtr( base64_encode( $bytes ), '+/', '-_' ), '=' ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- token encoding.
	}

	/**
	 * Decodes URL-safe base64; null when invalid.
	 *
	 * @param string $text Encoded text.
	 */
	private static function base64url_decode( string $text ): ?string {
		$bytes = base64_decode( strtr( $text, '-_', '+/' ), true ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode -- token encoding.
		return false === $bytes ? null : $bytes;
	}
}
