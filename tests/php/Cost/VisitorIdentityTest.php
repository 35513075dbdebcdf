<?php
/**
 * Visitor identity: which keys limits are counted under, and hashes instead of raw data.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Cost;

use VoiceVisionChat\Cost\Visitor_Identity;
use VoiceVisionChat\Tests\Support\TestCase;

/**
 * Visitor_Identity.
 */
final class VisitorIdentityTest extends TestCase {

	protected function tearDown(): void {
		remove_all_filters( 'vvc_limit_keys' );
		parent::tearDown();
	}

	public function test_an_anonymous_visitor_is_counted_by_token_and_by_address(): void {
		$who  = new Visitor_Identity( 'aaaa', '203.0.113.5' );
		$keys = $who->limit_keys();

		$this->assertCount( 2, $keys );
		$this->assertMatchesRegularExpression( '/^v:[0-9a-f]{32}$/', $keys[0] );
		$this->assertSame( 'ip:' . $who->ip_hash(), $keys[1] );
		$this->assertStringNotContainsString( '203.0.113.5', implode( ',', $keys ) . $who->visitor_hash() );

		$new_token = new Visitor_Identity( 'bbbb', '203.0.113.5' );
		$this->assertSame( $keys[1], $new_token->limit_keys()[1], 'a new token keeps the address key' );
		$this->assertNotSame( $keys[0], $new_token->limit_keys()[0] );

		$new_address = new Visitor_Identity( 'aaaa', '198.51.100.7' );
		$this->assertSame( $keys[0], $new_address->limit_keys()[0], 'a new address keeps the token key' );
	}

	public function test_a_logged_in_user_is_counted_by_user_id(): void {
		$who = new Visitor_Identity( '', '203.0.113.5', 42, array( 'editor' ) );
		$this->assertSame( array( 'u:42' ), $who->limit_keys() );
		$this->assertSame( array( 'editor' ), $who->roles() );
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{32}$/', $who->visitor_hash() );
	}

	public function test_hashes_depend_on_the_secret(): void {
		$one = new Visitor_Identity( 'aaaa', '203.0.113.5', 0, array(), 'secret-1' );
		$two = new Visitor_Identity( 'aaaa', '203.0.113.5', 0, array(), 'secret-2' );
		$this->assertNotSame( $one->ip_hash(), $two->ip_hash() );
		$this->assertSame( $one->ip_hash(), ( new Visitor_Identity( 'zzzz', '203.0.113.5', 0, array(), 'secret-1' ) )->ip_hash() );
		$this->assertNotSame( $one->ip_hash(), $one->visitor_hash(), 'equal strings of different kinds hash apart' );
	}

	public function test_the_filter_can_drop_the_address_key_but_not_inject_garbage(): void {
		add_filter( 'vvc_limit_keys', static fn ( array $keys ): array => array_values( array_filter( $keys, static fn ( string $key ): bool => ! str_starts_with( $key, 'ip:' ) ) ) );
		$this->assertCount( 1, ( new Visitor_Identity( 'aaaa', '203.0.113.5' ) )->limit_keys() );

		remove_all_filters( 'vvc_limit_keys' );
		add_filter( 'vvc_limit_keys', static fn (): array => array( "x'; DROP TABLE", 42 ) );
		$this->assertCount( 2, ( new Visitor_Identity( 'aaaa', '203.0.113.5' ) )->limit_keys(), 'nothing valid left: the default keys' );
	}
}
