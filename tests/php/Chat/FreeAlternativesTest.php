<?php
/**
 * Free_Alternatives: which errors get the alternatives, and which curated questions are offered.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Chat;

use VoiceVisionChat\Cache\Cache_Version;
use VoiceVisionChat\Cache\Curated_Faq_Store;
use VoiceVisionChat\Cache\Faq_Cache;
use VoiceVisionChat\Cache\Faq_Stats;
use VoiceVisionChat\Cache\Personal_Data;
use VoiceVisionChat\Cache\Question_Normalizer;
use VoiceVisionChat\Chat\Free_Alternatives;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Tests\Support\TestCase;
use WP_Error;

/**
 * The alternatives offered when no model answers.
 */
final class FreeAlternativesTest extends TestCase {

	/**
	 * Curated entries (inside the test's transaction).
	 *
	 * @var Curated_Faq_Store
	 */
	private Curated_Faq_Store $curated;

	protected function setUp(): void {
		parent::setUp();
		$this->curated = new Curated_Faq_Store( new Question_Normalizer(), new Cache_Version() );
		$this->curated->delete_all();
	}

	/**
	 * Alternatives on the test's curated entries, with the FAQ cache on the given settings.
	 *
	 * @param array<string, mixed> $settings Stored settings.
	 */
	private function alternatives( array $settings = array() ): Free_Alternatives {
		update_option( Settings::OPTION, $settings );
		$normalizer = new Question_Normalizer();
		$version    = new Cache_Version();
		$faq        = new Faq_Cache( new Settings(), $normalizer, $this->curated, new Faq_Stats(), $version, new Personal_Data() );
		return new Free_Alternatives( $this->curated, $faq, $normalizer );
	}

	public function test_questions_sharing_words_with_the_visitors_come_first_then_the_admins_order(): void {
		$this->curated->create( array( 'Do you ship to Canada?' ), 'Yes.' );
		$this->curated->create( array( 'When are you open?', 'What are your opening hours?' ), 'Nine to five.' );
		$this->curated->create( array( 'What is your return policy?' ), 'Thirty days.' );
		$alternatives = $this->alternatives();

		$this->assertSame(
			array( 'What is your return policy?', 'Do you ship to Canada?', 'When are you open?' ),
			$alternatives->questions( 'Can I return shoes? Tell me the policy.' )
		);
		// Any wording of an entry counts; the first wording is what is offered.
		$this->assertSame( 'When are you open?', $alternatives->questions( 'opening hours on Sunday' )[0] );
		// No question, or nothing in common: the admin's order.
		$this->assertSame( array( 'Do you ship to Canada?', 'When are you open?', 'What is your return policy?' ), $alternatives->questions() );
		$this->assertSame( array( 'Do you ship to Canada?', 'When are you open?', 'What is your return policy?' ), $alternatives->questions( 'bonjour' ) );
	}

	public function test_at_most_five_questions_and_none_while_the_faq_is_off(): void {
		foreach ( array( 'alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf' ) as $word ) {
			$this->curated->create( array( "What is $word?" ), "The letter $word." );
		}
		$this->assertSame(
			array( 'What is golf?', 'What is alpha?', 'What is bravo?', 'What is charlie?', 'What is delta?' ),
			$this->alternatives()->questions( 'golf' )
		);
		$this->assertSame( array(), $this->alternatives( array( 'faq_enabled' => false ) )->questions( 'golf' ) );
	}

	public function test_only_errors_after_which_no_model_answers_get_the_alternatives(): void {
		$this->curated->create( array( 'When are you open?' ), 'Nine to five.' );
		$alternatives = $this->alternatives();
		foreach ( Free_Alternatives::CODES as $code ) {
			$error = $alternatives->decorate( new WP_Error( $code, 'Visitor message.', array( 'status' => 503 ) ), 'open' );
			$this->assertSame( $code, $error->get_error_code() );
			$this->assertSame( 'Visitor message.', $error->get_error_message() );
			$data = (array) $error->get_error_data();
			$this->assertSame( 503, $data['status'], $code );
			$this->assertSame( array( 'When are you open?' ), $data['questions'], $code );
			$this->assertSame( add_query_arg( 's', 'open', home_url( '/' ) ), $data['search_url'], $code );
		}
		// A visitor's own daily spend is used up: the FAQ still answers them.
		$spent = $alternatives->decorate(
			new WP_Error(
				'vvc_rate_limited',
				'Come back tomorrow.',
				array(
					'status' => 429,
					'scope'  => 'visitor_day',
				)
			),
			'open'
		);
		$this->assertSame( array( 'When are you open?' ), $spent->get_error_data()['questions'] );
		$this->assertSame( 'visitor_day', $spent->get_error_data()['scope'] );
		// Asking too fast is refused before the FAQ too: nothing to offer.
		$fast = new WP_Error(
			'vvc_rate_limited',
			'Slow down.',
			array(
				'status' => 429,
				'scope'  => 'requests',
			)
		);
		$this->assertSame( $fast, $alternatives->decorate( $fast, 'open' ) );
		foreach ( array( 'vvc_rate_limited', 'vvc_message_too_long', 'vvc_invalid_token', 'vvc_image_unsupported', 'vvc_disabled' ) as $code ) {
			$error = new WP_Error( $code, 'Fix it.', array( 'status' => 400 ) );
			$this->assertSame( $error, $alternatives->decorate( $error, 'open' ), $code );
			$this->assertSame( array( 'status' => 400 ), $alternatives->add_to( $code, array( 'status' => 400 ), 'open' ), $code );
		}
	}
}
