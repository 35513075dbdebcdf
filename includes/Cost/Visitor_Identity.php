<?php
/**
 * Who a limit applies to: the visitor's signed id, their IP address, or a logged-in user.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Cost;

defined( 'ABSPATH' ) || exit;

/**
 * The keys per-visitor limits are counted under, and the hashes the usage log stores.
 *
 * An anonymous visitor is counted twice: under the server-chosen id in their signed token
 * AND under their client IP (REMOTE_ADDR, or a trusted proxy's X-Forwarded-For, see
 * Security\Client_Ip). Each key has the full limit, and a request must fit under both, so a
 * new token (dropped cookies, a script asking for fresh sessions) still meets the IP's count,
 * and a new address still meets the token's. Visitors sharing an address (an office behind
 * one NAT) share its limit; a site that serves such groups can raise the limit or drop the IP
 * key with the `vvc_limit_keys` filter.
 *
 * A logged-in user is counted under their user id alone: they are accountable, and an
 * editor should not be limited because an anonymous visitor on the same network was.
 *
 * Raw addresses and ids are never stored: keys and hashes are HMAC-SHA256 with a secret from
 * the site's salts, cut to 128 bits.
 */
final class Visitor_Identity {

	/**
	 * Signed visitor id ('' for a logged-in user).
	 *
	 * @var string
	 */
	private string $visitor_id;

	/**
	 * Client IP address ('' when unknown).
	 *
	 * @var string
	 */
	private string $ip;

	/**
	 * Logged-in user id, 0 for visitors.
	 *
	 * @var int
	 */
	private int $user_id;

	/**
	 * The user's roles.
	 *
	 * @var list<string>
	 */
	private array $roles;

	/**
	 * Secret for the hashes.
	 *
	 * @var string|null
	 */
	private ?string $secret;

	/**
	 * Stores who is asking.
	 *
	 * @param string      $visitor_id Visitor id from the verified token.
	 * @param string      $ip         Client IP from Client_Ip::get().
	 * @param int         $user_id    Logged-in user id, 0 for anonymous visitors.
	 * @param array       $roles      The user's roles.
	 * @param string|null $secret     Hash secret; derived from the site's salts when null.
	 * @phpstan-param list<string> $roles
	 */
	public function __construct( string $visitor_id, string $ip, int $user_id = 0, array $roles = array(), ?string $secret = null ) {
		$this->visitor_id = $visitor_id;
		$this->ip         = $ip;
		$this->user_id    = max( 0, $user_id );
		$this->roles      = $roles;
		$this->secret     = $secret;
	}

	/**
	 * The keys this visitor's limits are counted under, e.g. v:<hash>, ip:<hash>, u:<id>.
	 *
	 * @return list<string>
	 */
	public function limit_keys(): array {
		if ( $this->user_id > 0 ) {
			$keys = array( 'u:' . $this->user_id );
		} else {
			$keys = array( 'v:' . $this->hash( 'visitor', $this->visitor_id ), 'ip:' . $this->ip_hash() );
		}

		/**
		 * Filters the keys a visitor's request and spending limits are counted under.
		 *
		 * Every key must stay within the limits for a request to run. Removing the `ip:` key
		 * lets visitors behind one shared address be limited only by their own token, at the
		 * price that a visitor who fetches new tokens is no longer held back.
		 *
		 * @param array        $keys    Keys: v:<visitor hash>, ip:<address hash> or u:<user id>.
		 * @param int          $user_id Logged-in user id, 0 for visitors.
		 * @phpstan-param list<string> $keys
		 */
		$filtered = apply_filters( 'vvc_limit_keys', $keys, $this->user_id );
		$clean    = array();
		foreach ( is_array( $filtered ) ? $filtered : array() as $key ) {
			if ( is_string( $key ) && preg_match( '/^[a-z]{1,8}:[A-Za-z0-9]{1,64}$/', $key ) ) {
				$clean[] = $key;
			}
		}
		// At most eight keys: each is a row to lock and a line of the reservation record.
		return $clean ? array_slice( array_values( array_unique( $clean ) ), 0, 8 ) : $keys;
	}

	/**
	 * Hash of the visitor for the usage log: the user (u...) or the token's visitor id.
	 */
	public function visitor_hash(): string {
		return $this->user_id > 0 ? $this->hash( 'user', (string) $this->user_id ) : $this->hash( 'visitor', $this->visitor_id );
	}

	/**
	 * Hash of the client IP address (for limits and the usage log).
	 */
	public function ip_hash(): string {
		return $this->hash( 'ip', $this->ip );
	}

	/**
	 * Logged-in user id, 0 for visitors.
	 */
	public function user_id(): int {
		return $this->user_id;
	}

	/**
	 * The user's roles (empty for visitors).
	 *
	 * @return list<string>
	 */
	public function roles(): array {
		return $this->roles;
	}

	/**
	 * Keyed hash of a value, 32 hex characters.
	 *
	 * @param string $purpose What the value is, so equal strings of different kinds differ.
	 * @param string $value   The value.
	 */
	private function hash( string $purpose, string $value ): string {
		$secret = $this->secret ?? wp_salt( 'auth' ) . 'vvc-identity';
		return substr( hash_hmac( 'sha256', $purpose . '|' . $value, $secret ), 0, 32 );
	}
}
