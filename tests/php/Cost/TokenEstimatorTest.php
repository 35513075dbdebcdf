<?php
/**
 * Token estimates: the image rules exactly, text against the real tokenizer's counts.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Cost;

use VoiceVisionChat\Cost\Token_Estimator;
use VoiceVisionChat\Routing\Model_Catalog;
use VoiceVisionChat\Tests\Support\TestCase;

/**
 * Token_Estimator.
 */
final class TokenEstimatorTest extends TestCase {

	/**
	 * English and other Latin-script texts with their o200k_base token counts.
	 *
	 * Counted with js-tiktoken 1.0 (the simulator's tokenizer), o200k_base ranks:
	 *   PATH=/work/main/node_modules/.bin:$PATH node -e "
	 *     const { Tiktoken } = require('js-tiktoken/lite');
	 *     const enc = new Tiktoken(require('js-tiktoken/ranks/o200k_base').default);
	 *     console.log(enc.encode(TEXT, [], []).length)"
	 * (run from a directory inside /work/main so node finds the package).
	 *
	 * @return array<string, array{0: int, 1: string}>
	 */
	public static function latin_texts(): array {
		return array(
			'en_paragraph' => array( 68, 'I ordered a pair of hiking boots from your shop last week, but the size is wrong. Could you tell me how returns work, whether I have to pay for shipping, and how long it usually takes before the refund shows up on my credit card? I would also like to know if I can exchange them for a larger size instead.' ),
			'en_compare'   => array( 23, 'Compare the basic and premium plans: which one is better for a small bakery that wants online ordering, and why?' ),
			'en_tech'      => array( 45, 'Our WooCommerce checkout throws a 500 Internal Server Error after updating to PHP 8.3; the debug.log mentions an uncaught TypeError in class-wc-payment-gateway.php on line 212. Any idea?' ),
			'en_long'      => array( 86, 'Photosynthesis is the process by which green plants, algae and some bacteria convert light energy into chemical energy. During this process, carbon dioxide and water are transformed into glucose and oxygen, using sunlight captured by chlorophyll. The light-dependent reactions take place in the thylakoid membranes, while the Calvin cycle happens in the stroma of the chloroplast. Understanding these mechanisms helps scientists improve crop yields and develop artificial photosynthesis technologies.' ),
			'en_code'      => array( 50, "function add(a, b) {\n  return a + b;\n}\nconsole.log(add(2, 3)); // prints 5\nconst items = [1, 2, 3].map((x) => x * 2);" ),
			'en_ira'       => array( 33, 'Can you explain the difference between a Roth IRA and a traditional IRA, and which one makes more sense if I expect my income to rise significantly over the next decade?' ),
			'en_dishes'    => array( 36, 'My dishwasher leaves a white residue on glasses after every cycle. I already tried vinegar and a new rinse aid. What else could be causing this, and should I call a technician?' ),
			'sql'          => array( 33, "SELECT user_id, COUNT(*) AS orders FROM wp_wc_orders WHERE status = 'completed' GROUP BY user_id HAVING orders > 3 ORDER BY orders DESC;" ),
			'de'           => array( 22, 'Können Sie mir bitte sagen, wie lange die Lieferung nach Österreich dauert und ob Versandkosten anfallen?' ),
			'fr'           => array( 21, 'Bonjour, je voudrais savoir si vous livrez en Belgique et quels sont les délais de livraison habituels.' ),
			'es'           => array( 20, '¿Cuál es la diferencia entre el plan básico y el plan profesional? Necesito facturación electrónica.' ),
		);
	}

	/**
	 * Chinese, Japanese and Korean texts with their o200k_base token counts (made as above).
	 *
	 * @return array<string, array{0: int, 1: string}>
	 */
	public static function cjk_texts(): array {
		return array(
			'zh'      => array( 32, '请问你们的商店周末几点开门？我想下周六带孩子一起去买一些学习用品，另外停车方便吗？' ),
			'zh_long' => array( 72, '人工智能正在改变我们的生活方式。从智能手机中的语音助手，到医院里帮助医生诊断疾病的系统，人工智能技术已经深入到社会的各个方面。然而，随着技术的快速发展，我们也需要认真思考隐私保护、数据安全以及就业等问题，确保科技进步能够真正造福全人类。' ),
			'zh_crm'  => array( 48, '我们公司正在寻找一款适合中小企业使用的客户关系管理软件，希望能够支持多用户协作、数据导出以及移动端访问。请问贵公司的产品是否满足这些需求？价格大概是多少？' ),
			'zh_size' => array( 24, '昨天下单的衣服尺码选错了，能帮我换成大一号的吗？谢谢！' ),
			'ja'      => array( 25, '来週の土曜日に予約を変更したいのですが、可能でしょうか。料金はかかりますか？' ),
			'ja_long' => array( 85, '日本の四季はそれぞれ美しく、春には桜が咲き、夏には花火大会が開かれます。秋になると紅葉が山々を彩り、冬には雪景色を楽しむことができます。旅行者にとって、季節ごとに異なる魅力を発見できるのが日本の大きな特徴です。' ),
			'ja_tokyo' => array( 49, '東京は日本の首都であり、政治、経済、文化の中心地です。多くの観光客が毎年訪れ、伝統と現代が融合した街並みを楽しんでいます。' ),
			'ko'      => array( 24, '안녕하세요, 주문한 상품이 아직 도착하지 않았는데 배송 상태를 확인해 주실 수 있나요?' ),
			'ko_seoul' => array( 25, '서울은 대한민국의 수도이며 정치, 경제, 문화의 중심지입니다. 매년 많은 관광객이 방문합니다.' ),
		);
	}

	/**
	 * Image rules from the shipped catalog.
	 *
	 * @return array<string, mixed>
	 */
	private static function rule( string $model ): array {
		return ( new Model_Catalog( array() ) )->get( $model )['image'] ?? array();
	}

	public function test_latin_text_is_within_ten_percent_of_the_tokenizer(): void {
		$estimator = new Token_Estimator();
		foreach ( self::latin_texts() as $name => list( $real, $text ) ) {
			$estimate = $estimator->text( $text );
			$this->assertEqualsWithDelta( $real, $estimate, 0.10 * $real, "$name: estimated $estimate, real $real" );
		}
	}

	public function test_cjk_text_is_within_ten_percent_overall_and_within_a_quarter_per_text(): void {
		$estimator = new Token_Estimator();
		$real_sum  = 0;
		$est_sum   = 0;
		foreach ( self::cjk_texts() as $name => list( $real, $text ) ) {
			$estimate = $estimator->text( $text );
			// Per text no rate per character can do better: common words are one token, rare
			// characters are not, and only the tokenizer's vocabulary knows which is which.
			$this->assertEqualsWithDelta( $real, $estimate, 0.25 * $real, "$name: estimated $estimate, real $real" );
			$real_sum += $real;
			$est_sum  += $estimate;
		}
		$this->assertEqualsWithDelta( $real_sum, $est_sum, 0.10 * $real_sum, "all CJK texts: estimated $est_sum, real $real_sum" );
	}

	public function test_edge_cases_of_text(): void {
		$estimator = new Token_Estimator();
		$this->assertSame( 0, $estimator->text( '' ) );
		$this->assertSame( 1, $estimator->text( 'Hi' ) );
		$this->assertSame( 4, $estimator->text( "\xff\xfe\x00\x01" ), 'invalid UTF-8 counts a token per byte' );
		$this->assertGreaterThan( 900, $estimator->text( str_repeat( 'a ', 1000 ) ) );
	}

	public function test_chat_overhead_follows_openais_recipe(): void {
		$estimator = new Token_Estimator();
		$system    = 'You are a helpful assistant for the website Example.';
		$question  = 'What are your opening hours on Saturday?';
		$messages  = array(
			array( 'role' => 'system', 'content' => $system ),
			array( 'role' => 'user', 'content' => $question ),
		);

		// 3 to prime the reply, 3 per message, 1 per role ("system", "user").
		$this->assertSame( 3 + 2 * ( 3 + 1 ), $estimator->messages( $messages ) - $estimator->text( $system ) - $estimator->text( $question ) );
		// The simulator counts 29 for this prompt (js-tiktoken, same recipe).
		$this->assertEqualsWithDelta( 29, $estimator->messages( $messages ), 2.9 );

		$named = array( array( 'role' => 'user', 'name' => 'ann', 'content' => 'Hi' ) );
		$this->assertSame( 3 + 3 + 1 + 1 + 1 + 1, $estimator->messages( $named ) );
	}

	public function test_tile_rule_matches_openais_examples(): void {
		$estimator = new Token_Estimator();
		$gpt_4o    = self::rule( 'gpt-4o' );

		$this->assertSame( 765, $estimator->image( $gpt_4o, 1024, 1024, 'high' ) );
		$this->assertSame( 765, $estimator->image( $gpt_4o, 1024, 1024, 'auto' ), 'auto is counted as high' );
		$this->assertSame( 85, $estimator->image( $gpt_4o, 1024, 1024, 'low' ) );
		$this->assertSame( 1105, $estimator->image( $gpt_4o, 2048, 4096, 'high' ), 'fit 2048, then 768 x 1536: 6 tiles' );
		$this->assertSame( 255, $estimator->image( $gpt_4o, 512, 400, 'high' ), 'small images are not enlarged: 1 tile' );
		$this->assertSame( 85 + 8 * 170, $estimator->image( $gpt_4o, 0, 0, 'high' ), 'unknown size: the most tiles any image keeps' );
		$this->assertSame( 765, $estimator->image( self::rule( 'gpt-4.1' ), 1024, 1024, 'high' ) );
	}

	public function test_gpt_4o_mini_bills_its_own_tile_numbers(): void {
		$estimator = new Token_Estimator();
		$this->assertSame( 2833 + 4 * 5667, $estimator->image( self::rule( 'gpt-4o-mini' ), 1024, 1024, 'high' ) );
		$this->assertSame( 2833, $estimator->image( self::rule( 'gpt-4o-mini' ), 1024, 1024, 'low' ) );
		$this->assertSame( 70 + 4 * 140, $estimator->image( self::rule( 'gpt-5' ), 1024, 1024, 'high' ) );
	}

	public function test_patch_rule_matches_openais_examples(): void {
		$estimator = new Token_Estimator();
		// 1024 x 1024: 32 x 32 = 1024 patches; times 1.62 on the -mini models.
		$this->assertSame( 1659, $estimator->image( self::rule( 'gpt-4.1-mini' ), 1024, 1024 ) );
		// 1800 x 2400 shrinks to 1452 patches (the guide's example); times 2.46 on -nano.
		$this->assertSame( (int) ceil( 1452 * 2.46 ), $estimator->image( self::rule( 'gpt-5-nano' ), 1800, 2400 ) );
		$this->assertSame( (int) ceil( 1536 * 1.62 ), $estimator->image( self::rule( 'gpt-5-mini' ), 0, 0 ), 'unknown size: the cap' );
		// 5000 x 5000 shrinks to 39 x 39 whole patches (1521), under the cap.
		$this->assertSame( (int) ceil( 1521 * 1.62 ), $estimator->image( self::rule( 'gpt-5-mini' ), 5000, 5000 ) );
		$this->assertSame( 0, $estimator->image( self::rule( 'gpt-audio' ), 1024, 1024 ), 'no image rule: no tokens' );
	}

	public function test_chat_input_reads_image_sizes_from_data_urls_and_audio_from_wav(): void {
		$estimator = new Token_Estimator();
		$image     = imagecreatetruecolor( 1024, 1024 );
		ob_start();
		imagepng( $image );
		$png  = (string) ob_get_clean();
		$body = array(
			'messages' => array(
				array( 'role' => 'system', 'content' => 'Be brief.' ),
				array(
					'role'    => 'user',
					'content' => array(
						array( 'type' => 'text', 'text' => 'What is this?' ),
						array( 'type' => 'image_url', 'image_url' => array( 'url' => 'data:image/png;base64,' . base64_encode( $png ), 'detail' => 'high' ) ),
						array( 'type' => 'input_audio', 'input_audio' => array( 'data' => base64_encode( self::wav( 2.5 ) ), 'format' => 'wav' ) ),
					),
				),
			),
		);

		$input = $estimator->chat_input( $body, self::rule( 'gpt-4o' ) );
		$this->assertSame( 765, $input['image'] );
		$this->assertSame( 25, $input['audio'], '2.5 s at 10 tokens a second' );
		$this->assertSame( 3 + 2 * 4 + $estimator->text( 'Be brief.' ) + $estimator->text( 'What is this?' ), $input['text'] );
	}

	public function test_audio_tokens_and_lengths(): void {
		$estimator = new Token_Estimator();
		$this->assertSame( 21, $estimator->audio_in( 2.01 ), 'rounded up' );
		$this->assertSame( 60, $estimator->audio_out( 3 ) );
		$this->assertEqualsWithDelta( 2.5, Token_Estimator::audio_seconds( self::wav( 2.5 ) ), 0.001 );
		$this->assertEqualsWithDelta( 10.0, Token_Estimator::audio_seconds( str_repeat( "\xff", 40000 ) ), 0.001, 'compressed audio: assumed 32 kbit/s, an upper bound' );
	}

	/**
	 * A silent 16 kHz mono 16-bit WAV file.
	 */
	private static function wav( float $seconds ): string {
		$data = str_repeat( "\0\0", (int) ( 16000 * $seconds ) );
		return 'RIFF' . pack( 'V', 36 + strlen( $data ) ) . 'WAVEfmt ' . pack( 'VvvVVvv', 16, 1, 1, 16000, 32000, 2, 16 ) . 'data' . pack( 'V', strlen( $data ) ) . $data;
	}
}
