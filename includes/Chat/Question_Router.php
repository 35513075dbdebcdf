<?php
/**
 * The router's decision for a question, typed or spoken.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Chat;

use VoiceVisionChat\Cost\Request_Meter;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Upstream\Chat_Request_Builder;

defined( 'ABSPATH' ) || exit;

/**
 * Turns a question into the router's features and asks Routing\Model_Router (through the
 * request's meter, which knows the catalog and the budget) for the tier and model.
 *
 * Typed questions and the transcripts of spoken ones go through here alike, so the same words
 * get the same tier and model, and so the same FAQ cache key (Faq_Context holds the model).
 *
 * @phpstan-import-type Turn from Chat_Request_Builder
 * @phpstan-import-type Route_Features from \VoiceVisionChat\Routing\Model_Router
 * @phpstan-import-type Route_Decision from \VoiceVisionChat\Routing\Model_Router
 */
final class Question_Router {

	/**
	 * Settings (the output cap).
	 *
	 * @var Settings
	 */
	private Settings $settings;

	/**
	 * Builds the draft body whose input is estimated.
	 *
	 * @var Chat_Request_Builder
	 */
	private Chat_Request_Builder $builder;

	/**
	 * Routing, estimates and the budget state.
	 *
	 * @var Request_Meter
	 */
	private Request_Meter $meter;

	/**
	 * Stores collaborators.
	 *
	 * @param Settings             $settings Plugin settings.
	 * @param Chat_Request_Builder $builder  Request body builder.
	 * @param Request_Meter        $meter    Cost control.
	 */
	public function __construct( Settings $settings, Chat_Request_Builder $builder, Request_Meter $meter ) {
		$this->settings = $settings;
		$this->builder  = $builder;
		$this->meter    = $meter;
	}

	/**
	 * What the router looks at: modality, estimated input, conversation length, the question.
	 *
	 * @param string     $question The question (typed, or the transcript and any typed text).
	 * @param array      $history  Earlier turns.
	 * @param array|null $image    The validated image.
	 * @param string     $visitor  Visitor id.
	 * @return array
	 * @phpstan-param list<Turn> $history
	 * @phpstan-param array{data_url: string, mime: string, width: int, height: int, bytes: int}|null $image
	 * @phpstan-return Route_Features
	 */
	public function features( string $question, array $history, ?array $image, string $visitor ): array {
		$draft = $this->builder->build( $question, $history, null, $visitor );
		return array(
			'kind'         => 'chat',
			'has_image'    => null !== $image,
			'input_tokens' => $this->meter->estimate()->chat_input( $draft, '' )['text'],
			'max_output'   => (int) $this->settings->get( 'max_completion_tokens' ),
			'turns'        => count( $history ),
			'question'     => $question,
		);
	}

	/**
	 * The decision at a budget state.
	 *
	 * @param array  $features From features().
	 * @param string $state    normal, soft or hard.
	 * @return array
	 * @phpstan-param Route_Features $features
	 * @phpstan-return Route_Decision
	 */
	public function decide( array $features, string $state ): array {
		return $this->meter->route( array( 'budget_state' => $state ) + $features );
	}

	/**
	 * The decision the FAQ cache is keyed on: the route the question takes normally. At the
	 * hard limit no model is called, and a cached answer was stored under the usual route.
	 *
	 * @param array  $features From features().
	 * @param string $state    normal, soft or hard.
	 * @return array
	 * @phpstan-param Route_Features $features
	 * @phpstan-return Route_Decision
	 */
	public function for_lookup( array $features, string $state ): array {
		return $this->decide( $features, 'hard' === $state ? 'normal' : $state );
	}

	/**
	 * The budget's state now.
	 */
	public function budget_state(): string {
		return $this->meter->budget_state();
	}
}
