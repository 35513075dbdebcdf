<?php
/**
 * Which questions visitors ask most, and how often the FAQ cache answers them.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Cache;

defined( 'ABSPATH' ) || exit;

/**
 * Bounded ask and hit counts per normalized question, in one option (`vvc_faq_stats`,
 * autoload off: only the chat's lookups and the admin screen read it).
 *
 * Only the normalized text is kept (no capitals, punctuation, filler words), plus, while
 * transcript logging is on, the latest original wording as a sample. At most MAX_QUESTIONS
 * questions are kept: when a new one would pass that, the least asked (oldest first) are
 * pruned down to PRUNE_TO, so a stream of one-off questions cannot grow the option, while
 * questions asked often stay. Counts are approximate under concurrency: two requests saving
 * at the same moment can lose one count (a read-modify-write without a lock, which costs
 * one query per ask instead of a table).
 *
 * @phpstan-type Question_Stats array{text: string, asks: int, hits: int, last: int, sample?: string}
 * @phpstan-type Stats_Data array{asks: int, hits: int, since: int, questions: array<string, Question_Stats>}
 */
final class Faq_Stats {

	/**
	 * Option holding the statistics.
	 */
	public const OPTION = 'vvc_faq_stats';

	/**
	 * Most questions kept.
	 */
	public const MAX_QUESTIONS = 200;

	/**
	 * Questions kept after pruning.
	 */
	public const PRUNE_TO = 150;

	/**
	 * Longest sample of original wording kept, in characters.
	 */
	public const SAMPLE_MAX_CHARS = 300;

	/**
	 * Current time.
	 *
	 * @var \Closure(): int
	 */
	private \Closure $clock;

	/**
	 * Stores the clock.
	 *
	 * @param (\Closure(): int)|null $clock Current Unix time; time() when null (tests pass their own).
	 */
	public function __construct( ?\Closure $clock = null ) {
		$this->clock = $clock ?? static fn (): int => time();
	}

	/**
	 * Counts one ask.
	 *
	 * @param string      $hash       Hash of the normalized question.
	 * @param string      $normalized Normalized question.
	 * @param string|null $sample     Original wording, only when transcript logging is on.
	 * @param bool        $hit        Whether the FAQ cache (cached or curated) answered it.
	 */
	public function record( string $hash, string $normalized, ?string $sample, bool $hit ): void {
		$data = $this->load();
		$now  = ( $this->clock )();

		++$data['asks'];
		if ( $hit ) {
			++$data['hits'];
		}
		$entry = $data['questions'][ $hash ] ?? array(
			'text' => $normalized,
			'asks' => 0,
			'hits' => 0,
			'last' => $now,
		);
		++$entry['asks'];
		if ( $hit ) {
			++$entry['hits'];
		}
		$entry['last'] = $now;
		if ( null !== $sample && '' !== trim( $sample ) ) {
			$entry['sample'] = mb_substr( sanitize_textarea_field( $sample ), 0, self::SAMPLE_MAX_CHARS );
		} else {
			unset( $entry['sample'] );
		}
		$data['questions'][ $hash ] = $entry;

		if ( count( $data['questions'] ) > self::MAX_QUESTIONS ) {
			$data['questions'] = array_slice( $this->sorted( $data['questions'] ), 0, self::PRUNE_TO, true );
		}
		update_option( self::OPTION, $data, false );
	}

	/**
	 * Totals since the last reset.
	 *
	 * @return array{asks: int, hits: int, hit_rate: float, since: int}
	 */
	public function totals(): array {
		$data = $this->load();
		return array(
			'asks'     => $data['asks'],
			'hits'     => $data['hits'],
			'hit_rate' => $data['asks'] > 0 ? round( $data['hits'] / $data['asks'], 4 ) : 0.0,
			'since'    => $data['since'],
		);
	}

	/**
	 * The most asked questions, most asked first.
	 *
	 * @param int  $limit        How many.
	 * @param bool $with_samples Whether to include original wording (only while transcript logging is on).
	 * @return list<array{hash: string, text: string, asks: int, hits: int, hit_rate: float, last_asked: int, sample: string}>
	 */
	public function top( int $limit, bool $with_samples ): array {
		$out = array();
		foreach ( array_slice( $this->sorted( $this->load()['questions'] ), 0, max( 0, $limit ), true ) as $hash => $entry ) {
			$out[] = array(
				'hash'       => (string) $hash,
				'text'       => $entry['text'],
				'asks'       => $entry['asks'],
				'hits'       => $entry['hits'],
				'hit_rate'   => $entry['asks'] > 0 ? round( $entry['hits'] / $entry['asks'], 4 ) : 0.0,
				'last_asked' => $entry['last'],
				'sample'     => $with_samples ? ( $entry['sample'] ?? '' ) : '',
			);
		}
		return $out;
	}

	/**
	 * One question's statistics.
	 *
	 * @param string $hash Hash of the normalized question.
	 * @return Question_Stats|null
	 */
	public function find( string $hash ): ?array {
		return $this->load()['questions'][ $hash ] ?? null;
	}

	/**
	 * Drops every sample of original wording (transcript logging was turned off).
	 */
	public function forget_samples(): void {
		$data    = $this->load();
		$changed = false;
		foreach ( $data['questions'] as $hash => $entry ) {
			if ( isset( $entry['sample'] ) ) {
				unset( $entry['sample'] );
				$data['questions'][ $hash ] = $entry;
				$changed                    = true;
			}
		}
		if ( $changed ) {
			update_option( self::OPTION, $data, false );
		}
	}

	/**
	 * Starts counting afresh.
	 */
	public function reset(): void {
		delete_option( self::OPTION );
	}

	/**
	 * Questions, most asked first; ties: most recently asked first.
	 *
	 * @param array<string, Question_Stats> $questions Questions by hash.
	 * @return array<string, Question_Stats>
	 */
	private function sorted( array $questions ): array {
		uasort(
			$questions,
			static fn ( array $a, array $b ): int => array( $b['asks'], $b['last'] ) <=> array( $a['asks'], $a['last'] )
		);
		return $questions;
	}

	/**
	 * The stored statistics, with anything malformed dropped.
	 *
	 * @return Stats_Data
	 */
	private function load(): array {
		$stored = get_option( self::OPTION, array() );
		$stored = is_array( $stored ) ? $stored : array();
		$data   = array(
			'asks'      => max( 0, (int) ( $stored['asks'] ?? 0 ) ),
			'hits'      => max( 0, (int) ( $stored['hits'] ?? 0 ) ),
			'since'     => (int) ( $stored['since'] ?? ( $this->clock )() ),
			'questions' => array(),
		);
		foreach ( (array) ( $stored['questions'] ?? array() ) as $hash => $entry ) {
			if ( ! is_array( $entry ) || ! is_string( $entry['text'] ?? null ) ) {
				continue;
			}
			$clean = array(
				'text' => $entry['text'],
				'asks' => max( 0, (int) ( $entry['asks'] ?? 0 ) ),
				'hits' => max( 0, (int) ( $entry['hits'] ?? 0 ) ),
				'last' => (int) ( $entry['last'] ?? 0 ),
			);
			if ( is_string( $entry['sample'] ?? null ) ) {
				$clean['sample'] = $entry['sample'];
			}
			$data['questions'][ (string) $hash ] = $clean;
		}
		return $data;
	}
}
