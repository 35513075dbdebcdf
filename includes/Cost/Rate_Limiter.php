<?php
/**
 * Requests per minute and hour per visitor, and new sessions per IP address.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Cost;

use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * Fixed-window counters in the database, shared by every PHP worker.
 *
 * Each hit is one statement, `INSERT ... ON DUPLICATE KEY UPDATE hits =
 * LAST_INSERT_ID(hits + 1)`: the increment is atomic in InnoDB and LAST_INSERT_ID() hands
 * this connection the value its own increment produced, so exactly `limit` hits in a window
 * are allowed however many arrive at once. Refused hits still count, so hammering does not
 * reopen a window early. Buckets carry an expiry and are purged by the daily cron.
 *
 * A visitor's request counts under every key of their identity (token and IP address, see
 * Visitor_Identity) and must fit under all of them.
 *
 * @phpstan-type Hit array{allowed: bool, count: int, retry_after: int}
 */
final class Rate_Limiter {

	/**
	 * Counter rows, without the table prefix.
	 */
	public const TABLE = 'vvc_rate';

	/**
	 * The admin's limits.
	 *
	 * @var Budget_Settings
	 */
	private Budget_Settings $settings;

	/**
	 * Returns the current Unix time.
	 *
	 * @var callable(): int
	 */
	private $clock;

	/**
	 * Stores the limits and the clock.
	 *
	 * @param Budget_Settings $settings Limits.
	 * @param callable|null   $clock    Returns the Unix time; time() when null.
	 */
	public function __construct( Budget_Settings $settings, ?callable $clock = null ) {
		$this->settings = $settings;
		$this->clock    = $clock ?? static fn (): int => time();
	}

	/**
	 * CREATE TABLE statement for dbDelta.
	 *
	 * @param string $prefix          Table prefix of the site.
	 * @param string $charset_collate $wpdb->get_charset_collate().
	 * @return list<string>
	 */
	public static function schema( string $prefix, string $charset_collate ): array {
		return array(
			"CREATE TABLE {$prefix}" . self::TABLE . " (
  bucket varchar(150) NOT NULL,
  hits int(10) unsigned NOT NULL DEFAULT 0,
  expires_at bigint(20) unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY  (bucket),
  KEY expires_at (expires_at)
) $charset_collate;",
		);
	}

	/**
	 * Counts a chat request and says whether it may run (per minute and per hour, under every
	 * key of the visitor).
	 *
	 * @param Visitor_Identity $who The visitor.
	 * @return true|WP_Error vvc_rate_limited (429) with retry_after seconds.
	 */
	public function allow_request( Visitor_Identity $who ): bool|WP_Error {
		$windows = array(
			60   => (int) $this->settings->get( 'requests_per_minute' ),
			3600 => (int) $this->settings->get( 'requests_per_hour' ),
		);
		$retry   = 0;
		foreach ( $who->limit_keys() as $key ) {
			foreach ( $windows as $seconds => $limit ) {
				if ( $limit <= 0 ) {
					continue;
				}
				$hit = $this->hit( 'req:' . $key, $seconds, $limit );
				if ( ! $hit['allowed'] ) {
					$retry = max( $retry, $hit['retry_after'] );
				}
			}
		}
		if ( $retry > 0 ) {
			return new WP_Error(
				'vvc_rate_limited',
				__( 'You are sending questions faster than the chat can answer. Please wait a moment and try again.', 'voice-vision-chat' ),
				array(
					'status'      => 429,
					'scope'       => 'requests',
					'retry_after' => $retry,
				)
			);
		}
		return true;
	}

	/**
	 * Counts a new visitor session (token) for an IP address and says whether it may be issued.
	 *
	 * @param string $ip_hash Visitor_Identity::ip_hash() of the client.
	 * @return true|WP_Error vvc_rate_limited (429) with retry_after seconds.
	 */
	public function allow_session( string $ip_hash ): bool|WP_Error {
		$limit = (int) $this->settings->get( 'sessions_per_ip_hour' );
		if ( $limit <= 0 ) {
			return true;
		}
		$hit = $this->hit( 'ses:ip:' . $ip_hash, 3600, $limit );
		if ( $hit['allowed'] ) {
			return true;
		}
		return new WP_Error(
			'vvc_rate_limited',
			__( 'Too many chat sessions were started from your network. Please try again later.', 'voice-vision-chat' ),
			array(
				'status'      => 429,
				'scope'       => 'sessions',
				'retry_after' => $hit['retry_after'],
			)
		);
	}

	/**
	 * Counts one hit in the current fixed window of a key.
	 *
	 * @param string $key     What is counted (letters, digits, : and -).
	 * @param int    $seconds Window length.
	 * @param int    $limit   Hits allowed per window.
	 * @return Hit Whether this hit is within the limit, the window's count including it, and
	 *             seconds until the window ends.
	 */
	public function hit( string $key, int $seconds, int $limit ): array {
		global $wpdb;
		$seconds = max( 1, $seconds );
		$now     = $this->now();
		$window  = intdiv( $now, $seconds );
		$ends    = ( $window + 1 ) * $seconds;
		$bucket  = $key . '@' . $seconds . ':' . $window;

		// LAST_INSERT_ID(expr) makes this connection's insert_id the value this statement wrote.
		$result = $wpdb->query( // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- counters are their own table; a cache would break atomicity.
			$wpdb->prepare(
				"INSERT INTO {$wpdb->prefix}vvc_rate (bucket, hits, expires_at) VALUES (%s, LAST_INSERT_ID(1), %d) ON DUPLICATE KEY UPDATE hits = LAST_INSERT_ID(hits + 1)",
				$bucket,
				$ends
			)
		);
		if ( false === $result ) {
			// Fail closed: without a counter nobody can tell whether the limit is reached.
			return array(
				'allowed'     => false,
				'count'       => 0,
				'retry_after' => max( 1, $ends - $now ),
			);
		}
		$count = (int) $wpdb->insert_id;
		return array(
			'allowed'     => $count <= $limit,
			'count'       => $count,
			'retry_after' => max( 1, $ends - $now ),
		);
	}

	/**
	 * Deletes counters whose window has ended.
	 *
	 * @return int Rows deleted.
	 */
	public function purge(): int {
		global $wpdb;
		return (int) $wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->prefix}vvc_rate WHERE expires_at < %d LIMIT 50000", $this->now() ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
	}

	/**
	 * Now, from the clock.
	 */
	private function now(): int {
		return ( $this->clock )();
	}
}
