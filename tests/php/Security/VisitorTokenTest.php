<?php
/**
 * Visitor tokens cannot be forged, replayed after expiry or bound to a chosen id.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Security;

use VoiceVisionChat\Security\Visitor_Token;
use VoiceVisionChat\Tests\Support\TestCase;
use WP_Error;

/**
 * Visitor_Token.
 */
final class VisitorTokenTest extends TestCase {

	private const SECRET = 'test-secret-for-visitor-tokens';

	/**
	 * Fake clock, moved by the tests.
	 *
	 * @var int
	 */
	private int $now = 1700000000;

	private function tokens( string $secret = self::SECRET ): Visitor_Token {
		return new Visitor_Token( $secret, fn (): int => $this->now );
	}

	private function assert_invalid( mixed $result, string $message = '' ): void {
		$this->assertInstanceOf( WP_Error::class, $result, $message );
		$this->assertSame( 'vvc_invalid_token', $result->get_error_code() );
		$this->assertSame( array( 'status' => 401 ), $result->get_error_data() );
	}

	private static function b64( string $bytes ): string {
		return rtrim( strtr( base64_encode( $bytes ), '+/', '-_' ), '=' );
	}

	private static function unb64( string $text ): string {
		return (string) base64_decode( strtr( $text, '-_', '+/' ), true );
	}

	protected function tearDown(): void {
		remove_all_filters( 'vvc_visitor_token_ttl' );
		parent::tearDown();
	}

	public function test_issued_token_verifies_to_its_random_visitor_id(): void {
		$issued = $this->tokens()->issue();

		$this->assertMatchesRegularExpression( '/^[0-9a-f]{32}$/', $issued['visitor_id'] );
		$this->assertMatchesRegularExpression( '/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/', $issued['token'] );
		$this->assertSame( $this->now + 7200, $issued['expires_at'] );
		$this->assertSame( $issued['visitor_id'], $this->tokens()->verify( $issued['token'] ), 'stateless: another instance with the same secret accepts it' );

		$other = $this->tokens()->issue();
		$this->assertNotSame( $issued['visitor_id'], $other['visitor_id'] );
		$this->assertNotSame( $issued['token'], $other['token'] );
	}

	public function test_token_is_refused_from_the_second_it_expires(): void {
		$issued = $this->tokens()->issue();

		$this->now = $issued['expires_at'] - 1;
		$this->assertSame( $issued['visitor_id'], $this->tokens()->verify( $issued['token'] ) );

		$this->now = $issued['expires_at'];
		$this->assert_invalid( $this->tokens()->verify( $issued['token'] ) );

		$this->now = $issued['expires_at'] + DAY_IN_SECONDS;
		$this->assert_invalid( $this->tokens()->verify( $issued['token'] ) );
	}

	public function test_lifetime_follows_the_filter_within_bounds(): void {
		add_filter( 'vvc_visitor_token_ttl', static fn (): int => 300 );
		$issued = $this->tokens()->issue();
		$this->assertSame( $this->now + 300, $issued['expires_at'] );
		$this->now += 301;
		$this->assert_invalid( $this->tokens()->verify( $issued['token'] ) );

		remove_all_filters( 'vvc_visitor_token_ttl' );
		add_filter( 'vvc_visitor_token_ttl', static fn (): int => 10 * YEAR_IN_SECONDS );
		$this->assertSame( $this->now + DAY_IN_SECONDS, $this->tokens()->issue()['expires_at'], 'capped at a day' );

		remove_all_filters( 'vvc_visitor_token_ttl' );
		add_filter( 'vvc_visitor_token_ttl', static fn (): int => -5 );
		$this->assertSame( $this->now + 60, $this->tokens()->issue()['expires_at'], 'at least a minute' );
	}

	public function test_changed_payload_with_the_old_signature_is_refused(): void {
		$issued                 = $this->tokens()->issue();
		list( , $signature )    = explode( '.', $issued['token'] );
		list( , $id, $expires ) = explode( ':', self::unb64( explode( '.', $issued['token'] )[0] ) );

		$other_id  = self::b64( 'v1:' . str_repeat( 'a', 32 ) . ':' . $expires );
		$extended  = self::b64( 'v1:' . $id . ':' . ( (int) $expires + YEAR_IN_SECONDS ) );
		$new_field = self::b64( 'v1:' . $id . ':' . $expires . ':admin' );

		foreach ( array( $other_id, $extended, $new_field ) as $forged_payload ) {
			$this->assert_invalid( $this->tokens()->verify( $forged_payload . '.' . $signature ) );
		}
	}

	public function test_changed_signature_is_refused(): void {
		$issued                      = $this->tokens()->issue();
		list( $payload, $signature ) = explode( '.', $issued['token'] );

		$flipped = $signature;
		$flipped[5] = 'A' === $flipped[5] ? 'B' : 'A';
		$this->assert_invalid( $this->tokens()->verify( $payload . '.' . $flipped ) );
		$this->assert_invalid( $this->tokens()->verify( $payload . '.' . substr( $signature, 0, -1 ) ) );
		$this->assert_invalid( $this->tokens()->verify( $payload . '.' ) );

		// The last base64 character of a 32-byte MAC carries two unused bits: another
		// spelling of the same bytes must not pass either.
		$alphabet  = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
		$last      = strpos( $alphabet, substr( $signature, -1 ) );
		$respelled = substr( $signature, 0, -1 ) . $alphabet[ $last ^ 1 ];
		$this->assertSame( self::unb64( $signature ), self::unb64( $respelled ), 'same bytes' );
		$this->assert_invalid( $this->tokens()->verify( $payload . '.' . $respelled ) );
	}

	public function test_token_signed_with_another_secret_is_refused(): void {
		$foreign = $this->tokens( 'another-site-secret' )->issue();
		$this->assert_invalid( $this->tokens()->verify( $foreign['token'] ) );

		// An attacker who builds a token from scratch with a guessed key gets nowhere either.
		$payload = self::b64( 'v1:' . str_repeat( 'b', 32 ) . ':' . ( $this->now + 100 ) );
		$forged  = $payload . '.' . self::b64( hash_hmac( 'sha256', $payload, '', true ) );
		$this->assert_invalid( $this->tokens()->verify( $forged ) );
	}

	public function test_malformed_tokens_are_refused(): void {
		$issued = $this->tokens()->issue();
		$cases  = array(
			'',
			'abc',
			'a.b.c',
			$issued['token'] . '.x',
			$issued['token'] . '=',
			str_replace( '.', '..', $issued['token'] ),
			'%' . $issued['token'],
			str_repeat( 'A', 300 ) . '.' . str_repeat( 'B', 43 ),
			"\0" . $issued['token'],
		);
		foreach ( $cases as $case ) {
			$this->assert_invalid( $this->tokens()->verify( $case ), 'refused: ' . $case );
		}
	}

	public function test_valid_signature_on_a_malformed_payload_is_refused(): void {
		// Even with the secret, only the exact v1 layout is accepted.
		$payload = self::b64( 'v1:not-hex:' . ( $this->now + 100 ) );
		$token   = $payload . '.' . self::b64( hash_hmac( 'sha256', $payload, self::SECRET, true ) );
		$this->assert_invalid( $this->tokens()->verify( $token ) );
	}

	public function test_default_secret_comes_from_the_site_salts(): void {
		$issued = ( new Visitor_Token() )->issue();
		$this->assertSame( $issued['visitor_id'], ( new Visitor_Token() )->verify( $issued['token'] ) );
		$this->assertSame( $issued['visitor_id'], ( new Visitor_Token( wp_salt( 'auth' ) . 'vvc-visitor' ) )->verify( $issued['token'] ) );
		$this->assert_invalid( $this->tokens()->verify( $issued['token'] ) );
	}

	public function test_issuing_stores_nothing(): void {
		global $wpdb;
		$count = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->options}" );
		for ( $i = 0; $i < 5; $i++ ) {
			$this->tokens()->issue();
		}
		$this->assertSame( $count, (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->options}" ) );
	}
}
