<?php
/**
 * API key resolution order and encryption at rest.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Security;

use VoiceVisionChat\Security\Api_Key_Store;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Tests\Support\TestCase;

/**
 * Api_Key_Store.
 */
final class ApiKeyStoreTest extends TestCase {

	private const ENV_KEY        = 'sk-env-1111111111111111aaaa';
	private const CONSTANT_KEY   = 'sk-const-2222222222222222bbbb';
	private const CONNECTORS_KEY = 'sk-conn-3333333333333333cccc';
	private const PLUGIN_KEY     = 'sk-proj-plugin-4444444444444444dddd';

	protected function tearDown(): void {
		putenv( 'OPENAI_API_KEY' );
		remove_all_filters( 'salt' );
		parent::tearDown();
	}

	/**
	 * A store whose environment variable and constant are what the test says.
	 */
	private function store( string $env = '', string $constant = '', ?Settings $settings = null ): Api_Key_Store {
		return new Api_Key_Store( $settings ?? new Settings(), static fn (): string => $env, static fn (): string => $constant );
	}

	public function test_nothing_configured(): void {
		$store = $this->store();
		$this->assertSame( '', $store->key() );
		$this->assertSame( 'none', $store->source() );
		$this->assertSame( '', $store->last4() );
		$this->assertFalse( $store->has_plugin_key() );
	}

	public function test_resolution_order_env_constant_connectors_plugin(): void {
		$this->store()->save_plugin_key( self::PLUGIN_KEY );
		$this->assertSame( 'plugin', $this->store()->source() );
		$this->assertSame( self::PLUGIN_KEY, $this->store()->key() );

		update_option( Api_Key_Store::CONNECTORS_OPTION, self::CONNECTORS_KEY );
		$this->assertSame( 'connectors', $this->store()->source() );
		$this->assertSame( self::CONNECTORS_KEY, $this->store()->key() );

		$this->assertSame( 'constant', $this->store( '', self::CONSTANT_KEY )->source() );
		$this->assertSame( self::CONSTANT_KEY, $this->store( '', self::CONSTANT_KEY )->key() );

		$store = $this->store( self::ENV_KEY, self::CONSTANT_KEY );
		$this->assertSame( 'env', $store->source() );
		$this->assertSame( self::ENV_KEY, $store->key() );
		$this->assertSame( 'aaaa', $store->last4() );
		$this->assertTrue( $store->has_plugin_key(), 'the plugin key is still saved underneath' );
	}

	public function test_plugin_choice_uses_only_the_plugin_key(): void {
		$settings = new Settings();
		$settings->update( array( 'key_choice' => 'plugin' ) );
		update_option( Api_Key_Store::CONNECTORS_OPTION, self::CONNECTORS_KEY );

		$store = $this->store( self::ENV_KEY, self::CONSTANT_KEY, $settings );
		$this->assertSame( 'none', $store->source(), 'no plugin key yet: the others are not used' );
		$this->assertSame( '', $store->key() );

		$store->save_plugin_key( self::PLUGIN_KEY );
		$this->assertSame( 'plugin', $store->source() );
		$this->assertSame( self::PLUGIN_KEY, $store->key() );

		// Switching back within the same request re-resolves.
		$settings->update( array( 'key_choice' => 'auto' ) );
		$this->assertSame( 'env', $store->source() );
	}

	public function test_default_lookups_read_the_real_environment(): void {
		putenv( 'OPENAI_API_KEY=' . self::ENV_KEY );
		$store = new Api_Key_Store( new Settings() );
		$this->assertSame( 'env', $store->source() );
		$this->assertSame( self::ENV_KEY, $store->key() );

		putenv( 'OPENAI_API_KEY' );
		$this->assertFalse( defined( 'OPENAI_API_KEY' ), 'the test WordPress defines no key constant' );
		$this->assertSame( 'none', ( new Api_Key_Store( new Settings() ) )->source() );
	}

	public function test_plugin_key_is_encrypted_and_not_autoloaded(): void {
		global $wpdb;
		$this->store()->save_plugin_key( '  ' . self::PLUGIN_KEY . "\n" );

		$row = $wpdb->get_row( $wpdb->prepare( "SELECT option_value, autoload FROM {$wpdb->options} WHERE option_name = %s", Api_Key_Store::OPTION ), ARRAY_A );
		$this->assertIsArray( $row );
		$this->assertStringNotContainsString( self::PLUGIN_KEY, $row['option_value'] );
		$this->assertStringNotContainsString( 'dddd', $row['option_value'] );
		$this->assertStringNotContainsString( base64_encode( self::PLUGIN_KEY ), $row['option_value'] );
		$this->assertStringStartsWith( 'vvc1:', $row['option_value'] );
		$this->assertNotContains( $row['autoload'], wp_autoload_values_to_autoload() );
		$this->assertArrayNotHasKey( Api_Key_Store::OPTION, wp_load_alloptions() );

		$this->assertSame( self::PLUGIN_KEY, $this->store()->key(), 'trimmed and decrypted' );
	}

	public function test_each_save_uses_a_fresh_nonce(): void {
		$this->store()->save_plugin_key( self::PLUGIN_KEY );
		$first = get_option( Api_Key_Store::OPTION );
		$this->store()->save_plugin_key( self::PLUGIN_KEY );
		$this->assertNotSame( $first, get_option( Api_Key_Store::OPTION ) );
	}

	public function test_saving_over_an_autoloaded_row_turns_autoload_off(): void {
		add_option( Api_Key_Store::OPTION, 'legacy', '', true );
		$this->store()->save_plugin_key( self::PLUGIN_KEY );
		$this->assertArrayNotHasKey( Api_Key_Store::OPTION, wp_load_alloptions( true ) );
	}

	public function test_tampered_or_foreign_ciphertext_gives_no_key(): void {
		$this->store()->save_plugin_key( self::PLUGIN_KEY );
		$sealed = (string) get_option( Api_Key_Store::OPTION );

		$raw      = base64_decode( substr( $sealed, 5 ) );
		$raw[30]  = chr( ord( $raw[30] ) ^ 1 );
		$tampered = 'vvc1:' . base64_encode( $raw );
		update_option( Api_Key_Store::OPTION, $tampered, false );
		$this->assertSame( 'none', $this->store()->source() );

		update_option( Api_Key_Store::OPTION, self::PLUGIN_KEY, false );
		$this->assertSame( '', $this->store()->key(), 'a plain value is not taken as a key' );

		// New salts (a moved or re-keyed site) cannot open the old value.
		update_option( Api_Key_Store::OPTION, $sealed, false );
		$this->assertSame( self::PLUGIN_KEY, $this->store()->key() );
		add_filter( 'salt', static fn (): string => 'different-salt' );
		$this->assertSame( '', $this->store()->key() );
	}

	public function test_delete_and_empty_save_remove_the_plugin_key(): void {
		$store = $this->store();
		$store->save_plugin_key( self::PLUGIN_KEY );
		$this->assertSame( 'plugin', $store->source() );
		$store->delete_plugin_key();
		$this->assertSame( 'none', $store->source() );
		$this->assertFalse( get_option( Api_Key_Store::OPTION ) );

		$store->save_plugin_key( self::PLUGIN_KEY );
		$store->save_plugin_key( '   ' );
		$this->assertFalse( $store->has_plugin_key() );
	}

	public function test_short_keys_show_no_last4(): void {
		$this->assertSame( '', $this->store( 'abcd1234' )->last4(), 'half of an 8-character key would be too much' );
		$this->assertSame( 'dddd', $this->store( self::PLUGIN_KEY )->last4() );
	}
}
