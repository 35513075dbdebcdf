<?php
/**
 * The visitor's IP address, trusting forwarding headers only from known proxies.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Security;

defined( 'ABSPATH' ) || exit;

/**
 * Works out the address of the client that sent the current request.
 *
 * X-Forwarded-For is written by whoever sends the request, so it is believed only when the
 * connection comes from a proxy the site trusts (filter `vvc_trusted_proxies`), and then only
 * as far as the chain of trusted proxies goes: the right-most address that is not itself a
 * trusted proxy is the client. Anything a visitor types into the header further left is
 * ignored.
 */
final class Client_Ip {

	/**
	 * Most X-Forwarded-For entries looked at; a longer header is someone playing games.
	 */
	private const MAX_HOPS = 20;

	/**
	 * Server variables ($_SERVER unless injected).
	 *
	 * @var array<string, mixed>|null
	 */
	private ?array $server;

	/**
	 * Stores the server variables to read.
	 *
	 * @param array<string, mixed>|null $server Server variables; $_SERVER at call time when null.
	 */
	public function __construct( ?array $server = null ) {
		$this->server = $server;
	}

	/**
	 * The client's IP address (IPv6 in canonical form), or '' when REMOTE_ADDR is missing or
	 * invalid.
	 */
	public function get(): string {
		$server = $this->server ?? $_SERVER;
		$remote = self::normalize( is_string( $server['REMOTE_ADDR'] ?? null ) ? $server['REMOTE_ADDR'] : '' );
		if ( '' === $remote ) {
			return '';
		}

		/**
		 * Filters the proxies whose X-Forwarded-For header is believed.
		 *
		 * Add the addresses or CIDR ranges of your load balancer or CDN, e.g.
		 * array( '10.0.0.0/8', '2001:db8::/32' ). Empty by default: only REMOTE_ADDR counts.
		 *
		 * @param string[] $proxies IPv4/IPv6 addresses and CIDR ranges.
		 */
		$proxies = (array) apply_filters( 'vvc_trusted_proxies', array() );
		$proxies = array_values( array_filter( $proxies, 'is_string' ) );

		if ( ! $proxies || ! self::matches_any( $remote, $proxies ) ) {
			return $remote;
		}

		$header = $server['HTTP_X_FORWARDED_FOR'] ?? '';
		if ( ! is_string( $header ) || '' === trim( $header ) ) {
			return $remote;
		}
		$hops = array_slice( array_reverse( explode( ',', $header ) ), 0, self::MAX_HOPS );

		$client = $remote;
		foreach ( $hops as $hop ) {
			$ip = self::normalize( $hop );
			if ( '' === $ip ) {
				// A trusted proxy never writes garbage: the chain is broken, stop believing it.
				return $client;
			}
			$client = $ip;
			if ( ! self::matches_any( $ip, $proxies ) ) {
				return $ip;
			}
		}
		return $client;
	}

	/**
	 * Whether an address is inside any of the given addresses or CIDR ranges.
	 *
	 * @param string   $ip     A valid IP address.
	 * @param string[] $ranges Addresses and CIDR ranges; invalid ones never match.
	 */
	public static function matches_any( string $ip, array $ranges ): bool {
		foreach ( $ranges as $range ) {
			if ( self::in_range( $ip, $range ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether an address is a given address or inside a CIDR range, IPv4 or IPv6.
	 *
	 * @param string $ip    A valid IP address.
	 * @param string $range An address or a CIDR range such as 192.168.0.0/16 or 2001:db8::/32.
	 */
	public static function in_range( string $ip, string $range ): bool {
		$range = trim( $range );
		$bits  = null;
		if ( str_contains( $range, '/' ) ) {
			list( $range, $prefix ) = explode( '/', $range, 2 );
			if ( ! ctype_digit( $prefix ) ) {
				return false;
			}
			$bits = (int) $prefix;
		}
		$ip_bytes    = inet_pton( $ip );
		$range_bytes = filter_var( $range, FILTER_VALIDATE_IP ) ? inet_pton( $range ) : false;
		// Different families (or an invalid range) never match.
		if ( false === $ip_bytes || false === $range_bytes || strlen( $ip_bytes ) !== strlen( $range_bytes ) ) {
			return false;
		}
		$max_bits = strlen( $ip_bytes ) * 8;
		$bits     = $bits ?? $max_bits;
		if ( $bits > $max_bits ) {
			return false;
		}
		$whole = intdiv( $bits, 8 );
		if ( substr( $ip_bytes, 0, $whole ) !== substr( $range_bytes, 0, $whole ) ) {
			return false;
		}
		$rest = $bits % 8;
		if ( 0 === $rest ) {
			return true;
		}
		$mask = ( 0xff << ( 8 - $rest ) ) & 0xff;
		return ( ord( $ip_bytes[ $whole ] ) & $mask ) === ( ord( $range_bytes[ $whole ] ) & $mask );
	}

	/**
	 * A valid address in canonical form, or ''. Accepts what proxies write: an optional
	 * port on IPv4 (1.2.3.4:80) and brackets with an optional port on IPv6 ([::1]:80).
	 *
	 * @param string $candidate Raw value.
	 */
	private static function normalize( string $candidate ): string {
		$candidate = trim( $candidate );
		if ( preg_match( '/^\[([0-9A-Fa-f:.]+)\](?::\d{1,5})?$/', $candidate, $match ) ) {
			$candidate = $match[1];
		} elseif ( preg_match( '/^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/', $candidate, $match ) ) {
			$candidate = $match[1];
		}
		if ( ! filter_var( $candidate, FILTER_VALIDATE_IP ) ) {
			return '';
		}
		$bytes = inet_pton( $candidate );
		if ( false === $bytes ) {
			return '';
		}
		$canonical = inet_ntop( $bytes );
		return false === $canonical ? '' : $canonical;
	}
}
