<?php
/**
 * Settings: defaults, sanitization, versioning and how they are stored.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Settings;

use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Tests\Support\TestCase;

/**
 * The vvc_settings option.
 */
final class SettingsTest extends TestCase {

	public function test_defaults_fill_every_key_when_nothing_is_stored(): void {
		delete_option( Settings::OPTION );
		$all = ( new Settings() )->all();

		$this->assertSame( array_keys( Settings::defaults() ), array_keys( $all ) );
		$this->assertSame( 'https://api.openai.com/v1', $all['base_url'] );
		$this->assertSame( 'gpt-5.4-mini', $all['text_model'] );
		$this->assertSame( 800, $all['max_completion_tokens'] );
		$this->assertSame( 'auto', $all['key_choice'] );
		$this->assertTrue( $all['enabled'] );
		$this->assertSame( 1, ( new Settings() )->version() );
		$this->assertStringContainsString( wp_specialchars_decode( get_bloginfo( 'name' ), ENT_QUOTES ), $all['system_prompt'], 'the site name, not its HTML' );
	}

	public function test_schema_describes_exactly_the_default_keys(): void {
		$this->assertSame( array_keys( Settings::defaults() ), array_keys( Settings::schema() ) );
	}

	public function test_saving_bumps_the_version_and_ignores_a_given_version(): void {
		$settings = new Settings();
		$before   = $settings->version();

		$settings->update( array( 'history_turns' => 5 ) );
		$this->assertSame( $before + 1, $settings->version() );

		$settings->update(
			array(
				'version'       => 999,
				'history_turns' => 6,
			)
		);
		$this->assertSame( $before + 2, $settings->version() );
		$this->assertSame( $before + 2, ( new Settings() )->version(), 'a fresh reader sees the saved version' );
	}

	public function test_numbers_are_clamped_to_their_ranges(): void {
		$saved = ( new Settings() )->update(
			array(
				'max_completion_tokens' => 1000000,
				'history_turns'         => -3,
				'turn_max_chars'        => '50',
				'image_max_side'        => 99999,
				'image_max_bytes'       => 1,
				'image_max_pixels'      => 400000000,
			)
		);

		$this->assertSame( 4000, $saved['max_completion_tokens'] );
		$this->assertSame( 0, $saved['history_turns'] );
		$this->assertSame( 200, $saved['turn_max_chars'] );
		$this->assertSame( 2048, $saved['image_max_side'] );
		$this->assertSame( 102400, $saved['image_max_bytes'] );
		$this->assertSame( 100000000, $saved['image_max_pixels'] );
	}

	public function test_non_numbers_keep_the_current_value(): void {
		$settings = new Settings();
		$settings->update( array( 'history_turns' => 7 ) );
		$saved = $settings->update( array( 'history_turns' => 'lots' ) );
		$this->assertSame( 7, $saved['history_turns'] );
	}

	/**
	 * @return array<string, array{0: string}>
	 */
	public static function bad_base_urls(): array {
		return array(
			'javascript'    => array( 'javascript:alert(1)' ),
			'ftp'           => array( 'ftp://example.com/v1' ),
			'relative'      => array( '/v1' ),
			'no scheme'     => array( 'api.openai.com/v1' ),
			'file'          => array( 'file:///etc/passwd' ),
			'credentials'   => array( 'https://user:pass@example.com/v1' ),
			'spaces inside' => array( 'https://exa mple.com/v1' ),
		);
	}

	#[\PHPUnit\Framework\Attributes\DataProvider( 'bad_base_urls' )]
	public function test_base_url_must_be_http_or_https( string $url ): void {
		$this->assertFalse( Settings::is_valid_base_url( $url ) );
		$saved = ( new Settings() )->update( array( 'base_url' => $url ) );
		$this->assertSame( 'https://api.openai.com/v1', $saved['base_url'] );
	}

	public function test_good_base_urls_are_stored_without_trailing_slash(): void {
		$saved = ( new Settings() )->update( array( 'base_url' => 'http://localhost:11434/v1/' ) );
		$this->assertSame( 'http://localhost:11434/v1', $saved['base_url'] );

		$saved = ( new Settings() )->update( array( 'base_url' => 'https://my-resource.openai.azure.com/openai/v1' ) );
		$this->assertSame( 'https://my-resource.openai.azure.com/openai/v1', $saved['base_url'] );
	}

	public function test_models_must_be_plain_ids(): void {
		$settings = new Settings();
		$saved    = $settings->update(
			array(
				'text_model'  => 'ft:gpt-4o-mini:acme:support:abc123',
				'image_model' => 'meta-llama/Llama-3.2-11B-Vision',
			)
		);
		$this->assertSame( 'ft:gpt-4o-mini:acme:support:abc123', $saved['text_model'] );
		$this->assertSame( 'meta-llama/Llama-3.2-11B-Vision', $saved['image_model'] );

		foreach ( array( '', 'gpt 5', '<script>', str_repeat( 'a', 101 ), "gpt-5\nX-Evil: 1" ) as $bad ) {
			$saved = $settings->update( array( 'text_model' => $bad ) );
			$this->assertSame( 'ft:gpt-4o-mini:acme:support:abc123', $saved['text_model'], 'refused: ' . $bad );
		}
	}

	public function test_organization_and_project_cannot_carry_header_injection(): void {
		$settings = new Settings();
		$settings->update(
			array(
				'organization' => 'org-abc123',
				'project'      => 'proj_XYZ',
			)
		);
		$saved = $settings->update( array( 'organization' => "org-1\r\nX-Evil: yes" ) );
		$this->assertSame( 'org-abc123', $saved['organization'] );
		$this->assertSame( 'proj_XYZ', $saved['project'] );

		$saved = $settings->update( array( 'project' => '' ) );
		$this->assertSame( '', $saved['project'], 'empty means no header' );
	}

	public function test_system_prompt_keeps_line_breaks_and_drops_markup(): void {
		$saved = ( new Settings() )->update( array( 'system_prompt' => "Line one.\n\nLine <b>two</b>.<script>alert(1)</script>\n- item" ) );
		$this->assertSame( "Line one.\n\nLine two.\n- item", $saved['system_prompt'] );
	}

	public function test_empty_system_prompt_falls_back_to_the_default(): void {
		$settings = new Settings();
		$settings->update( array( 'system_prompt' => 'Custom' ) );
		$saved = $settings->update( array( 'system_prompt' => '   ' ) );
		$this->assertSame( Settings::defaults()['system_prompt'], $saved['system_prompt'] );
	}

	public function test_enums_and_booleans(): void {
		$settings = new Settings();
		$saved    = $settings->update(
			array(
				'image_detail' => 'low',
				'key_choice'   => 'plugin',
				'enabled'      => 'false',
			)
		);
		$this->assertSame( 'low', $saved['image_detail'] );
		$this->assertSame( 'plugin', $saved['key_choice'] );
		$this->assertFalse( $saved['enabled'] );

		$saved = $settings->update(
			array(
				'image_detail' => 'ultra',
				'key_choice'   => 'env',
				'enabled'      => true,
			)
		);
		$this->assertSame( 'low', $saved['image_detail'] );
		$this->assertSame( 'plugin', $saved['key_choice'] );
		$this->assertTrue( $saved['enabled'] );
	}

	public function test_unknown_keys_are_not_stored(): void {
		( new Settings() )->update( array( 'evil' => 'x' ) );
		$this->assertArrayNotHasKey( 'evil', (array) get_option( Settings::OPTION ) );
	}

	public function test_the_option_is_autoloaded_and_read_without_extra_queries(): void {
		global $wpdb;
		( new Settings() )->update( array( 'history_turns' => 4 ) );

		$autoload = $wpdb->get_var( $wpdb->prepare( "SELECT autoload FROM {$wpdb->options} WHERE option_name = %s", Settings::OPTION ) );
		$this->assertContains( $autoload, wp_autoload_values_to_autoload() );

		// A new request: the options WordPress autoloads are read in one query, and the
		// settings come from that query.
		wp_cache_flush();
		wp_load_alloptions();
		$queries  = $wpdb->num_queries;
		$settings = new Settings();
		$this->assertSame( 4, $settings->get( 'history_turns' ) );
		$settings->all();
		$settings->version();
		$this->assertSame( $queries, $wpdb->num_queries );
	}

	public function test_a_long_lived_instance_sees_saves_made_elsewhere(): void {
		$shared = new Settings();
		$this->assertTrue( $shared->get( 'enabled' ) );
		( new Settings() )->update( array( 'enabled' => false ) );
		$this->assertFalse( $shared->get( 'enabled' ) );
	}

	public function test_writes_outside_the_plugin_are_sanitized_and_bump_the_version(): void {
		$this->assertArrayHasKey( Settings::OPTION, get_registered_settings() );
		$before = ( new Settings() )->version();

		update_option(
			Settings::OPTION,
			array(
				'base_url'      => 'javascript:alert(1)',
				'history_turns' => 500,
			)
		);

		$stored = get_option( Settings::OPTION );
		$this->assertIsArray( $stored );
		$this->assertSame( 'https://api.openai.com/v1', $stored['base_url'] );
		$this->assertSame( 30, $stored['history_turns'] );
		$this->assertSame( $before + 1, $stored['version'] );
	}

	public function test_simulator_is_detected_from_a_loopback_base_url_on_port_4010(): void {
		$settings = new Settings();
		$this->assertFalse( $settings->uses_simulator() );

		$settings->update( array( 'base_url' => 'http://127.0.0.1:4010/v1' ) );
		$this->assertTrue( $settings->uses_simulator() );

		$settings->update( array( 'base_url' => 'http://127.0.0.1:8080/v1' ) );
		$this->assertFalse( $settings->uses_simulator() );
	}

	public function test_settings_registration_is_hooked_to_init(): void {
		$found = false;
		foreach ( $GLOBALS['wp_filter']['init']->callbacks as $callbacks ) {
			foreach ( $callbacks as $callback ) {
				if ( is_array( $callback['function'] ) && $callback['function'][0] instanceof Settings && 'register' === $callback['function'][1] ) {
					$found = true;
				}
			}
		}
		$this->assertTrue( $found );
	}
}
