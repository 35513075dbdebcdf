<?php
/**
 * Personal data patterns: e-mail addresses, phone numbers, order numbers.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Cache;

use PHPUnit\Framework\Attributes\DataProvider;
use VoiceVisionChat\Cache\Personal_Data;
use VoiceVisionChat\Tests\Support\TestCase;

/**
 * Personal_Data.
 */
final class PersonalDataTest extends TestCase {

	/**
	 * Texts with personal data.
	 *
	 * @return array<string, array{0: string}>
	 */
	public static function personal(): array {
		return array(
			'e-mail'              => array( 'Please write to jo.doe+shop@example.co.uk about my refund' ),
			'full-width e-mail'   => array( 'ｊｏ＠ｅｘａｍｐｌｅ．ｃｏｍ' ),
			'phone international' => array( 'Call me on +49 (0)30 1234-5678' ),
			'phone dotted'        => array( 'my number is 555.123.4567' ),
			'phone plain'         => array( 'ring 0612345678 tomorrow' ),
			'hash number'         => array( 'Where is #1234?' ),
			'order word'          => array( 'What is the status of order 553?' ),
			'German order'        => array( 'Wo ist meine Bestellung Nr. 4432?' ),
			'French order'        => array( 'Ma commande numéro 8812 est en retard' ),
			'Chinese order'       => array( '我的订单 123456 在哪里' ),
			'reference'           => array( 'Tracking WC-10234 shows nothing' ),
			'long digits'         => array( 'Is 90210 in your delivery area?' ),
		);
	}

	/**
	 * Found.
	 *
	 * @param string $text Text with personal data.
	 */
	#[DataProvider( 'personal' )]
	public function test_finds_personal_data( string $text ): void {
		$this->assertTrue( ( new Personal_Data() )->found_in( $text ), $text );
	}

	/**
	 * Texts without personal data.
	 *
	 * @return array<string, array{0: string}>
	 */
	public static function ordinary(): array {
		return array(
			'question'    => array( 'What is your return policy?' ),
			'year'        => array( 'Are you open on Christmas 2025?' ),
			'price'       => array( 'Is the $1,299.00 laptop in stock?' ),
			'small count' => array( 'Can I order 3 items and return 2?' ),
			'at sign'     => array( 'Meet @ the store?' ),
			'chinese'     => array( '退货政策是什么' ),
		);
	}

	/**
	 * Not found.
	 *
	 * @param string $text Text without personal data.
	 */
	#[DataProvider( 'ordinary' )]
	public function test_leaves_ordinary_questions_alone( string $text ): void {
		$this->assertSame( array(), ( new Personal_Data() )->values( $text ), $text );
	}

	public function test_echo_of_question_data_in_answer(): void {
		$personal = new Personal_Data();
		$this->assertTrue( $personal->echoed( 'Where is order 55321?', 'Order 55-321 shipped yesterday.' ) );
		$this->assertTrue( $personal->echoed( 'Is JO@example.com subscribed?', 'Yes, jo@example.com is on the list.' ) );
		$this->assertFalse( $personal->echoed( 'Where is order 55321?', 'You can track orders in your account.' ) );
		$this->assertFalse( $personal->echoed( 'What is your return policy?', 'Mail returns@shop.example within 30 days.' ) );
	}
}
