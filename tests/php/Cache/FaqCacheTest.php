<?php
/**
 * The FAQ cache: when answers are stored and served, what is never cached, invalidation.
 *
 * Runs with WordPress's database transients, and, with tests/php/bootstrap-redis.php, with a
 * persistent object cache on Redis; every test passes in both.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Cache;

use VoiceVisionChat\Cache\Cache_Version;
use VoiceVisionChat\Cache\Curated_Faq_Store;
use VoiceVisionChat\Cache\Faq_Answer;
use VoiceVisionChat\Cache\Faq_Cache;
use VoiceVisionChat\Cache\Faq_Context;
use VoiceVisionChat\Cache\Faq_Stats;
use VoiceVisionChat\Cache\Personal_Data;
use VoiceVisionChat\Cache\Question_Normalizer;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Tests\Support\TestCase;

/**
 * Faq_Cache.
 */
final class FaqCacheTest extends TestCase {

	private const MODEL = 'gpt-5.4-mini';

	/**
	 * Fake time, also what the cache sees.
	 *
	 * @var int
	 */
	private int $now;

	/**
	 * Settings.
	 *
	 * @var Settings
	 */
	private Settings $settings;

	protected function setUp(): void {
		parent::setUp();
		$this->now      = time();
		$this->settings = new Settings();
	}

	private function cache(): Faq_Cache {
		$normalizer = new Question_Normalizer();
		$version    = new Cache_Version();
		$clock      = fn (): int => $this->now;
		return new Faq_Cache( $this->settings, $normalizer, new Curated_Faq_Store( $normalizer, $version ), new Faq_Stats( $clock ), $version, new Personal_Data(), $clock );
	}

	private function first_turn( string $model = self::MODEL ): Faq_Context {
		return new Faq_Context( $model, array(), false, 'en_US' );
	}

	/**
	 * One chat turn as the controller runs it: lookup, else "ask the model" and remember.
	 *
	 * @return array{answer: string, from: string, stored: bool}
	 */
	private function ask( Faq_Cache $cache, string $question, ?Faq_Context $context = null, string $model_answer = 'Returns are free within 30 days.' ): array {
		$context = $context ?? $this->first_turn();
		$hit     = $cache->lookup( $question, $context );
		if ( $hit ) {
			return array(
				'answer' => $hit->text,
				'from'   => $hit->source,
				'stored' => false,
			);
		}
		return array(
			'answer' => $model_answer,
			'from'   => 'model',
			'stored' => $cache->remember( $question, $context, $model_answer ),
		);
	}

	public function test_first_ask_is_not_cached_second_is_stored_third_is_served(): void {
		$cache = $this->cache();
		$this->assertSame( 2, $cache->min_asks(), 'default' );
		$this->assertSame( DAY_IN_SECONDS, $cache->ttl(), 'default' );

		$first = $this->ask( $cache, 'What is your return policy?' );
		$this->assertSame( 'model', $first['from'] );
		$this->assertFalse( $first['stored'], 'asked once: not frequent yet' );

		$second = $this->ask( $cache, "what's your return policy" );
		$this->assertSame( 'model', $second['from'] );
		$this->assertTrue( $second['stored'], 'asked twice within the TTL: stored' );

		$third = $this->ask( $cache, 'Hi! what is your return policy please', null, 'A DIFFERENT MODEL ANSWER' );
		$this->assertSame( Faq_Answer::CACHED, $third['from'] );
		$this->assertSame( 'Returns are free within 30 days.', $third['answer'] );

		$fourth = $cache->lookup( 'ＷＨＡＴ ＩＳ ＹＯＵＲ ＲＥＴＵＲＮ ＰＯＬＩＣＹ？', $this->first_turn() );
		$this->assertInstanceOf( Faq_Answer::class, $fourth );
		$this->assertSame( self::MODEL, $fourth->model );
		$this->assertSame( Curated_Faq_Store::hash( 'what return policy' ), $fourth->question_hash );
	}

	public function test_min_asks_setting_is_honoured(): void {
		$this->settings->update( array( 'faq_min_asks' => 1 ) );
		$cache = $this->cache();
		$this->assertTrue( $this->ask( $cache, 'Opening hours?' )['stored'] );
		$this->assertSame( Faq_Answer::CACHED, $this->ask( $cache, 'opening hours' )['from'] );

		$this->settings->update( array( 'faq_min_asks' => 3 ) );
		$cache = $this->cache();
		$this->assertFalse( $this->ask( $cache, 'Parking?' )['stored'] );
		$this->assertFalse( $this->ask( $cache, 'Parking?' )['stored'] );
		$this->assertTrue( $this->ask( $cache, 'Parking?' )['stored'] );
	}

	public function test_chinese_paraphrases_share_one_entry_and_near_misses_do_not(): void {
		$cache = $this->cache();
		$this->ask( $cache, '退货政策是什么？', null, '30天内免费退货。' );
		$this->ask( $cache, '请问退货政策是什么', null, '30天内免费退货。' );
		$this->assertSame( '30天内免费退货。', $this->ask( $cache, '你好，退货政策是什么？' )['answer'] );

		$this->ask( $cache, 'return policy' );
		$this->ask( $cache, 'return policy' );
		$this->assertSame( Faq_Answer::CACHED, $this->ask( $cache, 'Return policy?' )['from'] );
		$this->assertSame( 'model', $this->ask( $cache, 'return policy for opened items' )['from'] );
	}

	public function test_curated_entry_answers_on_first_ask_without_counting_toward_the_cache(): void {
		$cache   = $this->cache();
		$entries = new Curated_Faq_Store( new Question_Normalizer(), new Cache_Version() );
		$entry   = $entries->create( array( 'Do you ship to Canada?', '你们发货到加拿大吗' ), 'Yes, in 5-7 days.' );
		$this->assertIsArray( $entry );

		$answer = $cache->lookup( 'Hello, do you ship to canada please?', $this->first_turn() );
		$this->assertInstanceOf( Faq_Answer::class, $answer );
		$this->assertSame( Faq_Answer::CURATED, $answer->source );
		$this->assertSame( 'Yes, in 5-7 days.', $answer->text );
		$this->assertSame( $entry['id'], $answer->entry_id );

		// Also later in a conversation (the admin wrote it to stand alone), never with an image.
		$history = array(
			array(
				'role'    => 'user',
				'content' => 'Hi',
			),
			array(
				'role'    => 'assistant',
				'content' => 'Hello!',
			),
		);
		$this->assertSame( 'Yes, in 5-7 days.', $cache->lookup( '你们发货到加拿大吗？', new Faq_Context( self::MODEL, $history ) )?->text );
		$this->assertNull( $cache->lookup( 'Do you ship to Canada?', new Faq_Context( self::MODEL, array(), true ) ) );

		// A model answer is never stored over a curated one.
		$this->assertFalse( $cache->remember( 'Do you ship to Canada?', $this->first_turn(), 'No.' ) );
		$this->assertSame( 2, ( new Faq_Stats() )->totals()['hits'] );
	}

	public function test_system_prompt_change_invalidates_at_once(): void {
		$cache = $this->cache();
		$this->ask( $cache, 'Opening hours?' );
		$this->ask( $cache, 'Opening hours?' );
		$this->assertSame( Faq_Answer::CACHED, $this->ask( $cache, 'Opening hours?' )['from'] );
		$version = $cache->version();

		// Through the real hook the plugin attaches to update_option_vvc_settings.
		$this->settings->update( array( 'system_prompt' => 'You are the shop assistant. Opening hours are 8 to 8.' ) );
		$this->assertGreaterThan( $version, $cache->version() );
		$this->assertSame( 'model', $this->ask( $cache, 'Opening hours?' )['from'] );
	}

	public function test_model_change_and_unrelated_settings(): void {
		$cache = $this->cache();
		$this->ask( $cache, 'Opening hours?' );
		$this->ask( $cache, 'Opening hours?' );
		$version = $cache->version();

		// An unrelated setting keeps the cache.
		$this->settings->update( array( 'image_max_side' => 512 ) );
		$this->assertSame( $version, $cache->version() );
		$this->assertSame( Faq_Answer::CACHED, $this->ask( $cache, 'Opening hours?' )['from'] );

		// Another model (e.g. another tier) has its own answers; a changed model setting bumps.
		$this->assertNull( $cache->lookup( 'Opening hours?', $this->first_turn( 'economy:gpt-5.4-nano' ) ) );
		$this->settings->update( array( 'text_model' => 'gpt-5.4-nano' ) );
		$this->assertGreaterThan( $version, $cache->version() );
		$this->assertNull( $cache->lookup( 'Opening hours?', $this->first_turn() ) );
	}

	public function test_answers_expire_after_the_ttl(): void {
		$this->settings->update( array( 'faq_ttl' => 120 ) );
		$cache = $this->cache();
		$this->ask( $cache, 'Opening hours?' );
		$this->ask( $cache, 'Opening hours?' );
		$this->assertSame( Faq_Answer::CACHED, $this->ask( $cache, 'Opening hours?' )['from'] );

		$this->now += 119;
		$this->assertSame( Faq_Answer::CACHED, $this->ask( $cache, 'Opening hours?' )['from'] );
		$this->now += 2;
		$this->assertSame( 'model', $this->ask( $cache, 'Opening hours?' )['from'], 'expired' );
	}

	public function test_asks_count_within_one_ttl_window_only(): void {
		$this->settings->update( array( 'faq_ttl' => 120 ) );
		$cache = $this->cache();
		$this->assertFalse( $this->ask( $cache, 'Parking?' )['stored'] );
		$this->now += 121;
		if ( wp_using_ext_object_cache() ) {
			// The object cache expires the counter by its own clock: end the window there.
			wp_cache_flush_group( Faq_Cache::GROUP );
		}
		$this->assertFalse( $this->ask( $cache, 'Parking?' )['stored'], 'the first ask is outside the window' );
		$this->assertTrue( $this->ask( $cache, 'Parking?' )['stored'] );
	}

	public function test_answers_live_in_transients_with_the_ttl(): void {
		global $wpdb;
		$this->settings->update( array( 'faq_ttl' => 300 ) );
		$cache = $this->cache();
		$this->ask( $cache, 'Opening hours?' );
		$this->ask( $cache, 'Opening hours?' );
		$timeouts = $wpdb->get_col( $wpdb->prepare( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE %s", $wpdb->esc_like( '_transient_timeout_vvc_faq_a_' ) . '%' ) );

		if ( wp_using_ext_object_cache() ) {
			$this->assertSame( array(), $timeouts, 'with a persistent object cache, nothing goes to wp_options' );
			wp_cache_flush_runtime();
			$this->assertSame( Faq_Answer::CACHED, $this->ask( $cache, 'Opening hours?' )['from'], 'served from the object cache after this request\'s memory is gone' );
			return;
		}
		$this->assertCount( 1, $timeouts );
		$timeout = (int) get_option( $timeouts[0] );
		$this->assertEqualsWithDelta( time() + 300, $timeout, 5 );
		$this->assertSame( Faq_Answer::CACHED, $this->ask( $cache, 'Opening hours?' )['from'] );

		// WordPress's own expiry: a passed timeout deletes the transient on read.
		update_option( $timeouts[0], time() - 1 );
		$this->assertNull( $cache->lookup( 'Opening hours?', $this->first_turn() ) );
		$this->assertFalse( get_option( '_transient_' . substr( $timeouts[0], strlen( '_transient_timeout_' ) ) ), 'WordPress deleted it' );
	}

	public function test_image_and_contextual_turns_are_never_cached(): void {
		$this->settings->update( array( 'faq_min_asks' => 1 ) );
		$cache = $this->cache();

		$image = new Faq_Context( self::MODEL, array(), true );
		$this->assertSame( Faq_Cache::REFUSED_IMAGE, $cache->refusal( 'What is this?', $image ) );
		$this->assertFalse( $this->ask( $cache, 'What is this?', $image )['stored'] );
		$this->assertFalse( $this->ask( $cache, 'What is this?', $image )['stored'] );
		$this->assertNull( $cache->lookup( 'What is this?', $this->first_turn() ), 'nothing was stored for the image turn' );

		$history = array(
			array(
				'role'    => 'user',
				'content' => 'Do you sell shoes?',
			),
			array(
				'role'    => 'assistant',
				'content' => 'Yes.',
			),
		);
		$later = new Faq_Context( self::MODEL, $history );
		$this->assertSame( Faq_Cache::REFUSED_CONTEXT, $cache->refusal( 'How much are they?', $later ) );
		$this->assertFalse( $this->ask( $cache, 'How much are they?', $later )['stored'] );
		$this->assertNull( $cache->lookup( 'How much are they?', $this->first_turn() ) );

		// An assistant greeting alone is not an earlier question.
		$greeted = new Faq_Context( self::MODEL, array( array( 'role' => 'assistant', 'content' => 'Hi! How can I help?' ) ) );
		$this->assertNull( $cache->refusal( 'Opening hours?', $greeted ) );
		$this->assertTrue( $this->ask( $cache, 'Opening hours?', $greeted )['stored'] );
	}

	public function test_may_answer_says_whether_a_lookup_could_hit_before_the_question_is_known(): void {
		$cache   = $this->cache();
		$history = array(
			array(
				'role'    => 'user',
				'content' => 'Do you sell shoes?',
			),
		);
		$later   = new Faq_Context( self::MODEL, $history );
		$this->assertTrue( $cache->may_answer( $this->first_turn() ) );
		$this->assertFalse( $cache->may_answer( new Faq_Context( self::MODEL, array(), true ) ), 'never with an image' );
		$this->assertFalse( $cache->may_answer( $later ), 'a later question, and no curated entry to match it' );

		$normalizer = new Question_Normalizer();
		$this->assertIsArray( ( new Curated_Faq_Store( $normalizer, new Cache_Version() ) )->create( array( 'Opening hours?' ), 'From nine.' ) );
		$this->assertTrue( $cache->may_answer( $later ), 'curated entries answer later questions too' );
		$this->assertSame( 'From nine.', $cache->lookup( 'Opening hours?', $later )?->text );

		$this->settings->update( array( 'faq_enabled' => false ) );
		$this->assertFalse( $cache->may_answer( $this->first_turn() ), 'not while the cache is off' );
	}

	public function test_personal_tool_and_cut_short_answers_are_never_cached(): void {
		$this->settings->update( array( 'faq_min_asks' => 1 ) );
		$cache   = $this->cache();
		$context = $this->first_turn();
		$cache->lookup( 'Where is my parcel?', $context );

		$this->assertFalse( $cache->remember( 'Where is my parcel?', $context, 'It is on its way.', 'stop', true ), 'marked personal' );
		$this->assertFalse( $cache->remember( 'Where is my parcel?', $context, '[[personal]] It is on its way.' ), 'marker left in the text' );
		$this->assertFalse( $cache->remember( 'Where is my parcel?', $context, 'It is on its way.', 'stop', false, true ), 'tool results' );
		$this->assertFalse( $cache->remember( 'Where is my parcel?', $context, 'It is on its', 'length' ), 'cut short' );
		$this->assertFalse( $cache->remember( 'Where is my parcel?', $context, '   ' ), 'empty' );
		$this->assertNull( $cache->lookup( 'Where is my parcel?', $context ) );

		$this->assertTrue( $cache->remember( 'Where is my parcel?', $context, 'Track it from the link in your e-mail.' ) );
		$this->assertSame( 'Track it from the link in your e-mail.', $cache->lookup( 'Where is my parcel?', $context )?->text );
	}

	public function test_questions_with_personal_data_are_not_cached_while_logging_is_off(): void {
		$this->settings->update( array( 'faq_min_asks' => 1 ) );
		$cache = $this->cache();
		$this->assertFalse( (bool) $this->settings->get( 'log_transcripts' ), 'default off' );

		foreach ( array( 'Is jo@example.com subscribed?', 'Call me at +1 555 123 4567', 'Where is order 55321?', 'Status of #4471?' ) as $question ) {
			$this->assertSame( Faq_Cache::REFUSED_PERSONAL_DATA, $cache->refusal( $question, $this->first_turn() ), $question );
			$this->assertFalse( $this->ask( $cache, $question )['stored'], $question );
			$this->assertNull( $cache->lookup( $question, $this->first_turn() ), $question );
		}
		$this->assertSame( 0, ( new Faq_Stats() )->totals()['asks'], 'not even counted' );

		// With transcript logging on, the question side may be cached, but never an answer
		// that repeats the visitor's data.
		$this->settings->update( array( 'log_transcripts' => true ) );
		$cache = $this->cache();
		$this->assertNull( $cache->refusal( 'Is jo@example.com subscribed?', $this->first_turn() ) );
		$this->assertFalse( $this->ask( $cache, 'Where is order 55321?', null, 'Order 55321 shipped.' )['stored'] );
		$this->assertTrue( $this->ask( $cache, 'Is jo@example.com subscribed?', null, 'Manage subscriptions in your account.' )['stored'] );
	}

	public function test_stats_keep_normalized_text_and_samples_only_with_logging(): void {
		$cache = $this->cache();
		$this->ask( $cache, 'Hi! What is your RETURN policy?' );
		$hash  = Curated_Faq_Store::hash( 'what return policy' );
		$found = ( new Faq_Stats() )->find( $hash );
		$this->assertSame( 'what return policy', $found['text'] ?? null );
		$this->assertArrayNotHasKey( 'sample', (array) $found );
		$this->assertStringNotContainsString( 'RETURN', (string) wp_json_encode( get_option( Faq_Stats::OPTION ) ) );

		$this->settings->update( array( 'log_transcripts' => true ) );
		$cache = $this->cache();
		$this->ask( $cache, 'Hi! What is your RETURN policy?' );
		$this->assertSame( 'Hi! What is your RETURN policy?', ( new Faq_Stats() )->find( $hash )['sample'] ?? null );

		// Turning logging off drops what was kept (the plugin's settings hook).
		$this->settings->update( array( 'log_transcripts' => false ) );
		$this->assertArrayNotHasKey( 'sample', (array) ( new Faq_Stats() )->find( $hash ) );
	}

	public function test_disabled_cache_does_nothing(): void {
		$entries = new Curated_Faq_Store( new Question_Normalizer(), new Cache_Version() );
		$entries->create( array( 'Opening hours?' ), 'Nine to five.' );
		$this->settings->update(
			array(
				'faq_enabled'  => false,
				'faq_min_asks' => 1,
			)
		);
		$cache = $this->cache();
		$this->assertSame( Faq_Cache::REFUSED_DISABLED, $cache->refusal( 'Parking?', $this->first_turn() ) );
		$this->assertNull( $cache->lookup( 'Opening hours?', $this->first_turn() ), 'curated entries too' );
		$this->assertFalse( $this->ask( $cache, 'Parking?' )['stored'] );
		$this->assertSame( '', $cache->system_instruction() );
		$this->assertSame( 0, ( new Faq_Stats() )->totals()['asks'] );
	}

	public function test_purge_forgets_every_answer(): void {
		global $wpdb;
		$cache = $this->cache();
		foreach ( array( 'Opening hours?', 'Parking?' ) as $question ) {
			$this->ask( $cache, $question );
			$this->ask( $cache, $question );
		}
		$this->assertSame( Faq_Answer::CACHED, $this->ask( $cache, 'Parking?' )['from'] );
		$version = $cache->version();

		$deleted = $cache->purge();
		$this->assertSame( $version + 1, $cache->version() );
		$this->assertSame( 'model', $this->ask( $cache, 'Parking?' )['from'] );
		$this->assertSame( 'model', $this->ask( $cache, 'Opening hours?' )['from'] );
		if ( ! wp_using_ext_object_cache() ) {
			// Two answers and two counters, each a value row and a timeout row.
			$this->assertSame( 8, $deleted );
			$left = (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->options} WHERE option_name LIKE %s", $wpdb->esc_like( '_transient_vvc_faq_a_' ) . '%' ) );
			$this->assertSame( 0, $left );
		} else {
			$this->assertSame( 0, $deleted, 'nothing in wp_options to delete' );
		}
		// Counting starts again from zero in the new generation.
		$this->assertTrue( $this->ask( $cache, 'Parking?' )['stored'], 'second ask since the purge' );
	}

	public function test_speech_is_cached_per_answer_and_voice(): void {
		$cache  = $this->cache();
		$answer = new Faq_Answer( 'Nine to five.', Faq_Answer::CACHED, 'abc' );
		$this->assertNull( $cache->speech( $answer, 'alloy:mp3' ) );
		$audio = random_bytes( 2048 );
		$this->assertTrue( $cache->remember_speech( $answer, 'alloy:mp3', $audio, 'audio/mpeg' ) );
		$this->assertSame(
			array(
				'audio' => $audio,
				'mime'  => 'audio/mpeg',
			),
			$cache->speech( new Faq_Answer( 'Nine to five.', Faq_Answer::CURATED, 'other' ), 'alloy:mp3' ),
			'keyed by the text, whatever served it'
		);
		$this->assertNull( $cache->speech( $answer, 'verse:mp3' ) );
		$this->assertNull( $cache->speech( new Faq_Answer( 'Ten to six.', Faq_Answer::CACHED, 'abc' ), 'alloy:mp3' ) );
		$this->assertFalse( $cache->remember_speech( $answer, 'alloy:mp3', str_repeat( 'x', Faq_Cache::MAX_SPEECH_BYTES + 1 ), 'audio/mpeg' ) );

		$this->now += DAY_IN_SECONDS + 1;
		$this->assertNull( $cache->speech( $answer, 'alloy:mp3' ), 'same TTL as answers' );
		$this->now -= DAY_IN_SECONDS + 1;
		$cache->purge();
		$this->assertNull( $cache->speech( $answer, 'alloy:mp3' ), 'purged with the answers' );
	}

	public function test_system_instruction_carries_the_marker(): void {
		$this->assertStringContainsString( '[[personal]]', $this->cache()->system_instruction() );
	}

	public function test_object_cache_mode_matches_the_bootstrap(): void {
		// Proves the Redis run really runs on the drop-in (and the plain run on the database).
		$this->assertSame( false !== getenv( 'VVC_TEST_REDIS_SOCKET' ), (bool) wp_using_ext_object_cache() );
	}

	public function test_settings_hooks_are_attached(): void {
		$this->assertNotFalse( has_action( 'update_option_' . Settings::OPTION ) );
		$found = false;
		foreach ( $GLOBALS['wp_filter'][ 'update_option_' . Settings::OPTION ]->callbacks as $callbacks ) {
			foreach ( $callbacks as $callback ) {
				$found = $found || ( is_array( $callback['function'] ) && $callback['function'][0] instanceof Faq_Cache );
			}
		}
		$this->assertTrue( $found );
	}
}
