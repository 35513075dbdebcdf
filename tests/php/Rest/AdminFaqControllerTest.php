<?php
/**
 * /voice-vision-chat/v1/admin/faq: permissions, entries, purge, CSV, promote.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Rest;

use VoiceVisionChat\Cache\Cache_Version;
use VoiceVisionChat\Cache\Curated_Faq_Store;
use VoiceVisionChat\Cache\Faq_Cache;
use VoiceVisionChat\Cache\Faq_Context;
use VoiceVisionChat\Cache\Faq_Csv;
use VoiceVisionChat\Cache\Faq_Stats;
use VoiceVisionChat\Cache\Personal_Data;
use VoiceVisionChat\Cache\Question_Normalizer;
use VoiceVisionChat\Rest\Admin_Faq_Controller;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Tests\Support\TestCase;
use WP_REST_Request;

/**
 * Admin_Faq_Controller through the real REST server.
 */
final class AdminFaqControllerTest extends TestCase {

	private const BASE = '/voice-vision-chat/v1/admin/faq';

	private function faq_cache(): Faq_Cache {
		$normalizer = new Question_Normalizer();
		$version    = new Cache_Version();
		return new Faq_Cache( new Settings(), $normalizer, new Curated_Faq_Store( $normalizer, $version ), new Faq_Stats(), $version, new Personal_Data() );
	}

	/**
	 * Every route and a valid body for it.
	 *
	 * @return list<array{0: string, 1: string, 2: array<string, mixed>}>
	 */
	private function routes(): array {
		$id = '0b8f5c8e-1c1a-4e55-9d3f-3c1f5f0e9a11';
		return array(
			array( 'GET', self::BASE, array() ),
			array(
				'POST',
				self::BASE . '/entries',
				array(
					'questions' => array( 'Opening hours?' ),
					'answer'    => 'Nine to five.',
				),
			),
			array(
				'PUT',
				self::BASE . '/entries/' . $id,
				array(
					'questions' => array( 'Opening hours?' ),
					'answer'    => 'Nine to five.',
				),
			),
			array( 'DELETE', self::BASE . '/entries/' . $id, array() ),
			array( 'POST', self::BASE . '/purge', array() ),
			array( 'POST', self::BASE . '/settings', array( 'ttl' => 3600 ) ),
			array( 'GET', self::BASE . '/export', array() ),
			array( 'POST', self::BASE . '/import', array( 'csv' => "questions,answer\nParking?,Yes\n" ) ),
			array(
				'POST',
				self::BASE . '/promote',
				array(
					'hash'   => str_repeat( 'a', 24 ),
					'answer' => 'x',
				),
			),
		);
	}

	public function test_every_route_needs_manage_options(): void {
		foreach ( $this->routes() as [ $method, $route, $params ] ) {
			$response = $this->dispatch( $method, $route, $params );
			$this->assertSame( 401, $response->get_status(), "$method $route anonymous" );
			$this->assertSame( 'vvc_forbidden', $response->get_data()['code'] ?? null );
		}
		$this->log_in_as( 'editor' );
		foreach ( $this->routes() as [ $method, $route, $params ] ) {
			$this->assertSame( 403, $this->dispatch( $method, $route, $params )->get_status(), "$method $route editor" );
		}
		$this->assertSame( array(), ( new Curated_Faq_Store( new Question_Normalizer(), new Cache_Version() ) )->all(), 'nothing was created' );
		$this->assertSame( DAY_IN_SECONDS, ( new Settings() )->get( 'faq_ttl' ), 'no setting was changed' );
	}

	public function test_entries_crud(): void {
		$this->log_in_as( 'administrator' );
		$created = $this->dispatch(
			'POST',
			self::BASE . '/entries',
			array(
				'questions' => array( 'Do you ship to Canada?', '你们发货到加拿大吗' ),
				'answer'    => 'Yes, 5-7 days.',
			)
		);
		$this->assertSame( 201, $created->get_status() );
		$entry = $created->get_data();
		$this->assertSame( array( 'Do you ship to Canada?', '你们发货到加拿大吗' ), $entry['questions'] );
		$this->assertStringEndsWith( '/entries/' . $entry['id'], $created->get_headers()['Location'] );
		$this->assertSame( 'no-store', $created->get_headers()['Cache-Control'] );

		// The chat's lookup answers it at once.
		$this->assertSame( 'Yes, 5-7 days.', $this->faq_cache()->lookup( 'ship to canada?', new Faq_Context( 'm' ) )?->text );

		$updated = $this->dispatch(
			'PUT',
			self::BASE . '/entries/' . $entry['id'],
			array(
				'questions' => array( 'Do you ship to Canada?' ),
				'answer'    => 'Yes, 3-5 days now.',
			)
		);
		$this->assertSame( 200, $updated->get_status() );
		$this->assertSame( 'Yes, 3-5 days now.', $updated->get_data()['answer'] );

		$duplicate = $this->dispatch(
			'POST',
			self::BASE . '/entries',
			array(
				'questions' => array( 'Hi, do you ship to canada please' ),
				'answer'    => 'No.',
			)
		);
		$this->assertSame( 409, $duplicate->get_status() );
		$this->assertSame( 'vvc_faq_duplicate', $duplicate->get_data()['code'] );

		$invalid = $this->dispatch(
			'POST',
			self::BASE . '/entries',
			array(
				'questions' => array(),
				'answer'    => 'x',
			)
		);
		$this->assertSame( 400, $invalid->get_status() );

		$overview = $this->dispatch( 'GET', self::BASE )->get_data();
		$this->assertCount( 1, $overview['entries'] );

		$deleted = $this->dispatch( 'DELETE', self::BASE . '/entries/' . $entry['id'] );
		$this->assertSame( 200, $deleted->get_status() );
		$this->assertTrue( $deleted->get_data()['deleted'] );
		$this->assertSame( 404, $this->dispatch( 'DELETE', self::BASE . '/entries/' . $entry['id'] )->get_status() );
		$this->assertSame( 'vvc_faq_not_found', $this->dispatch( 'PUT', self::BASE . '/entries/' . $entry['id'], array( 'questions' => array( 'a' ), 'answer' => 'b' ) )->get_data()['code'] );
	}

	public function test_overview_shows_stats_without_raw_text_unless_logging(): void {
		$this->log_in_as( 'administrator' );
		$cache = $this->faq_cache();
		$cache->lookup( 'Hi! What is your RETURN policy?', new Faq_Context( 'm' ) );
		$cache->lookup( 'what is your return policy', new Faq_Context( 'm' ) );
		$cache->lookup( 'Opening hours?', new Faq_Context( 'm' ) );

		$response = $this->dispatch( 'GET', self::BASE );
		$this->assertSame( 200, $response->get_status() );
		$data = $response->get_data();
		$this->assertSame( array( 'settings', 'cache', 'stats', 'entries', 'limits' ), array_keys( $data ) );
		$this->assertSame(
			array(
				'enabled'         => true,
				'ttl'             => DAY_IN_SECONDS,
				'min_asks'        => 2,
				'log_transcripts' => false,
			),
			$data['settings']
		);
		$this->assertSame( (bool) wp_using_ext_object_cache(), $data['cache']['object_cache'] );
		$this->assertSame( 3, $data['stats']['asks'] );
		$this->assertSame( 'what return policy', $data['stats']['questions'][0]['text'] );
		$this->assertSame( 2, $data['stats']['questions'][0]['asks'] );
		$this->assertSame( '', $data['stats']['questions'][0]['sample'] );
		$this->assertStringNotContainsString( 'RETURN', (string) wp_json_encode( $data ) );
	}

	public function test_promote_turns_an_asked_question_into_an_entry(): void {
		$this->log_in_as( 'administrator' );
		$cache = $this->faq_cache();
		$cache->lookup( 'Hi! What is your return policy?', new Faq_Context( 'm' ) );
		$hash = Curated_Faq_Store::hash( 'what return policy' );

		$response = $this->dispatch(
			'POST',
			self::BASE . '/promote',
			array(
				'hash'      => $hash,
				'answer'    => 'Free returns within **30 days**.',
				'questions' => array( '退货政策是什么' ),
			)
		);
		$this->assertSame( 201, $response->get_status() );
		$this->assertSame( array( 'what return policy', '退货政策是什么' ), $response->get_data()['questions'], 'normalized text, as logging is off' );
		$this->assertSame( 'Free returns within **30 days**.', $cache->lookup( 'What is your return policy, please?', new Faq_Context( 'm' ) )?->text );
		$this->assertSame( $response->get_data()['id'], $this->dispatch( 'GET', self::BASE )->get_data()['stats']['questions'][0]['entry_id'] );

		$this->assertSame( 404, $this->dispatch( 'POST', self::BASE . '/promote', array( 'hash' => str_repeat( 'b', 24 ), 'answer' => 'x' ) )->get_status() );
		$this->assertSame( 400, $this->dispatch( 'POST', self::BASE . '/promote', array( 'hash' => 'nothex', 'answer' => 'x' ) )->get_status() );
	}

	public function test_promote_uses_the_visitor_wording_when_logging_is_on(): void {
		( new Settings() )->update( array( 'log_transcripts' => true ) );
		$this->log_in_as( 'administrator' );
		$this->faq_cache()->lookup( 'Can I pay with PayPal?', new Faq_Context( 'm' ) );
		$response = $this->dispatch(
			'POST',
			self::BASE . '/promote',
			array(
				'hash'   => Curated_Faq_Store::hash( ( new Question_Normalizer() )->normalize( 'Can I pay with PayPal?' ) ),
				'answer' => 'Yes.',
			)
		);
		$this->assertSame( array( 'Can I pay with PayPal?' ), $response->get_data()['questions'] );
	}

	public function test_purge_bumps_the_version_and_can_reset_stats(): void {
		$this->log_in_as( 'administrator' );
		$cache = $this->faq_cache();
		$cache->lookup( 'Opening hours?', new Faq_Context( 'm' ) );
		$version = $cache->version();

		$response = $this->dispatch( 'POST', self::BASE . '/purge' );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( $version + 1, $response->get_data()['version'] );
		$this->assertSame( 1, ( new Faq_Stats() )->totals()['asks'], 'statistics kept by default' );

		$this->dispatch( 'POST', self::BASE . '/purge', array( 'reset_stats' => true ) );
		$this->assertSame( 0, ( new Faq_Stats() )->totals()['asks'] );
	}

	public function test_csv_export_import_round_trip(): void {
		$this->log_in_as( 'administrator' );
		$answers = array(
			'Returns: 30 days, "no questions asked".' . "\n- Opened items, 14 days\n- Über 🎉",
			'=1+1 is not a formula here',
		);
		$this->dispatch(
			'POST',
			self::BASE . '/entries',
			array(
				'questions' => array( 'What is your "return" policy?', '退货政策是什么' ),
				'answer'    => $answers[0],
			)
		);
		$this->dispatch(
			'POST',
			self::BASE . '/entries',
			array(
				'questions' => array( '@home delivery, possible?' ),
				'answer'    => $answers[1],
			)
		);
		$before = $this->dispatch( 'GET', self::BASE )->get_data()['entries'];

		$export = $this->dispatch( 'GET', self::BASE . '/export' );
		$this->assertSame( 200, $export->get_status() );
		$this->assertSame( 'text/csv; charset=utf-8', $export->get_headers()['Content-Type'] );
		$this->assertStringContainsString( 'attachment; filename="chat-faq-', $export->get_headers()['Content-Disposition'] );
		$csv = $export->get_data();
		$this->assertIsString( $csv );
		$this->assertStringContainsString( "'=1+1 is not a formula here", $csv );
		$this->assertDoesNotMatchRegularExpression( '/(^|,)"?[=@]/m', $csv, 'no cell starts a formula' );
		$this->assertStringContainsString( "'@home delivery", $csv );

		// Replace everything with the export: the same entries come back.
		$import = $this->dispatch(
			'POST',
			self::BASE . '/import',
			array(
				'csv'  => $csv,
				'mode' => 'replace',
			)
		);
		$this->assertSame( 200, $import->get_status() );
		$this->assertSame(
			array(
				'created' => 2,
				'updated' => 0,
				'errors'  => array(),
			),
			$import->get_data()
		);
		$after = $this->dispatch( 'GET', self::BASE )->get_data()['entries'];
		$strip = static fn ( array $entries ): array => array_map( static fn ( array $e ): array => array( $e['id'], $e['questions'], $e['answer'] ), $entries );
		$this->assertSame( $strip( $before ), $strip( $after ) );

		// Merge: rows with a known id update, new rows are added, bad rows are reported.
		$merge = $this->dispatch(
			'POST',
			self::BASE . '/import',
			array(
				'csv' => "id,questions,answer\n{$before[1]['id']},\"@home delivery, possible?\",Yes.\n,Parking?,Free.\n,,No question\n",
			)
		);
		$this->assertSame( 1, $merge->get_data()['created'] );
		$this->assertSame( 1, $merge->get_data()['updated'] );
		$this->assertSame( 4, $merge->get_data()['errors'][0]['row'] );
		$this->assertSame( 'vvc_faq_invalid', $merge->get_data()['errors'][0]['code'] );

		$this->assertSame( 400, $this->dispatch( 'POST', self::BASE . '/import', array( 'csv' => "id,questions,answer\n\"broken" ) )->get_status() );
		$this->assertSame( 400, $this->dispatch( 'POST', self::BASE . '/import', array( 'mode' => 'merge' ) )->get_status(), 'no CSV' );
		$this->assertSame( 400, $this->dispatch( 'POST', self::BASE . '/import', array( 'csv' => 'x', 'mode' => 'wipe' ) )->get_status() );
	}

	public function test_export_is_served_as_raw_csv(): void {
		$this->log_in_as( 'administrator' );
		$this->dispatch(
			'POST',
			self::BASE . '/entries',
			array(
				'questions' => array( 'Parking?' ),
				'answer'    => 'Free, "behind" the shop.',
			)
		);
		$request  = new WP_REST_Request( 'GET', self::BASE . '/export' );
		$response = rest_do_request( $request );
		$server   = rest_get_server();

		ob_start();
		$served = apply_filters( 'rest_pre_serve_request', false, $response, $request, $server );
		$body   = (string) ob_get_clean();
		$this->assertTrue( $served );
		$this->assertStringStartsWith( "\u{FEFF}id,questions,answer\r\n", $body );
		$this->assertStringContainsString( '"Free, ""behind"" the shop."', $body );

		// Other routes are left to the REST server.
		$other = new WP_REST_Request( 'GET', self::BASE );
		ob_start();
		$served = apply_filters( 'rest_pre_serve_request', false, rest_do_request( $other ), $other, $server );
		$this->assertSame( '', ob_get_clean() );
		$this->assertFalse( $served );
	}

	public function test_routes_are_registered_with_schema(): void {
		$routes = rest_get_server()->get_routes( 'voice-vision-chat/v1' );
		foreach ( array( '', '/settings', '/entries', '/entries/(?P<id>[0-9a-f-]{36})', '/purge', '/export', '/import', '/promote' ) as $path ) {
			$this->assertArrayHasKey( self::BASE . $path, $routes, $path );
		}
		$this->log_in_as( 'administrator' );
		$schema = $this->dispatch( 'OPTIONS', self::BASE )->get_data()['schema'];
		$this->assertSame( array( 'settings', 'cache', 'stats', 'entries', 'limits' ), array_keys( $schema['properties'] ) );
		$this->assertTrue( class_exists( Admin_Faq_Controller::class ) );
		$this->assertNotFalse( has_filter( 'rest_pre_serve_request' ) );
	}

	public function test_overview_tells_the_screen_the_limits_the_server_enforces(): void {
		$this->log_in_as( 'administrator' );

		$limits = $this->dispatch( 'GET', self::BASE )->get_data()['limits'];

		$this->assertSame(
			array(
				'min' => 60,
				'max' => 2592000,
			),
			$limits['ttl']
		);
		$this->assertSame(
			array(
				'min' => 1,
				'max' => 20,
			),
			$limits['min_asks']
		);
		$this->assertSame( Curated_Faq_Store::MAX_QUESTIONS, $limits['max_questions'] );
		$this->assertSame( Curated_Faq_Store::ANSWER_MAX_CHARS, $limits['answer_max_chars'] );
		$this->assertSame( Faq_Csv::MAX_BYTES, $limits['import_max_bytes'] );
	}

	public function test_settings_route_saves_any_subset_and_answers_with_the_overview(): void {
		$this->log_in_as( 'administrator' );
		$prompt = ( new Settings() )->get( 'system_prompt' );

		$response = $this->dispatch(
			'POST',
			self::BASE . '/settings',
			array(
				'ttl'      => 3600,
				'min_asks' => 3,
			)
		);

		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( 'no-store', $response->get_headers()['Cache-Control'] ?? null );
		$this->assertSame(
			array(
				'enabled'         => true,
				'ttl'             => 3600,
				'min_asks'        => 3,
				'log_transcripts' => false,
			),
			$response->get_data()['settings']
		);
		$stored = new Settings();
		$this->assertSame( 3600, $stored->get( 'faq_ttl' ) );
		$this->assertSame( 3, $stored->get( 'faq_min_asks' ) );
		$this->assertTrue( $stored->get( 'faq_enabled' ) );
		$this->assertSame( $prompt, $stored->get( 'system_prompt' ), 'other settings untouched' );

		$off = $this->dispatch( 'POST', self::BASE . '/settings', array( 'enabled' => false ) );
		$this->assertFalse( $off->get_data()['settings']['enabled'] );
		$this->assertSame( 3600, $off->get_data()['settings']['ttl'], 'the earlier change stays' );
		$this->assertFalse( ( new Settings() )->get( 'faq_enabled' ) );
	}

	public function test_settings_route_refuses_values_out_of_range_and_changes_nothing(): void {
		$this->log_in_as( 'administrator' );

		foreach ( array( array( 'ttl' => 59 ), array( 'ttl' => 2592001 ), array( 'min_asks' => 0 ), array( 'min_asks' => 21 ), array( 'enabled' => 'maybe' ) ) as $params ) {
			$response = $this->dispatch( 'POST', self::BASE . '/settings', $params );
			$this->assertSame( 400, $response->get_status(), (string) wp_json_encode( $params ) );
			$this->assertSame( 'rest_invalid_param', $response->get_data()['code'] );
			$this->assertArrayHasKey( (string) array_key_first( $params ), $response->get_data()['data']['params'] );
		}
		$stored = new Settings();
		$this->assertSame( DAY_IN_SECONDS, $stored->get( 'faq_ttl' ) );
		$this->assertSame( 2, $stored->get( 'faq_min_asks' ) );
		$this->assertTrue( $stored->get( 'faq_enabled' ) );
	}
}
