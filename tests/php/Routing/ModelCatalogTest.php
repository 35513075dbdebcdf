<?php
/**
 * The model catalog: shipped data, admin overrides, prices, lifecycle and the no-price rule.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Routing;

use VoiceVisionChat\Routing\Model_Catalog;
use VoiceVisionChat\Routing\Model_Tier;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Tests\Support\TestCase;

/**
 * Model_Catalog.
 */
final class ModelCatalogTest extends TestCase {

	private static function catalog( array $stored = array(), string $today = '2026-11-22' ): Model_Catalog {
		return new Model_Catalog( $stored, static fn (): string => $today );
	}

	public function test_defaults_carry_the_readme_prices_and_lifecycle(): void {
		$catalog = self::catalog();

		$this->assertSame(
			array(
				'text_in'   => 2.5,
				'cached_in' => 1.25,
				'text_out'  => 10.0,
			),
			$catalog->get( 'gpt-4o' )['price']
		);
		$this->assertSame(
			array(
				'text_in'   => 0.05,
				'cached_in' => 0.005,
				'text_out'  => 0.4,
			),
			$catalog->get( 'gpt-5-nano' )['price']
		);
		$this->assertSame(
			array(
				'text_in'   => 2.5,
				'text_out'  => 10.0,
				'audio_in'  => 32.0,
				'audio_out' => 64.0,
			),
			$catalog->get( 'gpt-audio' )['price']
		);
		$this->assertSame( array( 'per_minute' => 0.006 ), $catalog->get( 'whisper-1' )['price'] );
		$this->assertSame( array( 'per_million_chars' => 30.0 ), $catalog->get( 'tts-1-hd' )['price'] );
		$this->assertSame( '2026-12-11', $catalog->get( 'gpt-5' )['shutdown'] );
		$this->assertSame( '2027-02-26', $catalog->get( 'whisper-1' )['shutdown'] );
		$this->assertNull( $catalog->get( 'gpt-5.4-mini' )['price'], 'no verified price ships for the newer ids' );
		$this->assertSame(
			array(
				'rule'       => 'tile',
				'base'       => 85,
				'tile'       => 170,
				'multiplier' => 0.0,
			),
			$catalog->get( 'gpt-4o' )['image']
		);
		$this->assertSame( 'patch', $catalog->get( 'gpt-4.1-mini' )['image']['rule'] );
		$this->assertNull( $catalog->get( 'gpt-9000' ) );
	}

	public function test_capabilities(): void {
		$catalog = self::catalog();

		$this->assertTrue( $catalog->supports( 'gpt-5.4-mini', 'input', 'image' ) );
		$this->assertFalse( $catalog->supports( 'gpt-audio', 'input', 'image' ), 'audio chat models take no images' );
		$this->assertTrue( $catalog->supports( 'gpt-audio', 'output', 'audio' ) );
		$this->assertTrue( $catalog->supports( 'gpt-4o-mini-tts', 'output', 'audio' ) );
		$this->assertFalse( $catalog->supports( 'gpt-4o', 'output', 'audio' ) );
		$this->assertFalse( $catalog->supports( 'unknown-model', 'input', 'text' ) );
	}

	public function test_shutdown_is_decided_by_the_date(): void {
		$this->assertTrue( self::catalog()->is_shut_down( 'gpt-4.1-nano' ), 'shut down 2026-10-23' );
		$this->assertTrue( self::catalog()->is_shut_down( 'chatgpt-4o-latest' ) );
		$this->assertFalse( self::catalog()->is_shut_down( 'gpt-5' ), 'shuts down 2026-12-11' );
		$this->assertTrue( self::catalog( array(), '2026-12-11' )->is_shut_down( 'gpt-5' ), 'gone on its shutdown date' );
		$this->assertFalse( self::catalog( array(), '2030-01-01' )->is_shut_down( 'gpt-5.4-mini' ), 'no shutdown announced' );
	}

	public function test_a_model_without_a_price_is_not_usable_for_visitors(): void {
		$catalog = self::catalog();

		$this->assertSame( 'no_price', $catalog->unusable_reason( 'gpt-5.4-mini' ) );
		$this->assertNull( $catalog->rate( 'gpt-5.4-mini', 'text_in' ) );
		$this->assertSame( 'unknown_model', $catalog->unusable_reason( 'gpt-9000' ) );
		$this->assertSame( 'shut_down', $catalog->unusable_reason( 'gpt-4.1-nano' ) );
		$this->assertNull( $catalog->unusable_reason( 'gpt-4o-mini' ) );
		$this->assertSame( 'no_price', $catalog->unusable_reason( 'gpt-4o-mini', array( 'audio_out' ) ), 'a component the model has no price for' );
	}

	public function test_unknown_prices_count_at_the_most_expensive_known_rate_only_when_the_admin_opts_in(): void {
		$catalog = self::catalog( array( 'count_unknown_at_max' => true ) );

		$this->assertTrue( $catalog->counts_unknown_at_max() );
		$this->assertNull( $catalog->unusable_reason( 'gpt-5.4-mini' ) );
		$this->assertSame( 4.0, $catalog->rate( 'gpt-5.4-mini', 'text_in' ), 'gpt-realtime has the dearest text input' );
		$this->assertSame( 16.0, $catalog->rate( 'gpt-5.4-mini', 'text_out' ) );
		$this->assertSame( 64.0, $catalog->rate( 'gpt-audio-1.5', 'audio_out' ) );
		$this->assertSame( 4.0, $catalog->rate( 'gpt-5.4-mini', 'cached_in' ), 'cached input is never assumed cheaper than the dearest input' );
		$this->assertSame( 0.006, $catalog->rate( 'gpt-transcribe', 'per_minute' ) );
		$this->assertSame( 2.5, $catalog->rate( 'gpt-4o', 'text_in' ), 'a known price is used as is' );
	}

	public function test_cached_input_without_its_own_price_costs_normal_input(): void {
		$this->assertSame( 2.5, self::catalog()->rate( 'gpt-audio', 'cached_in' ) );
		$this->assertSame( 1.25, self::catalog()->rate( 'gpt-4o', 'cached_in' ) );
	}

	public function test_admin_prices_override_defaults_and_are_stored_without_autoload(): void {
		$catalog = new Model_Catalog( null, static fn (): string => '2026-11-22' );
		$catalog->save(
			array(
				'models'               => array(
					'gpt-5.4-mini' => array(
						'price' => array(
							'text_in'   => '0.30',
							'text_out'  => 1.8,
							'bogus'     => 5,
							'cached_in' => -1,
						),
					),
					'gpt-4o'       => array( 'price' => array( 'text_in' => 3 ) ),
					'my-local-llm' => array(
						'price'   => array(
							'text_in'  => 0,
							'text_out' => 0,
						),
						'context' => 8192,
					),
					'bad id!'      => array( 'price' => array( 'text_in' => 1 ) ),
				),
				'count_unknown_at_max' => false,
			)
		);

		$fresh = new Model_Catalog( null, static fn (): string => '2026-11-22' );
		$this->assertSame(
			array(
				'text_in'  => 0.3,
				'text_out' => 1.8,
			),
			$fresh->get( 'gpt-5.4-mini' )['price']
		);
		$this->assertNull( $fresh->unusable_reason( 'gpt-5.4-mini' ) );
		$this->assertSame( array( 'text_in' => 3.0 ), $fresh->get( 'gpt-4o' )['price'], 'the admin replaces the whole price entry' );
		$this->assertSame( 'no_price', $fresh->unusable_reason( 'gpt-4o' ), 'without an output price it cannot be budgeted' );
		$this->assertSame( 8192, $fresh->get( 'my-local-llm' )['context'] );
		$this->assertSame( 'chat', $fresh->get( 'my-local-llm' )['kind'] );
		$this->assertNull( $fresh->unusable_reason( 'my-local-llm' ), 'a free local model is fine once its price (0) is entered' );
		$this->assertNull( $fresh->get( 'bad id!' ) );

		global $wpdb;
		$autoload = $wpdb->get_var( $wpdb->prepare( "SELECT autoload FROM {$wpdb->options} WHERE option_name = %s", Model_Catalog::OPTION ) );
		$this->assertContains( $autoload, array( 'no', 'off' ) );
	}

	public function test_sanitize_price_keeps_only_sane_numbers(): void {
		$this->assertNull( Model_Catalog::sanitize_price( 'free' ) );
		$this->assertNull( Model_Catalog::sanitize_price( array() ) );
		$this->assertNull( Model_Catalog::sanitize_price( array( 'text_in' => -1 ) ) );
		$this->assertSame(
			array( 'text_in' => 0.123457 ),
			Model_Catalog::sanitize_price(
				array(
					'text_in'   => '0.1234568',
					'text_out'  => 'x',
					'audio_in'  => INF,
					'audio_out' => 1e9,
				)
			)
		);
	}

	public function test_problems_report_shutdowns_missing_prices_and_models_the_provider_does_not_list(): void {
		$catalog  = self::catalog();
		$problems = $catalog->problems( array( 'gpt-5', 'gpt-5.4-mini', 'gpt-4.1-nano', 'gpt-9000', 'gpt-4o-mini-tts' ) );

		$this->assertContains(
			array(
				'model' => 'gpt-5',
				'code'  => 'shutdown_scheduled',
				'date'  => '2026-12-11',
			),
			$problems
		);
		$this->assertContains(
			array(
				'model' => 'gpt-5.4-mini',
				'code'  => 'no_price',
				'date'  => null,
			),
			$problems
		);
		$this->assertContains(
			array(
				'model' => 'gpt-4.1-nano',
				'code'  => 'shut_down',
				'date'  => '2026-10-23',
			),
			$problems
		);
		$this->assertContains(
			array(
				'model' => 'gpt-9000',
				'code'  => 'unknown_model',
				'date'  => null,
			),
			$problems
		);
		$this->assertContains(
			array(
				'model' => 'gpt-4o-mini-tts',
				'code'  => 'shutdown_scheduled',
				'date'  => '2027-01-06',
			),
			$problems
		);
		$this->assertNotContains( 'unknown_to_provider', array_column( $problems, 'code' ), 'nothing is known about the provider before a refresh' );
	}

	public function test_a_refresh_from_the_provider_flags_unlisted_models_and_its_shutdown_dates(): void {
		$catalog = new Model_Catalog( null, static fn (): string => '2026-11-22' );
		$catalog->record_provider_models(
			array(
				array(
					'id'            => 'gpt-5.4-mini',
					'shutdown_date' => null,
				),
				array(
					'id'            => 'gpt-5.4-nano',
					'shutdown_date' => '2027-06-30',
				),
				'garbage',
			),
			1763800000
		);

		$fresh    = new Model_Catalog( null, static fn (): string => '2026-11-22' );
		$problems = $fresh->problems( array( 'gpt-5.4-mini', 'gpt-5.4-nano', 'gpt-audio' ) );
		$this->assertSame( 1763800000, $fresh->provider_state()['checked_at'] ?? null );
		$this->assertContains(
			array(
				'model' => 'gpt-audio',
				'code'  => 'unknown_to_provider',
				'date'  => null,
			),
			$problems
		);
		$this->assertContains(
			array(
				'model' => 'gpt-5.4-nano',
				'code'  => 'shutdown_scheduled',
				'date'  => '2027-06-30',
			),
			$problems
		);
		$this->assertNotContains(
			array(
				'model' => 'gpt-5.4-mini',
				'code'  => 'unknown_to_provider',
				'date'  => null,
			),
			$problems
		);
	}

	public function test_billed_components_follow_the_kind_of_model(): void {
		$catalog = self::catalog();
		$this->assertSame( array( 'text_in', 'text_out' ), $catalog->billed_components( 'gpt-4o' ) );
		$this->assertSame( array( 'per_minute' ), $catalog->billed_components( 'whisper-1' ) );
		$this->assertSame( array( 'audio_in', 'text_out' ), $catalog->billed_components( 'gpt-4o-mini-transcribe' ) );
		$this->assertSame( array( 'per_million_chars' ), $catalog->billed_components( 'tts-1' ) );
		$this->assertSame( array( 'text_in', 'audio_out' ), $catalog->billed_components( 'gpt-4o-mini-tts' ) );
		$this->assertSame( array( 'text_in', 'text_out', 'audio_in', 'audio_out' ), $catalog->billed_components( 'gpt-audio' ) );
	}

	public function test_text_and_image_models_saved_before_tiers_stay_the_standard_and_vision_tiers(): void {
		// A site from before tiers: its settings chose the models, the catalog has no tiers.
		update_option(
			Settings::OPTION,
			array(
				'text_model'  => 'gpt-4o-mini',
				'image_model' => 'gpt-4.1-mini',
			)
		);
		$tiers = new Model_Tier( ( new Model_Catalog() )->tier_overrides() );
		$this->assertSame( 'gpt-4o-mini', $tiers->model( Model_Tier::STANDARD ) );
		$this->assertSame( 'gpt-4.1-mini', $tiers->model( Model_Tier::VISION ) );
		$this->assertSame( 'gpt-5.4-nano', $tiers->model( Model_Tier::ECONOMY ), 'other tiers keep their defaults' );
		$this->assertSame( array(), ( new Model_Catalog() )->stored_tiers() );

		// A tier saved in the catalog wins over the old setting.
		( new Model_Catalog() )->save( array( 'tiers' => array( 'standard' => 'gpt-5-mini' ) ) );
		$this->assertSame( 'gpt-5-mini', ( new Model_Tier( ( new Model_Catalog() )->tier_overrides() ) )->model( Model_Tier::STANDARD ) );
	}

	public function test_the_settings_screen_and_the_tiers_show_one_choice(): void {
		// Budget screen -> settings screen.
		( new Model_Catalog() )->save(
			array(
				'tiers' => array(
					'standard' => 'gpt-5-mini',
					'vision'   => 'gpt-4o',
				),
			)
		);
		$settings = new Settings();
		$this->assertSame( 'gpt-5-mini', $settings->get( 'text_model' ) );
		$this->assertSame( 'gpt-4o', $settings->get( 'image_model' ) );

		// Settings screen -> tiers; re-sending an unchanged model pins nothing new.
		$settings->update(
			array(
				'text_model'  => 'gpt-4.1-mini',
				'image_model' => 'gpt-4o',
			)
		);
		$this->assertSame(
			array(
				'standard' => 'gpt-4.1-mini',
				'vision'   => 'gpt-4o',
			),
			( new Model_Catalog() )->stored_tiers()
		);
		$this->assertSame( 'gpt-4.1-mini', $settings->get( 'text_model' ) );
		$settings->update(
			array(
				'history_turns' => 3,
				'text_model'    => 'gpt-4.1-mini',
			)
		);
		$this->assertSame( 'gpt-4.1-mini', ( new Model_Catalog() )->stored_tiers()['standard'] );
		$this->assertArrayNotHasKey( 'economy', ( new Model_Catalog() )->stored_tiers() );
	}

	public function test_voice_models_saved_before_tiers_stay_the_voice_transcribe_and_speech_tiers(): void {
		// A site from before voice tiers: the settings option stored every key, the old
		// transcription default included; the voice model equals today's default (no choice).
		update_option(
			Settings::OPTION,
			array_merge(
				Settings::defaults(),
				array(
					'audio_model'      => 'gpt-audio-1.5',
					'transcribe_model' => 'gpt-4o-mini-transcribe',
					'speech_model'     => 'tts-1',
				)
			)
		);
		$overrides = ( new Model_Catalog() )->tier_overrides();
		$tiers     = new Model_Tier( $overrides );
		$this->assertSame( 'gpt-4o-mini-transcribe', $tiers->model( Model_Tier::TRANSCRIBE ), 'the model the site answered with stays in use' );
		$this->assertSame( 'tts-1', $tiers->model( Model_Tier::SPEECH ) );
		$this->assertSame( 'gpt-audio-1.5', $tiers->model( Model_Tier::VOICE ) );
		$this->assertArrayNotHasKey( 'voice', $overrides, 'a copy of the default pins nothing' );
		// What the pipelines read (the settings) is what routing and the budget screen read.
		$settings = new Settings();
		foreach ( array( 'audio_model', 'transcribe_model', 'speech_model' ) as $key ) {
			$this->assertSame( $settings->get( $key ), $tiers->model( Model_Catalog::LEGACY_TIER_SETTINGS[ $key ] ), $key );
		}
	}

	public function test_the_voice_settings_and_the_voice_tiers_show_one_choice(): void {
		( new Model_Catalog() )->save(
			array(
				'tiers' => array(
					'voice'      => 'gpt-audio',
					'transcribe' => 'gpt-4o-transcribe',
					'speech'     => 'tts-1-hd',
				),
			)
		);
		$settings = new Settings();
		$this->assertSame( array( 'gpt-audio', 'gpt-4o-transcribe', 'tts-1-hd' ), array( $settings->get( 'audio_model' ), $settings->get( 'transcribe_model' ), $settings->get( 'speech_model' ) ) );

		$settings->update( array( 'transcribe_model' => 'whisper-1' ) );
		$this->assertSame( 'whisper-1', ( new Model_Catalog() )->stored_tiers()['transcribe'] );
		$this->assertSame( 'whisper-1', ( new Model_Tier( ( new Model_Catalog() )->tier_overrides() ) )->model( Model_Tier::TRANSCRIBE ) );
		$this->assertSame( 'gpt-audio', ( new Model_Catalog() )->stored_tiers()['voice'], 'unchanged models stay as saved' );
	}
}
