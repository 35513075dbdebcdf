import type { VoiceSettings } from '../../src/admin/settings/types';

/** The voice settings as the server sends them by default. */
export const VOICE_SETTINGS: VoiceSettings = {
	voice_pipeline: 'auto',
	audio_model: 'gpt-audio-1.5',
	transcribe_model: 'gpt-4o-mini-transcribe',
	speech_model: 'gpt-4o-mini-tts',
	voice: 'marin',
	speech_instructions: '',
	speech_speed: 1,
	voice_max_seconds: 60,
	voice_max_bytes: 4194304,
	voice_consent_text:
		'When you use the microphone, your recording is sent to our AI provider.',
};

/**
 * A GET /admin/settings body as the server sends it on the development stack.
 * @param overrides
 */
export function settingsBody(
	overrides: Record< string, unknown > = {}
): Record< string, unknown > {
	return {
		settings: {
			base_url: 'http://127.0.0.1:4010/v1',
			organization: '',
			project: '',
			text_model: 'gpt-5.4-mini',
			image_model: 'gpt-5.4-mini',
			system_prompt: 'Be brief.',
			max_completion_tokens: 800,
			history_turns: 10,
			turn_max_chars: 4000,
			image_max_side: 1024,
			image_max_bytes: 5242880,
			image_max_pixels: 40000000,
			image_detail: 'auto',
			key_choice: 'auto',
			enabled: true,
			log_transcripts: false,
			...VOICE_SETTINGS,
			version: 7,
		},
		api_key: {
			source: 'constant',
			last4: 'a1b2',
			configured: true,
			plugin_key: false,
		},
		simulator: true,
		base_url_locked: true,
		...overrides,
	};
}
