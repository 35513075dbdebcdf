<?php
/**
 * A short log of recent errors for the site's admin.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Support;

use VoiceVisionChat\Security\Api_Key_Store;

defined( 'ABSPATH' ) || exit;

/**
 * Keeps the last 50 errors (precise reasons for the admin) in one non-autoloaded option.
 *
 * Bounded, so anonymous requests that fail cannot make it grow; never autoloaded, so pages
 * that do not look at it do not pay for it. Anything that looks like an API key is redacted
 * before it is stored, because an error message from a provider or a relay may echo one.
 *
 * @phpstan-type Error_Entry array{time: int, code: string, detail: string, context: array<string, mixed>}
 */
final class Error_Log {

	/**
	 * Option holding the entries, oldest first.
	 */
	public const OPTION = 'vvc_error_log';

	/**
	 * Entries kept.
	 */
	public const MAX_ENTRIES = 50;

	/**
	 * Longest detail kept, in characters.
	 */
	private const MAX_DETAIL = 2000;

	/**
	 * What replaces a secret.
	 */
	public const REDACTED = '[redacted]';

	/**
	 * Source of the configured key, to redact it; created on first use when null.
	 *
	 * @var Api_Key_Store|null
	 */
	private ?Api_Key_Store $keys;

	/**
	 * Returns the current Unix time.
	 *
	 * @var callable(): int
	 */
	private $clock;

	/**
	 * Stores collaborators.
	 *
	 * @param Api_Key_Store|null     $keys  Where the configured key comes from.
	 * @param (callable(): int)|null $clock Current time; time() when null.
	 */
	public function __construct( ?Api_Key_Store $keys = null, ?callable $clock = null ) {
		$this->keys  = $keys;
		$this->clock = $clock ?? 'time';
	}

	/**
	 * Adds an entry, dropping the oldest beyond MAX_ENTRIES.
	 *
	 * @param string               $code    Stable error code, e.g. vvc_upstream_auth.
	 * @param string               $detail  Precise reason for the admin.
	 * @param array<string, mixed> $context Extra facts (HTTP status, model, request id...).
	 */
	public function record( string $code, string $detail, array $context = array() ): void {
		$entries   = $this->entries();
		$entries[] = array(
			'time'    => (int) call_user_func( $this->clock ),
			'code'    => sanitize_key( $code ),
			'detail'  => mb_substr( $this->scrub( $detail ), 0, self::MAX_DETAIL ),
			'context' => $this->scrub_context( $context ),
		);
		$entries   = array_slice( $entries, -self::MAX_ENTRIES );

		update_option( self::OPTION, $entries, false );
	}

	/**
	 * The newest entries first.
	 *
	 * @param int $limit How many, 1 to MAX_ENTRIES.
	 * @return list<Error_Entry>
	 */
	public function recent( int $limit = 20 ): array {
		$limit = max( 1, min( self::MAX_ENTRIES, $limit ) );
		return array_slice( array_reverse( $this->entries() ), 0, $limit );
	}

	/**
	 * Removes every entry.
	 */
	public function clear(): void {
		delete_option( self::OPTION );
	}

	/**
	 * Replaces anything that looks like a secret.
	 *
	 * @param string $text Text that may hold a key, e.g. an upstream error message.
	 */
	public function scrub( string $text ): string {
		$keys = $this->keys ?? new Api_Key_Store();
		$key  = $keys->key();
		if ( strlen( $key ) >= 8 ) {
			$text = str_replace( $key, self::REDACTED, $text );
		}
		// OpenAI keys (sk-..., sk-proj-...), bearer tokens and realtime client secrets (ek_...).
		$text = (string) preg_replace( '/\bsk-[A-Za-z0-9_\-*.]{4,}/', self::REDACTED, $text );
		$text = (string) preg_replace( '/\bek_[A-Za-z0-9_\-]{8,}/', self::REDACTED, $text );
		return (string) preg_replace( '/\b(Bearer)\s+[^\s"\',]+/i', '$1 ' . self::REDACTED, $text );
	}

	/**
	 * Scrubs every string in a context array, keeping it small and JSON-safe.
	 *
	 * @param array<mixed> $context Context to clean.
	 * @param int          $depth   Nesting level, to stop at.
	 * @return array<string, mixed>
	 */
	private function scrub_context( array $context, int $depth = 0 ): array {
		$clean = array();
		foreach ( array_slice( $context, 0, 20, true ) as $name => $value ) {
			$name = (string) $name;
			if ( is_string( $value ) ) {
				$clean[ $name ] = mb_substr( $this->scrub( $value ), 0, 500 );
			} elseif ( is_int( $value ) || is_float( $value ) || is_bool( $value ) || null === $value ) {
				$clean[ $name ] = $value;
			} elseif ( is_array( $value ) && $depth < 2 ) {
				$clean[ $name ] = $this->scrub_context( $value, $depth + 1 );
			}
		}
		return $clean;
	}

	/**
	 * Stored entries, oldest first, dropping anything malformed.
	 *
	 * @return list<Error_Entry>
	 */
	private function entries(): array {
		$stored = get_option( self::OPTION, array() );
		if ( ! is_array( $stored ) ) {
			return array();
		}
		$entries = array();
		foreach ( $stored as $entry ) {
			if ( is_array( $entry ) && isset( $entry['time'], $entry['code'], $entry['detail'] ) ) {
				$entries[] = array(
					'time'    => (int) $entry['time'],
					'code'    => (string) $entry['code'],
					'detail'  => (string) $entry['detail'],
					'context' => isset( $entry['context'] ) && is_array( $entry['context'] ) ? $entry['context'] : array(),
				);
			}
		}
		return $entries;
	}
}
