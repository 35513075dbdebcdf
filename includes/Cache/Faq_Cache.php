<?php
/**
 * The FAQ cache: answers frequently asked questions without a model call.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Cache;

use VoiceVisionChat\Settings\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * Curated entries and cached model answers for repeated questions.
 *
 * How the chat controller calls it (one turn; `$question` is the trimmed message, or the
 * transcript of a spoken one):
 *
 *     $context = new Faq_Context( $model, $history, null !== $image );
 *     $answer  = $faq->lookup( $question, $context );      // Counts the ask.
 *     if ( $answer ) {
 *         // Serve $answer->text (as JSON, or as one `delta` + `done` event when streaming).
 *         // Log a usage row with zero cost marked as a cache hit ($answer->source), reserve
 *         // no budget, call no model; the visitor's rate limit still counts the request.
 *         // Do this before the budget and provider checks, so answers still work when the
 *         // budget is exhausted or the provider is down.
 *     } else {
 *         // Ask the model as usual, with Faq_Cache::system_instruction() appended to the
 *         // system prompt, and the reply passed through Personal_Marker (strip() or, when
 *         // streaming, push()/finish()) so the visitor never sees the marker. Then:
 *         $faq->remember( $question, $context, $reply, $finish_reason, $marker->marked(), $used_tools );
 *     }
 *
 * lookup() before remember() for the same turn: lookup() counts the ask, remember() stores
 * the answer only once the question has been asked faq_min_asks times within faq_ttl
 * seconds. With the default 2: the first ask is answered by the model and not stored, the
 * second is answered by the model and stored, the third and later are served from the cache
 * until the TTL runs out. A curated entry answers from the first ask.
 *
 * What is never cached (is_cacheable() false, refusal() says why):
 * - turns with an image (the answer is about the picture);
 * - turns in a conversation that already has a question from the visitor: the rule is "only
 *   the first question of a conversation" (assistant-only history such as a greeting does
 *   not count), because a later question may lean on earlier turns ("and for Canada?");
 * - questions that normalize to nothing (only greetings) or to more than MAX_QUESTION_CHARS;
 * - while the setting log_transcripts is off, questions with an e-mail address, a phone
 *   number or an order number (Personal_Data);
 * - and, checked by remember(): answers the model marked as personal (Personal_Marker), that
 *   used tools, that were cut short (finish_reason other than "stop"), or that repeat a
 *   personal value from the question.
 * A curated entry answers any turn without an image whose question matches one of its
 * variants exactly after normalization, also later in a conversation (the admin wrote it to
 * stand alone), and also questions with personal data (the question then is the admin's
 * wording plus nothing, so no such data can be in it).
 *
 * Keys: hash of the normalized question, the site locale, the answering model, a
 * fingerprint of the answer-shaping settings (system prompt, output cap), the normalizer's
 * rules and the cache version. Storage: transients, so a persistent object cache (Redis,
 * Memcached) holds them when the site has one, else the options table. Ask counters are
 * wp_cache_add() + wp_cache_incr() when an object cache is present (atomic there), else a
 * transient read-modify-write (two simultaneous asks may count once: the answer is then
 * cached one ask later, nothing worse).
 *
 * Invalidation: the cache version (Cache_Version) is bumped when the system prompt, a model
 * or the output cap changes (update_option_vvc_settings), when curated entries change and by
 * purge(); old entries become unreachable at once and expire by TTL. Expiry is also checked
 * against the stored expiry time, so a clock can be injected.
 *
 * @phpstan-type Stored_Answer array{answer: string, model: string, question: string, created: int, expires: int}
 */
final class Faq_Cache {

	/**
	 * Refusal reasons.
	 */
	public const REFUSED_DISABLED      = 'disabled';
	public const REFUSED_IMAGE         = 'image';
	public const REFUSED_CONTEXT       = 'context';
	public const REFUSED_EMPTY         = 'empty';
	public const REFUSED_TOO_LONG      = 'too_long';
	public const REFUSED_PERSONAL_DATA = 'personal_data';

	/**
	 * Longest normalized question cached or counted, in characters; FAQs are short.
	 */
	public const MAX_QUESTION_CHARS = 200;

	/**
	 * Longest answer cached, in characters.
	 */
	public const MAX_ANSWER_CHARS = 20000;

	/**
	 * Largest speech file cached, in bytes.
	 */
	public const MAX_SPEECH_BYTES = 4194304;

	/**
	 * Object cache group of the ask counters.
	 */
	public const GROUP = 'vvc_faq';

	/**
	 * Settings that change answers: a change bumps the cache version.
	 */
	private const ANSWER_SETTINGS = array( 'system_prompt', 'text_model', 'image_model', 'max_completion_tokens' );

	/**
	 * Transient name prefixes: answers, ask counters, speech.
	 */
	private const PREFIX_ANSWER  = 'vvc_faq_a_';
	private const PREFIX_COUNTER = 'vvc_faq_n_';
	private const PREFIX_SPEECH  = 'vvc_faq_s_';

	/**
	 * Settings.
	 *
	 * @var Settings
	 */
	private Settings $settings;

	/**
	 * Question normalizer.
	 *
	 * @var Question_Normalizer
	 */
	private Question_Normalizer $normalizer;

	/**
	 * Curated entries.
	 *
	 * @var Curated_Faq_Store
	 */
	private Curated_Faq_Store $curated;

	/**
	 * Ask statistics.
	 *
	 * @var Faq_Stats
	 */
	private Faq_Stats $stats;

	/**
	 * Cache generation.
	 *
	 * @var Cache_Version
	 */
	private Cache_Version $version;

	/**
	 * Personal data patterns.
	 *
	 * @var Personal_Data
	 */
	private Personal_Data $personal;

	/**
	 * Current time.
	 *
	 * @var \Closure(): int
	 */
	private \Closure $clock;

	/**
	 * Stores collaborators.
	 *
	 * @param Settings               $settings   Plugin settings.
	 * @param Question_Normalizer    $normalizer Question normalizer.
	 * @param Curated_Faq_Store      $curated    Curated entries.
	 * @param Faq_Stats              $stats      Ask statistics.
	 * @param Cache_Version          $version    Cache generation.
	 * @param Personal_Data          $personal   Personal data patterns.
	 * @param (\Closure(): int)|null $clock      Current Unix time; time() when null.
	 */
	public function __construct( Settings $settings, Question_Normalizer $normalizer, Curated_Faq_Store $curated, Faq_Stats $stats, Cache_Version $version, Personal_Data $personal, ?\Closure $clock = null ) {
		$this->settings   = $settings;
		$this->normalizer = $normalizer;
		$this->curated    = $curated;
		$this->stats      = $stats;
		$this->version    = $version;
		$this->personal   = $personal;
		$this->clock      = $clock ?? static fn (): int => time();
	}

	/**
	 * Why a question may not be cached in this context, or null when it may.
	 *
	 * @param string      $question The visitor's question.
	 * @param Faq_Context $context  The turn.
	 * @return string|null One of the REFUSED_* constants, or null.
	 */
	public function refusal( string $question, Faq_Context $context ): ?string {
		if ( ! $this->enabled() ) {
			return self::REFUSED_DISABLED;
		}
		if ( $context->has_image ) {
			return self::REFUSED_IMAGE;
		}
		if ( $context->earlier_questions > 0 ) {
			return self::REFUSED_CONTEXT;
		}
		$normalized = $this->normalizer->normalize( $question );
		if ( '' === $normalized ) {
			return self::REFUSED_EMPTY;
		}
		if ( mb_strlen( $normalized ) > self::MAX_QUESTION_CHARS ) {
			return self::REFUSED_TOO_LONG;
		}
		if ( ! $this->settings->get( 'log_transcripts' ) && $this->personal->found_in( $question ) ) {
			return self::REFUSED_PERSONAL_DATA;
		}
		return null;
	}

	/**
	 * Whether a question may be cached (and counted) in this context.
	 *
	 * @param string      $question The visitor's question.
	 * @param Faq_Context $context  The turn.
	 */
	public function is_cacheable( string $question, Faq_Context $context ): bool {
		return null === $this->refusal( $question, $context );
	}

	/**
	 * Whether lookup() could answer anything in this context, before the question is known:
	 * not when the cache is off or an image comes with the turn; after earlier questions only
	 * curated entries answer, so only when there are some. Lets a caller skip work it would do
	 * only for a lookup (the native voice pipeline's transcription before the model).
	 *
	 * @param Faq_Context $context The turn.
	 */
	public function may_answer( Faq_Context $context ): bool {
		if ( ! $this->enabled() || $context->has_image ) {
			return false;
		}
		return 0 === $context->earlier_questions || array() !== $this->curated->all();
	}

	/**
	 * Characters of the longest curated answer (0 without entries): the most a hit on one
	 * can have read aloud. Cached answers are model answers, bounded by the output cap.
	 */
	public function longest_curated_answer(): int {
		$longest = 0;
		foreach ( $this->curated->all() as $entry ) {
			$longest = max( $longest, mb_strlen( $entry['answer'] ) );
		}
		return $longest;
	}

	/**
	 * The curated or cached answer to a question, or null; counts the ask.
	 *
	 * @param string      $question The visitor's question.
	 * @param Faq_Context $context  The turn.
	 */
	public function lookup( string $question, Faq_Context $context ): ?Faq_Answer {
		if ( ! $this->enabled() || $context->has_image ) {
			return null;
		}
		$normalized = $this->normalizer->normalize( $question );
		if ( '' === $normalized ) {
			return null;
		}
		$hash = Curated_Faq_Store::hash( $normalized );

		$entry = $this->curated->match( $normalized );
		if ( null !== $entry ) {
			$this->stats->record( $hash, $normalized, $this->sample( $question ), true );
			return new Faq_Answer( $entry['answer'], Faq_Answer::CURATED, $hash, $entry['id'] );
		}

		if ( ! $this->is_cacheable( $question, $context ) ) {
			return null;
		}
		$this->count_ask( $normalized, $context );
		$stored = $this->stored_answer( $normalized, $context );
		$this->stats->record( $hash, $normalized, $this->sample( $question ), null !== $stored );
		return null === $stored ? null : new Faq_Answer( $stored['answer'], Faq_Answer::CACHED, $hash, '', $stored['model'] );
	}

	/**
	 * Stores the model's answer when the question is frequent and the answer may be shared.
	 *
	 * @param string      $question      The visitor's question (as given to lookup()).
	 * @param Faq_Context $context       The turn (as given to lookup()).
	 * @param string      $answer        The answer the visitor saw (marker removed).
	 * @param string      $finish_reason The model's finish reason; only "stop" is cached.
	 * @param bool        $personal      Whether the model marked the answer as personal.
	 * @param bool        $used_tools    Whether the answer used tool or function results.
	 * @return bool Whether it was stored.
	 */
	public function remember( string $question, Faq_Context $context, string $answer, string $finish_reason = 'stop', bool $personal = false, bool $used_tools = false ): bool {
		if ( $personal || $used_tools || 'stop' !== $finish_reason || ! $this->is_cacheable( $question, $context ) ) {
			return false;
		}
		if ( Personal_Marker::is_marked( $answer ) || $this->personal->echoed( $question, $answer ) ) {
			return false;
		}
		$answer = trim( $answer );
		if ( '' === $answer || mb_strlen( $answer ) > self::MAX_ANSWER_CHARS ) {
			return false;
		}
		$normalized = $this->normalizer->normalize( $question );
		if ( null !== $this->curated->match( $normalized ) || $this->asks( $normalized, $context ) < $this->min_asks() ) {
			return false;
		}
		$now = ( $this->clock )();
		$ttl = $this->ttl();
		return set_transient(
			$this->answer_key( $normalized, $context ),
			array(
				'answer'   => $answer,
				'model'    => $context->model,
				'question' => $normalized,
				'created'  => $now,
				'expires'  => $now + $ttl,
			),
			$ttl
		);
	}

	/**
	 * The sentence to append to the system prompt so the model marks personal answers; '' when
	 * the FAQ cache is off (nothing is cached, so nothing needs marking).
	 */
	public function system_instruction(): string {
		return $this->enabled() ? Personal_Marker::instruction() : '';
	}

	/**
	 * Cached speech of an answer, or null.
	 *
	 * @param Faq_Answer $answer A served answer.
	 * @param string     $voice  Voice (and format), e.g. "alloy:mp3".
	 * @return array{audio: string, mime: string}|null
	 */
	public function speech( Faq_Answer $answer, string $voice ): ?array {
		$stored = get_transient( $this->speech_key( $answer, $voice ) );
		if ( ! is_array( $stored ) || ! is_string( $stored['audio'] ?? null ) || ! is_string( $stored['mime'] ?? null ) || (int) ( $stored['expires'] ?? 0 ) <= ( $this->clock )() ) {
			return null;
		}
		$audio = base64_decode( $stored['audio'], true ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode -- audio stored by remember_speech().
		return false === $audio ? null : array(
			'audio' => $audio,
			'mime'  => $stored['mime'],
		);
	}

	/**
	 * Keeps generated speech of a served answer for the cache's TTL, so a repeated spoken
	 * question costs one transcription at most. Base64 in a transient: never a public file.
	 *
	 * @param Faq_Answer $answer A served answer.
	 * @param string     $voice  Voice (and format), e.g. "alloy:mp3".
	 * @param string     $audio  Audio bytes.
	 * @param string     $mime   Their media type.
	 * @return bool Whether it was stored.
	 */
	public function remember_speech( Faq_Answer $answer, string $voice, string $audio, string $mime ): bool {
		if ( ! $this->enabled() || '' === $audio || strlen( $audio ) > self::MAX_SPEECH_BYTES ) {
			return false;
		}
		$now = ( $this->clock )();
		return set_transient(
			$this->speech_key( $answer, $voice ),
			array(
				'audio'   => base64_encode( $audio ), // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- binary audio in a text option.
				'mime'    => $mime,
				'expires' => $now + $this->ttl(),
			),
			$this->ttl()
		);
	}

	/**
	 * Forgets every cached answer, counter and speech at once.
	 *
	 * Bumping the version is what makes them unreachable. Without a persistent object cache
	 * the old rows are also deleted from the options table right away (with one, they cannot be
	 * listed and expire by their TTL).
	 *
	 * @return int Rows deleted from the options table.
	 */
	public function purge(): int {
		global $wpdb;
		$this->version->bump();
		if ( wp_using_ext_object_cache() ) {
			if ( function_exists( 'wp_cache_supports' ) && wp_cache_supports( 'flush_group' ) ) {
				wp_cache_flush_group( self::GROUP );
			}
			return 0;
		}
		$deleted = 0;
		foreach ( array( self::PREFIX_ANSWER, self::PREFIX_COUNTER, self::PREFIX_SPEECH ) as $prefix ) {
			foreach ( array( '_transient_', '_transient_timeout_' ) as $kind ) {
				$deleted += (int) $wpdb->query( // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- bulk delete by prefix; no API lists transients.
					$wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s", $wpdb->esc_like( $kind . $prefix ) . '%' )
				);
			}
		}
		// Deleted rows may still sit in the options cache of this request.
		wp_cache_delete( 'alloptions', 'options' );
		wp_cache_delete( 'notoptions', 'options' );
		return $deleted;
	}

	/**
	 * The cache generation.
	 */
	public function version(): int {
		return $this->version->get();
	}

	/**
	 * Bumps the version when settings that shape answers change; drops question samples when
	 * transcript logging is turned off. Hooked to update_option_vvc_settings.
	 *
	 * @param mixed $old_value Previous option value.
	 * @param mixed $new_value New option value.
	 */
	public function on_settings_updated( $old_value, $new_value ): void {
		$old = is_array( $old_value ) ? $old_value : array();
		$new = is_array( $new_value ) ? $new_value : array();
		foreach ( self::ANSWER_SETTINGS as $key ) {
			if ( ( $old[ $key ] ?? null ) !== ( $new[ $key ] ?? null ) ) {
				$this->version->bump();
				break;
			}
		}
		if ( ! empty( $old['log_transcripts'] ) && empty( $new['log_transcripts'] ) ) {
			$this->stats->forget_samples();
		}
	}

	/**
	 * The first save of the settings: treated as a change from the defaults. Hooked to
	 * add_option_vvc_settings.
	 *
	 * @param string $option Option name.
	 * @param mixed  $value  Saved value.
	 */
	public function on_settings_added( string $option, $value ): void {
		unset( $option );
		$this->on_settings_updated( Settings::defaults(), $value );
	}

	/**
	 * Whether the FAQ cache is on.
	 */
	public function enabled(): bool {
		return (bool) $this->settings->get( 'faq_enabled' );
	}

	/**
	 * Seconds an answer is kept and asks are counted.
	 */
	public function ttl(): int {
		return max( 60, (int) $this->settings->get( 'faq_ttl' ) );
	}

	/**
	 * Asks needed before an answer is stored.
	 */
	public function min_asks(): int {
		return max( 1, (int) $this->settings->get( 'faq_min_asks' ) );
	}

	/**
	 * Counts one ask of a question in this generation.
	 *
	 * @param string      $normalized Normalized question.
	 * @param Faq_Context $context    The turn.
	 */
	private function count_ask( string $normalized, Faq_Context $context ): void {
		$key = $this->counter_key( $normalized, $context );
		$ttl = $this->ttl();
		if ( wp_using_ext_object_cache() ) {
			// add() only creates; incr() is atomic in Redis and Memcached back ends.
			wp_cache_add( $key, 0, self::GROUP, $ttl );
			wp_cache_incr( $key, 1, self::GROUP );
			return;
		}
		$now     = ( $this->clock )();
		$counter = $this->transient_counter( $key );
		if ( null === $counter ) {
			$counter = array(
				'n'     => 0,
				'until' => $now + $ttl,
			);
		}
		++$counter['n'];
		// The window runs from the first ask; later asks do not extend it.
		set_transient( $key, $counter, max( 1, $counter['until'] - $now ) );
	}

	/**
	 * Asks of a question counted in this generation and window.
	 *
	 * @param string      $normalized Normalized question.
	 * @param Faq_Context $context    The turn.
	 */
	private function asks( string $normalized, Faq_Context $context ): int {
		$key = $this->counter_key( $normalized, $context );
		if ( wp_using_ext_object_cache() ) {
			return (int) wp_cache_get( $key, self::GROUP );
		}
		$counter = $this->transient_counter( $key );
		return null === $counter ? 0 : $counter['n'];
	}

	/**
	 * A counter transient, null when absent or past its window.
	 *
	 * @param string $key Transient name.
	 * @return array{n: int, until: int}|null
	 */
	private function transient_counter( string $key ): ?array {
		$stored = get_transient( $key );
		if ( ! is_array( $stored ) || (int) ( $stored['until'] ?? 0 ) <= ( $this->clock )() ) {
			return null;
		}
		return array(
			'n'     => (int) ( $stored['n'] ?? 0 ),
			'until' => (int) $stored['until'],
		);
	}

	/**
	 * The stored answer, null when absent, malformed or expired.
	 *
	 * @param string      $normalized Normalized question.
	 * @param Faq_Context $context    The turn.
	 * @return Stored_Answer|null
	 */
	private function stored_answer( string $normalized, Faq_Context $context ): ?array {
		$stored = get_transient( $this->answer_key( $normalized, $context ) );
		if ( ! is_array( $stored ) || ! is_string( $stored['answer'] ?? null ) || (int) ( $stored['expires'] ?? 0 ) <= ( $this->clock )() ) {
			return null;
		}
		return array(
			'answer'   => $stored['answer'],
			'model'    => (string) ( $stored['model'] ?? '' ),
			'question' => (string) ( $stored['question'] ?? '' ),
			'created'  => (int) ( $stored['created'] ?? 0 ),
			'expires'  => (int) $stored['expires'],
		);
	}

	/**
	 * Transient name of a cached answer.
	 *
	 * Everything that changes an answer is in the hash: question, locale, model, the
	 * answer-shaping settings, normalizer rules and the cache version.
	 *
	 * @param string      $normalized Normalized question.
	 * @param Faq_Context $context    The turn.
	 */
	private function answer_key( string $normalized, Faq_Context $context ): string {
		$settings = $this->settings->all();
		$shape    = hash( 'sha256', $settings['system_prompt'] . "\0" . $settings['max_completion_tokens'] );
		return self::PREFIX_ANSWER . hash(
			'sha256',
			implode( "\0", array( $this->version->get(), $this->normalizer->version(), $context->locale, $context->model, $shape, $normalized ) )
		);
	}

	/**
	 * Name of a question's ask counter: per question and locale, whatever model answers.
	 *
	 * @param string      $normalized Normalized question.
	 * @param Faq_Context $context    The turn.
	 */
	private function counter_key( string $normalized, Faq_Context $context ): string {
		return self::PREFIX_COUNTER . hash( 'sha256', implode( "\0", array( $this->version->get(), $this->normalizer->version(), $context->locale, $normalized ) ) );
	}

	/**
	 * Transient name of an answer's speech in one voice.
	 *
	 * @param Faq_Answer $answer A served answer.
	 * @param string     $voice  Voice (and format).
	 */
	private function speech_key( Faq_Answer $answer, string $voice ): string {
		return self::PREFIX_SPEECH . hash( 'sha256', implode( "\0", array( $this->version->get(), $voice, $answer->text_hash() ) ) );
	}

	/**
	 * The original wording for the statistics, only while transcript logging is on.
	 *
	 * @param string $question The visitor's question.
	 */
	private function sample( string $question ): ?string {
		return $this->settings->get( 'log_transcripts' ) ? $question : null;
	}
}
