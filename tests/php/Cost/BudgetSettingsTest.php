<?php
/**
 * Budget settings: defaults that limit, sanitizing, role limits.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Cost;

use VoiceVisionChat\Cost\Budget_Settings;
use VoiceVisionChat\Tests\Support\TestCase;

/**
 * Budget_Settings.
 */
final class BudgetSettingsTest extends TestCase {

	public function test_defaults_limit_everything(): void {
		$settings = new Budget_Settings();
		foreach ( array( 'site_day_micros', 'site_month_micros', 'visitor_day_micros', 'requests_per_minute', 'requests_per_hour', 'sessions_per_ip_hour' ) as $key ) {
			$this->assertGreaterThan( 0, $settings->get( $key ), $key );
		}
		$this->assertSame( 4000000, $settings->soft_of( 5000000 ) );
		$this->assertSame( 0, $settings->soft_of( 0 ), 'no limit, no soft limit' );
	}

	public function test_saved_values_are_sanitized_and_autoloaded(): void {
		$settings = new Budget_Settings();
		$settings->save(
			array(
				'site_day_micros'     => '2500000',
				'soft_percent'        => 250,
				'requests_per_minute' => -5,
				'role_day_micros'     => array( 'Editor' => '1000000', 'bad role!' => 'x', 'author' => -3 ),
				'notify_email'        => 'not an email',
				'unknown'             => 'dropped',
			)
		);

		$all = ( new Budget_Settings() )->all();
		$this->assertSame( 2500000, $all['site_day_micros'] );
		$this->assertSame( 100, $all['soft_percent'] );
		$this->assertSame( 6, $all['requests_per_minute'], 'a negative limit is a mistake, not "no limit"' );
		$this->assertSame( array( 'editor' => 1000000 ), $all['role_day_micros'] );
		$this->assertSame( '', $all['notify_email'] );
		$this->assertArrayNotHasKey( 'unknown', $all );
		$this->assertSame( get_option( 'admin_email' ), ( new Budget_Settings() )->notify_email() );

		global $wpdb;
		$autoload = $wpdb->get_var( $wpdb->prepare( "SELECT autoload FROM {$wpdb->options} WHERE option_name = %s", Budget_Settings::OPTION ) );
		$this->assertContains( $autoload, array( 'yes', 'on' ) );
	}

	public function test_a_users_daily_limit_is_the_most_generous_of_their_roles(): void {
		$settings = new Budget_Settings(
			array(
				'visitor_day_micros' => 100,
				'role_day_micros'    => array( 'editor' => 500, 'author' => 300, 'administrator' => 0 ),
			)
		);
		$this->assertSame( 100, $settings->visitor_day_micros( array() ) );
		$this->assertSame( 100, $settings->visitor_day_micros( array( 'subscriber' ) ), 'no entry for the role: the visitor limit' );
		$this->assertSame( 500, $settings->visitor_day_micros( array( 'author', 'editor' ) ) );
		$this->assertSame( 0, $settings->visitor_day_micros( array( 'author', 'administrator' ) ), '0 means no limit, and wins' );
	}
}
