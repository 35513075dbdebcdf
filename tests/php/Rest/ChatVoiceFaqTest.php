<?php
/**
 * Typed and spoken questions share the FAQ cache: routed alike, keyed alike, through the
 * chat route wired as the plugin wires it, against the OpenAI simulator (its request log,
 * filtered by this test's marker, proves which provider calls each turn made).
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Rest;

use VoiceVisionChat\Cache\Cache_Version;
use VoiceVisionChat\Cache\Curated_Faq_Store;
use VoiceVisionChat\Cache\Question_Normalizer;
use VoiceVisionChat\Cost\Budget_Ledger;
use VoiceVisionChat\Cost\Budget_Settings;
use VoiceVisionChat\Cost\Cost_Calculator;
use VoiceVisionChat\Routing\Model_Catalog;
use VoiceVisionChat\Routing\Model_Tier;
use VoiceVisionChat\Security\Visitor_Token;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Storage\Usage_Repository;
use VoiceVisionChat\Tests\Support\TestCase;
use VoiceVisionChat\Tests\Upstream\Simulator;
use VoiceVisionChat\Tests\Voice\Voice_Collecting_Writer;
use VoiceVisionChat\Tests\Voice\Voice_Test_Support;
use WP_REST_Request;
use WP_REST_Response;

require_once __DIR__ . '/../Upstream/Simulator.php';
require_once __DIR__ . '/Chat_Test_Stack.php';
require_once __DIR__ . '/../Voice/Voice_Test_Support.php';

/**
 * POST /chat with typed and spoken turns on one FAQ cache.
 */
final class ChatVoiceFaqTest extends TestCase {

	private const KEY = 'sk-vvc-test-chat-voice-faq-4d1c';

	private const ROUTE = '/voice-vision-chat/v1/chat';

	/**
	 * This test's marker, letters only (digits would read as an order number, and questions
	 * with personal data are not cached).
	 *
	 * @var string
	 */
	private string $marker;

	protected function setUp(): void {
		parent::setUp();
		$this->marker = strtr( Simulator::marker( 'chatvoicefaq' ), '0123456789', 'ghijklmnop' );
		Simulator::configure(
			self::KEY,
			array(
				'max_completion_tokens' => 300,
				'faq_min_asks'          => 1, // The first answer is kept: the second ask meets it.
				'voice_pipeline'        => 'chained',
			)
		);
		Simulator::meter_freely();
		$marker = $this->marker;
		add_filter( 'vvc_transcription_prompt', static fn (): string => 'Shop words. ' . $marker );
		$this->serve();
	}

	protected function tearDown(): void {
		remove_all_filters( 'vvc_transcription_prompt' );
		parent::tearDown();
	}

	/**
	 * Serves /chat as Plugin::register() wires it: one FAQ cache for typed and spoken turns.
	 */
	private function serve(): void {
		Chat_Test_Stack::serve( new Voice_Collecting_Writer() );
	}

	/**
	 * Asks in writing.
	 *
	 * @param string $question The question (the marker is in it).
	 */
	private function type( string $question ): WP_REST_Response {
		$request = new WP_REST_Request( 'POST', self::ROUTE );
		$request->set_header( 'X-VVC-Token', ( new Visitor_Token() )->issue()['token'] );
		$request->set_body_params( array( 'message' => $question ) );
		return rest_do_request( $request );
	}

	/**
	 * How many of this test's requests reached an endpoint.
	 *
	 * @param string $path API path.
	 */
	private function calls( string $path ): int {
		return count( Voice_Test_Support::requests( $this->marker, $path ) );
	}

	/**
	 * The latest usage row.
	 *
	 * @return array<string, int|string>
	 */
	private static function last_row(): array {
		return (array) ( ( new Usage_Repository() )->query( array(), 1, 1 )['rows'][0] ?? array() );
	}

	public function test_a_question_typed_once_is_answered_from_the_cache_when_asked_aloud(): void {
		$question = 'What are your opening hours? ' . $this->marker;

		$typed = $this->type( $question );
		$this->assertSame( 200, $typed->get_status(), (string) wp_json_encode( $typed->get_data() ) );
		$this->assertArrayNotHasKey( 'source', (array) $typed->get_data() );
		$this->assertSame( 'economy', self::last_row()['tier'], 'a simple question takes the cheap tier' );
		$this->assertSame( 1, $this->calls( '/v1/chat/completions' ) );

		$spoken = Chat_Test_Stack::say( self::ROUTE, $this->marker, $question );
		$data   = (array) $spoken->get_data();
		$this->assertSame( 200, $spoken->get_status(), (string) wp_json_encode( $data ) );
		$this->assertSame( 'faq', $data['source'] ?? null, 'the spoken question met the typed one in the cache' );
		$this->assertSame( $typed->get_data()['reply'], $data['reply'] );
		$this->assertSame( $question, $data['transcript'] );
		$this->assertSame( 1, $this->calls( '/v1/chat/completions' ), 'no model call for the spoken ask' );
		$this->assertSame( 1, $this->calls( '/v1/audio/transcriptions' ) );
		$row = self::last_row();
		$this->assertSame( 'faq', $row['route'] );
		$this->assertSame( 1, $row['cache_hit'] );
		$this->assertSame( 'economy', $row['tier'], 'routed as the typed question was' );
	}

	public function test_a_question_asked_aloud_once_is_answered_from_the_cache_when_typed(): void {
		$question = 'Do you ship to Canada? ' . $this->marker;

		$spoken = Chat_Test_Stack::say( self::ROUTE, $this->marker, $question );
		$this->assertSame( 200, $spoken->get_status(), (string) wp_json_encode( $spoken->get_data() ) );
		$this->assertArrayNotHasKey( 'source', (array) $spoken->get_data() );
		$chat = Voice_Test_Support::requests( $this->marker, '/v1/chat/completions' );
		$this->assertCount( 1, $chat );
		$economy = Model_Tier::defaults()[ Model_Tier::ECONOMY ];
		$this->assertSame( $economy, $chat[0]['body']['model'], 'the transcript was routed like a typed question: the cheap tier' );
		$row = self::last_row();
		$this->assertSame( 'economy', $row['tier'] );
		$this->assertSame( $economy, $row['model'] );
		$this->assertStringStartsWith( 'voice,chained,', (string) $row['route_reasons'] );

		$typed = $this->type( $question );
		$data  = (array) $typed->get_data();
		$this->assertSame( 200, $typed->get_status(), (string) wp_json_encode( $data ) );
		$this->assertSame( 'faq', $data['source'] ?? null, 'the typed question met the spoken one in the cache' );
		$this->assertSame( $spoken->get_data()['reply'], $data['reply'] );
		$this->assertSame( 1, $this->calls( '/v1/chat/completions' ), 'no model call for the typed ask' );
	}

	public function test_a_native_faq_hit_that_makes_speech_is_reserved_for_it_and_billed_as_a_cache_hit(): void {
		( new Settings() )->update( array( 'voice_pipeline' => 'native' ) );
		$this->serve();
		$question = 'Where is your shop? ' . $this->marker;
		// Long (longer than a model answer can be), and with the marker, so its speech requests
		// are this test's.
		$answer = str_repeat( 'Our shop is on the market square, next to the old bakery. ', 30 ) . $this->marker;
		$this->assertIsArray( ( new Curated_Faq_Store( new Question_Normalizer(), new Cache_Version() ) )->create( array( $question ), $answer ) );

		$spoken = Chat_Test_Stack::say( self::ROUTE, $this->marker, $question );
		$data   = (array) $spoken->get_data();
		$this->assertSame( 200, $spoken->get_status(), (string) wp_json_encode( $data ) );
		$this->assertSame( 'native', $data['pipeline'] );
		$this->assertSame( 'faq', $data['source'] ?? null );
		$this->assertIsArray( $data['audio'], 'the curated answer is spoken' );
		$this->assertSame( 0, $this->calls( '/v1/chat/completions' ), 'the audio model is not asked' );
		$this->assertSame( 1, $this->calls( '/v1/audio/transcriptions' ) );
		$this->assertGreaterThan( 0, $this->calls( '/v1/audio/speech' ), 'no speech was cached yet: it is made now' );

		$row = self::last_row();
		$this->assertSame( 'faq', $row['route'] );
		$this->assertSame( 1, $row['cache_hit'] );
		$this->assertGreaterThan( 0, $row['audio_out_tokens'], 'the speech, by its characters and seconds' );
		$transcription = Voice_Test_Support::requests( $this->marker, '/v1/audio/transcriptions' );
		$heard         = (int) ( new Cost_Calculator( new Model_Catalog() ) )->from_usage( (string) $transcription[0]['multipart']['fields']['model'], (array) $transcription[0]['usage'] )['micros'];
		$this->assertGreaterThan( $heard, $row['cost_micros'], 'billed with what on_usage reported: transcription and speech' );
		$this->assertGreaterThanOrEqual( $row['cost_micros'], $row['estimated_micros'], 'the reservation covered the speech of the whole answer' );
		$this->assertSame( 0, self::site_day_reserved() );
	}

	/**
	 * Micro-dollars still reserved on the site's day line.
	 */
	private static function site_day_reserved(): int {
		foreach ( ( new Budget_Ledger( new Budget_Settings() ) )->gauges() as $gauge ) {
			if ( 'site_day' === $gauge['scope'] ) {
				return $gauge['reserved'];
			}
		}
		return 0;
	}
}
