<?php
/**
 * Test helper: the OpenAI simulator's control API (tests/simulator), shared by the upstream,
 * chat and connection tests.
 *
 * Other suites use the simulator at the same time, so this helper never resets its log or
 * its script queue: every scripted behaviour matches a marker unique to one test, and the
 * request log is filtered by that marker.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Upstream;

use VoiceVisionChat\Cost\Budget_Settings;
use VoiceVisionChat\Routing\Model_Catalog;
use VoiceVisionChat\Security\Api_Key_Store;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Support\Error_Log;
use VoiceVisionChat\Upstream\OpenAI_Client;

/**
 * Talks to http://127.0.0.1:4010/__sim/ with plain curl (never through the plugin).
 */
final class Simulator {

	/**
	 * Base URL the plugin is pointed at in tests.
	 */
	public static function base_url(): string {
		return self::root() . '/v1';
	}

	/**
	 * The simulator's root URL: the stack's, or VVC_TEST_SIM_URL from the environment (to try
	 * a second simulator instance without touching the shared one).
	 */
	public static function root(): string {
		$override = getenv( 'VVC_TEST_SIM_URL' );
		return rtrim( is_string( $override ) && '' !== $override ? $override : VVC_TEST_SIMULATOR_URL, '/' );
	}

	/**
	 * Lets WordPress's HTTP API reach the simulator.
	 *
	 * The test site's WP_HTTP_BLOCK_EXTERNAL blocks every host except localhost and the site's
	 * own (example.org), and WP_ACCESSIBLE_HOSTS is the only way to allow one more. Defining it
	 * here is harmless for other tests: it only ever allows the loopback address.
	 */
	public static function allow_http(): void {
		if ( ! defined( 'WP_ACCESSIBLE_HOSTS' ) ) {
			define( 'WP_ACCESSIBLE_HOSTS', '127.0.0.1' );
		}
	}

	/**
	 * A marker unique to one test, to put in its message.
	 *
	 * @param string $label Readable part.
	 */
	public static function marker( string $label ): string {
		return 'vvc-' . $label . '-' . bin2hex( random_bytes( 6 ) );
	}

	/**
	 * Points the plugin at the simulator with a key of the test's choosing.
	 *
	 * @param string               $key      API key to store as the plugin's own key.
	 * @param array<string, mixed> $settings Extra settings.
	 */
	public static function configure( string $key = 'sk-vvc-test-0123456789abcdef', array $settings = array() ): void {
		self::allow_http();
		update_option(
			Settings::OPTION,
			array_merge(
				array(
					'base_url'   => self::base_url(),
					'key_choice' => 'plugin',
				),
				$settings
			)
		);
		$keys = new Api_Key_Store( new Settings(), static fn (): string => '', static fn (): string => '' );
		$keys->save_plugin_key( $key );
	}

	/**
	 * Stand-in prices for the default tiers' unpriced models (shared with the dev stack).
	 *
	 * @return array<string, array{price: array<string, float>}>
	 */
	public static function test_prices(): array {
		return require __DIR__ . '/../../stack/php/stand-in-prices.php';
	}

	/**
	 * Lets chat requests run for the rest of the test (rolled back with it): stand-in prices
	 * for the default models, every budget and rate limit off. Tests of a limit set it after.
	 *
	 * @param array<string, int> $budget Budget settings to use instead (Budget_Settings keys).
	 */
	public static function meter_freely( array $budget = array() ): void {
		update_option( Model_Catalog::OPTION, array( 'models' => self::test_prices() ), false );
		update_option(
			Budget_Settings::OPTION,
			array_merge(
				Budget_Settings::defaults(),
				array(
					'site_day_micros'      => 0,
					'site_month_micros'    => 0,
					'visitor_day_micros'   => 0,
					'requests_per_minute'  => 0,
					'requests_per_hour'    => 0,
					'sessions_per_ip_hour' => 0,
				),
				$budget
			),
			true
		);
	}

	/**
	 * A client on the current settings whose sleeps are recorded instead of waited.
	 *
	 * @param list<float>        $sleeps   Receives every wait the client asked for.
	 * @param array<string, int> $timeouts Timeout overrides (short ones keep the timeout tests fast).
	 */
	public static function client( array &$sleeps = array(), array $timeouts = array() ): OpenAI_Client {
		$settings = new Settings();
		$keys     = new Api_Key_Store( $settings, static fn (): string => '', static fn (): string => '' );
		return new OpenAI_Client(
			$settings,
			$keys,
			new Error_Log( $keys ),
			static function ( float $seconds ) use ( &$sleeps ): void {
				$sleeps[] = $seconds;
			},
			$timeouts + array(
				'total'        => 5,
				'stream_total' => 10,
				'stream_idle'  => 3,
			)
		);
	}

	/**
	 * Queues scripted behaviours (POST /__sim/script).
	 *
	 * @param array<string, mixed> ...$entries Script entries: match, reply, fault, times.
	 */
	public static function script( array ...$entries ): void {
		$answer = self::control( 'POST', '/__sim/script', $entries );
		if ( empty( $answer['ok'] ) ) {
			throw new \RuntimeException( 'The simulator refused the script: ' . wp_json_encode( $answer ) );
		}
	}

	/**
	 * Requests the simulator received whose body contains the marker, oldest first.
	 *
	 * @param string $marker Marker from marker().
	 * @return list<array<string, mixed>>
	 */
	public static function requests( string $marker ): array {
		$answer = self::control( 'GET', '/__sim/requests' );
		$found  = array();
		foreach ( (array) ( $answer['data'] ?? array() ) as $record ) {
			if ( is_array( $record ) && str_contains( (string) wp_json_encode( $record['body'] ?? null ), $marker ) ) {
				$found[] = $record;
			}
		}
		return $found;
	}

	/**
	 * Requests recorded since a given count, for calls whose body cannot carry a marker (GET).
	 *
	 * @return int How many requests the simulator has recorded so far.
	 */
	public static function request_count(): int {
		$answer = self::control( 'GET', '/__sim/requests' );
		return count( (array) ( $answer['data'] ?? array() ) );
	}

	/**
	 * One control call.
	 *
	 * @param string     $method HTTP method.
	 * @param string     $path   Path under the simulator root.
	 * @param mixed|null $body   JSON body.
	 * @return array<string, mixed>
	 */
	private static function control( string $method, string $path, $body = null ): array {
		// phpcs:disable WordPress.WP.AlternativeFunctions -- test plumbing, deliberately outside the plugin's HTTP path.
		$curl = curl_init( self::root() . $path );
		curl_setopt( $curl, CURLOPT_CUSTOMREQUEST, $method );
		curl_setopt( $curl, CURLOPT_RETURNTRANSFER, true );
		curl_setopt( $curl, CURLOPT_TIMEOUT, 10 );
		if ( null !== $body ) {
			curl_setopt( $curl, CURLOPT_POSTFIELDS, (string) wp_json_encode( $body ) );
			curl_setopt( $curl, CURLOPT_HTTPHEADER, array( 'Content-Type: application/json' ) );
		}
		$raw = curl_exec( $curl );
		curl_close( $curl );
		// phpcs:enable
		if ( ! is_string( $raw ) ) {
			throw new \RuntimeException( "The OpenAI simulator does not answer at {$path}: is the stack up (bash tests/stack/up.sh)?" );
		}
		$decoded = json_decode( $raw, true );
		return is_array( $decoded ) ? $decoded : array();
	}
}
