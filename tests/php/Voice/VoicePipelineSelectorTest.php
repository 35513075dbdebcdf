<?php
/**
 * Voice_Pipeline_Selector and Provider_Models: the admin's choice, overruled where the native
 * pipeline cannot work.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Voice;

use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Tests\Support\TestCase;
use VoiceVisionChat\Tests\Upstream\Simulator;
use VoiceVisionChat\Voice\Provider_Models;
use VoiceVisionChat\Voice\Voice_Pipeline_Selector;

require_once __DIR__ . '/Voice_Test_Support.php';

/**
 * Pipeline choice.
 */
final class VoicePipelineSelectorTest extends TestCase {

	protected function setUp(): void {
		parent::setUp();
		Simulator::configure();
	}

	/**
	 * A selector on the current settings, with the simulator's model list.
	 */
	private function selector(): Voice_Pipeline_Selector {
		$settings = new Settings();
		return new Voice_Pipeline_Selector( $settings, new Provider_Models( $settings, Simulator::client() ) );
	}

	/**
	 * Setting, audio model, image => pipeline, reason.
	 *
	 * @return array<string, array{0: string, 1: string, 2: bool, 3: string, 4: string}>
	 */
	public static function choices(): array {
		return array(
			'auto, provider has the model'    => array( 'auto', 'gpt-audio-1.5', false, 'native', 'auto' ),
			'auto with an image'              => array( 'auto', 'gpt-audio-1.5', true, 'chained', 'image' ),
			'native with an image'            => array( 'native', 'gpt-audio-1.5', true, 'chained', 'image' ),
			'native'                          => array( 'native', 'gpt-audio-1.5', false, 'native', 'admin' ),
			'chained'                         => array( 'chained', 'gpt-audio-1.5', false, 'chained', 'admin' ),
			'auto, provider lacks the model'  => array( 'auto', 'gpt-audio-unknown-9', false, 'chained', 'no_audio_model' ),
			'native, provider lacks it'       => array( 'native', 'gpt-audio-unknown-9', false, 'chained', 'no_audio_model' ),
			'auto, a retired model (gone)'    => array( 'auto', 'gpt-4o-audio-preview', false, 'chained', 'no_audio_model' ),
		);
	}

	#[\PHPUnit\Framework\Attributes\DataProvider( 'choices' )]
	public function test_choice( string $setting, string $model, bool $image, string $pipeline, string $reason ): void {
		( new Settings() )->update(
			array(
				'voice_pipeline' => $setting,
				'audio_model'    => $model,
			)
		);
		$this->assertSame(
			array(
				'pipeline' => $pipeline,
				'reason'   => $reason,
			),
			$this->selector()->choose( $image )
		);
	}

	public function test_the_model_list_is_fetched_once_and_kept(): void {
		$models = new Provider_Models( new Settings(), Simulator::client() );
		$before = Simulator::request_count();
		$this->assertTrue( $models->has( 'gpt-audio-1.5' ) );
		$this->assertTrue( $models->has( 'gpt-4o-mini-transcribe' ) );
		$this->assertFalse( $models->has( 'no-such-model' ) );
		$fresh = new Provider_Models( new Settings(), Simulator::client() );
		$this->assertTrue( $fresh->has( 'gpt-4o-mini-tts' ), 'a later request reads the transient' );
		// Other suites use the simulator too: at most our one GET /models is new... unless they
		// were busy, so only check that the transient holds the list.
		$this->assertGreaterThanOrEqual( $before + 1, Simulator::request_count() );
		$cached = get_transient( Provider_Models::TRANSIENT_PREFIX . md5( Simulator::base_url() ) );
		$this->assertIsArray( $cached );
		$this->assertContains( 'gpt-audio-1.5', $cached['ids'] );
	}

	public function test_an_unreachable_provider_is_unknown_and_auto_then_chains(): void {
		( new Settings() )->update( array( 'base_url' => 'http://127.0.0.1:9/v1' ) );
		$this->assertNull( ( new Provider_Models( new Settings(), Simulator::client() ) )->has( 'gpt-audio-1.5' ) );
		$this->assertSame( 'chained', $this->selector()->choose( false )['pipeline'] );
		( new Settings() )->update( array( 'voice_pipeline' => 'native' ) );
		$this->assertSame( 'native', $this->selector()->choose( false )['pipeline'], 'the admin asked for native and nothing says it is missing' );
		$cached = get_transient( Provider_Models::TRANSIENT_PREFIX . md5( 'http://127.0.0.1:9/v1' ) );
		$this->assertSame( array( 'ids' => null ), $cached, 'the failure is remembered, briefly' );
	}

	public function test_chained_only_sites_never_list_models(): void {
		( new Settings() )->update( array( 'voice_pipeline' => 'chained' ) );
		$this->selector()->choose( false );
		$this->assertFalse( get_transient( Provider_Models::TRANSIENT_PREFIX . md5( Simulator::base_url() ) ) );
	}
}
