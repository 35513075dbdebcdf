<?php
/**
 * What is wrong with the models the site is configured to use, in words for the admin.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Admin;

use VoiceVisionChat\Routing\Model_Catalog;
use VoiceVisionChat\Routing\Model_Tier;
use VoiceVisionChat\Settings\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * Collects the configured models (every tier's model; the settings screen's text, image,
 * audio, transcription and speech models are the standard, vision, voice, transcribe and
 * speech tiers) and explains each problem
 * Model_Catalog::problems() finds: where the model is used, how serious it is and what to do.
 *
 * Shared by the admin notice, the Site Health test and the budget screen, so all three say
 * the same thing.
 *
 * @phpstan-import-type Problem from Model_Catalog
 * @phpstan-type Problem_Report array{
 *     model: string,
 *     code: string,
 *     date: string|null,
 *     severity: string,
 *     message: string,
 *     used_by: list<string>
 * }
 */
final class Model_Problems {

	/**
	 * Problems that stop visitors' requests now (errors); the rest are warnings.
	 */
	private const BLOCKING = array( 'unknown_model', 'unknown_to_provider', 'shut_down', 'no_price' );

	/**
	 * The chat settings (text and image model).
	 *
	 * @var Settings
	 */
	private Settings $settings;

	/**
	 * Builds a catalog on the stored option.
	 *
	 * @var callable(): Model_Catalog
	 */
	private $catalog;

	/**
	 * Stores collaborators.
	 *
	 * A catalog keeps the option it read, so a fresh one is built for each question: the
	 * answer then always reflects the latest save.
	 *
	 * @param Settings      $settings Chat settings.
	 * @param callable|null $catalog  Returns a Model_Catalog; `new Model_Catalog()` when null.
	 */
	public function __construct( Settings $settings, ?callable $catalog = null ) {
		$this->settings = $settings;
		$this->catalog  = $catalog ?? static fn (): Model_Catalog => new Model_Catalog();
	}

	/**
	 * Every configured model and where it is used (translated names of tiers or settings).
	 *
	 * @return array<string, list<string>> Model id => uses.
	 */
	public function configured(): array {
		return $this->configured_in( ( $this->catalog )() );
	}

	/**
	 * Every configured model of a catalog and where it is used.
	 *
	 * @param Model_Catalog $catalog Catalog (its tier choices).
	 * @return array<string, list<string>> Model id => uses.
	 */
	private function configured_in( Model_Catalog $catalog ): array {
		$uses   = array();
		$labels = Model_Tier::labels();
		foreach ( ( new Model_Tier( $catalog->tier_overrides() ) )->all() as $tier => $model ) {
			$uses[ $model ][] = $labels[ $tier ] ?? $tier;
		}
		// The settings screen's models are tiers (Model_Catalog::LEGACY_TIER_SETTINGS). Until a
		// tier is saved on the budget screen its model comes from that settings field: say so,
		// as that is where the admin chose it.
		$settings = array(
			'text_model'       => __( 'Text model (settings screen)', 'voice-vision-chat' ),
			'image_model'      => __( 'Image model (settings screen)', 'voice-vision-chat' ),
			'audio_model'      => __( 'Audio chat model (settings screen)', 'voice-vision-chat' ),
			'transcribe_model' => __( 'Transcription model (settings screen)', 'voice-vision-chat' ),
			'speech_model'     => __( 'Speech model (settings screen)', 'voice-vision-chat' ),
		);
		$stored   = $catalog->stored_tiers();
		foreach ( $settings as $key => $label ) {
			$model = $this->settings->get( $key );
			$tier  = Model_Catalog::LEGACY_TIER_SETTINGS[ $key ];
			if ( is_string( $model ) && '' !== $model && ! isset( $stored[ $tier ] ) ) {
				$uses[ $model ][] = $label;
			}
		}
		return $uses;
	}

	/**
	 * The problems of the configured models, blocking ones first.
	 *
	 * @return list<Problem_Report>
	 */
	public function all(): array {
		$catalog = ( $this->catalog )();
		$uses    = $this->configured_in( $catalog );
		$reports = array();
		foreach ( $catalog->problems( array_map( 'strval', array_keys( $uses ) ) ) as $problem ) {
			$reports[] = array(
				'model'    => $problem['model'],
				'code'     => $problem['code'],
				'date'     => $problem['date'],
				'severity' => in_array( $problem['code'], self::BLOCKING, true ) ? 'error' : 'warning',
				'message'  => self::message( $problem ),
				'used_by'  => $uses[ $problem['model'] ] ?? array(),
			);
		}
		// Stable: errors before warnings, otherwise in the catalog's order.
		usort( $reports, static fn ( array $a, array $b ): int => ( 'error' === $b['severity'] ) <=> ( 'error' === $a['severity'] ) );
		return $reports;
	}

	/**
	 * Whether any problem stops visitors' requests.
	 *
	 * @param array $reports From all().
	 * @phpstan-param list<Problem_Report> $reports
	 */
	public static function has_errors( array $reports ): bool {
		foreach ( $reports as $report ) {
			if ( 'error' === $report['severity'] ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * One problem as a sentence that says what to do.
	 *
	 * @param array $problem From Model_Catalog::problems().
	 * @phpstan-param Problem $problem
	 */
	public static function message( array $problem ): string {
		$model = $problem['model'];
		$date  = null === $problem['date'] ? '' : self::date( $problem['date'] );
		switch ( $problem['code'] ) {
			case 'unknown_model':
				/* translators: %s: model id. */
				return sprintf( __( '%s is not in the model catalog, so its cost cannot be counted. Add it with its prices, or choose another model.', 'voice-vision-chat' ), $model );
			case 'unknown_to_provider':
				/* translators: %s: model id. */
				return sprintf( __( '%s is not in the provider’s list of models. Check its spelling and that your API key may use it, or choose another model.', 'voice-vision-chat' ), $model );
			case 'shut_down':
				/* translators: 1: model id, 2: date. */
				return sprintf( __( '%1$s was shut down by the provider on %2$s. Choose another model.', 'voice-vision-chat' ), $model, $date );
			case 'shutdown_scheduled':
				/* translators: 1: model id, 2: date. */
				return sprintf( __( '%1$s will be shut down by the provider on %2$s. Choose a newer model before then.', 'voice-vision-chat' ), $model, $date );
			case 'no_price':
				/* translators: %s: model id. */
				return sprintf( __( '%s has no price, so visitors cannot use it. Enter its price, or choose to count unknown prices at the most expensive rate.', 'voice-vision-chat' ), $model );
			default:
				/* translators: 1: model id, 2: problem code. */
				return sprintf( __( '%1$s: %2$s', 'voice-vision-chat' ), $model, $problem['code'] );
		}
	}

	/**
	 * A Y-m-d date in the site's date format.
	 *
	 * @param string $date Y-m-d.
	 */
	private static function date( string $date ): string {
		$time = strtotime( $date . ' 00:00:00 UTC' );
		return false === $time ? $date : (string) wp_date( (string) get_option( 'date_format', 'Y-m-d' ), $time, new \DateTimeZone( 'UTC' ) );
	}
}
