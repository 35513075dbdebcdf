<?php
/**
 * POST /voice-vision-chat/v1/chat with the FAQ cache: curated and cached answers without a
 * model call, what is never served from the cache, and the personal marker, answered by the
 * OpenAI simulator (whose request log proves which turns reached the provider).
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Rest;

use VoiceVisionChat\Cache\Cache_Version;
use VoiceVisionChat\Cache\Curated_Faq_Store;
use VoiceVisionChat\Cache\Faq_Cache;
use VoiceVisionChat\Cache\Faq_Stats;
use VoiceVisionChat\Cache\Personal_Data;
use VoiceVisionChat\Cache\Personal_Marker;
use VoiceVisionChat\Cache\Question_Normalizer;
use VoiceVisionChat\Media\Image_Validator;
use VoiceVisionChat\Rest\Chat_Controller;
use VoiceVisionChat\Rest\Sse_Writer;
use VoiceVisionChat\Security\Visitor_Token;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Tests\Support\TestCase;
use VoiceVisionChat\Tests\Upstream\Simulator;
use VoiceVisionChat\Upstream\Chat_Request_Builder;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

require_once __DIR__ . '/../Upstream/Simulator.php';

/**
 * Collects events instead of printing them.
 */
final class Faq_Collecting_Sse_Writer extends Sse_Writer {

	/**
	 * Events written, as [name, data].
	 *
	 * @var list<array{0: string, 1: array<string, mixed>}>
	 */
	public array $events = array();

	/**
	 * Records the event.
	 *
	 * @param string               $name Event name.
	 * @param array<string, mixed> $data Payload.
	 */
	public function event( string $name, array $data ): bool {
		$this->events[] = array( $name, $data );
		return true;
	}

	/**
	 * Whether an event was written.
	 */
	public function started(): bool {
		return array() !== $this->events;
	}

	/**
	 * Does not exit.
	 */
	public function close(): void {
	}

	/**
	 * Names of the events written.
	 *
	 * @return list<string>
	 */
	public function names(): array {
		return array_column( $this->events, 0 );
	}

	/**
	 * Text of all delta events.
	 */
	public function text(): string {
		$text = '';
		foreach ( $this->events as $event ) {
			if ( 'delta' === $event[0] ) {
				$text .= (string) $event[1]['text'];
			}
		}
		return $text;
	}

	/**
	 * Payload of the last event.
	 *
	 * @return array<string, mixed>
	 */
	public function last(): array {
		$last = end( $this->events );
		return false === $last ? array() : $last[1];
	}
}

/**
 * The chat route and the FAQ cache together.
 */
final class ChatFaqTest extends TestCase {

	private const ROUTE = '/voice-vision-chat/v1/chat';

	private const KEY = 'sk-vvc-test-faq-5d0c7e21b9aa';

	/**
	 * Event writer of the controller served by serve().
	 *
	 * @var Faq_Collecting_Sse_Writer
	 */
	private Faq_Collecting_Sse_Writer $writer;

	protected function setUp(): void {
		parent::setUp();
		$this->configure( array() );
		Simulator::meter_freely();
	}

	/**
	 * Points the plugin at the simulator with these settings on top of the test's own.
	 *
	 * @param array<string, mixed> $settings Settings.
	 */
	private function configure( array $settings ): void {
		Simulator::configure(
			self::KEY,
			$settings + array(
				'system_prompt'         => 'You are the test shop assistant.',
				'text_model'            => 'gpt-5.4-nano',
				'image_model'           => 'gpt-5.4-mini',
				'max_completion_tokens' => 300,
			)
		);
	}

	/**
	 * Serves the chat route from a controller with a FAQ cache, a client that does not sleep
	 * between retries and a collecting event writer.
	 */
	private function serve(): void {
		rest_get_server(); // Lets rest_api_init run once, so routes may be registered.
		$GLOBALS['wp_rest_server'] = new WP_REST_Server();
		$sleeps                    = array();
		$settings                  = new Settings();
		$this->writer              = new Faq_Collecting_Sse_Writer();
		$controller                = Chat_Controller::create(
			$settings,
			new Visitor_Token(),
			Simulator::client( $sleeps, array( 'total' => 2, 'stream_idle' => 1 ) ),
			new Image_Validator( $settings, static fn ( string $path ): bool => is_file( $path ) ),
			new Chat_Request_Builder( $settings ),
			$this->writer,
			null,
			$this->faq_cache( $settings )
		);
		$controller->register_routes();
	}

	/**
	 * A FAQ cache on the current options.
	 *
	 * @param Settings $settings Settings.
	 */
	private function faq_cache( Settings $settings ): Faq_Cache {
		$normalizer = new Question_Normalizer();
		$version    = new Cache_Version();
		return new Faq_Cache( $settings, $normalizer, new Curated_Faq_Store( $normalizer, $version ), new Faq_Stats(), $version, new Personal_Data() );
	}

	/**
	 * Adds a curated entry.
	 *
	 * @param list<string> $questions Question variants.
	 * @param string       $answer    Answer.
	 */
	private function curate( array $questions, string $answer ): void {
		$normalizer = new Question_Normalizer();
		$created    = ( new Curated_Faq_Store( $normalizer, new Cache_Version() ) )->create( $questions, $answer );
		$this->assertIsArray( $created, 'the curated entry was stored' );
	}

	/**
	 * Sends a chat request like the widget does.
	 *
	 * @param array<string, mixed> $fields Body fields.
	 * @param string|null          $image  Fixture image sent as the `image` part.
	 */
	private function chat( array $fields, ?string $image = null ): WP_REST_Response {
		$request = new WP_REST_Request( 'POST', self::ROUTE );
		$request->set_header( 'X-VVC-Token', ( new Visitor_Token() )->issue()['token'] );
		$request->set_body_params( $fields );
		if ( null !== $image ) {
			$path = __DIR__ . '/../fixtures/images/' . $image;
			$request->set_file_params(
				array(
					'image' => array(
						'name'     => $image,
						'type'     => 'image/png',
						'tmp_name' => $path,
						'error'    => UPLOAD_ERR_OK,
						'size'     => (int) filesize( $path ),
					),
				)
			);
		}
		return rest_do_request( $request );
	}

	/**
	 * Asserts a JSON answer from the FAQ cache.
	 *
	 * @param string           $reply    Expected reply.
	 * @param WP_REST_Response $response Response.
	 */
	private function assertFaqAnswer( string $reply, WP_REST_Response $response ): void {
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertSame(
			array(
				'reply'         => $reply,
				'finish_reason' => 'stop',
				'source'        => 'faq',
			),
			$response->get_data()
		);
		$this->assertSame( 'no-store', $response->get_headers()['Cache-Control'] );
	}

	/**
	 * Asserts a JSON answer from the model.
	 *
	 * @param string           $reply    Expected reply.
	 * @param WP_REST_Response $response Response.
	 */
	private function assertModelAnswer( string $reply, WP_REST_Response $response ): void {
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertSame(
			array(
				'reply'         => $reply,
				'finish_reason' => 'stop',
			),
			$response->get_data()
		);
	}

	/**
	 * A marker unique to the test, in letters only: digits in a question would read as an order
	 * number, and questions with personal data are not cached.
	 *
	 * @param string $label Readable part.
	 */
	private function marker( string $label ): string {
		return strtr( Simulator::marker( $label ), '0123456789', 'ghijklmnop' );
	}

	/**
	 * Scripts the simulator's reply to requests carrying the marker.
	 *
	 * @param string $marker  Marker.
	 * @param string $content Reply.
	 * @param int    $times   How many requests get it.
	 */
	private function script_reply( string $marker, string $content, int $times = 1 ): void {
		Simulator::script(
			array(
				'match' => array( 'contains' => $marker ),
				'reply' => array( 'content' => $content ),
				'times' => $times,
			)
		);
	}

	/**
	 * The system prompt of an upstream request.
	 *
	 * @param array<string, mixed> $record A request log record.
	 */
	private function system_prompt( array $record ): string {
		return (string) ( $record['body']['messages'][0]['content'] ?? '' );
	}

	public function test_the_plugin_wires_the_cache_into_the_chat_route(): void {
		$marker = $this->marker( 'faq-wired' );
		$this->curate( array( 'Where is the shop ' . $marker ), 'At 1 Main Street.' );

		// The plugin's own controller (rest_get_server() as the plugin set it up).
		$this->assertFaqAnswer( 'At 1 Main Street.', $this->chat( array( 'message' => 'Where is the shop ' . $marker . '?' ) ) );
		$this->assertSame( array(), Simulator::requests( $marker ), 'no upstream request' );
	}

	public function test_a_curated_entry_answers_the_first_ask_without_an_upstream_request(): void {
		$marker = $this->marker( 'faq-curated' );
		$this->curate( array( 'What is your return policy ' . $marker, 'How do returns work ' . $marker ), 'Returns are free within **30 days**.' );
		$this->serve();

		$this->assertFaqAnswer( 'Returns are free within **30 days**.', $this->chat( array( 'message' => 'Hi! What is your RETURN policy, ' . $marker . '?' ) ) );

		$this->chat(
			array(
				'message' => 'how do returns work ' . $marker,
				'stream'  => '1',
			)
		);
		$this->assertSame( array( 'delta', 'done' ), $this->writer->names() );
		$this->assertSame( 'Returns are free within **30 days**.', $this->writer->text() );
		$this->assertSame(
			array(
				'finish_reason' => 'stop',
				'source'        => 'faq',
			),
			$this->writer->last()
		);

		$this->assertSame( array(), Simulator::requests( $marker ), 'no upstream request for curated answers' );
	}

	public function test_with_one_ask_needed_the_second_ask_makes_no_upstream_call(): void {
		$this->configure( array( 'faq_min_asks' => 1 ) );
		$marker = $this->marker( 'faq-second' );
		$this->script_reply( $marker, 'We ship to Canada in 5 days.' );
		$this->serve();

		$this->assertModelAnswer( 'We ship to Canada in 5 days.', $this->chat( array( 'message' => 'Do you ship to Canada ' . $marker . '?' ) ) );
		$requests = Simulator::requests( $marker );
		$this->assertCount( 1, $requests );
		$this->assertTrue( $requests[0]['validation']['ok'], (string) wp_json_encode( $requests[0]['validation'] ) );
		$this->assertStringStartsWith( 'You are the test shop assistant.', $this->system_prompt( $requests[0] ) );
		$this->assertStringContainsString( Personal_Marker::MARKER, $this->system_prompt( $requests[0] ), 'a cacheable turn asks the model to mark personal answers' );

		$this->assertFaqAnswer( 'We ship to Canada in 5 days.', $this->chat( array( 'message' => 'do you ship to canada ' . $marker ) ) );

		$this->chat(
			array(
				'message' => 'Do you ship to Canada ' . $marker . '?',
				'stream'  => '1',
			)
		);
		$this->assertSame( array( 'delta', 'done' ), $this->writer->names() );
		$this->assertSame( 'We ship to Canada in 5 days.', $this->writer->text() );
		$this->assertSame( 'faq', $this->writer->last()['source'] ?? null );

		$this->assertCount( 1, Simulator::requests( $marker ), 'the later asks made no upstream call' );
	}

	public function test_a_streamed_model_answer_is_cached_too(): void {
		$this->configure( array( 'faq_min_asks' => 1 ) );
		$marker = $this->marker( 'faq-streamed' );
		$this->script_reply( $marker, 'Our opening hours are nine to five, Monday to Friday.' );
		$this->serve();

		$this->chat(
			array(
				'message' => 'What are your opening hours ' . $marker,
				'stream'  => '1',
			)
		);
		$this->assertSame( 'Our opening hours are nine to five, Monday to Friday.', $this->writer->text() );
		$this->assertSame( array( 'finish_reason' => 'stop' ), $this->writer->last() );

		$this->assertFaqAnswer( 'Our opening hours are nine to five, Monday to Friday.', $this->chat( array( 'message' => 'What are your opening hours ' . $marker ) ) );
		$this->assertCount( 1, Simulator::requests( $marker ) );
	}

	public function test_an_image_turn_is_never_served_from_the_cache(): void {
		$this->configure( array( 'faq_min_asks' => 1 ) );
		$marker = $this->marker( 'faq-image' );
		$this->script_reply( $marker, 'A generic answer.' );
		$this->serve();
		$question = 'What is this ' . $marker;

		$this->assertModelAnswer( 'A generic answer.', $this->chat( array( 'message' => $question ) ) );
		$this->assertFaqAnswer( 'A generic answer.', $this->chat( array( 'message' => $question ) ) );

		$response = $this->chat( array( 'message' => $question ), 'photo.png' );
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertArrayNotHasKey( 'source', $response->get_data() );
		$this->assertStringContainsString( '[image', (string) $response->get_data()['reply'], 'the model saw the picture' );

		$requests = Simulator::requests( $marker );
		$this->assertCount( 2, $requests, 'the image turn went upstream' );
		$this->assertStringNotContainsString( Personal_Marker::MARKER, $this->system_prompt( $requests[1] ), 'an uncacheable turn needs no marking' );

		// And the image turn's answer was not stored for the text question either.
		$this->assertFaqAnswer( 'A generic answer.', $this->chat( array( 'message' => $question ) ) );
		$this->assertCount( 2, Simulator::requests( $marker ) );
	}

	public function test_a_follow_up_turn_is_never_served_from_the_cache(): void {
		$this->configure( array( 'faq_min_asks' => 1 ) );
		$marker = $this->marker( 'faq-follow-up' );
		$this->script_reply( $marker, 'Shipping costs 5 euros.' );
		$this->serve();
		$question = 'How much is shipping ' . $marker;

		$this->assertModelAnswer( 'Shipping costs 5 euros.', $this->chat( array( 'message' => $question ) ) );

		$history  = array(
			array(
				'role'    => 'user',
				'content' => 'I live in Norway.',
			),
			array(
				'role'    => 'assistant',
				'content' => 'Thanks, noted.',
			),
		);
		$response = $this->chat(
			array(
				'message' => $question,
				'history' => (string) wp_json_encode( $history ),
			)
		);
		$this->assertSame( 200, $response->get_status() );
		$this->assertArrayNotHasKey( 'source', $response->get_data() );
		$this->assertStringContainsString( $marker, (string) $response->get_data()['reply'], 'the simulator\'s default answer: the model was asked' );
		$this->assertCount( 2, Simulator::requests( $marker ) );

		// A greeting from the assistant alone does not make a conversation.
		$greeting = array(
			array(
				'role'    => 'assistant',
				'content' => 'Hello! How can I help?',
			),
		);
		$this->assertFaqAnswer(
			'Shipping costs 5 euros.',
			$this->chat(
				array(
					'message' => $question,
					'history' => (string) wp_json_encode( $greeting ),
				)
			)
		);
		$this->assertCount( 2, Simulator::requests( $marker ) );
	}

	public function test_a_settings_change_invalidates_cached_answers(): void {
		$this->configure( array( 'faq_min_asks' => 1 ) );
		$marker = $this->marker( 'faq-settings' );
		$this->script_reply( $marker, 'First answer.' );
		$this->serve();
		$question = 'Do you have gift cards ' . $marker;

		$this->assertModelAnswer( 'First answer.', $this->chat( array( 'message' => $question ) ) );
		$this->assertFaqAnswer( 'First answer.', $this->chat( array( 'message' => $question ) ) );

		update_option( Settings::OPTION, array_merge( (array) get_option( Settings::OPTION ), array( 'system_prompt' => 'You are the new test shop assistant.' ) ) );
		$this->script_reply( $marker, 'Second answer.' );

		$this->assertModelAnswer( 'Second answer.', $this->chat( array( 'message' => $question ) ) );
		$requests = Simulator::requests( $marker );
		$this->assertCount( 2, $requests );
		$this->assertStringStartsWith( 'You are the new test shop assistant.', $this->system_prompt( $requests[1] ) );
		$this->assertFaqAnswer( 'Second answer.', $this->chat( array( 'message' => $question ) ) );
		$this->assertCount( 2, Simulator::requests( $marker ) );
	}

	public function test_the_personal_marker_never_reaches_the_visitor_and_such_answers_are_not_cached(): void {
		$this->configure( array( 'faq_min_asks' => 1 ) );
		$marker = $this->marker( 'faq-personal' );
		$this->script_reply( $marker, '[[personal]] Your order ships today.', 3 );
		$this->serve();
		$question = 'When does my order ship ' . $marker;

		$this->assertModelAnswer( 'Your order ships today.', $this->chat( array( 'message' => $question ) ) );

		$this->chat(
			array(
				'message' => $question,
				'stream'  => '1',
			)
		);
		$this->assertSame( 'Your order ships today.', $this->writer->text() );
		foreach ( $this->writer->events as $event ) {
			$this->assertStringNotContainsString( '[[', (string) wp_json_encode( $event[1] ) );
		}
		$this->assertSame( array( 'finish_reason' => 'stop' ), $this->writer->last() );

		$this->assertModelAnswer( 'Your order ships today.', $this->chat( array( 'message' => $question ) ) );
		$this->assertCount( 3, Simulator::requests( $marker ), 'a personal answer is never served from the cache' );
	}

	public function test_curated_and_cached_answers_work_while_the_provider_is_down(): void {
		$this->configure( array( 'faq_min_asks' => 1 ) );
		$marker = $this->marker( 'faq-down' );
		$this->curate( array( 'Where are you located ' . $marker ), 'In Lyon.' );
		$this->script_reply( $marker, 'Yes, we have a loyalty programme.' );
		$this->serve();

		$this->assertModelAnswer( 'Yes, we have a loyalty programme.', $this->chat( array( 'message' => 'Do you have a loyalty programme ' . $marker ) ) );
		Simulator::script(
			array(
				'match' => array( 'contains' => $marker ),
				'fault' => array( 'type' => 'server_error' ),
				'times' => 20,
			)
		);

		// The provider is down: an uncached question fails...
		$failed = $this->chat( array( 'message' => 'Can I pay by invoice ' . $marker ) );
		$this->assertSame( 502, $failed->get_status(), (string) wp_json_encode( $failed->get_data() ) );
		$this->assertSame( 'vvc_upstream_error', $failed->get_data()['code'] ?? null );
		$before = count( Simulator::requests( $marker ) );
		$this->assertGreaterThan( 1, $before, 'the failed question reached the failing provider' );

		// ...while curated and cached answers still work, without asking it.
		$this->assertFaqAnswer( 'In Lyon.', $this->chat( array( 'message' => 'Where are you located ' . $marker . '?' ) ) );
		$this->assertFaqAnswer( 'Yes, we have a loyalty programme.', $this->chat( array( 'message' => 'Do you have a loyalty programme ' . $marker ) ) );
		$this->chat(
			array(
				'message' => 'Where are you located ' . $marker,
				'stream'  => '1',
			)
		);
		$this->assertSame( 'In Lyon.', $this->writer->text() );
		$this->assertSame( $before, count( Simulator::requests( $marker ) ) );
	}

	public function test_with_the_faq_cache_off_every_turn_goes_to_the_model_unmarked(): void {
		$this->configure(
			array(
				'faq_min_asks' => 1,
				'faq_enabled'  => false,
			)
		);
		$marker = $this->marker( 'faq-off' );
		$this->curate( array( 'Where are you located ' . $marker ), 'In Lyon.' );
		$this->serve();

		$response = $this->chat( array( 'message' => 'Where are you located ' . $marker ) );
		$this->assertSame( 200, $response->get_status() );
		$this->assertArrayNotHasKey( 'source', $response->get_data() );
		$this->chat( array( 'message' => 'Where are you located ' . $marker ) );
		$requests = Simulator::requests( $marker );
		$this->assertCount( 2, $requests );
		$this->assertSame( 'You are the test shop assistant.', $this->system_prompt( $requests[0] ) );
	}
}
