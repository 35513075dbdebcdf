<?php
/**
 * Tiers: the named roles a model can play, and which model plays each.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Routing;

defined( 'ABSPATH' ) || exit;

/**
 * Maps each tier to a model id: the shipped defaults, replaced by the admin's choices.
 *
 * Defaults are current models with no announced shutdown where one exists (as of 2026-11:
 * gpt-5.4-nano/-mini for text and images, gpt-audio-1.5 for native voice, the newest audio
 * chat model, gpt-transcribe for transcription), and gpt-4o-mini-tts for speech, the only
 * speech model with `instructions` and every voice (tts-1/-hd shut down the same day,
 * 2027-01-06; the admin is warned). Several have no verified price, so they are refused for
 * visitors until the admin enters one: see Model_Catalog::unusable_reason().
 *
 * These are also the settings' defaults for the models the settings screen shows
 * (Settings::defaults(), Model_Catalog::LEGACY_TIER_SETTINGS): one set of defaults.
 */
final class Model_Tier {

	public const ECONOMY      = 'economy';
	public const STANDARD     = 'standard';
	public const VISION       = 'vision';
	public const LONG_CONTEXT = 'long_context';
	public const VOICE        = 'voice';
	public const TRANSCRIBE   = 'transcribe';
	public const SPEECH       = 'speech';

	/**
	 * Every tier, cheapest text tier first.
	 */
	public const ALL = array( self::ECONOMY, self::STANDARD, self::VISION, self::LONG_CONTEXT, self::VOICE, self::TRANSCRIBE, self::SPEECH );

	/**
	 * Tiers that answer text (and image) chat questions, in the order a fallback tries them.
	 */
	public const CHAT_TIERS = array( self::ECONOMY, self::STANDARD, self::VISION, self::LONG_CONTEXT );

	/**
	 * Tier => model id.
	 *
	 * @var array<string, string>
	 */
	private array $models;

	/**
	 * Merges the admin's choices over the defaults; unknown tiers and malformed ids are ignored.
	 *
	 * @param array<mixed> $overrides Tier => model id, e.g. Model_Catalog::tier_overrides().
	 */
	public function __construct( array $overrides = array() ) {
		$models = self::defaults();
		foreach ( $overrides as $tier => $model ) {
			if ( isset( $models[ $tier ] ) && is_string( $model ) && preg_match( '/^[A-Za-z0-9._:\/-]{1,100}$/', $model ) ) {
				$models[ $tier ] = $model;
			}
		}
		$this->models = $models;
	}

	/**
	 * The shipped tier => model map.
	 *
	 * @return array<string, string>
	 */
	public static function defaults(): array {
		return array(
			self::ECONOMY      => 'gpt-5.4-nano',
			self::STANDARD     => 'gpt-5.4-mini',
			self::VISION       => 'gpt-5.4-mini',
			self::LONG_CONTEXT => 'gpt-5.4-mini',
			self::VOICE        => 'gpt-audio-1.5',
			self::TRANSCRIBE   => 'gpt-transcribe',
			self::SPEECH       => 'gpt-4o-mini-tts',
		);
	}

	/**
	 * Translated tier names for the admin.
	 *
	 * @return array<string, string>
	 */
	public static function labels(): array {
		return array(
			self::ECONOMY      => __( 'Economy (short, simple questions)', 'voice-vision-chat' ),
			self::STANDARD     => __( 'Standard', 'voice-vision-chat' ),
			self::VISION       => __( 'Vision (questions with an image)', 'voice-vision-chat' ),
			self::LONG_CONTEXT => __( 'Long context (large conversations)', 'voice-vision-chat' ),
			self::VOICE        => __( 'Voice (spoken questions and answers)', 'voice-vision-chat' ),
			self::TRANSCRIBE   => __( 'Transcription', 'voice-vision-chat' ),
			self::SPEECH       => __( 'Speech', 'voice-vision-chat' ),
		);
	}

	/**
	 * The model for a tier ('' for an unknown tier).
	 *
	 * @param string $tier One of ALL.
	 */
	public function model( string $tier ): string {
		return $this->models[ $tier ] ?? '';
	}

	/**
	 * Every tier and its model.
	 *
	 * @return array<string, string>
	 */
	public function all(): array {
		return $this->models;
	}

	/**
	 * Whether a string names a tier.
	 *
	 * @param string $tier Candidate.
	 */
	public static function is_tier( string $tier ): bool {
		return in_array( $tier, self::ALL, true );
	}
}
