<?php
/**
 * The plugin's settings: one autoloaded option, its defaults, its schema and its sanitizer.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Settings;

use VoiceVisionChat\Routing\Model_Catalog;
use VoiceVisionChat\Routing\Model_Tier;

defined( 'ABSPATH' ) || exit;

/**
 * Reads and writes the `vvc_settings` option.
 *
 * Every setting lives in one autoloaded array so the visitor's hot path reads all of it with
 * the options WordPress already loaded (no query of its own); this object normalizes it once
 * and keeps the result until the stored value changes.
 *
 * `text_model`, `image_model`, `audio_model`, `transcribe_model` and `speech_model` are the
 * standard, vision, voice, transcribe and speech tiers of cost control (Routing\Model_Tier,
 * stored in the model catalog, which routing and the budget screen read; the defaults are
 * Model_Tier's). Both sides stay in
 * step: saving them here saves the tiers (save_tiers()), saving those tiers in the catalog
 * copies them here (Model_Catalog::save()), so the hot path keeps reading this one autoloaded
 * option. A site that saved them before tiers existed keeps them (Model_Catalog::tier_overrides()).
 *
 * @phpstan-type Settings_Array array{
 *     base_url: string,
 *     organization: string,
 *     project: string,
 *     text_model: string,
 *     image_model: string,
 *     system_prompt: string,
 *     max_completion_tokens: int,
 *     history_turns: int,
 *     turn_max_chars: int,
 *     image_max_side: int,
 *     image_max_bytes: int,
 *     image_max_pixels: int,
 *     image_detail: string,
 *     key_choice: string,
 *     voice_pipeline: string,
 *     audio_model: string,
 *     transcribe_model: string,
 *     speech_model: string,
 *     voice: string,
 *     speech_instructions: string,
 *     speech_speed: float,
 *     voice_max_seconds: int,
 *     voice_max_bytes: int,
 *     voice_consent_text: string,
 *     enabled: bool,
 *     faq_enabled: bool,
 *     faq_ttl: int,
 *     faq_min_asks: int,
 *     log_transcripts: bool,
 *     version: int
 * }
 */
final class Settings {

	/**
	 * Option holding every setting.
	 */
	public const OPTION = 'vvc_settings';

	/**
	 * Group name given to register_setting().
	 */
	public const GROUP = 'vvc';

	/**
	 * Model ids: what OpenAI and compatible servers use (letters, digits, . _ : / -).
	 */
	public const MODEL_PATTERN = '^[A-Za-z0-9._:\/-]{1,100}$';

	/**
	 * OpenAI organization and project ids, sent as HTTP headers, so no spaces or line breaks.
	 */
	public const HEADER_ID_PATTERN = '^[A-Za-z0-9_-]{0,100}$';

	/**
	 * Longest system prompt kept, in characters; it is sent with every request.
	 */
	public const SYSTEM_PROMPT_MAX_CHARS = 20000;

	/**
	 * How a voice question is answered: `native` (one audio chat model hears and speaks),
	 * `chained` (transcription, the text/vision model, speech) or `auto` (native where it can work).
	 */
	public const VOICE_PIPELINES = array( 'auto', 'native', 'chained' );

	/**
	 * Built-in voices both the audio chat models and /v1/audio/speech accept (the spec's shared
	 * list; speech alone also knows fable, nova and onyx, which the native pipeline could not use).
	 */
	public const VOICES = array( 'alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse', 'marin', 'cedar' );

	/**
	 * Range of /v1/audio/speech's `speed`.
	 */
	public const SPEECH_SPEED_RANGE = array( 0.25, 4.0 );

	/**
	 * Longest speech instructions kept, in characters (the API's own limit).
	 */
	public const SPEECH_INSTRUCTIONS_MAX_CHARS = 4096;

	/**
	 * Longest consent notice kept, in characters.
	 */
	public const CONSENT_TEXT_MAX_CHARS = 2000;

	/**
	 * Integer settings and their inclusive ranges; out-of-range values are clamped.
	 *
	 * @var array<string, array{0: int, 1: int}>
	 */
	private const INT_RANGES = array(
		'max_completion_tokens' => array( 16, 4000 ),
		'history_turns'         => array( 0, 30 ),
		'turn_max_chars'        => array( 200, 20000 ),
		'image_max_side'        => array( 256, 2048 ),
		'image_max_bytes'       => array( 102400, 20971520 ),
		'image_max_pixels'      => array( 1000000, 100000000 ),
		'voice_max_seconds'     => array( 5, 180 ),
		'voice_max_bytes'       => array( 262144, 26214400 ),
		'faq_ttl'               => array( 60, 2592000 ),
		'faq_min_asks'          => array( 1, 20 ),
	);

	/**
	 * The stored option merged with the defaults, once read.
	 *
	 * @var Settings_Array|null
	 */
	private ?array $values = null;

	/**
	 * The raw option $values was made from.
	 *
	 * @var mixed
	 */
	private mixed $values_source = null;

	/**
	 * Default value of every setting.
	 *
	 * @return Settings_Array
	 */
	public static function defaults(): array {
		// The models are tiers of cost control: one set of defaults (Model_Tier's).
		$tiers = Model_Tier::defaults();
		return array(
			'base_url'              => 'https://api.openai.com/v1',
			'organization'          => '',
			'project'               => '',
			'text_model'            => $tiers[ Model_Tier::STANDARD ],
			'image_model'           => $tiers[ Model_Tier::VISION ],
			'system_prompt'         => sprintf(
				/* translators: %s: the site's name. */
				__( "You are a helpful assistant for the website \"%s\". Answer visitors' questions briefly and politely. When you do not know the answer, say so instead of guessing.", 'voice-vision-chat' ),
				wp_specialchars_decode( (string) get_bloginfo( 'name' ), ENT_QUOTES )
			),
			'max_completion_tokens' => 800,
			'history_turns'         => 10,
			'turn_max_chars'        => 4000,
			'image_max_side'        => 1024,
			'image_max_bytes'       => 5242880,
			'image_max_pixels'      => 40000000,
			'image_detail'          => 'auto',
			'key_choice'            => 'auto',
			'voice_pipeline'        => 'auto',
			'audio_model'           => $tiers[ Model_Tier::VOICE ],
			'transcribe_model'      => $tiers[ Model_Tier::TRANSCRIBE ],
			'speech_model'          => $tiers[ Model_Tier::SPEECH ],
			'voice'                 => 'marin',
			'speech_instructions'   => '',
			'speech_speed'          => 1.0,
			'voice_max_seconds'     => 60,
			// 60 s of the browser's 16 kHz mono WAV fallback is 1.9 MB; its MP3 is 240 KB.
			'voice_max_bytes'       => 4194304,
			'voice_consent_text'    => self::default_consent_text(),
			'enabled'               => true,
			'faq_enabled'           => true,
			'faq_ttl'               => 86400, // One day.
			'faq_min_asks'          => 2,
			'log_transcripts'       => false,
			'version'               => 1,
		);
	}

	/**
	 * The notice shown before a visitor's first recording (the admin can replace it).
	 */
	public static function default_consent_text(): string {
		return __( 'When you use the microphone, your recording is sent to our AI provider (OpenAI) to understand your question and to create a spoken answer in an AI-generated voice. This site does not store your recording.', 'voice-vision-chat' );
	}

	/**
	 * Every setting, stored values over defaults.
	 *
	 * The base URL is replaced by the constant VVC_OPENAI_BASE_URL when a site defines it (the
	 * development stack points the plugin at its simulator that way).
	 *
	 * @return Settings_Array
	 */
	public function all(): array {
		// get_option() is a memory lookup for an autoloaded option; normalizing is redone only
		// when the stored value changed (a save, or another request's save seen after a flush).
		$stored = get_option( self::OPTION, array() );
		if ( null === $this->values || $stored !== $this->values_source ) {
			$this->values        = $this->normalize( is_array( $stored ) ? $stored : array() );
			$this->values_source = $stored;
		}
		$values = $this->values;
		if ( self::base_url_is_locked() ) {
			$values['base_url'] = (string) constant( 'VVC_OPENAI_BASE_URL' );
		}
		return $values;
	}

	/**
	 * One setting.
	 *
	 * @param string $key A key of defaults().
	 * @return mixed The value, or null for an unknown key.
	 */
	public function get( string $key ): mixed {
		return $this->all()[ $key ] ?? null;
	}

	/**
	 * Revision of the settings, bumped on every save (caches keyed on it expire with a change).
	 */
	public function version(): int {
		return $this->all()['version'];
	}

	/**
	 * Whether the constant VVC_OPENAI_BASE_URL fixes the base URL (the admin cannot change it).
	 */
	public static function base_url_is_locked(): bool {
		return defined( 'VVC_OPENAI_BASE_URL' ) && is_string( constant( 'VVC_OPENAI_BASE_URL' ) ) && '' !== constant( 'VVC_OPENAI_BASE_URL' );
	}

	/**
	 * Whether the plugin talks to the project's OpenAI simulator rather than a real provider.
	 *
	 * True when the base URL is a loopback address on port 4010 (where the simulator listens)
	 * or when VVC_OPENAI_BASE_URL is defined, which only the development stack does.
	 */
	public function uses_simulator(): bool {
		if ( self::base_url_is_locked() ) {
			return true;
		}
		$parts = wp_parse_url( $this->all()['base_url'] );
		if ( ! is_array( $parts ) ) {
			return false;
		}
		$host = strtolower( trim( (string) ( $parts['host'] ?? '' ), '[]' ) );
		return 4010 === (int) ( $parts['port'] ?? 0 ) && in_array( $host, array( '127.0.0.1', 'localhost', '::1' ), true );
	}

	/**
	 * Saves some settings and bumps the version.
	 *
	 * @param array<string, mixed> $changes Any subset of the settings; unknown keys and `version`
	 *                                      are ignored, invalid values keep the current value.
	 * @return Settings_Array What is stored now.
	 */
	public function update( array $changes ): array {
		unset( $changes['version'] );
		$stored  = get_option( self::OPTION, array() );
		$current = $this->normalize( is_array( $stored ) ? $stored : array() );
		$next    = $this->normalize( array_merge( $current, array_intersect_key( $changes, self::defaults() ) ), $current );

		$next['version'] = $current['version'] + 1;
		update_option( self::OPTION, $next, true );
		// After the save, so the catalog's copy back (Model_Catalog::save()) finds nothing to
		// change; only models that changed, so re-sending the form pins no tier.
		self::save_tiers( array_diff_assoc( array_intersect_key( $next, Model_Catalog::LEGACY_TIER_SETTINGS ), array_intersect_key( $current, Model_Catalog::LEGACY_TIER_SETTINGS ) ) );

		return $this->all();
	}

	/**
	 * Registers the option with the Settings API, so every write path (REST, options.php,
	 * WP-CLI) goes through the same sanitizer.
	 */
	public function register(): void {
		register_setting(
			self::GROUP,
			self::OPTION,
			array(
				'type'              => 'object',
				'description'       => __( 'Voice & Vision Chat settings.', 'voice-vision-chat' ),
				'sanitize_callback' => array( $this, 'sanitize_option' ),
				'show_in_rest'      => false,
			)
		);
	}

	/**
	 * The sanitize_option callback: whatever is saved becomes a complete, valid settings array.
	 *
	 * @param mixed $value Value about to be saved.
	 * @return Settings_Array
	 */
	public function sanitize_option( mixed $value ): array {
		$stored   = get_option( self::OPTION, array() );
		$previous = $this->normalize( is_array( $stored ) ? $stored : array() );
		$next     = $this->normalize( is_array( $value ) ? $value : array(), $previous );
		// A save that did not go through update() (options.php, WP-CLI) still gets a new revision.
		if ( $next['version'] <= $previous['version'] ) {
			$next['version'] = $previous['version'] + 1;
		}
		return $next;
	}

	/**
	 * Saves a changed model setting as its tier (Model_Catalog::LEGACY_TIER_SETTINGS), where
	 * routing and the budget screen read it.
	 *
	 * @param array<mixed> $changes Submitted settings.
	 */
	private static function save_tiers( array $changes ): void {
		$catalog = new Model_Catalog();
		$tiers   = $catalog->stored_tiers();
		$before  = $tiers;
		foreach ( Model_Catalog::LEGACY_TIER_SETTINGS as $key => $tier ) {
			if ( isset( $changes[ $key ] ) && is_string( $changes[ $key ] ) && preg_match( '#' . self::MODEL_PATTERN . '#', trim( $changes[ $key ] ) ) ) {
				$tiers[ $tier ] = trim( $changes[ $key ] );
			}
		}
		if ( $tiers !== $before ) {
			$catalog->save( array( 'tiers' => $tiers ) );
		}
	}

	/**
	 * JSON schema of every setting: types, ranges, patterns, enums.
	 *
	 * Used for the admin REST route's item schema and (minus the ranges, which are clamped
	 * rather than refused) for its arguments.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public static function schema(): array {
		$range = static fn ( string $key ): array => array(
			'type'    => 'integer',
			'minimum' => self::INT_RANGES[ $key ][0],
			'maximum' => self::INT_RANGES[ $key ][1],
		);
		return array(
			'base_url'              => array(
				'description' => __( 'Base URL of the OpenAI-compatible API, e.g. https://api.openai.com/v1.', 'voice-vision-chat' ),
				'type'        => 'string',
				'format'      => 'uri',
				'maxLength'   => 500,
			),
			'organization'          => array(
				'description' => __( 'OpenAI organization id sent as the OpenAI-Organization header; empty for none.', 'voice-vision-chat' ),
				'type'        => 'string',
				'pattern'     => self::HEADER_ID_PATTERN,
			),
			'project'               => array(
				'description' => __( 'OpenAI project id sent as the OpenAI-Project header; empty for none.', 'voice-vision-chat' ),
				'type'        => 'string',
				'pattern'     => self::HEADER_ID_PATTERN,
			),
			'text_model'            => array(
				'description' => __( 'Model that answers text questions: the standard tier of cost control (simple questions may go to the economy tier, long ones to the long-context tier).', 'voice-vision-chat' ),
				'type'        => 'string',
				'pattern'     => self::MODEL_PATTERN,
			),
			'image_model'           => array(
				'description' => __( 'Model that answers questions with a photo: the vision tier of cost control.', 'voice-vision-chat' ),
				'type'        => 'string',
				'pattern'     => self::MODEL_PATTERN,
			),
			'system_prompt'         => array(
				'description' => __( 'Instructions sent to the model before every conversation.', 'voice-vision-chat' ),
				'type'        => 'string',
				'maxLength'   => self::SYSTEM_PROMPT_MAX_CHARS,
			),
			'max_completion_tokens' => array( 'description' => __( 'Most tokens an answer may use.', 'voice-vision-chat' ) ) + $range( 'max_completion_tokens' ),
			'history_turns'         => array( 'description' => __( 'Most earlier turns sent along with a question.', 'voice-vision-chat' ) ) + $range( 'history_turns' ),
			'turn_max_chars'        => array( 'description' => __( 'Most characters in one message.', 'voice-vision-chat' ) ) + $range( 'turn_max_chars' ),
			'image_max_side'        => array( 'description' => __( 'Longest side, in pixels, the browser scales photos down to.', 'voice-vision-chat' ) ) + $range( 'image_max_side' ),
			'image_max_bytes'       => array( 'description' => __( 'Largest photo upload accepted, in bytes.', 'voice-vision-chat' ) ) + $range( 'image_max_bytes' ),
			'image_max_pixels'      => array( 'description' => __( 'Most pixels (width times height) a photo may have.', 'voice-vision-chat' ) ) + $range( 'image_max_pixels' ),
			'image_detail'          => array(
				'description' => __( 'Detail level the model looks at photos with.', 'voice-vision-chat' ),
				'type'        => 'string',
				'enum'        => array( 'auto', 'low', 'high' ),
			),
			'key_choice'            => array(
				'description' => __( 'Which API key to use: "auto" prefers OPENAI_API_KEY and the Connectors key, "plugin" always uses the key saved here.', 'voice-vision-chat' ),
				'type'        => 'string',
				'enum'        => array( 'auto', 'plugin' ),
			),
			'voice_pipeline'        => array(
				'description' => __( 'How voice questions are answered: "native" (an audio model hears and speaks), "chained" (transcription, the text model, then speech) or "auto" (native when the provider has the audio model). Questions with a photo always use the chained pipeline.', 'voice-vision-chat' ),
				'type'        => 'string',
				'enum'        => self::VOICE_PIPELINES,
			),
			'audio_model'           => array(
				'description' => __( 'Audio chat model of the native voice pipeline: the voice tier of cost control.', 'voice-vision-chat' ),
				'type'        => 'string',
				'pattern'     => self::MODEL_PATTERN,
			),
			'transcribe_model'      => array(
				'description' => __( 'Model that turns a voice question into text: the transcribe tier of cost control.', 'voice-vision-chat' ),
				'type'        => 'string',
				'pattern'     => self::MODEL_PATTERN,
			),
			'speech_model'          => array(
				'description' => __( 'Model that reads answers aloud (the chained voice pipeline, and FAQ answers in both): the speech tier of cost control.', 'voice-vision-chat' ),
				'type'        => 'string',
				'pattern'     => self::MODEL_PATTERN,
			),
			'voice'                 => array(
				'description' => __( 'Voice of spoken answers.', 'voice-vision-chat' ),
				'type'        => 'string',
				'enum'        => self::VOICES,
			),
			'speech_instructions'   => array(
				'description' => __( 'How spoken answers should sound (tone, pace, accent); chained pipeline only. Empty for none.', 'voice-vision-chat' ),
				'type'        => 'string',
				'maxLength'   => self::SPEECH_INSTRUCTIONS_MAX_CHARS,
			),
			'speech_speed'          => array(
				'description' => __( 'Speed of spoken answers, 0.25 to 4 (1 is normal); chained pipeline only.', 'voice-vision-chat' ),
				'type'        => 'number',
				'minimum'     => self::SPEECH_SPEED_RANGE[0],
				'maximum'     => self::SPEECH_SPEED_RANGE[1],
			),
			'voice_max_seconds'     => array( 'description' => __( 'Longest voice question, in seconds; the recorder stops there.', 'voice-vision-chat' ) ) + $range( 'voice_max_seconds' ),
			'voice_max_bytes'       => array( 'description' => __( 'Largest voice recording accepted, in bytes.', 'voice-vision-chat' ) ) + $range( 'voice_max_bytes' ),
			'voice_consent_text'    => array(
				'description' => __( 'Notice shown before a visitor\'s first recording: what is sent where, and what is kept.', 'voice-vision-chat' ),
				'type'        => 'string',
				'maxLength'   => self::CONSENT_TEXT_MAX_CHARS,
			),
			'enabled'               => array(
				'description' => __( 'Whether visitors can chat.', 'voice-vision-chat' ),
				'type'        => 'boolean',
			),
			'faq_enabled'           => array(
				'description' => __( 'Whether frequently asked questions are answered from the FAQ cache and curated entries.', 'voice-vision-chat' ),
				'type'        => 'boolean',
			),
			'faq_ttl'               => array( 'description' => __( 'How long, in seconds, a cached answer is kept and asks are counted.', 'voice-vision-chat' ) ) + $range( 'faq_ttl' ),
			'faq_min_asks'          => array( 'description' => __( 'How many times a question must be asked within that time before its answer is cached.', 'voice-vision-chat' ) ) + $range( 'faq_min_asks' ),
			'log_transcripts'       => array(
				'description' => __( 'Whether visitors\' own words may be stored (FAQ statistics keep a sample of each question; questions with e-mail addresses, phone or order numbers may be cached). Off: only normalized text and counts are kept.', 'voice-vision-chat' ),
				'type'        => 'boolean',
			),
			'version'               => array(
				'description' => __( 'Revision of the settings, bumped on every save.', 'voice-vision-chat' ),
				'type'        => 'integer',
				'readonly'    => true,
			),
		);
	}

	/**
	 * Clamps an integer setting to its range.
	 *
	 * @param string $key   A key of INT_RANGES.
	 * @param int    $value Value to clamp.
	 */
	public static function clamp( string $key, int $value ): int {
		if ( ! isset( self::INT_RANGES[ $key ] ) ) {
			return $value;
		}
		return max( self::INT_RANGES[ $key ][0], min( self::INT_RANGES[ $key ][1], $value ) );
	}

	/**
	 * Whether a base URL is acceptable: an absolute http(s) URL that survives esc_url_raw().
	 *
	 * @param string $url Candidate base URL.
	 */
	public static function is_valid_base_url( string $url ): bool {
		$url = trim( $url );
		if ( '' === $url || strlen( $url ) > 500 || ! preg_match( '#^https?://#i', $url ) ) {
			return false;
		}
		$parts = wp_parse_url( $url );
		if ( ! is_array( $parts ) || empty( $parts['host'] ) || isset( $parts['user'] ) || isset( $parts['pass'] ) ) {
			return false;
		}
		return esc_url_raw( $url, array( 'http', 'https' ) ) === $url;
	}

	/**
	 * Cleans a system prompt: no tags or control characters, line breaks kept.
	 *
	 * @param string $prompt Raw prompt.
	 */
	public static function sanitize_prompt( string $prompt ): string {
		$prompt = sanitize_textarea_field( $prompt );
		return mb_substr( $prompt, 0, self::SYSTEM_PROMPT_MAX_CHARS );
	}

	/**
	 * Turns any array into a complete, valid settings array.
	 *
	 * @param array<mixed>              $input    Candidate values.
	 * @param Settings_Array|array<int> $fallback Values kept where $input is invalid; defaults when empty.
	 * @return Settings_Array
	 */
	private function normalize( array $input, array $fallback = array() ): array {
		$defaults = self::defaults();
		/**
		 * Defaults fill whatever the fallback lacks.
		 *
		 * @var Settings_Array $fallback
		 */
		$fallback = array_merge( $defaults, $fallback );
		$out      = $fallback;

		foreach ( self::INT_RANGES as $key => $unused ) {
			if ( isset( $input[ $key ] ) && is_numeric( $input[ $key ] ) ) {
				$out[ $key ] = self::clamp( $key, (int) round( (float) $input[ $key ] ) );
			} else {
				$out[ $key ] = self::clamp( $key, (int) $fallback[ $key ] );
			}
		}

		if ( isset( $input['base_url'] ) && is_string( $input['base_url'] ) && self::is_valid_base_url( $input['base_url'] ) ) {
			$out['base_url'] = untrailingslashit( trim( $input['base_url'] ) );
		}
		foreach ( array( 'text_model', 'image_model', 'audio_model', 'transcribe_model', 'speech_model' ) as $key ) {
			if ( isset( $input[ $key ] ) && is_string( $input[ $key ] ) && preg_match( '#' . self::MODEL_PATTERN . '#', trim( $input[ $key ] ) ) ) {
				$out[ $key ] = trim( $input[ $key ] );
			}
		}
		foreach ( array( 'organization', 'project' ) as $key ) {
			if ( isset( $input[ $key ] ) && is_string( $input[ $key ] ) && preg_match( '#' . self::HEADER_ID_PATTERN . '#', trim( $input[ $key ] ) ) ) {
				$out[ $key ] = trim( $input[ $key ] );
			}
		}
		if ( isset( $input['system_prompt'] ) && is_string( $input['system_prompt'] ) ) {
			$prompt = self::sanitize_prompt( $input['system_prompt'] );
			// Clearing the prompt means "use the default", never "send no instructions".
			$out['system_prompt'] = '' === $prompt ? $defaults['system_prompt'] : $prompt;
		}
		if ( isset( $input['image_detail'] ) && in_array( $input['image_detail'], array( 'auto', 'low', 'high' ), true ) ) {
			$out['image_detail'] = $input['image_detail'];
		}
		if ( isset( $input['key_choice'] ) && in_array( $input['key_choice'], array( 'auto', 'plugin' ), true ) ) {
			$out['key_choice'] = $input['key_choice'];
		}
		if ( isset( $input['voice_pipeline'] ) && in_array( $input['voice_pipeline'], self::VOICE_PIPELINES, true ) ) {
			$out['voice_pipeline'] = $input['voice_pipeline'];
		}
		if ( isset( $input['voice'] ) && in_array( $input['voice'], self::VOICES, true ) ) {
			$out['voice'] = $input['voice'];
		}
		if ( isset( $input['speech_instructions'] ) && is_string( $input['speech_instructions'] ) ) {
			$out['speech_instructions'] = mb_substr( sanitize_textarea_field( $input['speech_instructions'] ), 0, self::SPEECH_INSTRUCTIONS_MAX_CHARS );
		}
		if ( isset( $input['speech_speed'] ) && is_numeric( $input['speech_speed'] ) ) {
			$out['speech_speed'] = (float) $input['speech_speed'];
		}
		// Clamped like the integer settings; two decimals are all a speed needs.
		$out['speech_speed'] = round( max( self::SPEECH_SPEED_RANGE[0], min( self::SPEECH_SPEED_RANGE[1], (float) $out['speech_speed'] ) ), 2 );
		if ( isset( $input['voice_consent_text'] ) && is_string( $input['voice_consent_text'] ) ) {
			$consent = mb_substr( sanitize_textarea_field( $input['voice_consent_text'] ), 0, self::CONSENT_TEXT_MAX_CHARS );
			// Clearing the notice brings the default back: visitors always see one.
			$out['voice_consent_text'] = '' === $consent ? $defaults['voice_consent_text'] : $consent;
		}
		if ( isset( $input['enabled'] ) ) {
			$out['enabled'] = (bool) rest_sanitize_boolean( is_scalar( $input['enabled'] ) ? (string) $input['enabled'] : '' );
		}
		$out['enabled'] = (bool) $out['enabled'];
		foreach ( array( 'faq_enabled', 'log_transcripts' ) as $key ) {
			if ( isset( $input[ $key ] ) ) {
				$out[ $key ] = (bool) rest_sanitize_boolean( is_scalar( $input[ $key ] ) ? (string) $input[ $key ] : '' );
			}
			$out[ $key ] = (bool) $out[ $key ];
		}
		if ( isset( $input['version'] ) && is_numeric( $input['version'] ) ) {
			$out['version'] = max( 1, (int) $input['version'] );
		}
		$out['version'] = max( 1, (int) $out['version'] );

		return $out;
	}
}
