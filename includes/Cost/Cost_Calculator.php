<?php
/**
 * Micro-dollars: what a finished call cost, and the most a planned call can cost.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Cost;

use VoiceVisionChat\Routing\Model_Catalog;

defined( 'ABSPATH' ) || exit;

/**
 * Turns the provider's `usage` (or a worst-case estimate) into micro-dollars at the
 * catalog's prices.
 *
 * Prices are USD per 1M tokens, so tokens x price is micro-dollars. Sums are rounded to six
 * decimals (as the test simulator bills) and then UP to a whole micro-dollar, so the ledger
 * never counts less than was spent. A quantity whose price is unknown makes the whole cost
 * unknown (null), never zero.
 *
 * @phpstan-type Metered array{
 *     text_in: int,
 *     cached_in: int,
 *     image_in: int,
 *     audio_in: int,
 *     text_out: int,
 *     reasoning_out: int,
 *     audio_out: int,
 *     audio_seconds: float,
 *     characters: int
 * }
 * @phpstan-type Cost array{micros: int|null, metered: Metered, fallback_price: bool}
 * @phpstan-type Estimate array{
 *     text_in?: int,
 *     image_in?: int,
 *     audio_in?: int,
 *     max_output?: int,
 *     output_audio?: bool,
 *     audio_out?: int,
 *     audio_seconds?: float,
 *     characters?: int
 * }
 */
final class Cost_Calculator {

	/**
	 * Factor on estimated text input in a worst case: the estimator is off by up to about
	 * 27% per text on the languages measured (see Token_Estimator), so reserve 40% more.
	 */
	public const TEXT_HEADROOM = 1.4;

	/**
	 * The model catalog (prices, kinds).
	 *
	 * @var Model_Catalog
	 */
	private Model_Catalog $catalog;

	/**
	 * Stores the catalog.
	 *
	 * @param Model_Catalog $catalog Prices.
	 */
	public function __construct( Model_Catalog $catalog ) {
		$this->catalog = $catalog;
	}

	/**
	 * What a finished call cost, from the provider's usage object.
	 *
	 * Accepts the usage shapes of chat completions (prompt_tokens...), of the audio and
	 * realtime endpoints (input_tokens...), `{type: "duration", seconds}` (whisper-1), and
	 * characters for models billed per character (tts-1, which reports no usage).
	 *
	 * @param string       $model      Model id the provider answered with (or was asked for).
	 * @param array<mixed> $usage      The provider's `usage`.
	 * @param int          $characters Input characters; billed only on per-character models.
	 * @return Cost
	 */
	public function from_usage( string $model, array $usage, int $characters = 0 ): array {
		$own = $this->catalog->get( $model )['price'] ?? array();
		if ( isset( $own['per_million_chars'] ) ) {
			// Billed by the character alone; any token counts it reports are not charged.
			$metered = self::empty_meter();
		} else {
			$metered = $this->meter( $model, $usage );
		}
		$metered['characters'] = isset( $own['per_million_chars'] ) ? max( 0, $characters ) : 0;
		return $this->price( $model, $metered );
	}

	/**
	 * Normalizes a usage object into billable quantities.
	 *
	 * The text_in quantity is uncached text and image input (images bill at the text rate), cached_in the
	 * cached text input, audio_in all audio input; text_out includes reasoning tokens;
	 * image_in and reasoning_out are shown for information and are already inside
	 * text_in/cached_in and text_out.
	 *
	 * @param string       $model Model id (its kind decides what unlabelled output is).
	 * @param array<mixed> $usage The provider's `usage`.
	 * @return Metered
	 */
	public function meter( string $model, array $usage ): array {
		$metered = self::empty_meter();
		if ( 'duration' === ( $usage['type'] ?? null ) ) {
			$metered['audio_seconds'] = max( 0.0, (float) self::num( $usage, 'seconds' ) );
			return $metered;
		}

		if ( isset( $usage['prompt_tokens'] ) || isset( $usage['completion_tokens'] ) ) {
			$in          = self::int( $usage, 'prompt_tokens' );
			$out         = self::int( $usage, 'completion_tokens' );
			$in_details  = self::arr( $usage, 'prompt_tokens_details' );
			$out_details = self::arr( $usage, 'completion_tokens_details' );
			$cached_text = self::int( $in_details, 'cached_tokens' );
		} else {
			$in          = self::int( $usage, 'input_tokens' );
			$out         = self::int( $usage, 'output_tokens' );
			$in_details  = self::arr( $usage, 'input_token_details' );
			$out_details = self::arr( $usage, 'output_token_details' );
			$cached      = self::arr( $in_details, 'cached_tokens_details' );
			// Cached audio (realtime) stays in audio_in, billed at the full audio rate: no
			// cached-audio price is known, and a budget must not guess low.
			$cached_text = $cached ? self::int( $cached, 'text_tokens' ) + self::int( $cached, 'image_tokens' ) : self::int( $in_details, 'cached_tokens' );
		}

		$kind      = $this->catalog->get( $model )['kind'] ?? 'chat';
		$audio_in  = min( $in, self::int( $in_details, 'audio_tokens' ) );
		$cached_in = min( $in - $audio_in, $cached_text );
		if ( isset( $out_details['audio_tokens'] ) ) {
			$audio_out = min( $out, self::int( $out_details, 'audio_tokens' ) );
		} else {
			// Speech models report bare output tokens, and their output is audio.
			$audio_out = 'speech' === $kind ? $out : 0;
		}
		if ( 'transcription' === $kind && ! isset( $in_details['audio_tokens'] ) ) {
			$audio_in  = $in; // A transcription's unlabelled input is the recording.
			$cached_in = 0;
		}

		$metered['text_in']       = $in - $audio_in - $cached_in;
		$metered['cached_in']     = $cached_in;
		$metered['image_in']      = self::int( $in_details, 'image_tokens' );
		$metered['audio_in']      = $audio_in;
		$metered['text_out']      = $out - $audio_out;
		$metered['reasoning_out'] = self::int( $out_details, 'reasoning_tokens' );
		$metered['audio_out']     = $audio_out;
		return $metered;
	}

	/**
	 * The most a planned call can cost: estimated input (text with headroom, images,
	 * audio) at the uncached rate, plus every output token the request allows at the dearest
	 * output rate it may use. Null when a price the call needs is unknown.
	 *
	 * @param string $model    Model id.
	 * @param array  $estimate What the call sends and allows back.
	 * @phpstan-param Estimate $estimate
	 */
	public function worst_case( string $model, array $estimate ): ?int {
		$metered                  = self::empty_meter();
		$metered['text_in']       = (int) ceil( max( 0, $estimate['text_in'] ?? 0 ) * self::TEXT_HEADROOM ) + max( 0, $estimate['image_in'] ?? 0 );
		$metered['audio_in']      = max( 0, $estimate['audio_in'] ?? 0 );
		$metered['audio_out']     = max( 0, $estimate['audio_out'] ?? 0 );
		$metered['audio_seconds'] = max( 0.0, $estimate['audio_seconds'] ?? 0.0 );
		$metered['characters']    = max( 0, $estimate['characters'] ?? 0 );

		$max_output = max( 0, $estimate['max_output'] ?? 0 );
		if ( ! empty( $estimate['output_audio'] ) ) {
			// The output cap covers text and audio tokens alike: bill all of it as the dearer.
			$text_rate  = $this->catalog->rate( $model, 'text_out' );
			$audio_rate = $this->catalog->rate( $model, 'audio_out' );
			if ( null === $text_rate || null === $audio_rate ) {
				return null;
			}
			if ( $audio_rate > $text_rate ) {
				$metered['audio_out'] += $max_output;
				$max_output            = 0;
			}
		}
		$metered['text_out'] = $max_output;
		return $this->price( $model, $metered )['micros'];
	}

	/**
	 * Micro-dollars for billable quantities, rounded up; null when any used price is unknown.
	 *
	 * @param string $model   Model id.
	 * @param array  $metered Quantities.
	 * @return Cost
	 * @phpstan-param Metered $metered
	 */
	public function price( string $model, array $metered ): array {
		$parts    = array(
			'text_in'           => $metered['text_in'],
			'cached_in'         => $metered['cached_in'],
			'audio_in'          => $metered['audio_in'],
			'text_out'          => $metered['text_out'],
			'audio_out'         => $metered['audio_out'],
			// Rates per minute are USD: micro-dollars are a million times the minutes.
			'per_minute'        => $metered['audio_seconds'] / 60 * 1000000,
			'per_million_chars' => $metered['characters'],
		);
		$own      = $this->catalog->get( $model )['price'] ?? array();
		$total    = 0.0;
		$fallback = false;
		$known    = true;
		foreach ( $parts as $component => $quantity ) {
			if ( $quantity <= 0 ) {
				continue;
			}
			$rate = $this->catalog->rate( $model, $component );
			if ( null === $rate ) {
				$known = false;
				break;
			}
			$fallback = $fallback || ! ( isset( $own[ $component ] ) || ( 'cached_in' === $component && isset( $own['text_in'] ) ) );
			$total   += $quantity * $rate;
		}
		return array(
			'micros'         => $known ? (int) ceil( round( $total, 6 ) ) : null,
			'metered'        => $metered,
			'fallback_price' => $known && $fallback,
		);
	}

	/**
	 * Zero quantities.
	 *
	 * @return Metered
	 */
	public static function empty_meter(): array {
		return array(
			'text_in'       => 0,
			'cached_in'     => 0,
			'image_in'      => 0,
			'audio_in'      => 0,
			'text_out'      => 0,
			'reasoning_out' => 0,
			'audio_out'     => 0,
			'audio_seconds' => 0.0,
			'characters'    => 0,
		);
	}

	/**
	 * A non-negative integer field of a decoded JSON object.
	 *
	 * @param array<mixed> $data Object.
	 * @param string       $key  Field.
	 */
	private static function int( array $data, string $key ): int {
		return max( 0, (int) self::num( $data, $key ) );
	}

	/**
	 * A numeric field, 0 when missing or not a number.
	 *
	 * @param array<mixed> $data Object.
	 * @param string       $key  Field.
	 */
	private static function num( array $data, string $key ): float {
		return isset( $data[ $key ] ) && is_numeric( $data[ $key ] ) ? (float) $data[ $key ] : 0.0;
	}

	/**
	 * An object field, empty when missing.
	 *
	 * @param array<mixed> $data Object.
	 * @param string       $key  Field.
	 * @return array<mixed>
	 */
	private static function arr( array $data, string $key ): array {
		return isset( $data[ $key ] ) && is_array( $data[ $key ] ) ? $data[ $key ] : array();
	}
}
