<?php
/**
 * Question-and-answer entries the admin writes; they answer without any model call.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Cache;

use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * Curated FAQ entries, in one option (`vvc_faq_entries`, autoload off).
 *
 * Each entry has question variants (as the admin wrote them) and one answer (Markdown, shown
 * through the widget's sanitizing renderer like any model answer, so it is kept as written
 * apart from invalid UTF-8 and control characters). The option also holds an index from the
 * hash of each variant's normalized text to its entry, so a lookup is one option read and an
 * array access. A normalized variant belongs to one entry only. The index is rebuilt when the
 * normalization rules change. Every change bumps the FAQ cache version, so cached model
 * answers that might contradict a new or edited entry disappear.
 *
 * @phpstan-type Faq_Entry array{id: string, questions: list<string>, answer: string, updated: int}
 * @phpstan-type Entries_Data array{rules: string, entries: array<string, Faq_Entry>, index: array<string, string>}
 */
final class Curated_Faq_Store {

	/**
	 * Option holding the entries and their index.
	 */
	public const OPTION = 'vvc_faq_entries';

	/**
	 * Most entries.
	 */
	public const MAX_ENTRIES = 500;

	/**
	 * Most question variants per entry.
	 */
	public const MAX_QUESTIONS = 20;

	/**
	 * Longest question variant, in characters.
	 */
	public const QUESTION_MAX_CHARS = 500;

	/**
	 * Longest answer, in characters.
	 */
	public const ANSWER_MAX_CHARS = 10000;

	/**
	 * Question normalizer.
	 *
	 * @var Question_Normalizer
	 */
	private Question_Normalizer $normalizer;

	/**
	 * Cache generation, bumped on every change.
	 *
	 * @var Cache_Version
	 */
	private Cache_Version $version;

	/**
	 * Stores collaborators.
	 *
	 * @param Question_Normalizer $normalizer Question normalizer.
	 * @param Cache_Version       $version    Cache generation.
	 */
	public function __construct( Question_Normalizer $normalizer, Cache_Version $version ) {
		$this->normalizer = $normalizer;
		$this->version    = $version;
	}

	/**
	 * Hash of a normalized question: the id shared by the index, the statistics and cache keys.
	 *
	 * @param string $normalized Normalized question.
	 */
	public static function hash( string $normalized ): string {
		return substr( hash( 'sha256', $normalized ), 0, 24 );
	}

	/**
	 * Every entry, oldest first.
	 *
	 * @return list<Faq_Entry>
	 */
	public function all(): array {
		return array_values( $this->load()['entries'] );
	}

	/**
	 * One entry.
	 *
	 * @param string $id Entry id.
	 * @return Faq_Entry|null
	 */
	public function get( string $id ): ?array {
		return $this->load()['entries'][ $id ] ?? null;
	}

	/**
	 * The entry one of whose variants normalizes to this text.
	 *
	 * @param string $normalized Normalized question.
	 * @return Faq_Entry|null
	 */
	public function match( string $normalized ): ?array {
		if ( '' === $normalized ) {
			return null;
		}
		// The chat's hot path: read the index as stored and clean only the matching entry.
		$stored = get_option( self::OPTION, array() );
		if ( ! is_array( $stored ) || ! $stored ) {
			return null;
		}
		if ( ( $stored['rules'] ?? '' ) !== $this->normalizer->version() || ! is_array( $stored['index'] ?? null ) ) {
			$data = $this->load();
			$id   = $data['index'][ self::hash( $normalized ) ] ?? null;
			return null === $id ? null : ( $data['entries'][ $id ] ?? null );
		}
		$id = $stored['index'][ self::hash( $normalized ) ] ?? null;
		return is_string( $id ) ? $this->clean_entry( $id, $stored['entries'][ $id ] ?? null ) : null;
	}

	/**
	 * Adds an entry.
	 *
	 * @param string[] $questions Question variants.
	 * @param string   $answer    Answer.
	 * @param string   $id        Id to use (import keeps ids); a new one when '' or invalid.
	 * @return Faq_Entry|WP_Error
	 * @phpstan-param list<string> $questions
	 */
	public function create( array $questions, string $answer, string $id = '' ) {
		$data = $this->load();
		if ( count( $data['entries'] ) >= self::MAX_ENTRIES ) {
			return new WP_Error(
				'vvc_faq_full',
				/* translators: %d: most curated entries. */
				sprintf( __( 'There can be at most %d curated entries. Delete some first.', 'voice-vision-chat' ), self::MAX_ENTRIES ),
				array( 'status' => 409 )
			);
		}
		if ( ! wp_is_uuid( $id ) || isset( $data['entries'][ $id ] ) ) {
			$id = wp_generate_uuid4();
		}
		return $this->put( $data, $id, $questions, $answer );
	}

	/**
	 * Replaces an entry's questions and answer.
	 *
	 * @param string   $id        Entry id.
	 * @param string[] $questions Question variants.
	 * @param string   $answer    Answer.
	 * @return Faq_Entry|WP_Error
	 * @phpstan-param list<string> $questions
	 */
	public function update( string $id, array $questions, string $answer ) {
		$data = $this->load();
		if ( ! isset( $data['entries'][ $id ] ) ) {
			return self::not_found();
		}
		return $this->put( $data, $id, $questions, $answer );
	}

	/**
	 * Deletes an entry.
	 *
	 * @param string $id Entry id.
	 * @return Faq_Entry|WP_Error The deleted entry.
	 */
	public function delete( string $id ) {
		$data  = $this->load();
		$entry = $data['entries'][ $id ] ?? null;
		if ( null === $entry ) {
			return self::not_found();
		}
		unset( $data['entries'][ $id ] );
		$data['index'] = array_filter( $data['index'], static fn ( string $entry_id ): bool => $entry_id !== $id );
		$this->save( $data );
		return $entry;
	}

	/**
	 * Deletes every entry.
	 */
	public function delete_all(): void {
		delete_option( self::OPTION );
		$this->version->bump();
	}

	/**
	 * Cleans question variants: trimmed, single-line, no tags, no duplicates, none empty.
	 *
	 * @param array<mixed> $questions Raw variants.
	 * @return list<string>
	 */
	public static function clean_questions( array $questions ): array {
		$out = array();
		foreach ( $questions as $question ) {
			if ( ! is_string( $question ) ) {
				continue;
			}
			$question = mb_substr( sanitize_text_field( $question ), 0, self::QUESTION_MAX_CHARS );
			if ( '' !== $question && ! in_array( $question, $out, true ) ) {
				$out[] = $question;
			}
		}
		return $out;
	}

	/**
	 * Cleans an answer: valid UTF-8, no control characters but line breaks and tabs, trimmed.
	 *
	 * @param string $answer Raw answer.
	 */
	public static function clean_answer( string $answer ): string {
		$answer = str_replace( array( "\r\n", "\r" ), "\n", mb_scrub( $answer, 'UTF-8' ) );
		$answer = (string) preg_replace( '/[\x00-\x08\x0B-\x1F\x7F]/u', '', $answer );
		return trim( $answer );
	}

	/**
	 * Validates and stores one entry.
	 *
	 * @param array    $data      Current data.
	 * @param string   $id        Entry id.
	 * @param string[] $questions Question variants.
	 * @param string   $answer    Answer.
	 * @return Faq_Entry|WP_Error
	 * @phpstan-param Entries_Data $data
	 * @phpstan-param list<string> $questions
	 */
	private function put( array $data, string $id, array $questions, string $answer ) {
		$questions = self::clean_questions( $questions );
		$answer    = self::clean_answer( $answer );
		if ( ! $questions || count( $questions ) > self::MAX_QUESTIONS ) {
			return new WP_Error(
				'vvc_faq_invalid',
				/* translators: %d: most question variants per entry. */
				sprintf( __( 'An entry needs between 1 and %d questions.', 'voice-vision-chat' ), self::MAX_QUESTIONS ),
				array( 'status' => 400 )
			);
		}
		if ( '' === $answer || mb_strlen( $answer ) > self::ANSWER_MAX_CHARS ) {
			return new WP_Error(
				'vvc_faq_invalid',
				/* translators: %d: most characters in an answer. */
				sprintf( __( 'The answer must have between 1 and %d characters.', 'voice-vision-chat' ), self::ANSWER_MAX_CHARS ),
				array( 'status' => 400 )
			);
		}

		$index = array_filter( $data['index'], static fn ( string $entry_id ): bool => $entry_id !== $id );
		foreach ( $questions as $question ) {
			$normalized = $this->normalizer->normalize( $question );
			if ( '' === $normalized ) {
				return new WP_Error(
					'vvc_faq_invalid',
					/* translators: %s: a question variant. */
					sprintf( __( 'The question "%s" has no words left once greetings and politeness are removed.', 'voice-vision-chat' ), $question ),
					array( 'status' => 400 )
				);
			}
			$hash = self::hash( $normalized );
			if ( isset( $index[ $hash ] ) && $index[ $hash ] !== $id ) {
				return new WP_Error(
					'vvc_faq_duplicate',
					/* translators: %s: a question variant. */
					sprintf( __( 'The question "%s" already belongs to another entry.', 'voice-vision-chat' ), $question ),
					array(
						'status'   => 409,
						'entry_id' => $index[ $hash ],
					)
				);
			}
			$index[ $hash ] = $id;
		}

		$entry                  = array(
			'id'        => $id,
			'questions' => $questions,
			'answer'    => $answer,
			'updated'   => time(),
		);
		$data['entries'][ $id ] = $entry;
		$data['index']          = $index;
		$this->save( $data );
		return $entry;
	}

	/**
	 * Saves the data and starts a new cache generation.
	 *
	 * @param array $data Data to store.
	 * @phpstan-param Entries_Data $data
	 */
	private function save( array $data ): void {
		update_option( self::OPTION, $data, false );
		$this->version->bump();
	}

	/**
	 * The stored data, its index rebuilt when the normalization rules changed.
	 *
	 * @return Entries_Data
	 */
	private function load(): array {
		$stored  = get_option( self::OPTION, array() );
		$stored  = is_array( $stored ) ? $stored : array();
		$entries = array();
		foreach ( (array) ( $stored['entries'] ?? array() ) as $id => $entry ) {
			$clean = $this->clean_entry( (string) $id, $entry );
			if ( null !== $clean ) {
				$entries[ (string) $id ] = $clean;
			}
		}
		$rules = $this->normalizer->version();
		if ( ( $stored['rules'] ?? '' ) === $rules && is_array( $stored['index'] ?? null ) ) {
			$index = array_map( 'strval', $stored['index'] );
		} else {
			$index = array();
			foreach ( $entries as $id => $entry ) {
				foreach ( $entry['questions'] as $question ) {
					$index[ self::hash( $this->normalizer->normalize( $question ) ) ] ??= $id;
				}
			}
			if ( $entries ) {
				update_option(
					self::OPTION,
					array(
						'rules'   => $rules,
						'entries' => $entries,
						'index'   => $index,
					),
					false
				);
			}
		}
		return array(
			'rules'   => $rules,
			'entries' => $entries,
			'index'   => $index,
		);
	}

	/**
	 * A stored entry in its documented shape, or null when malformed.
	 *
	 * @param string $id    Entry id.
	 * @param mixed  $entry Stored entry.
	 * @return Faq_Entry|null
	 */
	private function clean_entry( string $id, $entry ): ?array {
		if ( ! is_array( $entry ) || ! is_string( $entry['answer'] ?? null ) || ! is_array( $entry['questions'] ?? null ) ) {
			return null;
		}
		return array(
			'id'        => $id,
			'questions' => self::clean_questions( $entry['questions'] ),
			'answer'    => $entry['answer'],
			'updated'   => (int) ( $entry['updated'] ?? 0 ),
		);
	}

	/**
	 * The error for an unknown entry id.
	 */
	private static function not_found(): WP_Error {
		return new WP_Error( 'vvc_faq_not_found', __( 'There is no curated entry with that id.', 'voice-vision-chat' ), array( 'status' => 404 ) );
	}
}
