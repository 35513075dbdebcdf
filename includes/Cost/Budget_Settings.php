<?php
/**
 * The admin's spending limits and request rates.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Cost;

defined( 'ABSPATH' ) || exit;

/**
 * Reads and writes the option `vvc_budget` (autoloaded: every chat request needs it).
 *
 * Money is stored in micro-dollars (1 USD = 1,000,000) so no float ever decides whether a
 * request may run. A limit of 0 means "no limit" for that line; the shipped defaults limit
 * everything, because a runaway bill is the failure this exists to prevent.
 *
 * @phpstan-type Budget_Array array{
 *     site_day_micros: int,
 *     site_month_micros: int,
 *     soft_percent: int,
 *     visitor_day_micros: int,
 *     role_day_micros: array<string, int>,
 *     requests_per_minute: int,
 *     requests_per_hour: int,
 *     sessions_per_ip_hour: int,
 *     reservation_ttl_minutes: int,
 *     usage_retention_days: int,
 *     notify_email: string
 * }
 */
final class Budget_Settings {

	/**
	 * Option holding the limits.
	 */
	public const OPTION = 'vvc_budget';

	/**
	 * Integer settings and their inclusive ranges.
	 *
	 * @var array<string, array{0: int, 1: int}>
	 */
	private const INT_RANGES = array(
		'site_day_micros'         => array( 0, 1000000000000 ),
		'site_month_micros'       => array( 0, 10000000000000 ),
		'soft_percent'            => array( 1, 100 ),
		'visitor_day_micros'      => array( 0, 1000000000000 ),
		'requests_per_minute'     => array( 0, 10000 ),
		'requests_per_hour'       => array( 0, 100000 ),
		'sessions_per_ip_hour'    => array( 0, 100000 ),
		'reservation_ttl_minutes' => array( 2, 1440 ),
		'usage_retention_days'    => array( 1, 3650 ),
	);

	/**
	 * Values given to the constructor instead of the option (tests, previews).
	 *
	 * @var array<string, mixed>|null
	 */
	private ?array $given;

	/**
	 * The sanitized settings, kept until the stored value changes.
	 *
	 * @var Budget_Array|null
	 */
	private ?array $values = null;

	/**
	 * The raw value $values was made from.
	 *
	 * @var array<mixed>|null
	 */
	private ?array $values_source = null;

	/**
	 * Stores values to use instead of the option, if any.
	 *
	 * @param array<string, mixed>|null $values Values merged over the defaults; the option when null.
	 */
	public function __construct( ?array $values = null ) {
		$this->given = $values;
	}

	/**
	 * The shipped limits: $5 a day and $50 a month for the site (email at 80%), 20 cents a day
	 * per visitor, 6 questions a minute and 60 an hour per visitor, 30 new sessions an hour
	 * per IP address.
	 *
	 * @return Budget_Array
	 */
	public static function defaults(): array {
		return array(
			'site_day_micros'         => 5000000,
			'site_month_micros'       => 50000000,
			'soft_percent'            => 80,
			'visitor_day_micros'      => 200000,
			'role_day_micros'         => array(),
			'requests_per_minute'     => 6,
			'requests_per_hour'       => 60,
			'sessions_per_ip_hour'    => 30,
			'reservation_ttl_minutes' => 10,
			'usage_retention_days'    => 90,
			'notify_email'            => '',
		);
	}

	/**
	 * Every setting, sanitized and merged with the defaults.
	 *
	 * @return Budget_Array
	 */
	public function all(): array {
		$stored = $this->given ?? get_option( self::OPTION, array() );
		$stored = is_array( $stored ) ? $stored : array();
		if ( null === $this->values || $this->values_source !== $stored ) {
			$this->values        = self::sanitize( $stored );
			$this->values_source = $stored;
		}
		return $this->values;
	}

	/**
	 * One setting.
	 *
	 * @param string $key Setting name.
	 */
	public function get( string $key ): mixed {
		return $this->all()[ $key ] ?? null;
	}

	/**
	 * Saves a subset of the settings (sanitized; unknown keys dropped).
	 *
	 * @param array<string, mixed> $values New values.
	 */
	public function save( array $values ): void {
		$merged = array_merge( $this->all(), array_intersect_key( $values, self::defaults() ) );
		update_option( self::OPTION, self::sanitize( $merged ), true );
		if ( null !== $this->given ) {
			$this->given = $merged;
		}
	}

	/**
	 * The soft limit for a hard limit: soft_percent of it, 0 when there is no limit.
	 *
	 * @param int $cap_micros Hard limit.
	 */
	public function soft_of( int $cap_micros ): int {
		return (int) floor( $cap_micros * (int) $this->get( 'soft_percent' ) / 100 );
	}

	/**
	 * Daily limit for one visitor: for a logged-in user the most generous limit among their
	 * roles that have one (0, no limit, wins), else the visitor limit.
	 *
	 * @param array $roles The user's roles; empty for anonymous visitors.
	 * @phpstan-param list<string> $roles
	 */
	public function visitor_day_micros( array $roles ): int {
		$role_caps = $this->all()['role_day_micros'];
		$found     = null;
		foreach ( $roles as $role ) {
			if ( ! isset( $role_caps[ $role ] ) ) {
				continue;
			}
			$cap   = $role_caps[ $role ];
			$found = ( 0 === $cap || 0 === $found ) ? 0 : max( (int) $found, $cap );
		}
		return $found ?? $this->all()['visitor_day_micros'];
	}

	/**
	 * Where the soft-limit email goes: the configured address, else the site's admin email.
	 */
	public function notify_email(): string {
		$email = $this->all()['notify_email'];
		return '' !== $email ? $email : (string) get_option( 'admin_email' );
	}

	/**
	 * Cleans stored or submitted values: integers capped at their maximum (values below the
	 * minimum are ignored), roles as slugs.
	 *
	 * @param array<mixed> $values Raw values.
	 * @return Budget_Array
	 */
	public static function sanitize( array $values ): array {
		$clean = self::defaults();
		foreach ( self::INT_RANGES as $key => $range ) {
			// Below the range is a mistake (a negative limit), not "no limit": keep the default.
			if ( isset( $values[ $key ] ) && is_numeric( $values[ $key ] ) && (int) $values[ $key ] >= $range[0] ) {
				$clean[ $key ] = min( $range[1], (int) $values[ $key ] );
			}
		}
		if ( isset( $values['role_day_micros'] ) && is_array( $values['role_day_micros'] ) ) {
			$roles = array();
			foreach ( $values['role_day_micros'] as $role => $cap ) {
				if ( is_string( $role ) && '' !== sanitize_key( $role ) && is_numeric( $cap ) && (int) $cap >= 0 ) {
					$roles[ sanitize_key( $role ) ] = min( self::INT_RANGES['visitor_day_micros'][1], (int) $cap );
				}
			}
			$clean['role_day_micros'] = $roles;
		}
		if ( isset( $values['notify_email'] ) && is_string( $values['notify_email'] ) ) {
			$clean['notify_email'] = (string) sanitize_email( $values['notify_email'] );
		}
		return $clean;
	}
}
