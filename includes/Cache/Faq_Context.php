<?php
/**
 * What, besides the question's words, decides an answer: model, locale, conversation, image.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Cache;

defined( 'ABSPATH' ) || exit;

/**
 * The circumstances of one chat turn, as the FAQ cache needs them.
 *
 * Build it from what the chat controller already has:
 * `new Faq_Context( $model, $history, null !== $image )`, where $model is the model the
 * router chose (prefix the tier, e.g. "economy:gpt-5.4-nano", when one model can serve two
 * tiers with different instructions) and $history the bounded earlier turns.
 */
final class Faq_Context {

	/**
	 * Model (and tier) that answers; part of the cache key.
	 *
	 * @var string
	 */
	public readonly string $model;

	/**
	 * How many earlier turns came from the visitor.
	 *
	 * @var int
	 */
	public readonly int $earlier_questions;

	/**
	 * Whether the turn carries an image.
	 *
	 * @var bool
	 */
	public readonly bool $has_image;

	/**
	 * Site locale (as filtered by multilingual plugins); part of the cache key.
	 *
	 * @var string
	 */
	public readonly string $locale;

	/**
	 * Stores the turn's circumstances.
	 *
	 * @param string            $model     Model id (optionally "tier:model") that answers this turn.
	 * @param array<int, mixed> $history   Earlier turns ({role, content} arrays), oldest first.
	 * @param bool              $has_image Whether an image came with the question.
	 * @param string|null       $locale    Locale of the answer; get_locale() when null.
	 */
	public function __construct( string $model, array $history = array(), bool $has_image = false, ?string $locale = null ) {
		$this->model             = $model;
		$this->has_image         = $has_image;
		$this->locale            = $locale ?? get_locale();
		$this->earlier_questions = count(
			array_filter(
				$history,
				static fn ( $turn ): bool => is_array( $turn ) && 'assistant' !== ( $turn['role'] ?? 'user' )
			)
		);
	}
}
