/**
 * Shapes exchanged with the admin REST routes (voice-vision-chat/v1/admin/*) and the
 * settings form. The server owns validation; these types mirror its schema.
 */

export type KeySource = 'env' | 'constant' | 'connectors' | 'plugin' | 'none';
export type KeyChoice = 'auto' | 'plugin';
export type ImageDetail = 'auto' | 'low' | 'high';
/** How voice questions are answered (see Settings::VOICE_PIPELINES). */
export type VoicePipeline = 'auto' | 'native' | 'chained';
/** Voices both the audio chat models and /v1/audio/speech accept (Settings::VOICES). */
export const VOICES = [
	'alloy',
	'ash',
	'ballad',
	'coral',
	'echo',
	'sage',
	'shimmer',
	'verse',
	'marin',
	'cedar',
] as const;
export type VoiceName = ( typeof VOICES )[ number ];

/** The voice settings, as GET /admin/settings returns them. */
export interface VoiceSettings {
	voice_pipeline: VoicePipeline;
	audio_model: string;
	transcribe_model: string;
	speech_model: string;
	voice: VoiceName;
	speech_instructions: string;
	speech_speed: number;
	voice_max_seconds: number;
	voice_max_bytes: number;
	voice_consent_text: string;
}

/** The voice settings as edited: numbers as typed, the byte cap in megabytes. */
export interface VoiceFormValues extends Omit<
	VoiceSettings,
	'speech_speed' | 'voice_max_seconds' | 'voice_max_bytes'
> {
	speech_speed: string;
	voice_max_seconds: string;
	voice_max_mb: string;
}

/** The `vvc_settings` option as GET /admin/settings returns it. */
export interface ChatSettings extends VoiceSettings {
	base_url: string;
	organization: string;
	project: string;
	text_model: string;
	image_model: string;
	system_prompt: string;
	max_completion_tokens: number;
	history_turns: number;
	turn_max_chars: number;
	image_max_side: number;
	image_max_bytes: number;
	image_detail: ImageDetail;
	key_choice: KeyChoice;
	enabled: boolean;
	log_transcripts: boolean;
}

/** What the browser may know about the API key: never the key itself. */
export interface ApiKeyStatus {
	source: KeySource;
	last4: string;
	configured: boolean;
	/** The plugin has its own key saved, even when another one takes precedence. */
	pluginKey: boolean;
}

export interface SettingsPayload {
	settings: ChatSettings;
	apiKey: ApiKeyStatus;
	/** True when the site talks to the local OpenAI simulator. */
	simulator: boolean;
	/** True when the constant VVC_OPENAI_BASE_URL fixes the base URL. */
	baseUrlLocked: boolean;
}

/** Body of POST /admin/settings: any subset of the settings, plus key changes. */
export type SettingsUpdate = Partial< ChatSettings > & {
	api_key?: string;
	delete_api_key?: boolean;
};

export interface ConnectionResult {
	models: number;
	baseUrl: string;
	simulator: boolean;
	/** Configured model ids the provider did not list (likely a typo or no access). */
	missingModels: string[];
}

/** A failure normalized to the shape of a WordPress REST error. */
export interface ApiError {
	code: string;
	message: string;
	status: number | null;
}

/**
 * The editable form. Numbers stay strings while the admin types so that a half-typed
 * value is not coerced; the image byte cap is edited in megabytes.
 */
export interface FormValues extends VoiceFormValues {
	base_url: string;
	organization: string;
	project: string;
	text_model: string;
	image_model: string;
	system_prompt: string;
	max_completion_tokens: string;
	history_turns: string;
	turn_max_chars: string;
	image_max_side: string;
	image_max_mb: string;
	image_detail: ImageDetail;
	key_choice: KeyChoice;
	enabled: boolean;
	log_transcripts: boolean;
}

export type FormField = keyof FormValues;

/** Form values plus the pending key changes, which are not settings. */
export interface FormState {
	values: FormValues;
	/** A new key typed by the admin; '' keeps the current one. */
	newApiKey: string;
	/** Remove the plugin's own stored key on the next save. */
	deleteApiKey: boolean;
}

export type FieldErrors = Partial< Record< FormField | 'newApiKey', string > >;
