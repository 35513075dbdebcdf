<?php
/**
 * An answer served by the FAQ cache.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Cache;

defined( 'ABSPATH' ) || exit;

/**
 * A curated or cached answer, with what the chat needs to serve and log it.
 */
final class Faq_Answer {

	/**
	 * Written by the admin.
	 */
	public const CURATED = 'curated';

	/**
	 * A model's earlier answer to the same question.
	 */
	public const CACHED = 'cached';

	/**
	 * The answer, Markdown.
	 *
	 * @var string
	 */
	public readonly string $text;

	/**
	 * CURATED or CACHED.
	 *
	 * @var string
	 */
	public readonly string $source;

	/**
	 * Hash of the normalized question (the statistics' id of the question).
	 *
	 * @var string
	 */
	public readonly string $question_hash;

	/**
	 * Curated entry id; '' for a cached answer.
	 *
	 * @var string
	 */
	public readonly string $entry_id;

	/**
	 * Model that wrote a cached answer; '' for a curated one.
	 *
	 * @var string
	 */
	public readonly string $model;

	/**
	 * Stores the answer.
	 *
	 * @param string $text          The answer.
	 * @param string $source        CURATED or CACHED.
	 * @param string $question_hash Hash of the normalized question.
	 * @param string $entry_id      Curated entry id, or ''.
	 * @param string $model         Model of a cached answer, or ''.
	 */
	public function __construct( string $text, string $source, string $question_hash, string $entry_id = '', string $model = '' ) {
		$this->text          = $text;
		$this->source        = $source;
		$this->question_hash = $question_hash;
		$this->entry_id      = $entry_id;
		$this->model         = $model;
	}

	/**
	 * Hash of the answer's text, e.g. to key speech generated for it.
	 */
	public function text_hash(): string {
		return hash( 'sha256', $this->text );
	}
}
