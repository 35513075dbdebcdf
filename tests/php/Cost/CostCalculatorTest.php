<?php
/**
 * Micro-dollar costs, checked by hand against the README's price table.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Cost;

use VoiceVisionChat\Cost\Cost_Calculator;
use VoiceVisionChat\Routing\Model_Catalog;
use VoiceVisionChat\Tests\Support\TestCase;

/**
 * Cost_Calculator. Prices are USD per 1M tokens, so tokens x price = micro-dollars.
 */
final class CostCalculatorTest extends TestCase {

	private static function calculator( array $stored = array() ): Cost_Calculator {
		return new Cost_Calculator( new Model_Catalog( $stored, static fn (): string => '2026-11-22' ) );
	}

	public function test_chat_usage_with_cached_tokens(): void {
		// gpt-4o: 800 new input x 2.50 = 2000, 200 cached x 1.25 = 250, 500 output x 10 = 5000.
		$cost = self::calculator()->from_usage(
			'gpt-4o',
			array(
				'prompt_tokens'             => 1000,
				'completion_tokens'         => 500,
				'prompt_tokens_details'     => array( 'cached_tokens' => 200, 'audio_tokens' => 0 ),
				'completion_tokens_details' => array( 'reasoning_tokens' => 0, 'audio_tokens' => 0 ),
			)
		);
		$this->assertSame( 7250, $cost['micros'] );
		$this->assertSame( 800, $cost['metered']['text_in'] );
		$this->assertSame( 200, $cost['metered']['cached_in'] );
		$this->assertFalse( $cost['fallback_price'] );
	}

	public function test_fractions_of_a_micro_dollar_round_up(): void {
		// gpt-4o-mini: 3 x 0.15 = 0.45 micro-dollars, billed as 1.
		$this->assertSame( 1, self::calculator()->from_usage( 'gpt-4o-mini', array( 'prompt_tokens' => 3, 'completion_tokens' => 0 ) )['micros'] );
		// 1000 x 0.15 = 150 exactly: float noise must not add a micro-dollar.
		$this->assertSame( 150, self::calculator()->from_usage( 'gpt-4o-mini', array( 'prompt_tokens' => 1000, 'completion_tokens' => 0 ) )['micros'] );
		$this->assertSame( 0, self::calculator()->from_usage( 'gpt-4o-mini', array( 'prompt_tokens' => 0, 'completion_tokens' => 0 ) )['micros'] );
	}

	public function test_reasoning_tokens_bill_as_output_and_images_as_input(): void {
		// gpt-5-nano: 100 input x 0.05 = 5, 300 output (200 of them reasoning) x 0.40 = 120.
		$cost = self::calculator()->from_usage(
			'gpt-5-nano',
			array(
				'prompt_tokens'             => 100,
				'completion_tokens'         => 300,
				'prompt_tokens_details'     => array( 'image_tokens' => 60 ),
				'completion_tokens_details' => array( 'reasoning_tokens' => 200 ),
			)
		);
		$this->assertSame( 125, $cost['micros'] );
		$this->assertSame( 60, $cost['metered']['image_in'] );
		$this->assertSame( 200, $cost['metered']['reasoning_out'] );
		$this->assertSame( 300, $cost['metered']['text_out'] );
	}

	public function test_audio_chat_bills_each_kind_at_its_rate(): void {
		// gpt-audio: text in 50 x 2.50 = 125, audio in 100 x 32 = 3200,
		// text out 100 x 10 = 1000, audio out 300 x 64 = 19200.
		$cost = self::calculator()->from_usage(
			'gpt-audio',
			array(
				'prompt_tokens'             => 150,
				'completion_tokens'         => 400,
				'prompt_tokens_details'     => array( 'audio_tokens' => 100, 'text_tokens' => 50 ),
				'completion_tokens_details' => array( 'audio_tokens' => 300, 'text_tokens' => 100 ),
			)
		);
		$this->assertSame( 23525, $cost['micros'] );
		$this->assertSame( array( 50, 100, 100, 300 ), array( $cost['metered']['text_in'], $cost['metered']['audio_in'], $cost['metered']['text_out'], $cost['metered']['audio_out'] ) );
	}

	public function test_transcription_and_speech_usage_shapes(): void {
		// gpt-4o-mini-transcribe: prompt 20 x 1.25 = 25, audio 100 x 3 = 300, text out 50 x 5 = 250.
		$this->assertSame(
			575,
			self::calculator()->from_usage(
				'gpt-4o-mini-transcribe',
				array(
					'type'                => 'tokens',
					'input_tokens'        => 120,
					'input_token_details' => array( 'text_tokens' => 20, 'audio_tokens' => 100 ),
					'output_tokens'       => 50,
				)
			)['micros']
		);
		// gpt-4o-mini-tts: text in 20 x 0.60 = 12, audio out 600 x 12 = 7200.
		$speech = self::calculator()->from_usage( 'gpt-4o-mini-tts', array( 'input_tokens' => 20, 'output_tokens' => 600 ) );
		$this->assertSame( 7212, $speech['micros'] );
		$this->assertSame( 600, $speech['metered']['audio_out'] );
	}

	public function test_per_minute_and_per_character_models(): void {
		// whisper-1: 90 s = 1.5 min x $0.006 = $0.009.
		$this->assertSame( 9000, self::calculator()->from_usage( 'whisper-1', array( 'type' => 'duration', 'seconds' => 90 ) )['micros'] );
		// tts-1: 1000 characters x $15 per 1M = $0.015; tts-1-hd twice that.
		$this->assertSame( 15000, self::calculator()->from_usage( 'tts-1', array(), 1000 )['micros'] );
		$this->assertSame( 30000, self::calculator()->from_usage( 'tts-1-hd', array( 'input_tokens' => 5 ), 1000 )['micros'], 'token counts are not billed on per-character models' );
	}

	public function test_realtime_cached_text_is_cheaper_but_cached_audio_is_not(): void {
		// gpt-realtime: text 100 x 4 = 400, cached text 50 x 0.40 = 20, audio 200 (30 cached,
		// billed full) x 32 = 6400, text out 10 x 16 = 160, audio out 100 x 64 = 6400.
		$cost = self::calculator()->from_usage(
			'gpt-realtime',
			array(
				'input_tokens'         => 350,
				'output_tokens'        => 110,
				'input_token_details'  => array(
					'text_tokens'           => 150,
					'audio_tokens'          => 200,
					'cached_tokens'         => 80,
					'cached_tokens_details' => array( 'text_tokens' => 50, 'audio_tokens' => 30 ),
				),
				'output_token_details' => array( 'text_tokens' => 10, 'audio_tokens' => 100 ),
			)
		);
		$this->assertSame( 13380, $cost['micros'] );
	}

	public function test_an_unknown_price_makes_the_cost_unknown_never_zero(): void {
		$cost = self::calculator()->from_usage( 'gpt-5.4-mini', array( 'prompt_tokens' => 100, 'completion_tokens' => 100 ) );
		$this->assertNull( $cost['micros'] );
		$this->assertNull( self::calculator()->from_usage( 'gpt-4o', array( 'prompt_tokens' => 10, 'completion_tokens' => 10, 'completion_tokens_details' => array( 'audio_tokens' => 5 ) ) )['micros'], 'gpt-4o has no audio price' );
		$this->assertNull( self::calculator()->from_usage( 'no-such-model', array( 'prompt_tokens' => 1 ) )['micros'] );
	}

	public function test_unknown_prices_at_the_most_expensive_rate_when_the_admin_chose_so(): void {
		// Dearest known: text in 4.00 (gpt-realtime), text out 16.00: 100 x 4 + 100 x 16.
		$cost = self::calculator( array( 'count_unknown_at_max' => true ) )->from_usage( 'gpt-5.4-mini', array( 'prompt_tokens' => 100, 'completion_tokens' => 100 ) );
		$this->assertSame( 2000, $cost['micros'] );
		$this->assertTrue( $cost['fallback_price'] );
	}

	public function test_worst_case_includes_headroom_images_and_the_whole_output_cap(): void {
		// gpt-4o: text 100 x 1.4 = 140, + 765 image tokens = 905 x 2.50 = 2262.5; 800 out x 10 = 8000.
		$this->assertSame( 10263, self::calculator()->worst_case( 'gpt-4o', array( 'text_in' => 100, 'image_in' => 765, 'max_output' => 800 ) ) );
		// The worst case is never below what the same call can really cost.
		$real = self::calculator()->from_usage( 'gpt-4o', array( 'prompt_tokens' => 905, 'completion_tokens' => 800 ) )['micros'];
		$this->assertGreaterThanOrEqual( $real, self::calculator()->worst_case( 'gpt-4o', array( 'text_in' => 100, 'image_in' => 765, 'max_output' => 800 ) ) );
	}

	public function test_worst_case_with_audio_output_bills_the_cap_at_the_dearer_rate(): void {
		// gpt-audio: text 50 x 1.4 = 70 x 2.50 = 175; audio in 30 x 32 = 960; 1000 out x 64 = 64000.
		$this->assertSame( 65135, self::calculator()->worst_case( 'gpt-audio', array( 'text_in' => 50, 'audio_in' => 30, 'max_output' => 1000, 'output_audio' => true ) ) );
		$this->assertNull( self::calculator()->worst_case( 'gpt-4o', array( 'max_output' => 10, 'output_audio' => true ) ), 'no audio price' );
	}

	public function test_worst_case_for_minutes_and_characters_and_unknown_prices(): void {
		$this->assertSame( 6000, self::calculator()->worst_case( 'whisper-1', array( 'audio_seconds' => 60.0 ) ) );
		$this->assertSame( 4096 * 15, self::calculator()->worst_case( 'tts-1', array( 'characters' => 4096 ) ) );
		$this->assertNull( self::calculator()->worst_case( 'gpt-5.4-nano', array( 'text_in' => 10, 'max_output' => 10 ) ) );
	}
}
