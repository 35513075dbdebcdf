<?php
/**
 * Request and session rate limits: windows, keys, and what rotating tokens cannot reset.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Cost;

use VoiceVisionChat\Cost\Budget_Settings;
use VoiceVisionChat\Cost\Rate_Limiter;
use VoiceVisionChat\Cost\Visitor_Identity;
use VoiceVisionChat\Storage\Schema;
use VoiceVisionChat\Tests\Support\TestCase;
use WP_Error;

/**
 * Rate_Limiter against the real table (rolled back after each test).
 */
final class RateLimiterTest extends TestCase {

	/**
	 * The fake clock: 2026-11-22 12:00:00 UTC, the start of a minute and an hour.
	 *
	 * @var int
	 */
	private int $now = 1795348800;

	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		( new Schema() )->install();
	}

	private function limiter( array $limits = array() ): Rate_Limiter {
		return new Rate_Limiter( new Budget_Settings( $limits + array( 'requests_per_minute' => 3, 'requests_per_hour' => 5, 'sessions_per_ip_hour' => 2 ) ), fn (): int => $this->now );
	}

	public function test_hit_counts_exactly_within_a_window(): void {
		$limiter = $this->limiter();
		$counts  = array();
		foreach ( range( 1, 4 ) as $unused ) {
			$hit      = $limiter->hit( 'test:a', 60, 3 );
			$counts[] = array( $hit['count'], $hit['allowed'] );
		}
		$this->assertSame( array( array( 1, true ), array( 2, true ), array( 3, true ), array( 4, false ) ), $counts );
		$this->assertSame( 60, $limiter->hit( 'test:a', 60, 3 )['retry_after'] );

		$this->now += 59;
		$this->assertSame( 1, $limiter->hit( 'test:a', 60, 3 )['retry_after'] );
		$this->now += 1;
		$hit = $limiter->hit( 'test:a', 60, 3 );
		$this->assertSame( array( 1, true ), array( $hit['count'], $hit['allowed'] ), 'a new window starts from zero' );
		$this->assertSame( 1, $limiter->hit( 'test:b', 60, 3 )['count'], 'keys are separate' );
	}

	public function test_requests_per_minute_then_per_hour(): void {
		$limiter = $this->limiter();
		$who     = new Visitor_Identity( 'token-1', '203.0.113.5' );

		for ( $i = 0; $i < 3; $i++ ) {
			$this->assertTrue( $limiter->allow_request( $who ) );
		}
		$refused = $limiter->allow_request( $who );
		$this->assertInstanceOf( WP_Error::class, $refused );
		$this->assertSame( 'vvc_rate_limited', $refused->get_error_code() );
		$this->assertSame( 429, $refused->get_error_data()['status'] );
		$this->assertSame( 60, $refused->get_error_data()['retry_after'] );

		$this->now += 60;
		$this->assertTrue( $limiter->allow_request( $who ), 'the fifth of the hour (the refused one counted too)' );
		$refused = $limiter->allow_request( $who );
		$this->assertInstanceOf( WP_Error::class, $refused, 'the hour is used up' );
		$this->assertSame( 3600 - 60, $refused->get_error_data()['retry_after'] );
	}

	public function test_rotating_tokens_does_not_reset_the_limit(): void {
		$limiter = $this->limiter();
		for ( $i = 0; $i < 3; $i++ ) {
			$this->assertTrue( $limiter->allow_request( new Visitor_Identity( "token-$i", '203.0.113.5' ) ) );
		}
		$this->assertInstanceOf( WP_Error::class, $limiter->allow_request( new Visitor_Identity( 'token-fresh', '203.0.113.5' ) ) );
		$this->assertTrue( $limiter->allow_request( new Visitor_Identity( 'token-x', '198.51.100.10' ) ), 'another visitor is not affected' );
	}

	public function test_a_new_address_does_not_reset_the_limit_of_a_token(): void {
		$limiter = $this->limiter();
		foreach ( array( '203.0.113.5', '203.0.113.6', '203.0.113.7' ) as $ip ) {
			$this->assertTrue( $limiter->allow_request( new Visitor_Identity( 'token-1', $ip ) ) );
		}
		$this->assertInstanceOf( WP_Error::class, $limiter->allow_request( new Visitor_Identity( 'token-1', '203.0.113.8' ) ) );
	}

	public function test_a_logged_in_user_is_limited_by_user_not_by_address(): void {
		$limiter = $this->limiter();
		for ( $i = 0; $i < 3; $i++ ) {
			$limiter->allow_request( new Visitor_Identity( "token-$i", '203.0.113.5' ) );
		}
		$this->assertTrue( $limiter->allow_request( new Visitor_Identity( '', '203.0.113.5', 9, array( 'editor' ) ) ) );
	}

	public function test_a_zero_limit_means_no_limit(): void {
		$limiter = $this->limiter( array( 'requests_per_minute' => 0, 'requests_per_hour' => 0, 'sessions_per_ip_hour' => 0 ) );
		for ( $i = 0; $i < 20; $i++ ) {
			$this->assertTrue( $limiter->allow_request( new Visitor_Identity( 't', '203.0.113.5' ) ) );
			$this->assertTrue( $limiter->allow_session( 'abc' ) );
		}
	}

	public function test_sessions_per_address_are_limited(): void {
		$limiter = $this->limiter();
		$ip_hash = ( new Visitor_Identity( '', '203.0.113.5' ) )->ip_hash();

		$this->assertTrue( $limiter->allow_session( $ip_hash ) );
		$this->assertTrue( $limiter->allow_session( $ip_hash ) );
		$refused = $limiter->allow_session( $ip_hash );
		$this->assertInstanceOf( WP_Error::class, $refused );
		$this->assertSame( 'sessions', $refused->get_error_data()['scope'] );
		$this->assertTrue( $limiter->allow_session( ( new Visitor_Identity( '', '198.51.100.9' ) )->ip_hash() ) );

		$this->now += 3600;
		$this->assertTrue( $limiter->allow_session( $ip_hash ), 'a new hour' );
	}

	public function test_the_limiter_fails_closed_when_the_database_refuses(): void {
		global $wpdb;
		$break = static fn ( string $query ): string => str_contains( $query, 'LAST_INSERT_ID' ) ? 'INSERT INTO no_such_table VALUES (1)' : $query;
		add_filter( 'query', $break );
		$wpdb->suppress_errors( true );
		$result = $this->limiter()->allow_request( new Visitor_Identity( 't', '203.0.113.5' ) );
		$wpdb->suppress_errors( false );
		remove_filter( 'query', $break );

		$this->assertInstanceOf( WP_Error::class, $result );
	}

	public function test_purge_removes_ended_windows_only(): void {
		global $wpdb;
		$limiter = $this->limiter();
		$limiter->hit( 'test:old', 60, 10 );
		$limiter->hit( 'test:long', 3600, 10 );

		$this->now += 120;
		$this->assertSame( 1, $limiter->purge() );
		$this->assertSame( '1', $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}vvc_rate WHERE bucket LIKE 'test:long%'" ) );
	}
}
