<?php
/**
 * The ledger: reserve, settle, release, caps, expiry, soft-limit email.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Cost;

use VoiceVisionChat\Cost\Budget_Ledger;
use VoiceVisionChat\Cost\Budget_Settings;
use VoiceVisionChat\Cost\Visitor_Identity;
use VoiceVisionChat\Storage\Schema;
use VoiceVisionChat\Tests\Support\TestCase;
use WP_Error;

/**
 * Budget_Ledger against the real tables (rolled back after each test).
 */
final class BudgetLedgerTest extends TestCase {

	/**
	 * 2026-11-22 12:00 UTC.
	 */
	private const NOON = 1795348800;

	/**
	 * The fake clock.
	 *
	 * @var int
	 */
	private int $now = self::NOON;

	/**
	 * Mails caught by pre_wp_mail.
	 *
	 * @var list<array<string, mixed>>
	 */
	private array $mails = array();

	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		// Before any transaction: DDL commits. Another test class may have dropped the tables.
		( new Schema() )->install();
	}

	protected function setUp(): void {
		parent::setUp();
		add_filter( 'pre_wp_mail', array( $this, 'catch_mail' ), 10, 2 );
	}

	protected function tearDown(): void {
		remove_filter( 'pre_wp_mail', array( $this, 'catch_mail' ), 10 );
		remove_all_filters( 'vvc_limit_keys' );
		parent::tearDown();
	}

	/**
	 * Keeps the mail instead of sending it.
	 *
	 * @param null|bool            $short_circuit Null to send.
	 * @param array<string, mixed> $atts          wp_mail() arguments.
	 */
	public function catch_mail( $short_circuit, array $atts ): bool {
		$this->mails[] = $atts;
		return true;
	}

	private function ledger( array $limits = array() ): Budget_Ledger {
		$settings = new Budget_Settings( $limits + array( 'site_day_micros' => 1000, 'site_month_micros' => 10000, 'visitor_day_micros' => 0 ) );
		return new Budget_Ledger( $settings, fn (): int => $this->now );
	}

	/**
	 * A line's spent and reserved micro-dollars, by scope.
	 *
	 * @return array{0: int, 1: int}
	 */
	private static function line( Budget_Ledger $ledger, string $scope, ?Visitor_Identity $who = null ): array {
		foreach ( $ledger->gauges( $who ) as $gauge ) {
			if ( $gauge['scope'] === $scope ) {
				return array( $gauge['spent'], $gauge['reserved'] );
			}
		}
		return array( -1, -1 );
	}

	private static function reservation_id( mixed $reservation ): int {
		self::assertIsArray( $reservation );
		return $reservation['id'];
	}

	public function test_reserve_then_settle_replaces_the_hold_with_the_real_cost(): void {
		$ledger = $this->ledger();
		$held   = $ledger->reserve( 300 );

		$this->assertSame( 300, is_array( $held ) ? $held['micros'] : 0 );
		$this->assertSame( array( 0, 300 ), self::line( $ledger, 'site_day' ) );
		$this->assertSame( array( 0, 300 ), self::line( $ledger, 'site_month' ) );

		$ledger->settle( self::reservation_id( $held ), 120 );
		$this->assertSame( array( 120, 0 ), self::line( $ledger, 'site_day' ) );
		$this->assertSame( array( 120, 0 ), self::line( $ledger, 'site_month' ) );

		$ledger->settle( self::reservation_id( $held ), 120 );
		$this->assertSame( array( 120, 0 ), self::line( $ledger, 'site_day' ), 'a second settle is a no-op' );
	}

	public function test_release_gives_the_hold_back_once(): void {
		$ledger = $this->ledger();
		$id     = self::reservation_id( $ledger->reserve( 300 ) );
		$other  = self::reservation_id( $ledger->reserve( 200 ) );

		$ledger->release( $id );
		$ledger->release( $id );
		$this->assertSame( array( 0, 200 ), self::line( $ledger, 'site_day' ) );
		$ledger->settle( $id, 999 );
		$this->assertSame( array( 0, 200 ), self::line( $ledger, 'site_day' ), 'a released reservation cannot be settled' );
		$ledger->release( $other );
		$this->assertSame( array( 0, 0 ), self::line( $ledger, 'site_day' ) );
	}

	public function test_the_daily_cap_holds(): void {
		$ledger = $this->ledger();
		$first  = $ledger->reserve( 400 );
		$second = $ledger->reserve( 400 );
		$third  = $ledger->reserve( 400 );

		$this->assertIsArray( $first );
		$this->assertIsArray( $second );
		$this->assertInstanceOf( WP_Error::class, $third );
		$this->assertSame( 'vvc_budget_exhausted', $third->get_error_code() );
		$this->assertSame( 503, $third->get_error_data()['status'] );
		$this->assertSame( 'site_day', $third->get_error_data()['scope'] );
		$this->assertSame( 12 * 3600, $third->get_error_data()['retry_after'], 'until midnight' );
		$this->assertSame( array( 0, 800 ), self::line( $ledger, 'site_day' ) );
		$this->assertSame( array( 0, 800 ), self::line( $ledger, 'site_month' ), 'the refused hold was taken back from the month too' );

		$this->assertIsArray( $ledger->reserve( 200 ), 'exactly up to the cap' );
		$this->assertInstanceOf( WP_Error::class, $ledger->reserve( 1 ) );

		$ledger->release( $first['id'] );
		$this->assertIsArray( $ledger->reserve( 400 ), 'room again once a hold is released' );
	}

	public function test_spending_over_the_estimate_still_counts_and_blocks_later_calls(): void {
		$ledger = $this->ledger();
		$ledger->settle( self::reservation_id( $ledger->reserve( 100 ) ), 1200 );

		$this->assertSame( array( 1200, 0 ), self::line( $ledger, 'site_day' ) );
		$this->assertSame( 'hard', $ledger->state() );
		$this->assertInstanceOf( WP_Error::class, $ledger->reserve( 1 ) );
	}

	public function test_the_monthly_cap_holds_across_days(): void {
		$ledger = $this->ledger( array( 'site_day_micros' => 1000, 'site_month_micros' => 1500 ) );
		$ledger->settle( self::reservation_id( $ledger->reserve( 900 ) ), 900 );

		$this->now += 86400;
		$this->assertSame( array( 0, 0 ), self::line( $ledger, 'site_day' ), 'a new day' );
		$this->assertSame( array( 900, 0 ), self::line( $ledger, 'site_month' ) );
		$refused = $ledger->reserve( 700 );
		$this->assertInstanceOf( WP_Error::class, $refused );
		$this->assertSame( 'site_month', $refused->get_error_data()['scope'] );
		$this->assertSame( array( 0, 0 ), self::line( $ledger, 'site_day' ), 'the day line was raised and lowered again' );
		$this->assertIsArray( $ledger->reserve( 600 ) );
	}

	public function test_a_zero_cap_means_no_limit(): void {
		$ledger = $this->ledger( array( 'site_day_micros' => 0, 'site_month_micros' => 0 ) );
		$this->assertIsArray( $ledger->reserve( 1000000000 ) );
		$this->assertSame( 'normal', $ledger->state() );
	}

	public function test_a_visitors_daily_limit_follows_them_across_new_tokens_and_addresses(): void {
		$ledger = $this->ledger( array( 'visitor_day_micros' => 500 ) );
		$alice  = new Visitor_Identity( 'token-1', '203.0.113.5' );

		$this->assertIsArray( $ledger->reserve( 400, $alice ) );
		$refused = $ledger->reserve( 200, $alice );
		$this->assertInstanceOf( WP_Error::class, $refused );
		$this->assertSame( 'vvc_rate_limited', $refused->get_error_code() );
		$this->assertSame( 429, $refused->get_error_data()['status'] );
		$this->assertSame( 'visitor_day', $refused->get_error_data()['scope'] );

		$this->assertInstanceOf( WP_Error::class, $ledger->reserve( 200, new Visitor_Identity( 'token-2', '203.0.113.5' ) ), 'a new token from the same address' );
		$this->assertInstanceOf( WP_Error::class, $ledger->reserve( 200, new Visitor_Identity( 'token-1', '198.51.100.9' ) ), 'the same token from a new address' );
		$this->assertIsArray( $ledger->reserve( 200, new Visitor_Identity( 'token-3', '198.51.100.9' ) ), 'someone else' );
		$this->assertSame( array( 0, 600 ), self::line( $ledger, 'site_day' ), 'refusals left nothing held on the site lines' );
	}

	public function test_role_limits_apply_to_logged_in_users(): void {
		$ledger = $this->ledger(
			array(
				'visitor_day_micros' => 100,
				'role_day_micros'    => array( 'editor' => 600 ),
			)
		);
		$editor = new Visitor_Identity( '', '203.0.113.5', 7, array( 'editor' ) );
		$this->assertIsArray( $ledger->reserve( 500, $editor ) );
		$this->assertInstanceOf( WP_Error::class, $ledger->reserve( 200, $editor ) );
		$this->assertInstanceOf( WP_Error::class, $ledger->reserve( 200, new Visitor_Identity( 'v', '203.0.113.5' ) ), 'visitors keep the visitor limit' );
		$this->assertIsArray( $ledger->reserve( 90, new Visitor_Identity( 'v', '203.0.113.5' ) ), 'and are not charged for the editor on the same address' );
	}

	public function test_an_expired_reservation_is_released_by_the_next_reserve(): void {
		$ledger  = $this->ledger( array( 'reservation_ttl_minutes' => 10 ) );
		$crashed = self::reservation_id( $ledger->reserve( 900 ) );
		$this->assertInstanceOf( WP_Error::class, $ledger->reserve( 200 ) );

		$this->now += 9 * 60;
		$this->assertInstanceOf( WP_Error::class, $ledger->reserve( 200 ), 'not expired yet' );

		$this->now += 2 * 60;
		$this->assertIsArray( $ledger->reserve( 200 ), 'the crashed request\'s hold expired' );
		$this->assertSame( array( 0, 200 ), self::line( $ledger, 'site_day' ) );

		// The crashed request comes back after all: its cost counts, its hold is not freed twice.
		$ledger->settle( $crashed, 300 );
		$this->assertSame( array( 300, 200 ), self::line( $ledger, 'site_day' ) );
		$this->assertSame( 0, $ledger->sweep_expired() );
	}

	public function test_sweep_releases_each_expired_reservation_once(): void {
		$ledger = $this->ledger();
		$ledger->reserve( 100 );
		$ledger->reserve( 100 );
		$this->now += 3600;

		$this->assertSame( 2, $ledger->sweep_expired() );
		$this->assertSame( 0, $ledger->sweep_expired() );
		$this->assertSame( array( 0, 0 ), self::line( $ledger, 'site_day' ) );
	}

	public function test_soft_limit_email_is_sent_exactly_once_per_period(): void {
		$ledger = $this->ledger( array( 'site_day_micros' => 1000, 'site_month_micros' => 100000, 'soft_percent' => 80 ) );

		$ledger->settle( self::reservation_id( $ledger->reserve( 500 ) ), 500 );
		$this->assertSame( array(), $this->mails );
		$this->assertSame( 'normal', $ledger->state() );

		$ledger->settle( self::reservation_id( $ledger->reserve( 300 ) ), 300 );
		$this->assertCount( 1, $this->mails, 'crossing 80% of the day' );
		$this->assertSame( get_option( 'admin_email' ), $this->mails[0]['to'] );
		$this->assertStringContainsString( 'daily budget', $this->mails[0]['subject'] );
		$this->assertStringContainsString( '2026-11-22', $this->mails[0]['message'] );
		$this->assertStringContainsString( admin_url( 'options-general.php?page=vvc-budget' ), $this->mails[0]['message'], 'links to where the limits are edited' );
		$this->assertSame( 'soft', $ledger->state() );

		$ledger->settle( self::reservation_id( $ledger->reserve( 100 ) ), 100 );
		$ledger->settle( self::reservation_id( $ledger->reserve( 50 ) ), 50 );
		$this->assertCount( 1, $this->mails, 'no second mail the same day' );

		$this->now += 86400;
		$ledger->settle( self::reservation_id( $ledger->reserve( 900 ) ), 900 );
		$this->assertCount( 2, $this->mails, 'one more the next day' );
	}

	public function test_the_monthly_soft_limit_mails_separately_and_goes_to_the_chosen_address(): void {
		$ledger = $this->ledger(
			array(
				'site_day_micros'   => 0,
				'site_month_micros' => 1000,
				'soft_percent'      => 50,
				'notify_email'      => 'owner@example.org',
			)
		);
		$ledger->settle( self::reservation_id( $ledger->reserve( 600 ) ), 600 );
		$ledger->settle( self::reservation_id( $ledger->reserve( 10 ) ), 10 );

		$this->assertCount( 1, $this->mails );
		$this->assertSame( 'owner@example.org', $this->mails[0]['to'] );
		$this->assertStringContainsString( 'monthly budget', $this->mails[0]['subject'] );
	}

	public function test_state_counts_holds_too(): void {
		$ledger = $this->ledger( array( 'site_day_micros' => 1000, 'soft_percent' => 80 ) );
		$this->assertSame( 'normal', $ledger->state() );
		$id = self::reservation_id( $ledger->reserve( 850 ) );
		$this->assertSame( 'soft', $ledger->state(), 'many calls in flight count before they settle' );
		$ledger->settle( $id, 1000 );
		$this->assertSame( 'hard', $ledger->state() );
	}

	public function test_gauges_show_each_limit(): void {
		$ledger = $this->ledger( array( 'visitor_day_micros' => 500 ) );
		$who    = new Visitor_Identity( 'token-1', '203.0.113.5' );
		$ledger->settle( self::reservation_id( $ledger->reserve( 100, $who ) ), 40 );

		$gauges = $ledger->gauges( $who );
		$this->assertSame( array( 'site_day', 'site_month', 'visitor_day', 'visitor_day' ), array_column( $gauges, 'scope' ) );
		$this->assertSame( array( 'scope' => 'site_day', 'period' => 'site:d:2026-11-22', 'spent' => 40, 'reserved' => 0, 'cap' => 1000, 'soft' => 800 ), $gauges[0] );
		$this->assertSame( 'site:m:2026-11', $gauges[1]['period'] );
		$this->assertSame( array( 40, 40 ), array( $gauges[2]['spent'], $gauges[3]['spent'] ) );
	}

	public function test_purge_drops_old_visitor_periods_and_keeps_site_history(): void {
		$ledger = $this->ledger( array( 'visitor_day_micros' => 500 ) );
		$ledger->settle( self::reservation_id( $ledger->reserve( 100, new Visitor_Identity( 't', '203.0.113.5' ) ) ), 100 );

		$this->now += 3 * 86400;
		$this->assertSame( 2, $ledger->purge(), 'the two visitor lines' );
		$this->now -= 3 * 86400;
		$this->assertSame( array( 100, 0 ), self::line( $ledger, 'site_day' ) );
	}

	public function test_the_ledger_fails_closed_when_the_database_refuses(): void {
		global $wpdb;
		$ledger = $this->ledger();
		$ledger->reserve( 100 );
		$break  = static fn ( string $query ): string => str_contains( $query, 'spent_micros + reserved_micros + ' ) ? 'UPDATE no_such_table SET x = 1' : $query;
		add_filter( 'query', $break );
		$wpdb->suppress_errors( true );
		$refused = $ledger->reserve( 100 );
		$wpdb->suppress_errors( false );
		remove_filter( 'query', $break );

		$this->assertInstanceOf( WP_Error::class, $refused );
		$this->assertSame( 'vvc_budget_unavailable', $refused->get_error_code() );
		$this->assertSame( array( 0, 100 ), self::line( $ledger, 'site_day' ), 'nothing left held by the failed attempt' );
	}

	public function test_usd_formatting(): void {
		$this->assertSame( '$4.02', Budget_Ledger::usd( 4020000 ) );
		$this->assertSame( '$0.0012', Budget_Ledger::usd( 1200 ) );
	}
}
