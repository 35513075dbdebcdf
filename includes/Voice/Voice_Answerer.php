<?php
/**
 * The voice side of POST /chat: recording checks and the pipeline for a turn.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Voice;

use VoiceVisionChat\Cache\Faq_Cache;
use VoiceVisionChat\Media\Audio_Validator;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Upstream\Chat_Request_Builder;
use VoiceVisionChat\Upstream\OpenAI_Client;
use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * Groups what the chat route (Rest\Chat_Controller, Chat\Voice_Responder) needs for a voice
 * turn, so each keeps one collaborator for voice rather than five.
 *
 * @phpstan-import-type Audio from Audio_Validator
 * @phpstan-import-type Choice from Voice_Pipeline_Selector
 */
final class Voice_Answerer {

	/**
	 * Recording checks.
	 *
	 * @var Audio_Validator
	 */
	private Audio_Validator $validator;

	/**
	 * Picks the pipeline.
	 *
	 * @var Voice_Pipeline_Selector
	 */
	private Voice_Pipeline_Selector $selector;

	/**
	 * Pipelines by name.
	 *
	 * @var array{native: Voice_Pipeline, chained: Voice_Pipeline}
	 */
	private array $pipelines;

	/**
	 * The FAQ cache spoken questions go through; null when they do not.
	 *
	 * @var Faq_Cache|null
	 */
	private ?Faq_Cache $faq;

	/**
	 * Stores collaborators.
	 *
	 * @param Audio_Validator         $validator Recording checks.
	 * @param Voice_Pipeline_Selector $selector  Picks the pipeline.
	 * @param Voice_Pipeline          $native    The native audio pipeline.
	 * @param Voice_Pipeline          $chained   The chained pipeline.
	 * @param Faq_Cache|null          $faq       The FAQ cache the pipelines answer from; none when null.
	 */
	public function __construct( Audio_Validator $validator, Voice_Pipeline_Selector $selector, Voice_Pipeline $native, Voice_Pipeline $chained, ?Faq_Cache $faq = null ) {
		$this->faq       = $faq;
		$this->validator = $validator;
		$this->selector  = $selector;
		$this->pipelines = array(
			'native'  => $native,
			'chained' => $chained,
		);
	}

	/**
	 * The usual wiring on top of the chat's own collaborators.
	 *
	 * @param Settings                      $settings         Plugin settings.
	 * @param OpenAI_Client                 $client           Provider client.
	 * @param Chat_Request_Builder          $builder          Chat request builder.
	 * @param (callable(string): bool)|null $is_uploaded_file Upload check (tests hand in their own files).
	 * @param Faq_Cache|null                $faq              FAQ cache for spoken questions; none when null.
	 */
	public static function create( Settings $settings, OpenAI_Client $client, Chat_Request_Builder $builder, ?callable $is_uploaded_file = null, ?Faq_Cache $faq = null ): self {
		$requests = new Voice_Request_Builder( $settings, $builder );
		$speaker  = new Reply_Speaker( $client, $requests );
		$spoken   = null === $faq ? null : new Voice_Faq( $faq, $builder, $speaker );
		return new self(
			new Audio_Validator( $settings, $is_uploaded_file ),
			new Voice_Pipeline_Selector( $settings, new Provider_Models( $settings, $client ) ),
			new Native_Audio_Pipeline( $client, $requests, $spoken ),
			new Chained_Pipeline( $client, $requests, $speaker, $spoken ),
			$faq
		);
	}

	/**
	 * Checks an uploaded recording.
	 *
	 * @param array<string, mixed> $file Entry of $request->get_file_params().
	 * @return Audio|WP_Error
	 */
	public function validate_upload( array $file ) {
		return $this->validator->validate_upload( $file );
	}

	/**
	 * The FAQ cache spoken questions are answered from, if any: a hit is spoken by the speech
	 * model in either pipeline, which the turn's reservation must cover.
	 */
	public function faq(): ?Faq_Cache {
		return $this->faq;
	}

	/**
	 * The pipeline for a turn.
	 *
	 * @param bool $has_image Whether the turn includes an image.
	 */
	public function pipeline( bool $has_image ): Voice_Pipeline {
		return $this->pipelines[ $this->selector->choose( $has_image )['pipeline'] ];
	}
}
