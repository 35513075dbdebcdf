<?php
/**
 * Base class for tests that run inside the real WordPress.
 *
 * Each test runs in a database transaction that is rolled back afterwards, so tests can
 * create users, posts and options freely and never see each other's data.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Support;

use WP_REST_Request;
use WP_REST_Response;

/**
 * Transactions, a clean REST server and a guard against _doing_it_wrong() per test.
 */
abstract class TestCase extends \PHPUnit\Framework\TestCase {

	/**
	 * Calls to _doing_it_wrong() during the test; any is a failure.
	 *
	 * @var list<string>
	 */
	private array $doing_it_wrong = array();

	protected function setUp(): void {
		parent::setUp();
		global $wpdb;
		$wpdb->suppress_errors = false;
		$wpdb->show_errors     = true;
		$wpdb->query( 'SET autocommit = 0' );
		$wpdb->query( 'START TRANSACTION' );
		wp_cache_flush();
		add_action( 'doing_it_wrong_run', array( $this, 'record_doing_it_wrong' ), 10, 3 );
	}

	protected function tearDown(): void {
		global $wpdb, $wp_rest_server;
		$wpdb->query( 'ROLLBACK' );
		wp_cache_flush();
		wp_set_current_user( 0 );
		$wp_rest_server = null;
		remove_action( 'doing_it_wrong_run', array( $this, 'record_doing_it_wrong' ), 10 );
		$this->assertSame( array(), $this->doing_it_wrong, 'WordPress reported _doing_it_wrong()' );
		parent::tearDown();
	}

	/**
	 * Keeps what WordPress complained about, to fail the test in tearDown().
	 *
	 * @param string $function_name The function that was called wrongly.
	 * @param string $message       WordPress's explanation.
	 * @param string $version       Version that added the message.
	 */
	public function record_doing_it_wrong( string $function_name, string $message, string $version ): void {
		$this->doing_it_wrong[] = "$function_name: $message ($version)";
	}

	/**
	 * Sends a request through WordPress's real REST server, with every route registered.
	 *
	 * @param string               $method HTTP method.
	 * @param string               $route  Route, e.g. /voice-vision-chat/v1/session.
	 * @param array<string, mixed> $params Body (JSON) parameters.
	 */
	protected function dispatch( string $method, string $route, array $params = array() ): WP_REST_Response {
		$request = new WP_REST_Request( $method, $route );
		if ( $params ) {
			$request->set_header( 'Content-Type', 'application/json' );
			$request->set_body( (string) wp_json_encode( $params ) );
		}
		return rest_do_request( $request );
	}

	/**
	 * Logs in a new user with the given role for the rest of the test.
	 *
	 * @param string $role A WordPress role, e.g. administrator.
	 */
	protected function log_in_as( string $role ): int {
		$user_id = wp_insert_user(
			array(
				'user_login' => 'vvc_' . $role . '_' . wp_generate_password( 6, false ),
				'user_pass'  => wp_generate_password(),
				'role'       => $role,
			)
		);
		$this->assertIsInt( $user_id );
		wp_set_current_user( $user_id );
		return $user_id;
	}
}
