<?php
/**
 * The router's rules, one by one, and the developer filter.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Routing;

use VoiceVisionChat\Routing\Model_Catalog;
use VoiceVisionChat\Routing\Model_Router;
use VoiceVisionChat\Routing\Model_Tier;
use VoiceVisionChat\Tests\Support\TestCase;

/**
 * Model_Router.
 */
final class ModelRouterTest extends TestCase {

	/**
	 * The shipped tiers with prices entered for the models that ship without one, the way an
	 * admin would before opening the chat to visitors.
	 *
	 * @param array<string, mixed> $models Extra model overrides.
	 */
	private static function router( array $models = array(), array $tiers = array() ): Model_Router {
		$priced  = array(
			'gpt-5.4-nano'   => array( 'price' => array( 'text_in' => 0.05, 'text_out' => 0.4 ) ),
			'gpt-5.4-mini'   => array( 'price' => array( 'text_in' => 0.25, 'text_out' => 2 ) ),
			'gpt-transcribe' => array( 'price' => array( 'text_in' => 1.25, 'text_out' => 5, 'audio_in' => 3 ) ),
			'gpt-audio-1.5'  => array( 'price' => array( 'text_in' => 2.5, 'text_out' => 10, 'audio_in' => 32, 'audio_out' => 64 ) ),
		);
		$catalog = new Model_Catalog( array( 'models' => array_merge( $priced, $models ) ), static fn (): string => '2026-11-22' );
		return new Model_Router( new Model_Tier( $tiers ), $catalog );
	}

	private const SIMPLE = 'What are your opening hours on Saturday?';

	protected function tearDown(): void {
		remove_all_filters( 'vvc_route_decision' );
		parent::tearDown();
	}

	public function test_a_short_simple_question_goes_to_economy(): void {
		$decision = self::router()->decide( array( 'question' => self::SIMPLE, 'input_tokens' => 40 ) );

		$this->assertSame( 'economy', $decision['tier'] );
		$this->assertSame( 'gpt-5.4-nano', $decision['model'] );
		$this->assertSame( 0, $decision['score'] );
		$this->assertSame( array( 'simple' ), $decision['codes'] );
		$this->assertTrue( $decision['usable'] );
		$this->assertNull( $decision['problem'] );
		$this->assertCount( 1, $decision['reasons'] );
		$this->assertStringContainsString( 'simple', $decision['reasons'][0] );
	}

	public function test_length_adds_one_and_very_long_adds_two(): void {
		$router = self::router();
		$long   = str_repeat( 'Tell me about your shop. ', 17 ); // 425 characters.
		$very   = str_repeat( 'Tell me about your shop. ', 50 ); // 1,250 characters.

		$decision = $router->decide( array( 'question' => $long ) );
		$this->assertSame( 1, $decision['score'] );
		$this->assertContains( 'long_question', $decision['codes'] );
		$this->assertSame( 'economy', $decision['tier'], 'one point is not enough for standard' );

		$decision = $router->decide( array( 'question' => $very ) );
		$this->assertSame( 2, $decision['score'] );
		$this->assertContains( 'very_long_question', $decision['codes'] );
		$this->assertSame( 'standard', $decision['tier'] );
		$this->assertContains( 'complex', $decision['codes'] );
	}

	public function test_several_questions_add_one(): void {
		$decision = self::router()->decide( array( 'question' => 'Do you open on Sunday? And is there parking？' ) );
		$this->assertSame( 1, $decision['score'] );
		$this->assertContains( 'multiple_questions', $decision['codes'] );
		$this->assertSame( 'economy', $decision['tier'] );
	}

	public function test_code_adds_two_and_goes_to_standard(): void {
		foreach ( array(
			"Why does this fail?\n```js\nconst x = 1\n```",
			'My theme has $count = get_posts( $args ); and nothing shows',
			'SELECT * FROM wp_posts WHERE post_status = "draft"',
			'<?php echo 1;',
		) as $question ) {
			$decision = self::router()->decide( array( 'question' => $question ) );
			$this->assertContains( 'code', $decision['codes'], $question );
			$this->assertSame( 'standard', $decision['tier'], $question );
		}
		$this->assertNotContains( 'code', self::router()->decide( array( 'question' => self::SIMPLE ) )['codes'] );
	}

	public function test_comparison_and_reasoning_cues_add_one_each(): void {
		$router = self::router();

		$comparison = $router->decide( array( 'question' => 'Is the premium plan better than the basic one' ) );
		$this->assertSame( array( 'simple', 'comparison' ), $comparison['codes'] );
		$this->assertSame( 'economy', $comparison['tier'] );

		$both = $router->decide( array( 'question' => 'Compare the basic and premium plans and explain which suits a bakery' ) );
		$this->assertSame( 2, $both['score'] );
		$this->assertSame( array( 'complex', 'comparison', 'reasoning' ), $both['codes'] );
		$this->assertSame( 'standard', $both['tier'] );

		$chinese = $router->decide( array( 'question' => '这两款笔记本有什么区别？为什么贵这么多？' ) );
		$this->assertSame( array( 'complex', 'multiple_questions', 'comparison', 'reasoning' ), $chinese['codes'] );
	}

	public function test_a_long_conversation_adds_one(): void {
		$router = self::router();

		$decision = $router->decide( array( 'question' => self::SIMPLE, 'turns' => 6 ) );
		$this->assertSame( array( 'simple', 'long_conversation' ), $decision['codes'] );

		$decision = $router->decide( array( 'question' => 'Why is that?', 'turns' => 8 ) );
		$this->assertSame( 'standard', $decision['tier'] );
		$this->assertSame( array( 'complex', 'reasoning', 'long_conversation' ), $decision['codes'] );
		$this->assertNotContains( 'long_conversation', $router->decide( array( 'question' => 'Why is that?', 'turns' => 5 ) )['codes'] );
	}

	public function test_an_image_goes_to_vision(): void {
		$decision = self::router()->decide( array( 'question' => 'What is this?', 'has_image' => true ) );
		$this->assertSame( 'vision', $decision['tier'] );
		$this->assertSame( 'gpt-5.4-mini', $decision['model'] );
		$this->assertSame( 'image', $decision['codes'][0] );
	}

	public function test_input_size_decides_standard_and_long_context(): void {
		$router = self::router();

		$this->assertSame( 'economy', $router->decide( array( 'question' => 'Hi', 'input_tokens' => 2000 ) )['tier'] );

		$decision = $router->decide( array( 'question' => 'Hi', 'input_tokens' => 2001 ) );
		$this->assertSame( 'standard', $decision['tier'] );
		$this->assertSame( 'long_input', $decision['codes'][0] );

		$decision = $router->decide( array( 'question' => 'Hi', 'input_tokens' => 32000 ) );
		$this->assertSame( 'long_context', $decision['tier'] );
		$this->assertSame( 'long_context', $decision['codes'][0] );
		$this->assertStringContainsString( '32000', $decision['reasons'][0] );
	}

	public function test_thresholds_are_configurable(): void {
		$catalog = new Model_Catalog( array( 'count_unknown_at_max' => true ), static fn (): string => '2026-11-22' );
		$router  = new Model_Router( new Model_Tier(), $catalog, array( 'complexity_threshold' => 1 ) );
		$this->assertSame( 'standard', $router->decide( array( 'question' => 'Why?' ) )['tier'] );
	}

	public function test_voice_transcription_and_speech_use_their_tiers(): void {
		$router = self::router();

		$voice = $router->decide( array( 'kind' => 'voice', 'question' => '' ) );
		$this->assertSame( array( 'voice', 'gpt-audio-1.5', array( 'voice' ), true ), array( $voice['tier'], $voice['model'], $voice['codes'], $voice['usable'] ) );

		$with_image = $router->decide( array( 'kind' => 'voice', 'has_image' => true ) );
		$this->assertSame( 'vision', $with_image['tier'], 'audio chat models take no images' );
		$this->assertSame( array( 'voice_with_image' ), $with_image['codes'] );

		$this->assertSame( array( 'transcribe', 'gpt-transcribe' ), array_slice( array_values( $router->decide( array( 'kind' => 'transcribe' ) ) ), 0, 2 ) );
		$this->assertSame( array( 'speech', 'gpt-4o-mini-tts' ), array_slice( array_values( $router->decide( array( 'kind' => 'speech' ) ) ), 0, 2 ) );
	}

	public function test_at_the_soft_limit_standard_and_vision_fall_to_economy(): void {
		$router = self::router();

		$decision = $router->decide( array( 'question' => 'Compare the plans and explain why', 'budget_state' => 'soft' ) );
		$this->assertSame( 'economy', $decision['tier'] );
		$this->assertSame( 'gpt-5.4-nano', $decision['model'] );
		$this->assertContains( 'complex', $decision['codes'] );
		$this->assertContains( 'soft_limit', $decision['codes'] );

		$decision = $router->decide( array( 'question' => 'What is this?', 'has_image' => true, 'budget_state' => 'soft' ) );
		$this->assertSame( 'economy', $decision['tier'], 'the economy model takes images too' );

		$this->assertNotContains( 'soft_limit', $router->decide( array( 'question' => 'Compare and explain', 'budget_state' => 'normal' ) )['codes'] );
	}

	public function test_at_the_soft_limit_requests_the_economy_model_cannot_do_keep_their_tier(): void {
		$router = self::router( array( 'gpt-5.4-nano' => array( 'price' => array( 'text_in' => 0.05, 'text_out' => 0.4 ), 'context' => 16000, 'input' => array( 'text' ) ) ) );

		$voice = $router->decide( array( 'kind' => 'voice', 'budget_state' => 'soft' ) );
		$this->assertSame( 'voice', $voice['tier'] );
		$this->assertContains( 'soft_limit_kept', $voice['codes'] );

		$image = $router->decide( array( 'has_image' => true, 'budget_state' => 'soft' ) );
		$this->assertSame( 'vision', $image['tier'], 'this economy model takes no images' );

		$large = $router->decide( array( 'input_tokens' => 40000, 'max_output' => 800, 'budget_state' => 'soft' ) );
		$this->assertSame( 'long_context', $large['tier'], 'does not fit the economy context' );
		$this->assertContains( 'soft_limit_kept', $large['codes'] );

		$speech = $router->decide( array( 'kind' => 'speech', 'budget_state' => 'soft' ) );
		$this->assertSame( 'speech', $speech['tier'] );
	}

	public function test_an_unusable_model_falls_back_to_a_tier_that_can_answer(): void {
		$router   = self::router( array( 'gpt-5.4-nano' => array( 'price' => null ) ) );
		$decision = $router->decide( array( 'question' => self::SIMPLE ) );

		$this->assertSame( 'standard', $decision['tier'] );
		$this->assertSame( 'gpt-5.4-mini', $decision['model'] );
		$this->assertSame( array( 'simple', 'fallback' ), $decision['codes'] );
		$this->assertStringContainsString( 'no price entered', $decision['reasons'][1] );
		$this->assertTrue( $decision['usable'] );
	}

	public function test_a_vision_tier_model_without_image_input_falls_back_to_one_with_it(): void {
		$router   = self::router( array(), array( 'vision' => 'gpt-audio', 'economy' => 'gpt-4o-mini' ) );
		$decision = $router->decide( array( 'has_image' => true ) );

		$this->assertSame( array( 'economy', 'gpt-4o-mini' ), array( $decision['tier'], $decision['model'] ) );
		$this->assertContains( 'fallback', $decision['codes'] );
	}

	public function test_when_no_model_can_be_used_the_decision_says_so(): void {
		$catalog  = new Model_Catalog( array(), static fn (): string => '2026-11-22' );
		$decision = ( new Model_Router( new Model_Tier(), $catalog ) )->decide( array( 'question' => self::SIMPLE ) );

		$this->assertFalse( $decision['usable'] );
		$this->assertSame( 'no_price', $decision['problem'] );
		$this->assertSame( 'unusable', end( $decision['codes'] ) );
	}

	public function test_a_filter_can_override_the_choice_and_the_model_is_checked_again(): void {
		$router = self::router();
		add_filter(
			'vvc_route_decision',
			static function ( array $decision, array $features ): array {
				if ( str_contains( (string) ( $features['question'] ?? '' ), 'VIP' ) ) {
					$decision['tier']  = 'standard';
					$decision['model'] = 'gpt-4o';
				}
				return $decision;
			},
			10,
			2
		);

		$decision = $router->route( array( 'question' => 'VIP question' ) );
		$this->assertSame( array( 'standard', 'gpt-4o', true ), array( $decision['tier'], $decision['model'], $decision['usable'] ) );
		$this->assertSame( 'filter', end( $decision['codes'] ) );

		$this->assertSame( 'economy', $router->route( array( 'question' => 'plain' ) )['tier'] );
		$this->assertSame( 'economy', $router->decide( array( 'question' => 'VIP question' ) )['tier'], 'decide() is pure: no filter' );
	}

	public function test_a_filter_choosing_an_unusable_model_is_reported_and_malformed_results_are_ignored(): void {
		$router = self::router();
		add_filter( 'vvc_route_decision', static fn ( array $decision ): array => array( 'tier' => 'economy', 'model' => 'gpt-5.5' ) + $decision );
		$decision = $router->route( array( 'question' => self::SIMPLE ) );
		$this->assertFalse( $decision['usable'] );
		$this->assertSame( 'no_price', $decision['problem'] );

		remove_all_filters( 'vvc_route_decision' );
		add_filter( 'vvc_route_decision', static fn (): string => 'nonsense' );
		$this->assertSame( 'gpt-5.4-nano', $router->route( array( 'question' => self::SIMPLE ) )['model'] );

		remove_all_filters( 'vvc_route_decision' );
		add_filter( 'vvc_route_decision', static fn ( array $decision ): array => array( 'tier' => 'premium', 'model' => 'gpt-4o' ) + $decision );
		$this->assertSame( 'economy', $router->route( array( 'question' => self::SIMPLE ) )['tier'] );
	}

	public function test_every_code_comes_with_a_readable_reason(): void {
		$decision = self::router()->decide(
			array(
				'question'     => str_repeat( 'Why? Compare x vs y. ', 70 ) . '```code```',
				'turns'        => 9,
				'budget_state' => 'soft',
			)
		);
		$this->assertSame( array( 'complex', 'very_long_question', 'multiple_questions', 'code', 'comparison', 'reasoning', 'long_conversation', 'soft_limit' ), $decision['codes'] );
		$this->assertCount( count( $decision['codes'] ), $decision['reasons'] );
		foreach ( $decision['reasons'] as $reason ) {
			$this->assertMatchesRegularExpression( '/^[A-Z].+\.$/', $reason );
		}
	}
}
