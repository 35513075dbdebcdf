<?php
/**
 * The FAQ cache's settings: defaults, clamping, booleans, schema.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Cache;

use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Tests\Support\TestCase;

/**
 * faq_enabled, faq_ttl, faq_min_asks, log_transcripts in Settings.
 */
final class FaqSettingsTest extends TestCase {

	public function test_defaults(): void {
		$all = ( new Settings() )->all();
		$this->assertTrue( $all['faq_enabled'] );
		$this->assertSame( DAY_IN_SECONDS, $all['faq_ttl'] );
		$this->assertSame( 2, $all['faq_min_asks'] );
		$this->assertFalse( $all['log_transcripts'] );
	}

	public function test_values_are_clamped_and_booleans_parsed(): void {
		$settings = new Settings();
		$saved    = $settings->update(
			array(
				'faq_enabled'     => 'false',
				'faq_ttl'         => 5,
				'faq_min_asks'    => 999,
				'log_transcripts' => '1',
			)
		);
		$this->assertFalse( $saved['faq_enabled'] );
		$this->assertSame( 60, $saved['faq_ttl'] );
		$this->assertSame( 20, $saved['faq_min_asks'] );
		$this->assertTrue( $saved['log_transcripts'] );

		$saved = $settings->update(
			array(
				'faq_ttl'      => 'soon',
				'faq_min_asks' => 0,
			)
		);
		$this->assertSame( 60, $saved['faq_ttl'], 'invalid keeps the current value' );
		$this->assertSame( 1, $saved['faq_min_asks'] );
	}

	public function test_admin_settings_route_exposes_and_saves_them(): void {
		$this->log_in_as( 'administrator' );
		$response = $this->dispatch(
			'POST',
			'/voice-vision-chat/v1/admin/settings',
			array(
				'faq_ttl'         => 3600,
				'log_transcripts' => true,
			)
		);
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( 3600, $response->get_data()['settings']['faq_ttl'] );
		$this->assertTrue( $response->get_data()['settings']['log_transcripts'] );
		$this->assertSame( 'integer', Settings::schema()['faq_min_asks']['type'] );
	}
}
