<?php
/**
 * When the provider cannot answer (down, slow, out of quota), POST /chat still offers what
 * costs nothing: the curated FAQ questions, pages from the site's search, the search page.
 * Through the chat route wired as the plugin wires it, against the OpenAI simulator's faults.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Rest;

use VoiceVisionChat\Cache\Curated_Faq_Store;
use VoiceVisionChat\Security\Visitor_Token;
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
 * Provider failures on POST /chat, typed and spoken, JSON and streamed.
 */
final class ChatProviderDownTest extends TestCase {

	private const KEY = 'sk-vvc-test-provider-down-7e2a';

	private const ROUTE = '/voice-vision-chat/v1/chat';

	/**
	 * This test's marker, letters only (digits would read as an order number).
	 *
	 * @var string
	 */
	private string $marker;

	/**
	 * The curated question offered as an alternative.
	 *
	 * @var string
	 */
	private string $curated_question;

	/**
	 * Collects the events of streamed answers.
	 *
	 * @var Voice_Collecting_Writer
	 */
	private Voice_Collecting_Writer $writer;

	/**
	 * Curated FAQ entries of the served route.
	 *
	 * @var Curated_Faq_Store
	 */
	private Curated_Faq_Store $curated;

	protected function setUp(): void {
		parent::setUp();
		$this->marker = strtr( Simulator::marker( 'providerdown' ), '0123456789', 'ghijklmnop' );
		Simulator::configure(
			self::KEY,
			array(
				'max_completion_tokens' => 300,
				'voice_pipeline'        => 'chained',
			)
		);
		Simulator::meter_freely();
		$marker = $this->marker;
		add_filter( 'vvc_transcription_prompt', static fn (): string => 'Shop words. ' . $marker );
		$this->writer  = new Voice_Collecting_Writer();
		$this->curated = Chat_Test_Stack::serve( $this->writer );

		$this->curated_question = 'What are your opening hours ' . $this->marker;
		$this->assertIsArray( $this->curated->create( array( $this->curated_question ), 'Nine to five.' ) );
		wp_insert_post(
			array(
				'post_title'   => 'Delivery times ' . $this->marker,
				'post_content' => 'Parcels leave within two days.',
				'post_status'  => 'publish',
				'post_type'    => 'page',
			)
		);
	}

	protected function tearDown(): void {
		remove_all_filters( 'vvc_transcription_prompt' );
		parent::tearDown();
	}

	/**
	 * The provider fails every request carrying the marker (retries included).
	 *
	 * @param string      $type Simulator fault type.
	 * @param string|null $path Only this API path; every path when null.
	 */
	private function provider_fails( string $type, ?string $path = null ): void {
		$match = array( 'contains' => $this->marker );
		if ( null !== $path ) {
			$match['path'] = $path;
		}
		Simulator::script(
			array(
				'match' => $match,
				'fault' => array( 'type' => $type ),
				'times' => 20,
			)
		);
	}

	/**
	 * Asks in writing.
	 *
	 * @param string $question The question.
	 * @param bool   $stream   Whether to ask for events.
	 */
	private function type( string $question, bool $stream = false ): WP_REST_Response {
		$request = new WP_REST_Request( 'POST', self::ROUTE );
		$request->set_header( 'X-VVC-Token', ( new Visitor_Token() )->issue()['token'] );
		$request->set_body_params(
			$stream ? array(
				'message' => $question,
				'stream'  => '1',
			) : array( 'message' => $question )
		);
		return rest_do_request( $request );
	}

	/**
	 * Asserts the free alternatives: the curated question, and the page found for $question.
	 *
	 * @param array<string, mixed> $data     Error data or an `error` event.
	 * @param string|null          $question The question searched for; null when none was known.
	 */
	private function assertAlternatives( array $data, ?string $question ): void {
		$this->assertSame( array( $this->curated_question ), $data['questions'] ?? null, (string) wp_json_encode( $data ) );
		if ( null === $question ) {
			$this->assertSame( array(), $data['links'] );
			$this->assertSame( home_url( '/' ), $data['search_url'] );
			return;
		}
		$this->assertSame( array( 'Delivery times ' . $this->marker ), array_column( $data['links'], 'title' ) );
		$this->assertSame( add_query_arg( 's', rawurlencode( $question ), home_url( '/' ) ), $data['search_url'] );
	}

	public function test_a_typed_question_the_provider_fails_offers_the_free_alternatives(): void {
		$this->provider_fails( 'server_error' );
		$question = 'Delivery times ' . $this->marker;

		$response = $this->type( $question );
		$this->assertSame( 502, $response->get_status() );
		$error = (array) $response->get_data();
		$this->assertSame( 'vvc_upstream_error', $error['code'] );
		$this->assertSame( 'The assistant could not answer just now. Please try again.', $error['message'] );
		$this->assertAlternatives( (array) $error['data'], $question );
		$this->assertSame( 502, $error['data']['status'], 'the status stays' );
		$before = count( Voice_Test_Support::requests( $this->marker ) );
		$this->assertGreaterThan( 1, $before, 'the provider was asked (and retried)' );

		// The offered question is answered from the FAQ, without the provider.
		$offered = $this->type( $error['data']['questions'][0] );
		$this->assertSame( 200, $offered->get_status() );
		$this->assertSame( 'Nine to five.', $offered->get_data()['reply'] );
		$this->assertCount( $before, Voice_Test_Support::requests( $this->marker ) );
	}

	public function test_a_stream_that_fails_before_any_word_is_a_json_error_with_the_alternatives(): void {
		$this->provider_fails( 'insufficient_quota' );
		$question = 'Delivery times ' . $this->marker;

		$response = $this->type( $question, true );
		$this->assertSame( 503, $response->get_status() );
		$this->assertSame( 'vvc_upstream_quota', $response->get_data()['code'] );
		$this->assertAlternatives( (array) $response->get_data()['data'], $question );
		$this->assertSame( array(), $this->writer->events, 'no stream was started' );
	}

	public function test_a_stream_that_only_sent_keepalives_ends_with_an_error_event_with_the_alternatives(): void {
		$this->provider_fails( 'server_error' );
		$question = 'Delivery times ' . $this->marker;
		$this->writer->keepalive(); // A slow provider: the waiting comments went out already.

		$this->type( $question, true );
		$this->assertSame( array( 'error' ), $this->writer->names() );
		$event = $this->writer->of( 'error' )[0];
		$this->assertSame( 'vvc_upstream_error', $event['code'] );
		$this->assertSame( 'The assistant could not answer just now. Please try again.', $event['message'] );
		$this->assertAlternatives( $event, $question );
	}

	public function test_a_stream_cut_after_some_words_ends_without_alternatives(): void {
		Simulator::script(
			array(
				'match' => array( 'contains' => $this->marker ),
				'reply' => array( 'content' => str_repeat( 'A long answer that is cut. ', 20 ) ),
				'fault' => array(
					'type'         => 'cut_stream',
					'after_chunks' => 3,
				),
			)
		);
		$this->type( 'Delivery times ' . $this->marker, true );
		$names = $this->writer->names();
		$this->assertContains( 'delta', $names );
		$this->assertSame( 'error', end( $names ), (string) wp_json_encode( $this->writer->events ) );
		$event = $this->writer->of( 'error' )[0];
		$this->assertArrayNotHasKey( 'questions', $event, 'the visitor has part of an answer: retrying is the offer' );
	}

	public function test_errors_the_visitor_can_fix_have_no_alternatives(): void {
		Simulator::configure( self::KEY, array( 'turn_max_chars' => 200 ) );
		$response = $this->type( 'Delivery times ' . $this->marker . str_repeat( ' again', 40 ) );
		$this->assertSame( 400, $response->get_status() );
		$this->assertSame( 'vvc_message_too_long', $response->get_data()['code'] );
		$this->assertArrayNotHasKey( 'questions', (array) $response->get_data()['data'] );
		$this->assertSame( array(), Voice_Test_Support::requests( $this->marker ) );
	}

	public function test_a_spoken_question_the_provider_fails_offers_the_alternatives(): void {
		$this->provider_fails( 'insufficient_quota', '/v1/audio/transcriptions' );

		$response = Chat_Test_Stack::say( self::ROUTE, $this->marker, 'Delivery times ' . $this->marker );
		$this->assertSame( 503, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertSame( 'vvc_upstream_quota', $response->get_data()['code'] );
		$this->assertAlternatives( (array) $response->get_data()['data'], null ); // Nothing was heard.
	}

	public function test_a_spoken_stream_that_fails_after_the_transcript_offers_the_alternatives_for_what_was_heard(): void {
		$heard = 'Delivery times ' . $this->marker;
		$this->provider_fails( 'server_error', '/v1/chat/completions' );

		Chat_Test_Stack::say( self::ROUTE, $this->marker, $heard, true );
		$this->assertSame( array( 'transcript', 'error' ), $this->writer->names(), (string) wp_json_encode( $this->writer->events ) );
		$this->assertSame( $heard, $this->writer->of( 'transcript' )[0]['text'] );
		$event = $this->writer->of( 'error' )[0];
		$this->assertSame( 'vvc_upstream_error', $event['code'] );
		$this->assertAlternatives( $event, $heard );
	}
}
