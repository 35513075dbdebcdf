<?php
/**
 * Cost control on POST /chat and POST /session: routing, reservations, settlement with the
 * simulator's usage, refusals, rate limits and usage rows.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Rest;

use VoiceVisionChat\Cache\Curated_Faq_Store;
use VoiceVisionChat\Cost\Budget_Ledger;
use VoiceVisionChat\Cost\Budget_Settings;
use VoiceVisionChat\Cost\Cost_Calculator;
use VoiceVisionChat\Cost\Rate_Limiter;
use VoiceVisionChat\Rest\Session_Controller;
use VoiceVisionChat\Rest\Sse_Writer;
use VoiceVisionChat\Routing\Model_Catalog;
use VoiceVisionChat\Security\Client_Ip;
use VoiceVisionChat\Security\Visitor_Token;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Storage\Usage_Repository;
use VoiceVisionChat\Support\Error_Log;
use VoiceVisionChat\Tests\Support\TestCase;
use VoiceVisionChat\Tests\Upstream\Simulator;
use VoiceVisionChat\Tests\Voice\Voice_Test_Support;
use WP_REST_Request;
use WP_REST_Response;

require_once __DIR__ . '/../Upstream/Simulator.php';
require_once __DIR__ . '/Chat_Test_Stack.php';
require_once __DIR__ . '/../Voice/Voice_Test_Support.php';

/**
 * Records events and, at the first delta, what the ledger held at that moment.
 */
final class Ledger_Probing_Writer extends Sse_Writer {

	/**
	 * Events written, as [name, data].
	 *
	 * @var list<array{0: string, 1: array<string, mixed>}>
	 */
	public array $events = array();

	/**
	 * Micro-dollars reserved on the site's day line at the first delta; null before it.
	 *
	 * @var int|null
	 */
	public ?int $reserved_while_streaming = null;

	/**
	 * Records the event (and the ledger at the first delta).
	 *
	 * @param string               $name Event name.
	 * @param array<string, mixed> $data Payload.
	 */
	public function event( string $name, array $data ): bool {
		if ( 'delta' === $name && null === $this->reserved_while_streaming ) {
			$this->reserved_while_streaming = ChatCostTest::site_day()['reserved'];
		}
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
}

/**
 * The metering of every kind of chat request, on the real database and the simulator.
 */
final class ChatCostTest extends TestCase {

	private const ROUTE = '/voice-vision-chat/v1/chat';

	private const KEY = 'sk-vvc-test-cost-4f1c2a9b7e3d';

	/**
	 * The test's marker, in every question.
	 *
	 * @var string
	 */
	private string $marker;

	/**
	 * Writer of the served controller.
	 *
	 * @var Ledger_Probing_Writer
	 */
	private Ledger_Probing_Writer $writer;

	/**
	 * Curated FAQ entries of the served controller.
	 *
	 * @var Curated_Faq_Store
	 */
	private Curated_Faq_Store $curated;

	/**
	 * Server variables before the test (REMOTE_ADDR, X-Forwarded-For).
	 *
	 * @var array<string, mixed>
	 */
	private array $server;

	protected function setUp(): void {
		parent::setUp();
		$this->server = $_SERVER;
		$this->marker = Simulator::marker( 'cost' );
		Simulator::configure(
			self::KEY,
			array(
				'system_prompt'         => 'You are the test shop assistant.',
				'max_completion_tokens' => 300,
				'faq_enabled'           => true,
			)
		);
		Simulator::meter_freely();
		$_SERVER['REMOTE_ADDR'] = '203.0.113.7';
		unset( $_SERVER['HTTP_X_FORWARDED_FOR'] );
		$this->writer = new Ledger_Probing_Writer();
		$this->serve();
	}

	protected function tearDown(): void {
		$_SERVER = $this->server;
		remove_all_filters( 'vvc_route_decision' );
		parent::tearDown();
	}

	/**
	 * Serves /chat and /session from controllers on the current options, with a client that
	 * does not sleep between retries.
	 */
	private function serve(): void {
		$this->curated = Chat_Test_Stack::serve( $this->writer, Chat_Test_Stack::FAQ_TYPED );
		$settings      = new Settings();
		$budget        = new Budget_Settings();
		( new Session_Controller( $settings, new Visitor_Token(), new Rate_Limiter( $budget ), new Client_Ip() ) )->register_routes();
	}

	/**
	 * Asks a question like the widget does.
	 *
	 * @param string      $message Question (the marker is added).
	 * @param bool        $stream  Ask for events.
	 * @param string|null $token   Visitor token; a fresh one when null.
	 */
	private function ask( string $message, bool $stream = false, ?string $token = null ): WP_REST_Response {
		$request = new WP_REST_Request( 'POST', self::ROUTE );
		$request->set_header( 'X-VVC-Token', $token ?? ( new Visitor_Token() )->issue()['token'] );
		$request->set_body_params(
			array(
				'message' => $message . ' ' . $this->marker,
				'stream'  => $stream ? '1' : '0',
			)
		);
		return rest_do_request( $request );
	}

	/**
	 * The site's line for today: spent and reserved micro-dollars.
	 *
	 * @return array{spent: int, reserved: int}
	 */
	public static function site_day(): array {
		foreach ( ( new Budget_Ledger( new Budget_Settings() ) )->gauges() as $gauge ) {
			if ( 'site_day' === $gauge['scope'] ) {
				return array(
					'spent'    => $gauge['spent'],
					'reserved' => $gauge['reserved'],
				);
			}
		}
		return array(
			'spent'    => 0,
			'reserved' => 0,
		);
	}

	/**
	 * The usage rows written in this test, oldest first.
	 *
	 * @return list<array<string, int|string>>
	 */
	private static function rows(): array {
		return array_reverse( ( new Usage_Repository() )->query( array(), 1, 100 )['rows'] );
	}

	/**
	 * The latest usage row.
	 *
	 * @return array<string, int|string>
	 */
	private static function last_row(): array {
		$rows = self::rows();
		return (array) end( $rows );
	}

	/**
	 * Open reservations.
	 */
	private static function open_reservations(): int {
		global $wpdb;
		return (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}vvc_reservations" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
	}

	/**
	 * What this test's simulator requests cost at the plugin's prices, from the usage the
	 * simulator reported.
	 *
	 * @param string|null $path Only this API path.
	 */
	private function billed( ?string $path = '/v1/chat/completions' ): int {
		$costs = new Cost_Calculator( new Model_Catalog() );
		$total = 0;
		foreach ( Voice_Test_Support::requests( $this->marker, $path ) as $record ) {
			$total += (int) $costs->from_usage( (string) $record['body']['model'], (array) $record['usage'] )['micros'];
		}
		return $total;
	}

	/**
	 * Sets budget limits over meter_freely()'s.
	 *
	 * @param array<string, int> $budget Budget_Settings keys.
	 */
	private function budget( array $budget ): void {
		Simulator::meter_freely( $budget );
	}

	public function test_a_json_answer_is_reserved_then_settled_with_the_providers_usage(): void {
		$reserved = null;
		add_filter(
			'vvc_route_decision',
			static function ( array $decision ) use ( &$reserved ): array {
				$reserved = ChatCostTest::site_day()['reserved'];
				return $decision;
			}
		);
		$response = $this->ask( 'When do you open?' );
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );

		$this->assertSame( 0, $reserved, 'nothing is held before routing' );
		$billed = $this->billed();
		$this->assertGreaterThan( 0, $billed );
		$this->assertSame(
			array(
				'spent'    => $billed,
				'reserved' => 0,
			),
			self::site_day(),
			'settled to the micro-dollar with the usage the provider reported'
		);
		$this->assertSame( 0, self::open_reservations() );

		$row = self::last_row();
		$this->assertSame( 'chat', $row['route'] );
		$this->assertSame( 'economy', $row['tier'] );
		$this->assertSame( 'gpt-5.4-nano', $row['model'] );
		$this->assertStringContainsString( 'simple', (string) $row['route_reasons'] );
		$this->assertSame( $billed, $row['cost_micros'] );
		$this->assertGreaterThan( $billed, $row['estimated_micros'], 'the worst case is more than the real cost' );
		$usage = Voice_Test_Support::requests( $this->marker, '/v1/chat/completions' )[0]['usage'];
		$this->assertSame( $usage['prompt_tokens'], $row['text_in_tokens'] + $row['cached_in_tokens'] );
		$this->assertSame( $usage['completion_tokens'], $row['text_out_tokens'] );
		$this->assertSame( 200, $row['status_code'] );
		$this->assertSame( 0, $row['cache_hit'] );
		$this->assertSame( 1, $row['cost_known'] );
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{32}$/', (string) $row['visitor_hash'] );
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{32}$/', (string) $row['ip_hash'] );
		$this->assertStringNotContainsString( $this->marker, (string) wp_json_encode( $row ), 'no message content' );
		$this->assertStringNotContainsString( '203.0.113.7', (string) wp_json_encode( $row ), 'no raw IP' );
	}

	public function test_a_stream_holds_the_reservation_while_it_runs_and_settles_with_the_usage_chunk(): void {
		$response = $this->ask( 'Tell me about your shop.', true );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( 'done', end( $this->writer->events )[0] );

		$this->assertGreaterThan( 0, (int) $this->writer->reserved_while_streaming, 'the worst case is held during the call' );
		$record = Voice_Test_Support::requests( $this->marker, '/v1/chat/completions' )[0];
		$this->assertSame( array( 'include_usage' => true ), $record['body']['stream_options'] );
		$this->assertSame(
			array(
				'spent'    => $this->billed(),
				'reserved' => 0,
			),
			self::site_day()
		);
		$this->assertSame( 'chat_stream', self::last_row()['route'] );
	}

	public function test_a_cut_stream_is_settled_with_the_conservative_estimate(): void {
		Simulator::script(
			array(
				'match' => array( 'contains' => $this->marker ),
				'reply' => array( 'content' => str_repeat( 'A long answer that will be cut. ', 10 ) ),
				'fault' => array(
					'type'         => 'cut_stream',
					'after_chunks' => 3,
				),
			)
		);
		$this->ask( 'Tell me everything.', true );
		$this->assertSame( 'error', end( $this->writer->events )[0] );

		$row = self::last_row();
		$this->assertSame( 0, $row['cost_known'], 'no usage came: an estimate' );
		$this->assertGreaterThan( 0, $row['cost_micros'] );
		$this->assertLessThanOrEqual( $row['estimated_micros'], $row['cost_micros'] );
		$this->assertSame( 'vvc_upstream_error', $row['error_code'] );
		$this->assertSame(
			array(
				'spent'    => (int) $row['cost_micros'],
				'reserved' => 0,
			),
			self::site_day()
		);
	}

	public function test_a_failure_before_billing_releases_the_reservation(): void {
		Simulator::script(
			array(
				'match' => array( 'contains' => $this->marker ),
				'fault' => array( 'type' => 'invalid_api_key' ),
			)
		);
		$response = $this->ask( 'Anything?' );
		$this->assertSame( 'vvc_upstream_auth', $response->get_data()['code'] );

		$this->assertSame(
			array(
				'spent'    => 0,
				'reserved' => 0,
			),
			self::site_day()
		);
		$this->assertSame( 0, self::open_reservations() );
		$row = self::last_row();
		$this->assertSame( 502, $row['status_code'] );
		$this->assertSame( 'vvc_upstream_auth', $row['error_code'] );
		$this->assertSame( 0, $row['cost_micros'] );
		$this->assertGreaterThan( 0, $row['estimated_micros'] );
	}

	public function test_at_the_hard_limit_nothing_reaches_the_provider_and_free_alternatives_are_offered(): void {
		$this->budget( array( 'site_day_micros' => 50 ) ); // Less than any worst case.
		$this->curated->create( array( 'What are your opening hours?' ), 'Nine to five.' );
		wp_insert_post(
			array(
				'post_title'   => 'Opening hours ' . $this->marker,
				'post_content' => 'We open at nine.',
				'post_status'  => 'publish',
				'post_type'    => 'page',
			)
		);

		$response = $this->ask( 'Opening hours' );
		$this->assertSame( 503, $response->get_status() );
		$data = $response->get_data();
		$this->assertSame( 'vvc_budget_exhausted', $data['code'] );
		$this->assertSame( 'The chat is resting until tomorrow. You can still browse and search the site.', $data['message'] );
		$this->assertSame( 'site_day', $data['data']['scope'] );
		$this->assertGreaterThan( 0, $data['data']['retry_after'] );
		$this->assertSame( array( 'What are your opening hours?' ), $data['data']['questions'] );
		$this->assertCount( 1, $data['data']['links'] );
		$this->assertSame( 'Opening hours ' . $this->marker, $data['data']['links'][0]['title'] );
		$this->assertStringStartsWith( home_url( '/' ), $data['data']['links'][0]['url'] );
		$this->assertStringContainsString( 's=', $data['data']['search_url'] );
		$this->assertSame( array(), Voice_Test_Support::requests( $this->marker ), 'no provider call' );
		$this->assertSame( 'vvc_budget_exhausted', self::last_row()['error_code'] );

		// A curated question still works at the hard limit: the FAQ comes before the budget.
		$request = new WP_REST_Request( 'POST', self::ROUTE );
		$request->set_header( 'X-VVC-Token', ( new Visitor_Token() )->issue()['token'] );
		$request->set_body_params( array( 'message' => 'What are your opening hours?' ) );
		$faq = rest_do_request( $request );
		$this->assertSame( 200, $faq->get_status() );
		$this->assertSame( 'Nine to five.', $faq->get_data()['reply'] );
	}

	public function test_a_faq_answer_costs_nothing_reserves_nothing_and_still_counts_against_the_rate(): void {
		$this->budget( array( 'requests_per_minute' => 2 ) );
		$this->curated->create( array( 'Where is the shop ' . $this->marker ), 'On Main Street.' );
		$reservations = 0;
		add_filter(
			'query',
			static function ( string $sql ) use ( &$reservations ): string {
				$reservations += (int) str_contains( $sql, 'INSERT INTO' ) * (int) str_contains( $sql, 'vvc_reservations' );
				return $sql;
			}
		);
		$request = new WP_REST_Request( 'POST', self::ROUTE );
		$request->set_header( 'X-VVC-Token', ( new Visitor_Token() )->issue()['token'] );
		$request->set_body_params( array( 'message' => 'Where is the shop ' . $this->marker ) );
		$first = rest_do_request( $request );
		remove_all_filters( 'query' );

		$this->assertSame( 'faq', $first->get_data()['source'] );
		$this->assertSame( 0, $reservations, 'no reservation for a FAQ answer' );
		$row = self::last_row();
		$this->assertSame( 'faq', $row['route'] );
		$this->assertSame( 1, $row['cache_hit'] );
		$this->assertSame( 0, $row['cost_micros'] );
		$this->assertSame( 0, $row['estimated_micros'] );
		$this->assertSame( 200, $row['status_code'] );
		$this->assertSame(
			array(
				'spent'    => 0,
				'reserved' => 0,
			),
			self::site_day()
		);

		$this->assertSame( 200, rest_do_request( $request )->get_status() );
		$third = rest_do_request( $request );
		$this->assertSame( 429, $third->get_status(), 'FAQ answers count against the rate too' );
		$this->assertSame( 'vvc_rate_limited', $third->get_data()['code'] );
		$this->assertSame( 'requests', $third->get_data()['data']['scope'] );
		$this->assertSame( array(), Voice_Test_Support::requests( $this->marker ), 'no provider call at all' );
	}

	public function test_past_the_soft_limit_a_complex_question_is_answered_by_the_economy_tier(): void {
		$question = 'Why is option A better than option B? Compare them step by step, and explain the trade-offs?';
		$this->ask( $question );
		$normal = Voice_Test_Support::requests( $this->marker, '/v1/chat/completions' );
		$this->assertSame( 'gpt-5.4-mini', $normal[0]['body']['model'], 'standard tier normally' );
		$this->assertSame( 'standard', self::last_row()['tier'] );

		// Spend past 80% of a $1 daily limit (the admin's email is not sent in tests).
		add_filter( 'pre_wp_mail', '__return_false' );
		$this->budget( array( 'site_day_micros' => 1000000 ) );
		$ledger      = new Budget_Ledger( new Budget_Settings() );
		$reservation = $ledger->reserve( 850000 );
		$this->assertIsArray( $reservation );
		$ledger->settle( $reservation['id'], 850000 );

		$this->ask( $question );
		$after = Voice_Test_Support::requests( $this->marker, '/v1/chat/completions' );
		$this->assertCount( 2, $after );
		$this->assertSame( 'gpt-5.4-nano', $after[1]['body']['model'] );
		$row = self::last_row();
		$this->assertSame( 'economy', $row['tier'] );
		$this->assertStringContainsString( 'soft_limit', (string) $row['route_reasons'] );
	}

	public function test_an_unpriced_model_is_refused_for_visitors_with_the_reason_for_the_admin(): void {
		update_option( Model_Catalog::OPTION, array(), false ); // The shipped catalog: gpt-5.4-* unpriced.
		( new Error_Log() )->clear();

		$response = $this->ask( 'Hello?' );
		$this->assertSame( 503, $response->get_status() );
		$this->assertSame( 'vvc_not_configured', $response->get_data()['code'] );
		$this->assertSame( 'The assistant is not available right now. The site owner has been notified.', $response->get_data()['message'] );
		$this->assertStringNotContainsString( 'gpt-5.4', (string) wp_json_encode( $response->get_data() ), 'no detail for visitors' );
		$this->assertSame( array(), Voice_Test_Support::requests( $this->marker ), 'no provider call' );

		$logged = ( new Error_Log() )->recent( 1 )[0];
		$this->assertSame( 'vvc_model_unusable', $logged['code'] );
		$this->assertStringContainsString( 'gpt-5.4-nano', (string) $logged['detail'] );
		$this->assertStringContainsString( 'no price entered', (string) $logged['detail'] );

		// Counting unknown prices at the dearest rate lets the same question through.
		( new Model_Catalog() )->save( array( 'count_unknown_at_max' => true ) );
		$this->assertSame( 200, $this->ask( 'Hello again?' )->get_status() );
	}

	public function test_the_chat_rate_limit_holds_across_new_tokens_and_forged_forwarded_for(): void {
		$this->budget( array( 'requests_per_minute' => 2 ) );
		$this->assertSame( 200, $this->ask( 'One?' )->get_status() );
		$_SERVER['HTTP_X_FORWARDED_FOR'] = '198.51.100.1';
		$this->assertSame( 200, $this->ask( 'Two?' )->get_status() );
		$_SERVER['HTTP_X_FORWARDED_FOR'] = '198.51.100.2';
		$third                           = $this->ask( 'Three?' ); // A new token and another forged address.
		$this->assertSame( 429, $third->get_status() );
		$this->assertSame( 'vvc_rate_limited', $third->get_data()['code'] );
		$this->assertGreaterThan( 0, $third->get_data()['data']['retry_after'] );
		$this->assertCount( 2, Voice_Test_Support::requests( $this->marker ), 'the refused question never reached the provider' );
		$this->assertSame( 429, self::last_row()['status_code'] );

		$_SERVER['REMOTE_ADDR'] = '203.0.113.8'; // Really another address, and a new token.
		$this->assertSame( 200, $this->ask( 'Four?' )->get_status() );
	}

	public function test_a_visitors_daily_spend_limit_is_kept_per_address(): void {
		$this->budget( array( 'visitor_day_micros' => 100 ) );
		$response = $this->ask( 'Expensive?' );
		$this->assertSame( 429, $response->get_status() );
		$this->assertSame( 'visitor_day', $response->get_data()['data']['scope'] );
		$this->assertSame( array(), Voice_Test_Support::requests( $this->marker ) );
	}

	public function test_sessions_are_limited_per_address_whatever_the_forwarded_for_header_says(): void {
		$this->budget( array( 'sessions_per_ip_hour' => 2 ) );
		$this->assertSame( 200, $this->dispatch( 'POST', '/voice-vision-chat/v1/session' )->get_status() );
		$_SERVER['HTTP_X_FORWARDED_FOR'] = '198.51.100.9';
		$this->assertSame( 200, $this->dispatch( 'POST', '/voice-vision-chat/v1/session' )->get_status() );
		$_SERVER['HTTP_X_FORWARDED_FOR'] = '198.51.100.10';
		$refused                         = $this->dispatch( 'POST', '/voice-vision-chat/v1/session' );
		$this->assertSame( 429, $refused->get_status() );
		$this->assertSame( 'vvc_rate_limited', $refused->get_data()['code'] );
		$this->assertSame( 'sessions', $refused->get_data()['data']['scope'] );
		$this->assertArrayNotHasKey( 'token', $refused->get_data() );

		// Behind a proxy the admin trusts, the forwarded client address counts instead.
		add_filter( 'vvc_trusted_proxies', static fn (): array => array( '203.0.113.7' ) );
		$this->assertSame( 200, $this->dispatch( 'POST', '/voice-vision-chat/v1/session' )->get_status() );
		remove_all_filters( 'vvc_trusted_proxies' );
	}

	public function test_a_voice_turn_is_reserved_whole_and_settled_with_its_calls(): void {
		( new Settings() )->update( array( 'voice_pipeline' => 'chained' ) );
		$this->serve();
		$marker = $this->marker;
		add_filter( 'vvc_transcription_prompt', static fn (): string => 'Shop words. ' . $marker );
		Simulator::script(
			array(
				'match' => array(
					'path'     => '/v1/audio/transcriptions',
					'contains' => $marker,
				),
				'reply' => array( 'transcript' => 'When do you open? ' . $marker ),
			)
		);

		$request = Chat_Test_Stack::voice_request( self::ROUTE, Voice_Test_Support::FIXTURES . 'question-16k-mono.wav' );
		$response = rest_do_request( $request );
		remove_all_filters( 'vvc_transcription_prompt' );
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );

		$transcription = Voice_Test_Support::requests( $marker, '/v1/audio/transcriptions' );
		$chat          = Voice_Test_Support::requests( $marker, '/v1/chat/completions' );
		$this->assertCount( 1, $transcription );
		$this->assertCount( 1, $chat );
		$costs  = new Cost_Calculator( new Model_Catalog() );
		$known  = (int) $costs->from_usage( (string) $transcription[0]['multipart']['fields']['model'], (array) $transcription[0]['usage'] )['micros'];
		$known += (int) $costs->from_usage( (string) $chat[0]['body']['model'], (array) $chat[0]['usage'] )['micros'];
		$speech = Voice_Test_Support::requests( $marker, '/v1/audio/speech' );
		$this->assertNotEmpty( $speech );
		foreach ( $speech as $piece ) {
			$known += (int) $costs->from_usage( (string) $piece['body']['model'], (array) $piece['usage'] )['micros'];
		}

		$day = self::site_day();
		$this->assertSame( 0, $day['reserved'] );
		$this->assertSame( $known, $day['spent'], 'transcription, chat and speech, each from its billed usage' );
		$row = self::last_row();
		$this->assertSame( 'voice', $row['route'] );
		$this->assertSame( $day['spent'], $row['cost_micros'] );
		$this->assertGreaterThan( 0, $row['audio_out_tokens'], 'the spoken reply' );
		$this->assertSame( 1, $row['cost_known'], 'speech events report usage: nothing estimated' );
		$this->assertGreaterThan( 1000, $row['audio_ms'], 'the recording and the spoken reply' );
		$this->assertGreaterThan( $row['cost_micros'], $row['estimated_micros'] );
		$this->assertSame( 0, self::open_reservations() );
	}
}
