<?php
/**
 * The dashboard's budget gauges, read from the real ledger.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Cost;

use VoiceVisionChat\Cost\Budget_Ledger;
use VoiceVisionChat\Cost\Budget_Settings;
use VoiceVisionChat\Cost\Spend_Report;
use VoiceVisionChat\Cost\Visitor_Identity;
use VoiceVisionChat\Storage\Schema;
use VoiceVisionChat\Tests\Support\TestCase;

/**
 * Spend_Report over Budget_Ledger with a clock in 2031, far from any other test's periods.
 */
final class SpendReportTest extends TestCase {

	/**
	 * 2031-05-17 12:00 UTC.
	 */
	private const NOON = 1936785600;

	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		( new Schema() )->install();
	}

	protected function setUp(): void {
		parent::setUp();
		update_option( 'timezone_string', 'UTC' );
		// Mails of the soft limit are not this test's business.
		add_filter( 'pre_wp_mail', '__return_true' );
	}

	protected function tearDown(): void {
		remove_filter( 'pre_wp_mail', '__return_true' );
		parent::tearDown();
	}

	/**
	 * A ledger and its report on the same limits and clock.
	 *
	 * @param array<string, mixed> $limits Limits.
	 * @return array{0: Budget_Ledger, 1: Spend_Report}
	 */
	private static function pair( array $limits ): array {
		$settings = new Budget_Settings( $limits );
		$clock    = static fn (): int => self::NOON;
		return array( new Budget_Ledger( $settings, $clock ), new Spend_Report( new Budget_Ledger( $settings, $clock ), $settings, $clock ) );
	}

	/**
	 * Spends an amount for a visitor (reserve, then settle).
	 *
	 * @param Budget_Ledger         $ledger Ledger.
	 * @param int                   $micros Amount.
	 * @param Visitor_Identity|null $who    Visitor.
	 */
	private function spend( Budget_Ledger $ledger, int $micros, ?Visitor_Identity $who = null ): void {
		$reservation = $ledger->reserve( $micros, $who );
		$this->assertIsArray( $reservation );
		$ledger->settle( $reservation['id'], $micros );
	}

	public function test_site_lines_report_spent_reserved_caps_and_state(): void {
		list( $ledger, $report ) = self::pair(
			array(
				'site_day_micros'    => 1000,
				'site_month_micros'  => 50000,
				'soft_percent'       => 80,
				'visitor_day_micros' => 0,
			)
		);
		$this->spend( $ledger, 700 );
		$held = $ledger->reserve( 150 );
		$this->assertIsArray( $held );

		$gauges = $report->gauges();

		$this->assertSame( array( 'site_day', 'site_month', 'visitor_day' ), array_column( $gauges, 'scope' ) );
		$this->assertSame(
			array(
				'scope'           => 'site_day',
				'period'          => '2031-05-17',
				'spent_micros'    => 700,
				'reserved_micros' => 150,
				'cap_micros'      => 1000,
				'soft_micros'     => 800,
				'state'           => 'soft',
			),
			$gauges[0],
			'850 of 1000 is past the soft limit of 800'
		);
		$this->assertSame( '2031-05', $gauges[1]['period'] );
		$this->assertSame( 'normal', $gauges[1]['state'] );
		$this->assertSame( 40000, $gauges[1]['soft_micros'] );

		$ledger->settle( $held['id'], 300 );
		$this->assertSame( 'hard', $report->gauges()[0]['state'], '1000 of 1000 is the hard limit' );
	}

	public function test_the_visitor_gauge_shows_the_line_closest_to_the_cap(): void {
		list( $ledger, $report ) = self::pair(
			array(
				'site_day_micros'    => 0,
				'site_month_micros'  => 0,
				'visitor_day_micros' => 500,
			)
		);
		$secret = 'vvc-test-secret';
		$alice  = new Visitor_Identity( 'alice', '203.0.113.1', 0, array(), $secret );
		$bob    = new Visitor_Identity( 'bob', '203.0.113.2', 0, array(), $secret );
		$carol  = new Visitor_Identity( 'carol', '203.0.113.2', 0, array(), $secret ); // Bob's address.
		$editor = new Visitor_Identity( '', '203.0.113.9', 7, array( 'editor' ), $secret );
		$this->spend( $ledger, 100, $alice );
		$this->spend( $ledger, 300, $bob );
		$this->spend( $ledger, 200, $carol );
		$this->spend( $ledger, 450, $editor );

		$visitor = $report->gauges()[2];

		$this->assertSame( 'visitor_day', $visitor['scope'] );
		$this->assertSame( 500, $visitor['spent_micros'], 'the shared address spent 300 + 200' );
		$this->assertSame( 500, $visitor['cap_micros'] );
		$this->assertSame( 'hard', $visitor['state'] );
		$this->assertSame( 3, $visitor['visitors'], 'three anonymous visitors; the editor counts under a role' );
		$this->assertSame( 1, $visitor['at_cap'], 'one line (the shared address) reached the cap' );
	}

	public function test_without_a_visitor_cap_nothing_is_at_the_cap(): void {
		list( $ledger, $report ) = self::pair(
			array(
				'site_day_micros'    => 0,
				'site_month_micros'  => 0,
				'visitor_day_micros' => 0,
			)
		);
		$this->spend( $ledger, 90, new Visitor_Identity( 'dave', '198.51.100.4', 0, array(), 'vvc-test-secret' ) );

		$visitor = $report->gauges()[2];

		$this->assertSame( 90, $visitor['spent_micros'] );
		$this->assertSame( 0, $visitor['cap_micros'] );
		$this->assertSame( 0, $visitor['at_cap'] );
		$this->assertSame( 'normal', $visitor['state'] );
	}

	public function test_other_days_do_not_count(): void {
		$settings  = new Budget_Settings( array( 'visitor_day_micros' => 1000 ) );
		$yesterday = new Budget_Ledger( $settings, static fn (): int => self::NOON - DAY_IN_SECONDS );
		$reserved  = $yesterday->reserve( 400, new Visitor_Identity( 'erin', '198.51.100.5', 0, array(), 'vvc-test-secret' ) );
		$this->assertIsArray( $reserved );
		$yesterday->settle( $reserved['id'], 400 );

		$visitor = ( new Spend_Report( new Budget_Ledger( $settings, static fn (): int => self::NOON ), $settings, static fn (): int => self::NOON ) )->gauges()[2];

		$this->assertSame( 0, $visitor['spent_micros'] );
		$this->assertSame( 0, $visitor['visitors'] );
	}
}
