<?php
/**
 * Picks the pipeline that answers a voice turn.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Voice;

use VoiceVisionChat\Settings\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * The admin's choice (native, chained or auto), overruled where the native pipeline cannot
 * work: the turn has an image (audio chat models take none), or the provider does not offer
 * the configured audio model. `auto` also picks chained when the provider's model list is
 * unknown, since the chained pipeline relies only on endpoints every OpenAI-style provider has.
 *
 * @phpstan-type Choice array{pipeline: 'native'|'chained', reason: string}
 */
final class Voice_Pipeline_Selector {

	/**
	 * Settings: voice_pipeline, audio_model.
	 *
	 * @var Settings
	 */
	private Settings $settings;

	/**
	 * What the provider offers.
	 *
	 * @var Provider_Models
	 */
	private Provider_Models $models;

	/**
	 * Stores collaborators.
	 *
	 * @param Settings        $settings Plugin settings.
	 * @param Provider_Models $models   What the provider offers.
	 */
	public function __construct( Settings $settings, Provider_Models $models ) {
		$this->settings = $settings;
		$this->models   = $models;
	}

	/**
	 * The pipeline and why: image, admin, no_audio_model, auto.
	 *
	 * @param bool $has_image Whether the turn includes an image.
	 * @return Choice
	 */
	public function choose( bool $has_image ): array {
		$choice = (string) $this->settings->get( 'voice_pipeline' );
		if ( $has_image ) {
			return array(
				'pipeline' => 'chained',
				'reason'   => 'image',
			);
		}
		if ( 'chained' === $choice ) {
			return array(
				'pipeline' => 'chained',
				'reason'   => 'admin',
			);
		}
		// Only asked when native is possible at all, so chained-only sites never list models.
		$available = $this->models->has( (string) $this->settings->get( 'audio_model' ) );
		if ( false === $available || ( null === $available && 'native' !== $choice ) ) {
			return array(
				'pipeline' => 'chained',
				'reason'   => 'no_audio_model',
			);
		}
		return array(
			'pipeline' => 'native',
			'reason'   => 'native' === $choice ? 'admin' : 'auto',
		);
	}
}
