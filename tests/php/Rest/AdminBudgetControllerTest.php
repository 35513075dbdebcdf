<?php
/**
 * GET/POST /voice-vision-chat/v1/admin/budget and POST /admin/models/refresh.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Rest;

use VoiceVisionChat\Cost\Budget_Settings;
use VoiceVisionChat\Rest\Admin_Budget_Controller;
use VoiceVisionChat\Routing\Model_Catalog;
use VoiceVisionChat\Tests\Support\TestCase;
use VoiceVisionChat\Tests\Upstream\Simulator;
use WP_REST_Response;

require_once __DIR__ . '/../Upstream/Simulator.php';

/**
 * Limits, prices, tiers, the unknown-price policy, and the provider check against the simulator.
 */
final class AdminBudgetControllerTest extends TestCase {

	private const ROUTE = '/voice-vision-chat/v1/admin/budget';

	private const REFRESH = '/voice-vision-chat/v1/admin/models/refresh';

	private const KEY = 'sk-vvc-test-budget-7d1e2f3a4b5c';

	/**
	 * Posts a body and returns the response.
	 *
	 * @param array<string, mixed> $body Body.
	 */
	private function post( array $body ): WP_REST_Response {
		return $this->dispatch( 'POST', self::ROUTE, $body );
	}

	/**
	 * One model of a response, by id.
	 *
	 * @param array<string, mixed> $data Response body.
	 * @param string               $id   Model id.
	 * @return array<string, mixed>
	 */
	private static function model( array $data, string $id ): array {
		foreach ( $data['models'] as $model ) {
			if ( $model['id'] === $id ) {
				return $model;
			}
		}
		return array();
	}

	/**
	 * One tier of a response.
	 *
	 * @param array<string, mixed> $data Response body.
	 * @param string               $tier Tier.
	 * @return array<string, mixed>
	 */
	private static function tier( array $data, string $tier ): array {
		foreach ( $data['tiers'] as $entry ) {
			if ( $entry['tier'] === $tier ) {
				return $entry;
			}
		}
		return array();
	}

	/**
	 * Problem codes of a model in a response.
	 *
	 * @param array<string, mixed> $data  Response body.
	 * @param string               $model Model id.
	 * @return list<string>
	 */
	private static function codes( array $data, string $model ): array {
		$codes = array();
		foreach ( $data['problems'] as $problem ) {
			if ( $problem['model'] === $model ) {
				$codes[] = $problem['code'];
			}
		}
		return $codes;
	}

	public function test_the_plugin_registers_the_routes(): void {
		$routes = rest_get_server()->get_routes();
		$this->assertArrayHasKey( self::ROUTE, $routes );
		$this->assertArrayHasKey( self::REFRESH, $routes );
		$this->assertInstanceOf( Admin_Budget_Controller::class, $routes[ self::ROUTE ][0]['callback'][0] );
	}

	public function test_only_administrators_may_read_or_change_the_budget(): void {
		foreach ( array( array( 'GET', self::ROUTE ), array( 'POST', self::ROUTE ), array( 'POST', self::REFRESH ) ) as list( $method, $route ) ) {
			$response = $this->dispatch( $method, $route );
			$this->assertSame( 401, $response->get_status(), "$method $route" );
			$this->assertSame( 'vvc_forbidden', $response->get_data()['code'] );
		}
		$this->log_in_as( 'editor' );
		$response = $this->post( array( 'budget' => array( 'site_day_micros' => 1 ) ) );
		$this->assertSame( 403, $response->get_status() );
		$this->assertSame( Budget_Settings::defaults()['site_day_micros'], ( new Budget_Settings() )->get( 'site_day_micros' ), 'nothing saved' );
	}

	public function test_get_returns_limits_catalog_tiers_roles_and_problems(): void {
		$this->log_in_as( 'administrator' );
		$response = $this->dispatch( 'GET', self::ROUTE );

		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( 'no-store', $response->get_headers()['Cache-Control'] );
		$data = $response->get_data();
		$this->assertSame( 5000000, $data['budget']['site_day_micros'] );
		$this->assertEquals( (object) array(), $data['budget']['role_day_micros'], 'an object, even empty' );
		$this->assertContains( 'administrator', array_column( $data['roles'], 'slug' ) );
		$this->assertFalse( $data['count_unknown_at_max'] );
		$this->assertSame(
			array(
				'checked_at' => null,
				'listed'     => 0,
			),
			$data['provider']
		);

		$mini = self::model( $data, 'gpt-4o-mini' );
		$this->assertEquals(
			(object) array(
				'text_in'   => 0.15,
				'cached_in' => 0.075,
				'text_out'  => 0.6,
			),
			$mini['price']
		);
		$this->assertEquals( $mini['price'], $mini['default_price'] );
		$this->assertSame( array( 'text_in', 'text_out' ), $mini['billed'] );
		$this->assertSame( '2027-01-14', $mini['shutdown'] );
		$this->assertFalse( $mini['custom'] );
		$this->assertFalse( $mini['edited'] );
		$this->assertSame( 'unchecked', $mini['provider'] );
		$this->assertNull( self::model( $data, 'gpt-5.4-nano' )['price'], 'shipped without a price' );
		$this->assertSame( array( 'per_minute' ), self::model( $data, 'whisper-1' )['billed'] );

		$this->assertSame( array( 'economy', 'standard', 'vision', 'long_context', 'voice', 'transcribe', 'speech' ), array_column( $data['tiers'], 'tier' ) );
		$economy = self::tier( $data, 'economy' );
		$this->assertSame( 'gpt-5.4-nano', $economy['model'] );
		$this->assertSame( 'gpt-5.4-nano', $economy['default_model'] );
		$this->assertContains( 'gpt-4o-mini', $economy['choices'] );
		$this->assertNotContains( 'gpt-audio', $economy['choices'] );
		$this->assertSame( array( 'tts-1', 'tts-1-hd', 'gpt-4o-mini-tts' ), self::tier( $data, 'speech' )['choices'] );
		$this->assertContains( 'gpt-realtime', self::tier( $data, 'voice' )['choices'] );
		$this->assertContains( 'whisper-1', self::tier( $data, 'transcribe' )['choices'] );

		$this->assertSame( array( 'no_price' ), self::codes( $data, 'gpt-5.4-nano' ) );
		$nano = $data['problems'][ array_search( 'gpt-5.4-nano', array_column( $data['problems'], 'model' ), true ) ];
		$this->assertSame( 'error', $nano['severity'] );
		$this->assertStringContainsString( 'gpt-5.4-nano has no price', $nano['message'] );
		$this->assertSame( array( 'Economy (short, simple questions)' ), $nano['used_by'] );
		$this->assertSame( 'error', $data['problems'][0]['severity'], 'blocking problems first' );
	}

	public function test_limits_are_saved_in_part_and_the_rest_is_kept(): void {
		$this->log_in_as( 'administrator' );
		$response = $this->post(
			array(
				'budget' => array(
					'site_day_micros'      => 7500000,
					'soft_percent'         => 70,
					'visitor_day_micros'   => 0,
					'requests_per_minute'  => 4,
					'sessions_per_ip_hour' => 12,
					'role_day_micros'      => array( 'subscriber' => 1000000 ),
					'notify_email'         => 'owner@example.org',
				),
			)
		);

		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$budget = $response->get_data()['budget'];
		$this->assertSame( 7500000, $budget['site_day_micros'] );
		$this->assertSame( 70, $budget['soft_percent'] );
		$this->assertSame( 0, $budget['visitor_day_micros'], '0 means no limit' );
		$this->assertSame( 50000000, $budget['site_month_micros'], 'untouched' );
		$this->assertEquals( (object) array( 'subscriber' => 1000000 ), $budget['role_day_micros'] );

		$stored = ( new Budget_Settings() )->all();
		$this->assertSame( 7500000, $stored['site_day_micros'] );
		$this->assertSame( 4, $stored['requests_per_minute'] );
		$this->assertSame( 12, $stored['sessions_per_ip_hour'] );
		$this->assertSame( 60, $stored['requests_per_hour'] );
		$this->assertSame( array( 'subscriber' => 1000000 ), $stored['role_day_micros'] );
		$this->assertSame( 'owner@example.org', $stored['notify_email'] );
	}

	public function test_invalid_limits_are_refused_and_nothing_is_saved(): void {
		$this->log_in_as( 'administrator' );
		$cases = array(
			array( array( 'soft_percent' => 0 ), 'rest_invalid_param' ),
			array( array( 'soft_percent' => 101 ), 'rest_invalid_param' ),
			array( array( 'site_day_micros' => -1 ), 'rest_invalid_param' ),
			array( array( 'site_day_micros' => '5 dollars' ), 'rest_invalid_param' ),
			array( array( 'spend_everything' => true ), 'rest_invalid_param' ),
			array( array( 'role_day_micros' => array( 'pirate' => 5 ) ), 'vvc_bad_request' ),
			array( array( 'notify_email' => 'not an address' ), 'vvc_bad_request' ),
		);
		foreach ( $cases as list( $budget, $code ) ) {
			$response = $this->post(
				array(
					'budget' => $budget + array( 'requests_per_hour' => 7 ),
				)
			);
			$this->assertSame( 400, $response->get_status(), (string) wp_json_encode( $budget ) );
			$this->assertSame( $code, $response->get_data()['code'], (string) wp_json_encode( $budget ) );
		}
		$this->assertSame( 60, ( new Budget_Settings() )->get( 'requests_per_hour' ), 'no partial save' );
	}

	public function test_prices_are_edited_per_model_and_other_edits_are_kept(): void {
		$this->log_in_as( 'administrator' );
		$first = $this->post(
			array(
				'models' => array(
					'gpt-4o-mini' => array(
						'price' => array(
							'text_in'  => 0.2,
							'text_out' => 0.8,
						),
					),
				),
			)
		);
		$this->assertSame( 200, $first->get_status(), (string) wp_json_encode( $first->get_data() ) );
		$this->post( array( 'models' => array( 'gpt-5.4-nano' => array( 'price' => array( 'text_in' => 0.05, 'text_out' => 0.4 ) ) ) ) );

		$catalog = new Model_Catalog();
		$this->assertSame(
			array(
				'text_in'  => 0.2,
				'text_out' => 0.8,
			),
			$catalog->get( 'gpt-4o-mini' )['price'] ?? null,
			'the first edit survived the second'
		);
		$this->assertSame( 0.4, $catalog->rate( 'gpt-5.4-nano', 'text_out' ) );
		$this->assertSame( 0.2, $catalog->rate( 'gpt-4o-mini', 'cached_in' ), 'a missing cached price is billed as normal input' );

		$data = $this->dispatch( 'GET', self::ROUTE )->get_data();
		$this->assertTrue( self::model( $data, 'gpt-4o-mini' )['edited'] );
		$this->assertSame( array(), self::codes( $data, 'gpt-5.4-nano' ), 'priced now' );

		$reset = $this->post( array( 'models' => array( 'gpt-4o-mini' => null ) ) )->get_data();
		$this->assertEquals( self::model( $reset, 'gpt-4o-mini' )['default_price'], self::model( $reset, 'gpt-4o-mini' )['price'] );
		$this->assertFalse( self::model( $reset, 'gpt-4o-mini' )['edited'] );
		$this->assertTrue( self::model( $reset, 'gpt-5.4-nano' )['edited'] );
	}

	public function test_a_price_can_be_removed_and_bad_prices_are_refused(): void {
		$this->log_in_as( 'administrator' );
		$removed = $this->post( array( 'models' => array( 'gpt-4o' => array( 'price' => null ) ) ) )->get_data();
		$this->assertNull( self::model( $removed, 'gpt-4o' )['price'] );

		foreach ( array(
			array( 'gpt-4o' => array( 'price' => array( 'text_in' => -1 ) ) ),
			array( 'gpt-4o' => array( 'price' => array( 'text_in' => 'free' ) ) ),
			array( 'gpt-4o' => array( 'price' => array( 'per_token' => 1 ) ) ),
			array( 'gpt-4o' => array( 'colour' => 'red' ) ),
			array( 'gpt 4o<script>' => array( 'price' => array( 'text_in' => 1 ) ) ),
		) as $models ) {
			$response = $this->post( array( 'models' => $models ) );
			$this->assertSame( 400, $response->get_status(), (string) wp_json_encode( $models ) );
		}
	}

	public function test_an_added_model_can_serve_a_tier_and_be_removed(): void {
		$this->log_in_as( 'administrator' );
		$response = $this->post(
			array(
				'models' => array(
					'acme-vision-1' => array(
						'kind'    => 'chat',
						'input'   => array( 'text', 'image' ),
						'context' => 64000,
						'price'   => array(
							'text_in'  => 1,
							'text_out' => 3,
						),
					),
				),
				'tiers'  => array( 'vision' => 'acme-vision-1' ),
			)
		);

		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$data  = $response->get_data();
		$added = self::model( $data, 'acme-vision-1' );
		$this->assertTrue( $added['custom'] );
		$this->assertSame( array( 'text', 'image' ), $added['input'] );
		$this->assertSame( array( 'text' ), $added['output'] );
		$this->assertSame( 64000, $added['context'] );
		$this->assertSame( 'acme-vision-1', self::tier( $data, 'vision' )['model'] );
		$this->assertSame(
			array(
				'rule'       => 'tile',
				'base'       => 2833,
				'tile'       => 5667,
				'multiplier' => 0.0,
			),
			( new Model_Catalog() )->get( 'acme-vision-1' )['image'] ?? null,
			'images of an unknown model are counted at the dearest known rule'
		);

		// Removing a model a tier still uses leaves the tier pointing nowhere: that is a problem.
		$gone = $this->post( array( 'models' => array( 'acme-vision-1' => null ) ) )->get_data();
		$this->assertSame( array(), self::model( $gone, 'acme-vision-1' ) );
		$this->assertSame( array( 'unknown_model' ), self::codes( $gone, 'acme-vision-1' ) );
	}

	public function test_tiers_accept_only_catalog_models_of_the_right_kind(): void {
		$this->log_in_as( 'administrator' );
		$cases = array(
			array( array( 'speech' => 'gpt-4o' ), 'vvc_bad_request' ),
			array( array( 'voice' => 'gpt-5-mini' ), 'vvc_bad_request' ),
			array( array( 'vision' => 'gpt-audio' ), 'vvc_bad_request' ),
			array( array( 'economy' => 'gpt-9-imaginary' ), 'vvc_bad_request' ),
			array( array( 'premium' => 'gpt-4o' ), 'rest_invalid_param' ),
			array( array( 'economy' => 'gpt 4o' ), 'rest_invalid_param' ),
		);
		foreach ( $cases as list( $tiers, $code ) ) {
			$response = $this->post(
				array(
					'tiers'  => $tiers,
					'budget' => array( 'requests_per_hour' => 9 ),
				)
			);
			$this->assertSame( 400, $response->get_status(), (string) wp_json_encode( $tiers ) );
			$this->assertSame( $code, $response->get_data()['code'], (string) wp_json_encode( $tiers ) );
		}
		$this->assertSame( 60, ( new Budget_Settings() )->get( 'requests_per_hour' ), 'a bad tier saves nothing' );

		$ok = $this->post(
			array(
				'tiers' => array(
					'economy' => 'gpt-4o-mini',
					'speech'  => 'tts-1',
				),
			)
		);
		$this->assertSame( 200, $ok->get_status(), (string) wp_json_encode( $ok->get_data() ) );
		$this->post( array( 'tiers' => array( 'standard' => 'gpt-5-mini' ) ) );
		$this->assertSame(
			array(
				'economy'  => 'gpt-4o-mini',
				'speech'   => 'tts-1',
				'standard' => 'gpt-5-mini',
			),
			( new Model_Catalog() )->tier_overrides(),
			'tier choices accumulate'
		);
	}

	public function test_counting_unknown_prices_at_the_dearest_rate_clears_no_price_problems(): void {
		$this->log_in_as( 'administrator' );
		$before = $this->dispatch( 'GET', self::ROUTE )->get_data();
		$this->assertContains( 'no_price', self::codes( $before, 'gpt-5.4-mini' ) );

		$after = $this->post( array( 'count_unknown_at_max' => true ) )->get_data();

		$this->assertTrue( $after['count_unknown_at_max'] );
		$this->assertNotContains( 'no_price', self::codes( $after, 'gpt-5.4-mini' ) );
		$this->assertTrue( ( new Model_Catalog() )->counts_unknown_at_max() );
	}

	public function test_refresh_flags_shutdown_dates_and_models_the_provider_does_not_list(): void {
		Simulator::configure( self::KEY );
		$this->log_in_as( 'administrator' );
		$ghost = 'vvc-ghost-' . strtolower( wp_generate_password( 8, false ) );
		$saved = $this->post(
			array(
				'models' => array(
					$ghost => array(
						'kind'  => 'chat',
						'price' => array(
							'text_in'  => 1,
							'text_out' => 2,
						),
					),
				),
				'tiers'  => array(
					'standard' => 'gpt-4o-mini',
					'economy'  => $ghost,
				),
			)
		);
		$this->assertSame( 200, $saved->get_status(), (string) wp_json_encode( $saved->get_data() ) );
		$this->assertSame( array(), self::codes( $saved->get_data(), $ghost ), 'not checked yet' );

		$before   = time();
		$response = $this->dispatch( 'POST', self::REFRESH );

		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$data = $response->get_data();
		$this->assertGreaterThanOrEqual( $before, $data['provider']['checked_at'] );
		$this->assertGreaterThan( 10, $data['provider']['listed'] );
		$this->assertSame( array( 'unknown_to_provider' ), self::codes( $data, $ghost ) );
		$this->assertSame( 'missing', self::model( $data, $ghost )['provider'] );
		$this->assertSame( 'listed', self::model( $data, 'gpt-4o-mini' )['provider'] );
		$this->assertSame( '2027-01-14', self::model( $data, 'gpt-4o-mini' )['provider_shutdown'] );
		$expected = gmdate( 'Y-m-d' ) >= '2027-01-14' ? 'shut_down' : 'shutdown_scheduled';
		$this->assertContains( $expected, self::codes( $data, 'gpt-4o-mini' ) );
		foreach ( $data['problems'] as $problem ) {
			if ( 'gpt-4o-mini' === $problem['model'] ) {
				$this->assertSame( '2027-01-14', $problem['date'] );
				$this->assertSame( array( 'Standard' ), $problem['used_by'] );
			}
		}
		$this->assertStringNotContainsString( self::KEY, (string) wp_json_encode( $data ) );

		$again = $this->dispatch( 'GET', self::ROUTE )->get_data();
		$this->assertSame( $data['provider'], $again['provider'], 'the check is remembered' );
	}

	public function test_refresh_explains_a_rejected_key_without_showing_it(): void {
		$key = 'sk-invalid-budget-' . wp_generate_password( 10, false );
		Simulator::configure( $key );
		$this->log_in_as( 'administrator' );

		$response = $this->dispatch( 'POST', self::REFRESH );

		$this->assertSame( 502, $response->get_status() );
		$this->assertSame( 'vvc_upstream_auth', $response->get_data()['code'] );
		$this->assertStringContainsString( '401', $response->get_data()['message'] );
		$this->assertStringNotContainsString( substr( $key, 3, 12 ), (string) wp_json_encode( $response->get_data() ) );
		$this->assertNull( ( new Model_Catalog() )->provider_state(), 'nothing recorded' );
	}
}
