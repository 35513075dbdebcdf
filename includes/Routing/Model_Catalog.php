<?php
/**
 * What each model can do, how long it lives and what it costs.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Routing;

use VoiceVisionChat\Settings\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * The model catalog: shipped defaults (data, from OpenAI's published lifecycle and prices)
 * merged with the admin's overrides in the option `vvc_model_catalog`.
 *
 * Model ids and prices are data, never code: every value below can be replaced by the admin,
 * and models the plugin does not know can be added. A model without a price is not free: it
 * is refused for visitors (see unusable_reason()) unless the admin chose to count unknown
 * prices at the most expensive known rate.
 *
 * Prices are USD per 1M tokens (which is also micro-dollars per token), except `per_minute`
 * (USD per minute of audio, whisper-1) and `per_million_chars` (USD per 1M characters, tts-1).
 *
 * @phpstan-type Image_Rule array{rule: string, base: int, tile: int, multiplier: float}
 * @phpstan-type Price array<string, float>
 * @phpstan-type Model_Info array{
 *     id: string,
 *     kind: string,
 *     input: list<string>,
 *     output: list<string>,
 *     context: int,
 *     image: Image_Rule,
 *     price: Price|null,
 *     shutdown: string|null
 * }
 * @phpstan-type Provider_State array{checked_at: int, ids: array<string, string|null>}
 * @phpstan-type Problem array{model: string, code: string, date: string|null}
 */
final class Model_Catalog {

	/**
	 * Option holding the admin's overrides (autoload off: read on chat requests and in the
	 * admin only, and it can grow with the admin's own models).
	 */
	public const OPTION = 'vvc_model_catalog';

	/**
	 * Model kinds: how the plugin talks to the model.
	 */
	public const KINDS = array( 'chat', 'audio_chat', 'realtime', 'transcription', 'speech', 'moderation' );

	/**
	 * Price components, in the order the calculator bills them.
	 */
	public const PRICE_KEYS = array( 'text_in', 'cached_in', 'text_out', 'audio_in', 'audio_out', 'per_minute', 'per_million_chars' );

	/**
	 * What a model can take or give.
	 */
	public const MODALITIES = array( 'text', 'image', 'audio' );

	/**
	 * Image counting rules (OpenAI vision guide): tiles of 512 px, 32 px patches, or no images.
	 */
	public const IMAGE_RULES = array( 'tile', 'patch', 'none' );

	/**
	 * Settings that chose the models before tiers existed, and the tier each is now: the
	 * settings screen shows and saves these tiers (one choice, two screens).
	 */
	public const LEGACY_TIER_SETTINGS = array(
		'text_model'       => 'standard',
		'image_model'      => 'vision',
		'audio_model'      => 'voice',
		'transcribe_model' => 'transcribe',
		'speech_model'     => 'speech',
	);

	/**
	 * Largest price accepted from the admin, USD per unit; anything above is a typo.
	 */
	private const MAX_PRICE = 100000.0;

	/**
	 * The admin's stored overrides, once read.
	 *
	 * @var array<string, mixed>|null
	 */
	private ?array $stored;

	/**
	 * Returns today's date (Y-m-d, UTC), for shutdown checks.
	 *
	 * @var callable(): string
	 */
	private $today;

	/**
	 * The merged catalog, once built.
	 *
	 * @var array<string, Model_Info>|null
	 */
	private ?array $models = null;

	/**
	 * The plugin settings holding the pre-tier text_model and image_model; null until read.
	 *
	 * @var array<mixed>|null
	 */
	private ?array $legacy;

	/**
	 * Stores where the overrides come from; reads nothing yet.
	 *
	 * @param array<string, mixed>|null $stored Overrides (the option's value); read from the option when null.
	 * @param callable|null             $today  Returns today's date as Y-m-d (UTC); the real date when null.
	 * @param array<mixed>|null         $legacy Settings with text_model/image_model; the settings option
	 *                                          when null and $stored is null, none otherwise.
	 */
	public function __construct( ?array $stored = null, ?callable $today = null, ?array $legacy = null ) {
		$this->stored = $stored;
		$this->today  = $today ?? static fn (): string => gmdate( 'Y-m-d' );
		$this->legacy = $legacy ?? ( null === $stored ? null : array() );
	}

	/**
	 * The shipped catalog, from /work/shared/openai/README.md (lifecycle as of 2026-11, prices
	 * from OpenAI's pricing page late 2025) and OpenAI's vision guide for the image rules.
	 * Newer ids (gpt-5.4-*, gpt-5.5, gpt-audio-1.5, gpt-realtime-2*, gpt-transcribe) ship
	 * without a price on purpose: none was verified, and a guess would let them slip past a
	 * budget. Their image rules are assumed from their family.
	 *
	 * @return array<string, Model_Info>
	 */
	public static function defaults(): array {
		$tile_4o      = self::image_rule( 'tile', 85, 170 );
		$tile_4o_mini = self::image_rule( 'tile', 2833, 5667 );
		$tile_5       = self::image_rule( 'tile', 70, 140 );
		$patch_mini   = self::image_rule( 'patch', 0, 0, 1.62 );
		$patch_nano   = self::image_rule( 'patch', 0, 0, 2.46 );

		$p = array(
			'gpt-4o'                 => self::price( 2.50, 1.25, 10.00 ),
			'gpt-4o-mini'            => self::price( 0.15, 0.075, 0.60 ),
			'gpt-4.1'                => self::price( 2.00, 0.50, 8.00 ),
			'gpt-4.1-mini'           => self::price( 0.40, 0.10, 1.60 ),
			'gpt-5'                  => self::price( 1.25, 0.125, 10.00 ),
			'gpt-5-mini'             => self::price( 0.25, 0.025, 2.00 ),
			'gpt-5-nano'             => self::price( 0.05, 0.005, 0.40 ),
			'gpt-audio'              => self::price( 2.50, null, 10.00, 32.00, 64.00 ),
			'gpt-audio-mini'         => self::price( 0.60, null, 2.40, 10.00, 20.00 ),
			'gpt-realtime'           => self::price( 4.00, 0.40, 16.00, 32.00, 64.00 ),
			'gpt-realtime-mini'      => self::price( 0.60, 0.06, 2.40, 10.00, 20.00 ),
			'gpt-4o-transcribe'      => self::price( 2.50, null, 10.00, 6.00 ),
			'gpt-4o-mini-transcribe' => self::price( 1.25, null, 5.00, 3.00 ),
			'gpt-4o-mini-tts'        => self::price( 0.60, null, null, null, 12.00 ),
		);

		$list = array(
			self::chat( 'gpt-4o', '2027-01-14', $p['gpt-4o'], $tile_4o, 128000 ),
			self::chat( 'gpt-4o-mini', '2027-01-14', $p['gpt-4o-mini'], $tile_4o_mini, 128000 ),
			self::chat( 'gpt-4.1', '2027-01-14', $p['gpt-4.1'], $tile_4o, 1047576 ),
			self::chat( 'gpt-4.1-mini', '2027-01-14', $p['gpt-4.1-mini'], $patch_mini, 1047576 ),
			self::chat( 'gpt-4.1-nano', '2026-10-23', null, $patch_nano, 1047576 ),
			self::chat( 'gpt-5', '2026-12-11', $p['gpt-5'], $tile_5, 400000 ),
			self::chat( 'gpt-5-mini', '2026-12-11', $p['gpt-5-mini'], $patch_mini, 400000 ),
			self::chat( 'gpt-5-nano', '2026-12-11', $p['gpt-5-nano'], $patch_nano, 400000 ),
			self::chat( 'gpt-5.4-mini', null, null, $patch_mini, 400000 ),
			self::chat( 'gpt-5.4-nano', null, null, $patch_nano, 400000 ),
			self::chat( 'gpt-5.5', null, null, $tile_5, 400000 ),
			self::chat( 'chatgpt-4o-latest', '2026-02-17', $p['gpt-4o'], $tile_4o, 128000 ),
			self::model( 'gpt-audio', 'audio_chat', array( 'text', 'audio' ), array( 'text', 'audio' ), 128000, null, $p['gpt-audio'] ),
			self::model( 'gpt-audio-mini', 'audio_chat', array( 'text', 'audio' ), array( 'text', 'audio' ), 128000, '2027-01-20', $p['gpt-audio-mini'] ),
			self::model( 'gpt-audio-1.5', 'audio_chat', array( 'text', 'audio' ), array( 'text', 'audio' ), 128000, null, null ),
			self::model( 'gpt-4o-audio-preview', 'audio_chat', array( 'text', 'audio' ), array( 'text', 'audio' ), 128000, '2026-05-07', $p['gpt-audio'] ),
			self::model( 'gpt-4o-mini-audio-preview', 'audio_chat', array( 'text', 'audio' ), array( 'text', 'audio' ), 128000, '2026-05-07', $p['gpt-audio-mini'] ),
			self::model( 'gpt-realtime', 'realtime', array( 'text', 'audio', 'image' ), array( 'text', 'audio' ), 32000, '2027-01-20', $p['gpt-realtime'] ),
			self::model( 'gpt-realtime-mini', 'realtime', array( 'text', 'audio', 'image' ), array( 'text', 'audio' ), 32000, '2027-01-20', $p['gpt-realtime-mini'] ),
			self::model( 'gpt-realtime-2', 'realtime', array( 'text', 'audio', 'image' ), array( 'text', 'audio' ), 32000, null, null ),
			self::model( 'gpt-realtime-2.1', 'realtime', array( 'text', 'audio', 'image' ), array( 'text', 'audio' ), 32000, null, null ),
			self::model( 'gpt-realtime-2.1-mini', 'realtime', array( 'text', 'audio', 'image' ), array( 'text', 'audio' ), 32000, null, null ),
			self::model( 'whisper-1', 'transcription', array( 'audio' ), array( 'text' ), 16000, '2027-02-26', array( 'per_minute' => 0.006 ) ),
			self::model( 'gpt-4o-transcribe', 'transcription', array( 'text', 'audio' ), array( 'text' ), 16000, '2027-02-26', $p['gpt-4o-transcribe'] ),
			self::model( 'gpt-4o-mini-transcribe', 'transcription', array( 'text', 'audio' ), array( 'text' ), 16000, '2027-02-26', $p['gpt-4o-mini-transcribe'] ),
			self::model( 'gpt-transcribe', 'transcription', array( 'text', 'audio' ), array( 'text' ), 16000, null, null ),
			self::model( 'tts-1', 'speech', array( 'text' ), array( 'audio' ), 4096, '2027-01-06', array( 'per_million_chars' => 15.0 ) ),
			self::model( 'tts-1-hd', 'speech', array( 'text' ), array( 'audio' ), 4096, '2027-01-06', array( 'per_million_chars' => 30.0 ) ),
			self::model( 'gpt-4o-mini-tts', 'speech', array( 'text' ), array( 'audio' ), 4096, '2027-01-06', $p['gpt-4o-mini-tts'] ),
			self::model( 'omni-moderation-latest', 'moderation', array( 'text', 'image' ), array( 'text' ), 32768, null, array() ),
		);

		$models = array();
		foreach ( $list as $model ) {
			$models[ $model['id'] ] = $model;
		}
		return $models;
	}

	/**
	 * Every model: the defaults with the admin's changes, plus the admin's own models.
	 *
	 * @return array<string, Model_Info>
	 */
	public function all(): array {
		if ( null === $this->models ) {
			$models    = self::defaults();
			$overrides = $this->stored()['models'] ?? array();
			foreach ( is_array( $overrides ) ? $overrides : array() as $id => $override ) {
				if ( ! is_string( $id ) || ! is_array( $override ) ) {
					continue;
				}
				$models[ $id ] = self::merge( $models[ $id ] ?? self::blank( $id ), $override );
			}
			$this->models = $models;
		}
		return $this->models;
	}

	/**
	 * One model, or null when the catalog does not know it.
	 *
	 * @param string $id Model id.
	 * @return Model_Info|null
	 */
	public function get( string $id ): ?array {
		return $this->all()[ $id ] ?? null;
	}

	/**
	 * Whether the model takes (input) or gives (output) a modality.
	 *
	 * @param string $id        Model id.
	 * @param string $direction 'input' or 'output'.
	 * @param string $modality  'text', 'image' or 'audio'.
	 */
	public function supports( string $id, string $direction, string $modality ): bool {
		$model = $this->get( $id );
		if ( null === $model ) {
			return false;
		}
		return in_array( $modality, 'output' === $direction ? $model['output'] : $model['input'], true );
	}

	/**
	 * True when the admin chose to bill models without a price at the most expensive known
	 * rate instead of refusing them.
	 */
	public function counts_unknown_at_max(): bool {
		return ! empty( $this->stored()['count_unknown_at_max'] );
	}

	/**
	 * The rate to bill one price component of a model, USD per 1M units (per minute or per
	 * 1M characters for those components), or null when nothing safe is known.
	 *
	 * Cached input without its own price is billed as normal input (never cheaper than
	 * known). A model without the component is billed at the most expensive rate any
	 * model in the catalog has for it, but only when the admin opted in.
	 *
	 * @param string $id        Model id.
	 * @param string $component One of PRICE_KEYS.
	 */
	public function rate( string $id, string $component ): ?float {
		$price = $this->get( $id )['price'] ?? null;
		if ( null !== $price ) {
			if ( isset( $price[ $component ] ) ) {
				return $price[ $component ];
			}
			if ( 'cached_in' === $component && isset( $price['text_in'] ) ) {
				return $price['text_in'];
			}
		}
		if ( ! $this->counts_unknown_at_max() ) {
			return null;
		}
		return $this->max_rate( $component );
	}

	/**
	 * The most expensive rate any priced model has for a component (cached input falls back
	 * to the most expensive normal input), or null when no model has it.
	 *
	 * @param string $component One of PRICE_KEYS.
	 */
	public function max_rate( string $component ): ?float {
		$max = null;
		foreach ( $this->all() as $model ) {
			$value = $model['price'][ $component ] ?? null;
			if ( null !== $value && ( null === $max || $value > $max ) ) {
				$max = $value;
			}
		}
		if ( 'cached_in' === $component ) {
			$text = $this->max_rate( 'text_in' );
			return null === $max ? $text : max( $max, (float) $text );
		}
		return $max;
	}

	/**
	 * Whether the model has been shut down by the provider (its shutdown date has come).
	 *
	 * @param string $id Model id.
	 */
	public function is_shut_down( string $id ): bool {
		$date = $this->get( $id )['shutdown'] ?? null;
		return null !== $date && $date <= ( $this->today )();
	}

	/**
	 * Why a model cannot be offered to visitors, or null when it can.
	 *
	 * Codes: unknown_model (not in the catalog), shut_down, no_price (a price component its
	 * use needs is missing and unknown prices are not counted at the maximum).
	 *
	 * @param string $id         Model id.
	 * @param array  $components Price components the request will be billed on.
	 * @phpstan-param list<string> $components
	 */
	public function unusable_reason( string $id, array $components = array( 'text_in', 'text_out' ) ): ?string {
		if ( null === $this->get( $id ) ) {
			return 'unknown_model';
		}
		if ( $this->is_shut_down( $id ) ) {
			return 'shut_down';
		}
		foreach ( $components as $component ) {
			if ( null === $this->rate( $id, $component ) ) {
				return 'no_price';
			}
		}
		return null;
	}

	/**
	 * Price components a model of this kind is billed on for an ordinary request.
	 *
	 * @param string $id Model id.
	 * @return list<string>
	 */
	public function billed_components( string $id ): array {
		$model = $this->get( $id );
		$price = $model['price'] ?? array();
		switch ( $model['kind'] ?? 'chat' ) {
			case 'transcription':
				return isset( $price['per_minute'] ) ? array( 'per_minute' ) : array( 'audio_in', 'text_out' );
			case 'speech':
				return isset( $price['per_million_chars'] ) ? array( 'per_million_chars' ) : array( 'text_in', 'audio_out' );
			case 'audio_chat':
			case 'realtime':
				return array( 'text_in', 'text_out', 'audio_in', 'audio_out' );
			case 'moderation':
				return array();
			default:
				return array( 'text_in', 'text_out' );
		}
	}

	/**
	 * Remembers what the provider's GET /v1/models said, so the admin can be warned about
	 * configured models that it does not list or that have a shutdown date.
	 *
	 * @param array<mixed> $provider_models The `data` list of /v1/models: {id, shutdown_date?}.
	 * @param int          $checked_at      Unix time of the check.
	 */
	public function record_provider_models( array $provider_models, int $checked_at ): void {
		$ids = array();
		foreach ( $provider_models as $entry ) {
			if ( ! is_array( $entry ) || ! isset( $entry['id'] ) || ! is_string( $entry['id'] ) ) {
				continue;
			}
			$date                = isset( $entry['shutdown_date'] ) && is_string( $entry['shutdown_date'] ) ? self::date_or_null( $entry['shutdown_date'] ) : null;
			$ids[ $entry['id'] ] = $date;
		}
		$stored             = $this->stored();
		$stored['provider'] = array(
			'checked_at' => $checked_at,
			'ids'        => $ids,
		);
		$this->write( $stored );
	}

	/**
	 * What the admin should hear about a set of models (usually the tiers' models): unknown
	 * to the catalog or to the provider (after a refresh), shut down, shutting down, no price.
	 *
	 * @param array $ids Model ids in use.
	 * @return list<Problem>
	 * @phpstan-param list<string> $ids
	 */
	public function problems( array $ids ): array {
		$problems = array();
		$provider = $this->provider_state();
		foreach ( array_values( array_unique( $ids ) ) as $id ) {
			$model = $this->get( $id );
			if ( null === $model ) {
				$problems[] = array(
					'model' => $id,
					'code'  => 'unknown_model',
					'date'  => null,
				);
				continue;
			}
			if ( null !== $provider && ! array_key_exists( $id, $provider['ids'] ) ) {
				$problems[] = array(
					'model' => $id,
					'code'  => 'unknown_to_provider',
					'date'  => null,
				);
			}
			$date = $provider['ids'][ $id ] ?? $model['shutdown'];
			if ( null !== $date ) {
				$problems[] = array(
					'model' => $id,
					'code'  => $date <= ( $this->today )() ? 'shut_down' : 'shutdown_scheduled',
					'date'  => $date,
				);
			}
			if ( 'no_price' === $this->unusable_reason( $id, $this->billed_components( $id ) ) ) {
				$problems[] = array(
					'model' => $id,
					'code'  => 'no_price',
					'date'  => null,
				);
			}
		}
		return $problems;
	}

	/**
	 * The last /v1/models check, or null when the admin never refreshed.
	 *
	 * @return Provider_State|null
	 */
	public function provider_state(): ?array {
		$provider = $this->stored()['provider'] ?? null;
		if ( ! is_array( $provider ) || ! isset( $provider['ids'] ) || ! is_array( $provider['ids'] ) ) {
			return null;
		}
		$ids = array();
		foreach ( $provider['ids'] as $id => $date ) {
			$ids[ (string) $id ] = is_string( $date ) ? $date : null;
		}
		return array(
			'checked_at' => (int) ( $provider['checked_at'] ?? 0 ),
			'ids'        => $ids,
		);
	}

	/**
	 * The admin's tier choices (tier => model id); Model_Tier validates them.
	 *
	 * Before tiers, the settings screen's text, image, audio, transcription and speech models
	 * answered every question. They are now the standard, vision, voice, transcribe and speech
	 * tiers (Settings saves them there); a site that chose them before keeps them, read from
	 * the settings, until the tier itself is saved. A stored value equal to the tier's default
	 * is no choice; an old default that differs (gpt-4o-mini-transcribe) is kept, as the site
	 * was answering with it (priced) and the admin is warned of its shutdown date.
	 *
	 * @return array<string, mixed>
	 */
	public function tier_overrides(): array {
		$tiers = $this->stored_tiers();
		if ( null === $this->legacy ) {
			$settings     = get_option( Settings::OPTION, array() );
			$this->legacy = is_array( $settings ) ? $settings : array();
		}
		foreach ( self::LEGACY_TIER_SETTINGS as $setting => $tier ) {
			// A copy of the tier's default is no choice: leave it out.
			if ( ! isset( $tiers[ $tier ] ) && isset( $this->legacy[ $setting ] ) && is_string( $this->legacy[ $setting ] ) && Model_Tier::defaults()[ $tier ] !== $this->legacy[ $setting ] ) {
				$tiers[ $tier ] = $this->legacy[ $setting ];
			}
		}
		return $tiers;
	}

	/**
	 * The tier choices saved in the catalog itself.
	 *
	 * @return array<string, mixed>
	 */
	public function stored_tiers(): array {
		$tiers = $this->stored()['tiers'] ?? array();
		return is_array( $tiers ) ? $tiers : array();
	}

	/**
	 * Saves the admin's changes: per-model overrides (or new models), tier choices and the
	 * unknown-price policy. Values are sanitized; anything unusable is dropped.
	 *
	 * @param array<string, mixed> $input {models?: array, tiers?: array, count_unknown_at_max?: bool}.
	 */
	public function save( array $input ): void {
		$stored = $this->stored();
		if ( isset( $input['models'] ) && is_array( $input['models'] ) ) {
			$stored['models'] = self::sanitize_models( $input['models'] );
		}
		if ( isset( $input['tiers'] ) && is_array( $input['tiers'] ) ) {
			$stored['tiers'] = array_filter( $input['tiers'], static fn ( $model, $tier ): bool => is_string( $tier ) && is_string( $model ) && (bool) preg_match( '/^[A-Za-z0-9._:\/-]{1,100}$/', $model ), ARRAY_FILTER_USE_BOTH );
		}
		if ( array_key_exists( 'count_unknown_at_max', $input ) ) {
			$stored['count_unknown_at_max'] = (bool) $input['count_unknown_at_max'];
		}
		$this->write( $stored );
		if ( isset( $input['tiers'] ) && is_array( $stored['tiers'] ) ) {
			self::mirror_tiers( $stored['tiers'] );
		}
	}

	/**
	 * Copies the tiers the settings screen shows (standard, vision, voice, transcribe, speech)
	 * to its settings (LEGACY_TIER_SETTINGS), which the pipelines read (and Settings saves back here): one choice, two screens.
	 *
	 * @param array<mixed> $tiers Saved tiers.
	 */
	private static function mirror_tiers( array $tiers ): void {
		$settings = get_option( Settings::OPTION, array() );
		$settings = is_array( $settings ) ? $settings : array();
		$changed  = false;
		foreach ( self::LEGACY_TIER_SETTINGS as $key => $tier ) {
			if ( isset( $tiers[ $tier ] ) && is_string( $tiers[ $tier ] ) && ( $settings[ $key ] ?? null ) !== $tiers[ $tier ] ) {
				$settings[ $key ] = $tiers[ $tier ];
				$changed          = true;
			}
		}
		if ( $changed ) {
			update_option( Settings::OPTION, $settings, true );
		}
	}

	/**
	 * Keeps only well-formed model overrides: known fields, valid types, prices within range.
	 * A price set to null (or an empty array) removes the model's price.
	 *
	 * @param array<mixed> $models Model id => partial Model_Info.
	 * @return array<string, array<string, mixed>>
	 */
	public static function sanitize_models( array $models ): array {
		$clean = array();
		foreach ( $models as $id => $fields ) {
			if ( ! is_string( $id ) || ! preg_match( '/^[A-Za-z0-9._:\/-]{1,100}$/', $id ) || ! is_array( $fields ) ) {
				continue;
			}
			$entry = array();
			if ( isset( $fields['kind'] ) && in_array( $fields['kind'], self::KINDS, true ) ) {
				$entry['kind'] = $fields['kind'];
			}
			foreach ( array( 'input', 'output' ) as $direction ) {
				if ( isset( $fields[ $direction ] ) && is_array( $fields[ $direction ] ) ) {
					$entry[ $direction ] = array_values( array_intersect( self::MODALITIES, $fields[ $direction ] ) );
				}
			}
			if ( isset( $fields['context'] ) && is_numeric( $fields['context'] ) ) {
				$entry['context'] = max( 1, min( 10000000, (int) $fields['context'] ) );
			}
			if ( array_key_exists( 'shutdown', $fields ) ) {
				$entry['shutdown'] = is_string( $fields['shutdown'] ) ? self::date_or_null( $fields['shutdown'] ) : null;
			}
			if ( isset( $fields['image'] ) && is_array( $fields['image'] ) && in_array( $fields['image']['rule'] ?? null, self::IMAGE_RULES, true ) ) {
				$entry['image'] = self::image_rule(
					(string) $fields['image']['rule'],
					max( 0, (int) ( $fields['image']['base'] ?? 0 ) ),
					max( 0, (int) ( $fields['image']['tile'] ?? 0 ) ),
					max( 0.0, (float) ( $fields['image']['multiplier'] ?? 0 ) )
				);
			}
			if ( array_key_exists( 'price', $fields ) ) {
				$entry['price'] = self::sanitize_price( $fields['price'] );
			}
			$clean[ $id ] = $entry;
		}
		return $clean;
	}

	/**
	 * A price array with only known components, each a finite number in range; null when
	 * nothing usable is left.
	 *
	 * @param mixed $price Raw price input.
	 * @return Price|null
	 */
	public static function sanitize_price( mixed $price ): ?array {
		if ( ! is_array( $price ) ) {
			return null;
		}
		$clean = array();
		foreach ( self::PRICE_KEYS as $key ) {
			if ( ! isset( $price[ $key ] ) || ! is_numeric( $price[ $key ] ) ) {
				continue;
			}
			$value = (float) $price[ $key ];
			if ( is_finite( $value ) && $value >= 0 && $value <= self::MAX_PRICE ) {
				// Six decimals of a USD-per-1M price are a millionth of a micro-dollar per token.
				$clean[ $key ] = round( $value, 6 );
			}
		}
		return $clean ? $clean : null;
	}

	/**
	 * The stored overrides.
	 *
	 * @return array<string, mixed>
	 */
	private function stored(): array {
		if ( null === $this->stored ) {
			$value        = get_option( self::OPTION, array() );
			$this->stored = is_array( $value ) ? $value : array();
		}
		return $this->stored;
	}

	/**
	 * Writes the overrides and forgets the merged catalog.
	 *
	 * @param array<string, mixed> $stored New option value.
	 */
	private function write( array $stored ): void {
		$this->stored = $stored;
		$this->models = null;
		update_option( self::OPTION, $stored, false );
	}

	/**
	 * Applies an override to a model. Only sanitized fields are used.
	 *
	 * @param array        $model    The default (or blank) entry.
	 * @param array<mixed> $override Stored fields.
	 * @return Model_Info
	 * @phpstan-param Model_Info $model
	 */
	private static function merge( array $model, array $override ): array {
		$clean = self::sanitize_models( array( $model['id'] => $override ) )[ $model['id'] ] ?? array();
		if ( isset( $clean['kind'] ) && is_string( $clean['kind'] ) ) {
			$model['kind'] = $clean['kind'];
		}
		if ( isset( $clean['input'] ) && is_array( $clean['input'] ) ) {
			$model['input'] = array_values( array_filter( $clean['input'], 'is_string' ) );
		}
		if ( isset( $clean['output'] ) && is_array( $clean['output'] ) ) {
			$model['output'] = array_values( array_filter( $clean['output'], 'is_string' ) );
		}
		if ( isset( $clean['context'] ) && is_int( $clean['context'] ) ) {
			$model['context'] = $clean['context'];
		}
		if ( array_key_exists( 'shutdown', $clean ) ) {
			$model['shutdown'] = is_string( $clean['shutdown'] ) ? $clean['shutdown'] : null;
		}
		if ( isset( $clean['image'] ) && is_array( $clean['image'] ) ) {
			$model['image'] = self::image_rule( (string) $clean['image']['rule'], (int) $clean['image']['base'], (int) $clean['image']['tile'], (float) $clean['image']['multiplier'] );
		}
		if ( array_key_exists( 'price', $clean ) ) {
			$model['price'] = self::sanitize_price( $clean['price'] );
		}
		return $model;
	}

	/**
	 * A model the admin added: a text chat model with no price until one is entered.
	 *
	 * @param string $id Model id.
	 * @return Model_Info
	 */
	private static function blank( string $id ): array {
		return self::model( $id, 'chat', array( 'text' ), array( 'text' ), 128000, null, null );
	}

	/**
	 * A text (and image) chat model.
	 *
	 * @param string      $id       Model id.
	 * @param string|null $shutdown Shutdown date.
	 * @param Price|null  $price    Prices.
	 * @param array       $image    How images are counted.
	 * @param int         $context  Context window in tokens.
	 * @return Model_Info
	 * @phpstan-param Image_Rule $image
	 */
	private static function chat( string $id, ?string $shutdown, ?array $price, array $image, int $context ): array {
		$entry          = self::model( $id, 'chat', array( 'text', 'image' ), array( 'text' ), $context, $shutdown, $price );
		$entry['image'] = $image;
		return $entry;
	}

	/**
	 * One catalog entry.
	 *
	 * @param string      $id       Model id.
	 * @param string      $kind     One of KINDS.
	 * @param array       $input    Input modalities.
	 * @param array       $output   Output modalities.
	 * @param int         $context  Context window in tokens (characters for speech).
	 * @param string|null $shutdown Shutdown date, Y-m-d.
	 * @param Price|null  $price    Prices; null when unknown.
	 * @return Model_Info
	 * @phpstan-param list<string> $input
	 * @phpstan-param list<string> $output
	 */
	private static function model( string $id, string $kind, array $input, array $output, int $context, ?string $shutdown, ?array $price ): array {
		return array(
			'id'       => $id,
			'kind'     => $kind,
			'input'    => $input,
			'output'   => $output,
			'context'  => $context,
			'image'    => self::image_rule( 'none', 0, 0 ),
			'price'    => $price,
			'shutdown' => $shutdown,
		);
	}

	/**
	 * A price entry from the README's columns; missing columns are left out (unknown).
	 *
	 * @param float      $text_in   Text input.
	 * @param float|null $cached_in Cached text input.
	 * @param float|null $text_out  Text output.
	 * @param float|null $audio_in  Audio input.
	 * @param float|null $audio_out Audio output.
	 * @return Price
	 */
	private static function price( float $text_in, ?float $cached_in, ?float $text_out, ?float $audio_in = null, ?float $audio_out = null ): array {
		return array_filter(
			array(
				'text_in'   => $text_in,
				'cached_in' => $cached_in,
				'text_out'  => $text_out,
				'audio_in'  => $audio_in,
				'audio_out' => $audio_out,
			),
			static fn ( ?float $value ): bool => null !== $value
		);
	}

	/**
	 * An image counting rule.
	 *
	 * @param string $rule       tile, patch or none.
	 * @param int    $base       Tile rule: tokens per image.
	 * @param int    $tile       Tile rule: tokens per 512 px tile.
	 * @param float  $multiplier Patch rule: tokens per 32 px patch.
	 * @return Image_Rule
	 */
	private static function image_rule( string $rule, int $base, int $tile, float $multiplier = 0.0 ): array {
		return array(
			'rule'       => $rule,
			'base'       => $base,
			'tile'       => $tile,
			'multiplier' => $multiplier,
		);
	}

	/**
	 * A Y-m-d date string, or null when the input is not one.
	 *
	 * @param string $date Candidate date.
	 */
	private static function date_or_null( string $date ): ?string {
		$date = substr( trim( $date ), 0, 10 );
		return preg_match( '/^\d{4}-\d{2}-\d{2}$/', $date ) ? $date : null;
	}
}
