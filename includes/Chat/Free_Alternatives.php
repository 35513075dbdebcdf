<?php
/**
 * What a visitor can still use when the model can't answer: the site's own search and curated FAQ.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Chat;

use VoiceVisionChat\Cache\Curated_Faq_Store;
use VoiceVisionChat\Cache\Faq_Cache;
use VoiceVisionChat\Cache\Question_Normalizer;
use WP_Error;
use WP_Query;

defined( 'ABSPATH' ) || exit;

/**
 * Adds free alternatives to the errors that mean "no model answers now" (the budget is spent,
 * the provider is down, slow, out of quota or not set up), so the widget can offer something
 * useful next to its message:
 *
 * - `links`: up to LINKS published posts or pages from the site's own search for the question
 *   (`{title, url}`), found with WP_Query, which costs no provider call;
 * - `search_url`: the site's search results page for the question;
 * - `questions`: up to QUESTIONS curated FAQ questions; asking one is answered from the FAQ
 *   (the FAQ lookup happens before the budget check and any provider call), so it still works.
 *
 * Errors the visitor can fix (a bad image, a rate limit) are left as they are.
 */
final class Free_Alternatives {

	/**
	 * Most search links.
	 */
	public const LINKS = 3;

	/**
	 * Most curated questions offered.
	 */
	public const QUESTIONS = 5;

	/**
	 * Codes after which no model answers for a while, whatever the visitor does. Also a
	 * vvc_rate_limited whose scope is SPENT_TODAY. All of them come after the FAQ lookup, so
	 * the curated questions offered still get answered.
	 */
	public const CODES = array(
		'vvc_budget_exhausted',
		'vvc_budget_unavailable',
		'vvc_upstream_error',
		'vvc_upstream_timeout',
		'vvc_upstream_quota',
		'vvc_upstream_auth',
		'vvc_not_configured',
	);

	/**
	 * The scope of vvc_rate_limited when the visitor's own daily spend is used up (a faster
	 * rate limit refuses FAQ answers too, so it gets no alternatives).
	 */
	public const SPENT_TODAY = 'visitor_day';

	/**
	 * Curated FAQ entries; none offered when null.
	 *
	 * @var Curated_Faq_Store|null
	 */
	private ?Curated_Faq_Store $curated;

	/**
	 * The FAQ cache, for whether FAQ answers are on.
	 *
	 * @var Faq_Cache|null
	 */
	private ?Faq_Cache $faq;

	/**
	 * Splits questions into comparable words.
	 *
	 * @var Question_Normalizer
	 */
	private Question_Normalizer $normalizer;

	/**
	 * Stores the curated entries.
	 *
	 * @param Curated_Faq_Store|null   $curated    Curated FAQ entries.
	 * @param Faq_Cache|null           $faq        The FAQ cache; curated questions are offered only while it is enabled.
	 * @param Question_Normalizer|null $normalizer Words of a question, to offer related ones first.
	 */
	public function __construct( ?Curated_Faq_Store $curated = null, ?Faq_Cache $faq = null, ?Question_Normalizer $normalizer = null ) {
		$this->curated    = $curated;
		$this->faq        = $faq;
		$this->normalizer = $normalizer ?? new Question_Normalizer();
	}

	/**
	 * The error with the alternatives added to its data; other errors unchanged.
	 *
	 * @param WP_Error $error    The refusal or failure.
	 * @param string   $question The visitor's question ('' for none).
	 */
	public function decorate( WP_Error $error, string $question ): WP_Error {
		$code = (string) $error->get_error_code();
		$data = (array) $error->get_error_data();
		if ( ! self::offered_for( $code, $data ) ) {
			return $error;
		}
		return new WP_Error( $code, $error->get_error_message(), array_merge( $data, $this->for_question( $question ) ) );
	}

	/**
	 * An error's data (or a stream's `error` event) with the alternatives added when the error
	 * gets them (offered_for()); unchanged otherwise.
	 *
	 * @param string               $code     The error code.
	 * @param array<string, mixed> $data     The data so far.
	 * @param string               $question The visitor's question ('' for none).
	 * @return array<string, mixed>
	 */
	public function add_to( string $code, array $data, string $question ): array {
		return self::offered_for( $code, $data ) ? array_merge( $data, $this->for_question( $question ) ) : $data;
	}

	/**
	 * Whether an error gets the alternatives.
	 *
	 * @param string               $code The error code.
	 * @param array<string, mixed> $data The error's data.
	 */
	public static function offered_for( string $code, array $data ): bool {
		return in_array( $code, self::CODES, true ) || ( 'vvc_rate_limited' === $code && self::SPENT_TODAY === ( $data['scope'] ?? '' ) );
	}

	/**
	 * The alternatives for a question.
	 *
	 * @param string $question The visitor's question ('' for none).
	 * @return array{links: list<array{title: string, url: string}>, search_url: string, questions: list<string>}
	 */
	public function for_question( string $question ): array {
		$question = trim( $question );
		return array(
			'links'      => '' === $question ? array() : $this->links( $question ),
			'search_url' => '' === $question ? home_url( '/' ) : add_query_arg( 's', rawurlencode( $question ), home_url( '/' ) ),
			'questions'  => $this->questions( $question ),
		);
	}

	/**
	 * Published, searchable posts matching the question.
	 *
	 * @param string $question The question.
	 * @return list<array{title: string, url: string}>
	 */
	public function links( string $question ): array {
		$query = new WP_Query(
			array(
				's'                      => mb_substr( $question, 0, 200 ),
				'post_type'              => array_values( get_post_types( array( 'exclude_from_search' => false ) ) ),
				'post_status'            => 'publish',
				'has_password'           => false,
				'posts_per_page'         => self::LINKS, // phpcs:ignore WordPress.WP.PostsPerPage.posts_per_page_posts_per_page -- three links.
				'no_found_rows'          => true,
				'ignore_sticky_posts'    => true,
				'update_post_meta_cache' => false,
				'update_post_term_cache' => false,
			)
		);
		$links = array();
		foreach ( (array) $query->posts as $post ) {
			if ( ! $post instanceof \WP_Post ) {
				continue;
			}
			$url = (string) get_permalink( $post );
			if ( '' === $url ) {
				continue;
			}
			$links[] = array(
				'title' => wp_strip_all_tags( html_entity_decode( get_the_title( $post ), ENT_QUOTES, 'UTF-8' ) ),
				'url'   => $url,
			);
		}
		return $links;
	}

	/**
	 * The first wording of up to QUESTIONS curated entries: those sharing the most words with
	 * the visitor's question first, then in the admin's order.
	 *
	 * @param string $question The visitor's question ('' for none).
	 * @return list<string>
	 */
	public function questions( string $question = '' ): array {
		if ( null === $this->curated || ( null !== $this->faq && ! $this->faq->enabled() ) ) {
			return array();
		}
		$asked  = $this->words( $question );
		$scored = array();
		foreach ( $this->curated->all() as $order => $entry ) {
			$first = (string) ( $entry['questions'][0] ?? '' );
			if ( '' === $first ) {
				continue;
			}
			$shared = 0;
			foreach ( $entry['questions'] as $variant ) {
				$shared = max( $shared, count( array_intersect_key( $asked, $this->words( (string) $variant ) ) ) );
			}
			$scored[] = array( $shared, $order, $first );
		}
		usort( $scored, static fn ( array $a, array $b ): int => array( $b[0], $a[1] ) <=> array( $a[0], $b[1] ) );
		return array_slice( array_column( $scored, 2 ), 0, self::QUESTIONS );
	}

	/**
	 * The meaningful words of a question, as a set.
	 *
	 * @param string $question A question.
	 * @return array<string, true>
	 */
	private function words( string $question ): array {
		$normalized = '' === trim( $question ) ? '' : $this->normalizer->normalize( $question );
		return '' === $normalized ? array() : array_fill_keys( explode( ' ', $normalized ), true );
	}
}
