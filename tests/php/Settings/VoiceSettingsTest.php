<?php
/**
 * The voice settings: defaults, sanitizing, and the admin REST route's validation.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Settings;

use VoiceVisionChat\Routing\Model_Tier;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Tests\Support\TestCase;

/**
 * voice_pipeline, audio_model, transcribe_model, speech_model, voice, speech_instructions,
 * speech_speed, voice_max_seconds, voice_max_bytes, voice_consent_text.
 */
final class VoiceSettingsTest extends TestCase {

	public function test_defaults(): void {
		delete_option( Settings::OPTION );
		$all = ( new Settings() )->all();
		$this->assertSame( 'auto', $all['voice_pipeline'] );
		// One set of defaults: the voice, transcribe and speech tiers'.
		$this->assertSame( 'gpt-audio-1.5', $all['audio_model'] );
		$this->assertSame( 'gpt-transcribe', $all['transcribe_model'] );
		$this->assertSame( 'gpt-4o-mini-tts', $all['speech_model'] );
		$tiers = Model_Tier::defaults();
		$this->assertSame( array( $tiers['voice'], $tiers['transcribe'], $tiers['speech'] ), array( $all['audio_model'], $all['transcribe_model'], $all['speech_model'] ) );
		$this->assertSame( 'marin', $all['voice'] );
		$this->assertSame( '', $all['speech_instructions'] );
		$this->assertSame( 1.0, $all['speech_speed'] );
		$this->assertSame( 60, $all['voice_max_seconds'] );
		$this->assertSame( 4194304, $all['voice_max_bytes'] );
		$this->assertSame( Settings::default_consent_text(), $all['voice_consent_text'] );
		$this->assertStringContainsString( 'AI-generated voice', $all['voice_consent_text'] );
		$this->assertNotContains( 'gpt-4o-audio-preview', $all, 'never the retired preview model' );
	}

	public function test_the_consent_text_default_is_translated(): void {
		$filter = static fn ( string $translation, string $text, string $domain ): string => 'voice-vision-chat' === $domain && str_starts_with( $text, 'When you use the microphone' ) ? 'Übersetzt' : $translation;
		add_filter( 'gettext', $filter, 10, 3 );
		$default = Settings::defaults()['voice_consent_text'];
		remove_filter( 'gettext', $filter, 10 );
		$this->assertSame( 'Übersetzt', $default );
	}

	public function test_values_are_sanitized_and_clamped(): void {
		$settings = new Settings();
		$saved    = $settings->update(
			array(
				'voice_pipeline'      => 'chained',
				'audio_model'         => 'gpt-audio-mini',
				'transcribe_model'    => 'gpt-transcribe',
				'speech_model'        => 'tts-1',
				'voice'               => 'coral',
				'speech_instructions' => "Warm, <b>calm</b>\nand slow.",
				'speech_speed'        => '1.237',
				'voice_max_seconds'   => 1000,
				'voice_max_bytes'     => 10,
				'voice_consent_text'  => 'Your voice goes to OpenAI. <script>x</script>',
			)
		);
		$this->assertSame( 'chained', $saved['voice_pipeline'] );
		$this->assertSame( 'gpt-audio-mini', $saved['audio_model'] );
		$this->assertSame( 'gpt-transcribe', $saved['transcribe_model'] );
		$this->assertSame( 'tts-1', $saved['speech_model'] );
		$this->assertSame( 'coral', $saved['voice'] );
		$this->assertSame( "Warm, calm\nand slow.", $saved['speech_instructions'] );
		$this->assertSame( 1.24, $saved['speech_speed'] );
		$this->assertSame( 180, $saved['voice_max_seconds'] );
		$this->assertSame( 262144, $saved['voice_max_bytes'] );
		$this->assertSame( 'Your voice goes to OpenAI.', $saved['voice_consent_text'] );

		$saved = $settings->update(
			array(
				'voice_pipeline'     => 'realtime',
				'audio_model'        => 'gpt audio; rm -rf',
				'voice'              => 'nova', // Speech knows it; the audio chat models do not.
				'speech_speed'       => 9,
				'voice_consent_text' => '   ',
			)
		);
		$this->assertSame( 'chained', $saved['voice_pipeline'] );
		$this->assertSame( 'gpt-audio-mini', $saved['audio_model'] );
		$this->assertSame( 'coral', $saved['voice'] );
		$this->assertSame( 4.0, $saved['speech_speed'] );
		$this->assertSame( Settings::default_consent_text(), $saved['voice_consent_text'], 'clearing brings the default back' );
		$this->assertSame( 0.25, $settings->update( array( 'speech_speed' => 0 ) )['speech_speed'] );
	}

	public function test_the_admin_route_validates_the_voice_settings(): void {
		$user = wp_insert_user(
			array(
				'user_login' => 'vvc_voice_admin_' . wp_generate_password( 6, false ),
				'user_pass'  => wp_generate_password(),
				'role'       => 'administrator',
			)
		);
		$this->assertIsInt( $user );
		wp_set_current_user( $user );
		$route = '/voice-vision-chat/v1/admin/settings';

		foreach ( array(
			'voice'          => 'nova',
			'voice_pipeline' => 'realtime',
			'speech_speed'   => 5,
			'audio_model'    => 'bad model',
		) as $field => $value ) {
			$response = $this->dispatch( 'POST', $route, array( $field => $value ) );
			$this->assertSame( 400, $response->get_status(), $field );
			$this->assertArrayHasKey( $field, $response->get_data()['data']['params'] );
		}

		$response = $this->dispatch(
			'POST',
			$route,
			array(
				'voice'             => 'cedar',
				'speech_speed'      => 0.5,
				'voice_max_seconds' => 30,
			)
		);
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertSame( 'cedar', $response->get_data()['settings']['voice'] );
		$this->assertSame( 0.5, $response->get_data()['settings']['speech_speed'] );
		$this->assertSame( 30, $response->get_data()['settings']['voice_max_seconds'] );

		$schema = $this->dispatch( 'OPTIONS', $route )->get_data()['schema']['properties']['settings']['properties'] ?? null;
		$this->assertIsArray( $schema );
		$this->assertSame( Settings::VOICES, $schema['voice']['enum'] );
	}
}
