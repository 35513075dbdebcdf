<?php
/**
 * FAQ statistics: counts, hit rate, bounded size, samples only when allowed.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Cache;

use VoiceVisionChat\Cache\Faq_Stats;
use VoiceVisionChat\Tests\Support\TestCase;

/**
 * Faq_Stats.
 */
final class FaqStatsTest extends TestCase {

	/**
	 * Fake time.
	 *
	 * @var int
	 */
	private int $now = 1800000000;

	private function stats(): Faq_Stats {
		return new Faq_Stats( fn (): int => $this->now );
	}

	public function test_counts_asks_and_hits_per_question(): void {
		$stats = $this->stats();
		$stats->record( 'aaa', 'return policy', null, false );
		++$this->now;
		$stats->record( 'aaa', 'return policy', null, true );
		$stats->record( 'aaa', 'return policy', null, true );
		$stats->record( 'bbb', 'opening hours', null, false );

		$this->assertSame(
			array(
				'asks'     => 4,
				'hits'     => 2,
				'hit_rate' => 0.5,
				'since'    => 1800000000,
			),
			$stats->totals()
		);
		$top = $stats->top( 10, false );
		$this->assertSame( array( 'aaa', 'bbb' ), array_column( $top, 'hash' ) );
		$this->assertSame( 3, $top[0]['asks'] );
		$this->assertSame( 2, $top[0]['hits'] );
		$this->assertSame( 0.6667, $top[0]['hit_rate'] );
		$this->assertSame( 1800000001, $top[0]['last_asked'] );
	}

	public function test_size_is_bounded_and_frequent_questions_survive(): void {
		$stats = $this->stats();
		for ( $i = 0; $i < 5; $i++ ) {
			$stats->record( 'frequent', 'return policy', null, false );
		}
		for ( $i = 0; $i < Faq_Stats::MAX_QUESTIONS * 2; $i++ ) {
			++$this->now;
			$stats->record( 'one-off-' . $i, 'question ' . $i, null, false );
		}
		$stored = get_option( Faq_Stats::OPTION );
		$this->assertIsArray( $stored );
		$this->assertLessThanOrEqual( Faq_Stats::MAX_QUESTIONS, count( $stored['questions'] ) );
		$this->assertNotNull( $stats->find( 'frequent' ), 'a frequently asked question is never pruned by one-offs' );
		$this->assertNotNull( $stats->find( 'one-off-' . ( Faq_Stats::MAX_QUESTIONS * 2 - 1 ) ), 'the newest one-off is kept' );
		$this->assertNull( $stats->find( 'one-off-0' ), 'the oldest one-offs are pruned' );
		$this->assertSame( 5 + Faq_Stats::MAX_QUESTIONS * 2, $stats->totals()['asks'] );
		// Autoload off: the visitor's pages never load it.
		$this->assertSame( array(), array_intersect( array( Faq_Stats::OPTION ), array_keys( wp_load_alloptions() ) ) );
	}

	public function test_samples_only_when_given_and_forgotten_on_request(): void {
		$stats = $this->stats();
		$stats->record( 'aaa', 'return policy', null, false );
		$this->assertArrayNotHasKey( 'sample', (array) $stats->find( 'aaa' ) );

		$stats->record( 'aaa', 'return policy', 'What is your <b>return</b> policy?', false );
		$this->assertSame( 'What is your return policy?', $stats->find( 'aaa' )['sample'] ?? null );
		$this->assertSame( '', $stats->top( 1, false )[0]['sample'], 'not shown unless asked for' );
		$this->assertSame( 'What is your return policy?', $stats->top( 1, true )[0]['sample'] );

		$stats->forget_samples();
		$this->assertArrayNotHasKey( 'sample', (array) $stats->find( 'aaa' ) );
		$this->assertSame( 2, $stats->find( 'aaa' )['asks'] ?? null );
	}

	public function test_reset_starts_afresh(): void {
		$stats = $this->stats();
		$stats->record( 'aaa', 'return policy', null, true );
		$stats->reset();
		$this->assertSame( 0, $stats->totals()['asks'] );
		$this->assertSame( array(), $stats->top( 10, false ) );
	}
}
