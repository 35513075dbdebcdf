<?php
/**
 * The usage log's table: one row per call to the provider (or per cache hit).
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Storage;

defined( 'ABSPATH' ) || exit;

/**
 * Schema and row shape of `{prefix}vvc_usage`.
 *
 * No message content is stored: who (a keyed hash of the visitor and of the address, never
 * the raw IP), what route and tier and model, how many tokens of each kind, seconds of audio
 * and characters, what it cost, whether the answer came from the cache, how long it took,
 * and how it ended.
 *
 * @phpstan-type Usage_Row array{
 *     created_at: string,
 *     visitor_hash: string,
 *     ip_hash: string,
 *     route: string,
 *     tier: string,
 *     model: string,
 *     route_reasons: string,
 *     text_in_tokens: int,
 *     cached_in_tokens: int,
 *     image_in_tokens: int,
 *     audio_in_tokens: int,
 *     text_out_tokens: int,
 *     reasoning_out_tokens: int,
 *     audio_out_tokens: int,
 *     audio_ms: int,
 *     characters: int,
 *     estimated_micros: int,
 *     cost_micros: int,
 *     cost_known: int,
 *     cache_hit: int,
 *     latency_ms: int,
 *     status_code: int,
 *     error_code: string
 * }
 */
final class Usage_Table {

	/**
	 * Table name without the prefix.
	 */
	public const TABLE = 'vvc_usage';

	/**
	 * Routes a row can come from.
	 */
	public const ROUTES = array( 'chat', 'chat_stream', 'transcribe', 'speech', 'voice', 'realtime', 'faq' );

	/**
	 * Column => default, in table order (without id). Strings are VARCHAR/CHAR columns.
	 *
	 * @var array<string, int|string>
	 */
	private const DEFAULTS = array(
		'created_at'           => '',
		'visitor_hash'         => '',
		'ip_hash'              => '',
		'route'                => '',
		'tier'                 => '',
		'model'                => '',
		'route_reasons'        => '',
		'text_in_tokens'       => 0,
		'cached_in_tokens'     => 0,
		'image_in_tokens'      => 0,
		'audio_in_tokens'      => 0,
		'text_out_tokens'      => 0,
		'reasoning_out_tokens' => 0,
		'audio_out_tokens'     => 0,
		'audio_ms'             => 0,
		'characters'           => 0,
		'estimated_micros'     => 0,
		'cost_micros'          => 0,
		'cost_known'           => 1,
		'cache_hit'            => 0,
		'latency_ms'           => 0,
		'status_code'          => 200,
		'error_code'           => '',
	);

	/**
	 * Largest value of an INT UNSIGNED column.
	 */
	private const INT_MAX = 4294967295;

	/**
	 * Longest value of each string column.
	 *
	 * @var array<string, int>
	 */
	private const LENGTHS = array(
		'created_at'    => 19,
		'visitor_hash'  => 32,
		'ip_hash'       => 32,
		'route'         => 20,
		'tier'          => 20,
		'model'         => 100,
		'route_reasons' => 255,
		'error_code'    => 64,
	);

	/**
	 * The table's full name on this site.
	 */
	public static function name(): string {
		global $wpdb;
		return $wpdb->prefix . self::TABLE;
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
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  created_at datetime NOT NULL,
  visitor_hash char(32) NOT NULL DEFAULT '',
  ip_hash char(32) NOT NULL DEFAULT '',
  route varchar(20) NOT NULL DEFAULT '',
  tier varchar(20) NOT NULL DEFAULT '',
  model varchar(100) NOT NULL DEFAULT '',
  route_reasons varchar(255) NOT NULL DEFAULT '',
  text_in_tokens int(10) unsigned NOT NULL DEFAULT 0,
  cached_in_tokens int(10) unsigned NOT NULL DEFAULT 0,
  image_in_tokens int(10) unsigned NOT NULL DEFAULT 0,
  audio_in_tokens int(10) unsigned NOT NULL DEFAULT 0,
  text_out_tokens int(10) unsigned NOT NULL DEFAULT 0,
  reasoning_out_tokens int(10) unsigned NOT NULL DEFAULT 0,
  audio_out_tokens int(10) unsigned NOT NULL DEFAULT 0,
  audio_ms int(10) unsigned NOT NULL DEFAULT 0,
  characters int(10) unsigned NOT NULL DEFAULT 0,
  estimated_micros bigint(20) unsigned NOT NULL DEFAULT 0,
  cost_micros bigint(20) unsigned NOT NULL DEFAULT 0,
  cost_known tinyint(1) unsigned NOT NULL DEFAULT 1,
  cache_hit tinyint(1) unsigned NOT NULL DEFAULT 0,
  latency_ms int(10) unsigned NOT NULL DEFAULT 0,
  status_code smallint(5) unsigned NOT NULL DEFAULT 200,
  error_code varchar(64) NOT NULL DEFAULT '',
  PRIMARY KEY  (id),
  KEY created_at (created_at),
  KEY tier_created (tier,created_at),
  KEY status_created (status_code,created_at),
  KEY visitor_hash (visitor_hash)
) $charset_collate;",
		);
	}

	/**
	 * Column names, in table order (without id).
	 *
	 * @return list<string>
	 */
	public static function columns(): array {
		return array_keys( self::DEFAULTS );
	}

	/**
	 * Whether a column holds a number.
	 *
	 * @param string $column Column name.
	 */
	public static function is_numeric( string $column ): bool {
		return is_int( self::DEFAULTS[ $column ] ?? '' );
	}

	/**
	 * A complete, well-typed row from what the caller knows: unknown keys dropped, numbers
	 * made non-negative integers, strings cut to their column, the time defaulted to now (UTC).
	 *
	 * @param array<string, mixed> $values Partial row.
	 * @return Usage_Row
	 */
	public static function normalize( array $values ): array {
		$row = self::DEFAULTS;
		foreach ( self::DEFAULTS as $column => $default ) {
			if ( ! array_key_exists( $column, $values ) ) {
				continue;
			}
			$value = $values[ $column ];
			if ( is_int( $default ) ) {
				$max            = in_array( $column, array( 'estimated_micros', 'cost_micros' ), true ) ? PHP_INT_MAX : self::INT_MAX;
				$row[ $column ] = is_numeric( $value ) || is_bool( $value ) ? max( 0, min( $max, (int) $value ) ) : $default;
			} else {
				$row[ $column ] = is_scalar( $value ) ? substr( (string) $value, 0, self::LENGTHS[ $column ] ?? 255 ) : $default;
			}
		}
		foreach ( array( 'cost_known', 'cache_hit' ) as $flag ) {
			$row[ $flag ] = $row[ $flag ] ? 1 : 0;
		}
		$row['status_code'] = min( 999, (int) $row['status_code'] );
		if ( ! preg_match( '/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/', (string) $row['created_at'] ) ) {
			$row['created_at'] = gmdate( 'Y-m-d H:i:s' );
		}
		/**
		 * The defaults fixed every key's type.
		 *
		 * @var Usage_Row $row
		 */
		return $row;
	}

	/**
	 * The wpdb formats of a normalized row, in column order.
	 *
	 * @return list<string>
	 */
	public static function formats(): array {
		return array_values( array_map( static fn ( $default ): string => is_int( $default ) ? '%d' : '%s', self::DEFAULTS ) );
	}
}
