<?php
/**
 * Tiers map to current models by default and to the admin's choice when set.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Routing;

use VoiceVisionChat\Routing\Model_Catalog;
use VoiceVisionChat\Routing\Model_Tier;
use VoiceVisionChat\Tests\Support\TestCase;

/**
 * Model_Tier.
 */
final class ModelTierTest extends TestCase {

	public function test_every_tier_has_a_default_model_that_is_in_the_catalog_and_not_retired(): void {
		$catalog = new Model_Catalog( array(), static fn (): string => '2026-11-22' );
		$tiers   = new Model_Tier();

		$this->assertSame( Model_Tier::ALL, array_keys( $tiers->all() ) );
		foreach ( $tiers->all() as $tier => $model ) {
			$this->assertNotNull( $catalog->get( $model ), "$tier: $model is in the catalog" );
			$this->assertFalse( $catalog->is_shut_down( $model ), "$tier: $model is not retired" );
		}
	}

	public function test_defaults_avoid_models_with_an_announced_shutdown_where_an_alternative_exists(): void {
		$catalog = new Model_Catalog( array(), static fn (): string => '2026-11-22' );
		foreach ( ( new Model_Tier() )->all() as $tier => $model ) {
			if ( Model_Tier::SPEECH === $tier ) {
				// gpt-4o-mini-tts is the only speech model the API offers (tts-1/-hd go the same day).
				$this->assertSame( 'gpt-4o-mini-tts', $model );
				continue;
			}
			$entry = $catalog->get( $model );
			$this->assertNotNull( $entry, $model );
			$this->assertNull( $entry['shutdown'], "$tier: $model has no shutdown date" );
		}
	}

	public function test_default_models_can_do_their_tiers_job(): void {
		$catalog = new Model_Catalog( array(), static fn (): string => '2026-11-22' );
		$tiers   = new Model_Tier();

		$this->assertTrue( $catalog->supports( $tiers->model( Model_Tier::VISION ), 'input', 'image' ) );
		$this->assertTrue( $catalog->supports( $tiers->model( Model_Tier::VOICE ), 'input', 'audio' ) );
		$this->assertTrue( $catalog->supports( $tiers->model( Model_Tier::VOICE ), 'output', 'audio' ) );
		$this->assertSame( 'transcription', $catalog->get( $tiers->model( Model_Tier::TRANSCRIBE ) )['kind'] ?? '' );
		$this->assertSame( 'speech', $catalog->get( $tiers->model( Model_Tier::SPEECH ) )['kind'] ?? '' );
	}

	public function test_overrides_replace_defaults_and_garbage_is_ignored(): void {
		$tiers = new Model_Tier(
			array(
				'economy'  => 'gpt-5-nano',
				'standard' => 'not a model id',
				'premium'  => 'gpt-5.5',
				'vision'   => 42,
			)
		);

		$this->assertSame( 'gpt-5-nano', $tiers->model( Model_Tier::ECONOMY ) );
		$this->assertSame( Model_Tier::defaults()['standard'], $tiers->model( Model_Tier::STANDARD ) );
		$this->assertSame( Model_Tier::defaults()['vision'], $tiers->model( Model_Tier::VISION ) );
		$this->assertSame( '', $tiers->model( 'premium' ) );
		$this->assertArrayNotHasKey( 'premium', $tiers->all() );
	}

	public function test_every_tier_has_a_translated_label(): void {
		$this->assertSame( Model_Tier::ALL, array_keys( Model_Tier::labels() ) );
		$this->assertTrue( Model_Tier::is_tier( 'long_context' ) );
		$this->assertFalse( Model_Tier::is_tier( 'premium' ) );
	}

	public function test_the_dev_stack_stand_in_prices_cover_every_default_model(): void {
		// `npm start` and Simulator::meter_freely() price the unpriced defaults with these;
		// a default they miss would be refused for every visitor on the simulator.
		$prices  = require dirname( __DIR__, 2 ) . '/stack/php/stand-in-prices.php';
		$catalog = new Model_Catalog( array( 'models' => $prices ), static fn (): string => '2026-11-22' );
		foreach ( Model_Tier::defaults() as $tier => $model ) {
			$this->assertNull( $catalog->unusable_reason( $model, $catalog->billed_components( $model ) ), "$tier: $model" );
		}
	}
}
