<?php
/**
 * Question normalization: paraphrases that must meet, near-misses that must not.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Cache;

use PHPUnit\Framework\Attributes\DataProvider;
use VoiceVisionChat\Cache\Question_Normalizer;
use VoiceVisionChat\Tests\Support\TestCase;

/**
 * Question_Normalizer.
 */
final class QuestionNormalizerTest extends TestCase {

	/**
	 * Groups of wordings of one question.
	 *
	 * @return array<string, array{0: list<string>}>
	 */
	public static function paraphrases(): array {
		return array(
			'English return policy' => array(
				array(
					'What is your return policy?',
					"what's your return policy",
					'Hi! what is your return policy please',
					'WHAT IS YOUR RETURN POLICY???',
					"What\u{2019}s the return policy, thanks",
					'ＷＨＡＴ ＩＳ ＹＯＵＲ ＲＥＴＵＲＮ ＰＯＬＩＣＹ？',
					'  what   is your   return policy .',
					'Hello there, can you tell me what is your return policy?',
				),
			),
			'Chinese return policy' => array(
				array(
					'退货政策是什么？',
					'请问退货政策是什么',
					'你好，请问一下退货政策是什么？谢谢',
					'退货政策是什么?',
					'您好！退货政策是什么呢？',
				),
			),
			'German shipping'       => array(
				array(
					'Liefern Sie nach Österreich?',
					'Hallo, liefern sie nach Osterreich? Danke!',
					'liefern Sie bitte nach ÖSTERREICH',
				),
			),
			'French returns'        => array(
				array(
					"Quelle est votre politique de retour, s'il vous plaît ?",
					'Bonjour ! Quelle est votre politique de retour',
					'quelle est la politique de retour svp',
				),
			),
			'Spanish shipping'      => array(
				array(
					'¿Hacen envíos a Canadá?',
					'Hola, ¿hacen envios a Canada por favor?',
					'HACEN ENVÍOS A CANADÁ, gracias',
				),
			),
			'Store location'        => array(
				array(
					'Where is the store?',
					"Where's your store",
					'Could you tell me where the store is, please?',
				),
			),
		);
	}

	/**
	 * Every wording gives the same non-empty text.
	 *
	 * @param list<string> $wordings Wordings of one question.
	 */
	#[DataProvider( 'paraphrases' )]
	public function test_paraphrases_normalize_to_the_same_text( array $wordings ): void {
		$normalizer = new Question_Normalizer();
		$first      = $normalizer->normalize( $wordings[0] );
		$this->assertNotSame( '', $first );
		foreach ( $wordings as $wording ) {
			$this->assertSame( $first, $normalizer->normalize( $wording ), $wording );
		}
	}

	/**
	 * Pairs that differ in meaning.
	 *
	 * @return array<string, array{0: string, 1: string}>
	 */
	public static function near_misses(): array {
		return array(
			'more specific'      => array( 'return policy', 'return policy for opened items' ),
			'direction'          => array( 'Do you ship to Canada?', 'Do you ship from Canada?' ),
			'word order'         => array( 'ship from Canada to France', 'ship from France to Canada' ),
			'negation'           => array( 'I want a refund', "I don't want a refund" ),
			'question word'      => array( 'How do I return an item?', 'When do I return an item?' ),
			'German negation'    => array( 'Ist das Paket versichert?', 'Ist das Paket nicht versichert?' ),
			'Chinese difference' => array( '退货政策是什么', '换货政策是什么' ),
			'number'             => array( 'Is shipping free over 50 euros?', 'Is shipping free over 100 euros?' ),
			'hi inside'          => array( 'hello', 'hello kitty' ),
		);
	}

	/**
	 * Different questions stay apart.
	 *
	 * @param string $a One question.
	 * @param string $b A different one.
	 */
	#[DataProvider( 'near_misses' )]
	public function test_near_misses_stay_apart( string $a, string $b ): void {
		$normalizer = new Question_Normalizer();
		$this->assertNotSame( $normalizer->normalize( $a ), $normalizer->normalize( $b ) );
	}

	public function test_result_is_readable_text(): void {
		$normalizer = new Question_Normalizer();
		$this->assertSame( 'what return policy', $normalizer->normalize( 'Hi! What is your return policy, please?' ) );
		$this->assertSame( '退货政策是什么', $normalizer->normalize( '请问退货政策是什么？' ) );
		$this->assertSame( 'return policy opened items', $normalizer->normalize( 'Return policy for opened items?' ) );
		// CJK by character, other words by spaces.
		$this->assertSame( 'iphone 15 退货', $normalizer->normalize( 'iPhone 15 退货吗？' ) );
	}

	public function test_normalizing_twice_changes_nothing(): void {
		$normalizer = new Question_Normalizer();
		$questions  = array( 'Hi! What is your return policy, please?', '你好，请问一下退货政策是什么？谢谢', 'the hello world', 'Who are you?', "Qu'est-ce que c'est ?", 'Straße öffnen' );
		foreach ( $questions as $question ) {
			$once = $normalizer->normalize( $question );
			$this->assertSame( $once, $normalizer->normalize( $once ), $question );
		}
	}

	public function test_only_politeness_gives_empty_text_and_only_filler_words_are_kept(): void {
		$normalizer = new Question_Normalizer();
		$this->assertSame( '', $normalizer->normalize( 'Hi! Thanks!' ) );
		$this->assertSame( '', $normalizer->normalize( '你好，谢谢' ) );
		$this->assertSame( '', $normalizer->normalize( '?!  …' ) );
		// Stop words only: kept, so "is it" and "do you" do not both become "".
		$this->assertNotSame( $normalizer->normalize( 'is it?' ), $normalizer->normalize( 'do you?' ) );
		$this->assertNotSame( '', $normalizer->normalize( 'is it?' ) );
	}

	public function test_case_folding_and_width(): void {
		$normalizer = new Question_Normalizer();
		$this->assertSame( $normalizer->normalize( 'strasse' ), $normalizer->normalize( 'STRASSE' ) );
		$this->assertSame( $normalizer->normalize( 'Straße' ), $normalizer->normalize( 'STRASSE' ) );
		$this->assertSame( $normalizer->normalize( 'ｐｒｉｃｅ　１２３' ), $normalizer->normalize( 'price 123' ) );
	}

	public function test_invalid_utf8_does_not_break_it(): void {
		$normalizer = new Question_Normalizer();
		$this->assertSame( 'return policy', $normalizer->normalize( "return \xC3 policy" ) );
	}

	public function test_version_reflects_intl(): void {
		$this->assertStringEndsWith( class_exists( \Normalizer::class ) ? 'i' : 'b', ( new Question_Normalizer() )->version() );
	}
}
