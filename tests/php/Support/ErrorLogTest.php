<?php
/**
 * The admin error log: bounded, not autoloaded, and free of secrets.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Support;

use VoiceVisionChat\Security\Api_Key_Store;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Support\Error_Log;

/**
 * Error_Log.
 */
final class ErrorLogTest extends TestCase {

	/**
	 * Fake clock.
	 *
	 * @var int
	 */
	private int $now = 1700000000;

	private function log( string $configured_key = '' ): Error_Log {
		$keys = new Api_Key_Store( new Settings(), static fn (): string => $configured_key, static fn (): string => '' );
		return new Error_Log( $keys, fn (): int => $this->now );
	}

	public function test_entries_come_back_newest_first_with_their_fields(): void {
		$log = $this->log();
		$log->record( 'vvc_upstream_timeout', 'No answer within 60 s.', array( 'model' => 'gpt-5.4-mini' ) );
		$this->now += 10;
		$log->record( 'vvc_upstream_auth', 'The provider rejected the API key (401 invalid_api_key).', array( 'status' => 401 ) );

		$entries = $log->recent();
		$this->assertCount( 2, $entries );
		$this->assertSame(
			array(
				'time'    => 1700000010,
				'code'    => 'vvc_upstream_auth',
				'detail'  => 'The provider rejected the API key (401 invalid_api_key).',
				'context' => array( 'status' => 401 ),
			),
			$entries[0]
		);
		$this->assertSame( 'vvc_upstream_timeout', $entries[1]['code'] );
		$this->assertCount( 1, $log->recent( 1 ) );
	}

	public function test_keeps_only_the_last_fifty(): void {
		$log = $this->log();
		for ( $i = 1; $i <= 60; $i++ ) {
			$log->record( 'vvc_upstream_error', 'failure ' . $i );
		}
		$stored = get_option( Error_Log::OPTION );
		$this->assertIsArray( $stored );
		$this->assertCount( 50, $stored );
		$this->assertSame( 'failure 60', $log->recent()[0]['detail'] );
		$this->assertSame( 'failure 11', $log->recent( 50 )[49]['detail'] );
		$this->assertCount( 50, $log->recent( 500 ), 'limit is capped' );
	}

	public function test_log_is_not_autoloaded(): void {
		global $wpdb;
		$this->log()->record( 'vvc_upstream_error', 'x' );
		$autoload = $wpdb->get_var( $wpdb->prepare( "SELECT autoload FROM {$wpdb->options} WHERE option_name = %s", Error_Log::OPTION ) );
		$this->assertNotContains( $autoload, wp_autoload_values_to_autoload() );
	}

	public function test_the_configured_key_is_redacted_whatever_its_shape(): void {
		$key = 'azure-0123456789abcdef0123456789abcdef';
		$this->log( $key )->record(
			'vvc_upstream_auth',
			"Incorrect API key provided: {$key}. You can find your API key at https://platform.openai.com.",
			array(
				'echo'   => 'key=' . $key,
				'nested' => array( 'header' => 'api-key: ' . $key ),
			)
		);

		$raw = (string) wp_json_encode( get_option( Error_Log::OPTION ) );
		$this->assertStringNotContainsString( $key, $raw );
		$this->assertStringNotContainsString( '0123456789abcdef', $raw );
		$this->assertStringContainsString( 'Incorrect API key provided: [redacted].', $raw );
	}

	public function test_anything_that_looks_like_an_openai_key_is_redacted(): void {
		$stored_key = 'sk-proj-AbCdEf1234567890_xyz-QRST';
		( new Api_Key_Store( new Settings(), static fn (): string => '', static fn (): string => '' ) )->save_plugin_key( $stored_key );
		$log = new Error_Log( new Api_Key_Store( new Settings(), static fn (): string => '', static fn (): string => '' ) );

		$log->record(
			'vvc_upstream_auth',
			'Incorrect API key provided: sk-abc123def456ghi789. Also sk-proj-AbCd****QRST and ' . $stored_key . ' and ek_68a1b2c3d4e5f6a7b8c9.',
			array( 'authorization' => 'Bearer sk-live-999999999999999999' )
		);
		$entry = $log->recent()[0];

		$this->assertStringNotContainsString( 'sk-abc123def456ghi789', $entry['detail'] );
		$this->assertStringNotContainsString( 'AbCd', $entry['detail'] );
		$this->assertStringNotContainsString( 'QRST', $entry['detail'] );
		$this->assertStringNotContainsString( 'ek_68a1', $entry['detail'] );
		$this->assertStringNotContainsString( '9999', (string) wp_json_encode( $entry['context'] ) );
		$this->assertSame( 4, substr_count( $entry['detail'], '[redacted]' ) );
	}

	public function test_long_details_and_odd_context_are_bounded(): void {
		$this->log()->record(
			'vvc_upstream_error',
			str_repeat( 'x', 10000 ),
			array(
				'object' => new \stdClass(),
				'deep'   => array( 'a' => array( 'b' => array( 'c' => array( 'd' => 'too deep' ) ) ) ),
				'ok'     => true,
			)
		);
		$entry = $this->log()->recent()[0];
		$this->assertSame( 2000, mb_strlen( $entry['detail'] ) );
		$this->assertArrayNotHasKey( 'object', $entry['context'] );
		$this->assertSame( array( 'a' => array() ), $entry['context']['deep'], 'three levels at most' );
		$this->assertTrue( $entry['context']['ok'] );
	}

	public function test_malformed_stored_entries_are_dropped(): void {
		update_option( Error_Log::OPTION, array( 'junk', array( 'code' => 'x' ) ), false );
		$this->assertSame( array(), $this->log()->recent() );
		update_option( Error_Log::OPTION, 'not an array', false );
		$this->assertSame( array(), $this->log()->recent() );
	}
}
