/**
 * Pure helpers for the settings form: converting between the server's settings and the
 * editable form, validating what the admin typed, and working out what changed so a save
 * sends only those fields.
 */
import { __, sprintf } from '@wordpress/i18n';

import type {
	ChatSettings,
	FieldErrors,
	FormField,
	FormState,
	FormValues,
	SettingsUpdate,
} from './types';

const BYTES_PER_MB = 1024 * 1024;

export interface NumberLimit {
	min: number;
	max: number;
	/** Whole numbers only. */
	integer: boolean;
	/** What the field's arrows add; 1 for whole numbers, else 0.1 unless set. */
	step?: number;
}

/** Ranges the server's schema enforces; mirrored here to explain mistakes before a save. */
export const NUMBER_LIMITS = {
	max_completion_tokens: { min: 16, max: 4000, integer: true },
	history_turns: { min: 0, max: 30, integer: true },
	turn_max_chars: { min: 200, max: 20000, integer: true },
	image_max_side: { min: 256, max: 2048, integer: true },
	image_max_mb: { min: 0.1, max: 20, integer: false },
	voice_max_seconds: { min: 5, max: 180, integer: true },
	// 262,144 to 26,214,400 bytes on the server.
	voice_max_mb: { min: 0.25, max: 25, integer: false, step: 0.25 },
	speech_speed: { min: 0.25, max: 4, integer: false, step: 0.05 },
} satisfies Record< string, NumberLimit >;

export type NumberField = keyof typeof NUMBER_LIMITS;

export type NumberParse =
	{ ok: true; value: number } | { ok: false; error: string };

/**
 * Reads a number typed by the admin and checks it against its limits.
 * A comma is accepted as the decimal separator, since many locales type one.
 *
 * @param raw   What the admin typed.
 * @param limit Allowed range.
 */
export function parseBoundedNumber(
	raw: string,
	limit: NumberLimit
): NumberParse {
	const text = raw.trim().replace( ',', '.' );
	if ( text === '' ) {
		return {
			ok: false,
			error: __( 'Enter a number.', 'voice-vision-chat' ),
		};
	}
	if ( ! /^-?\d*(\.\d+)?$/.test( text ) || text === '-' ) {
		return {
			ok: false,
			error: __( 'Enter digits only.', 'voice-vision-chat' ),
		};
	}
	const value = Number( text );
	if ( limit.integer && ! Number.isInteger( value ) ) {
		return {
			ok: false,
			error: __( 'Enter a whole number.', 'voice-vision-chat' ),
		};
	}
	if ( value < limit.min || value > limit.max ) {
		return {
			ok: false,
			error: sprintf(
				/* translators: 1: smallest allowed number, 2: largest allowed number. */
				__( 'Enter a number from %1$s to %2$s.', 'voice-vision-chat' ),
				String( limit.min ),
				String( limit.max )
			),
		};
	}
	return { ok: true, value };
}

/**
 * Shows a byte count as megabytes with at most two decimals, without trailing zeros.
 *
 * @param bytes Size in bytes.
 */
export function bytesToMegabytes( bytes: number ): string {
	return String( Math.round( ( bytes / BYTES_PER_MB ) * 100 ) / 100 );
}

/**
 * Converts megabytes typed by the admin to whole bytes.
 *
 * @param megabytes Size in megabytes (1 MB = 1,048,576 bytes, as PHP and browsers count).
 */
export function megabytesToBytes( megabytes: number ): number {
	return Math.round( megabytes * BYTES_PER_MB );
}

/**
 * Checks that a base URL is an absolute http(s) URL.
 *
 * @param raw What the admin typed.
 * @return An error message, or null when the URL is usable.
 */
export function validateBaseUrl( raw: string ): string | null {
	const text = raw.trim();
	if ( text === '' ) {
		return __( 'Enter the API base URL.', 'voice-vision-chat' );
	}
	let url: URL;
	try {
		url = new URL( text );
	} catch {
		return __(
			'Enter a full URL, such as https://api.openai.com/v1.',
			'voice-vision-chat'
		);
	}
	if ( url.protocol !== 'https:' && url.protocol !== 'http:' ) {
		return __(
			'The base URL must start with https:// or http://.',
			'voice-vision-chat'
		);
	}
	return null;
}

/** Model ids as OpenAI and compatible servers spell them (the server's pattern). */
const MODEL_ID = /^[A-Za-z0-9._:/-]{1,100}$/;

/** Organization and project ids go into HTTP headers (the server's pattern). */
const HEADER_ID = /^[A-Za-z0-9_-]{0,100}$/;

/** The server keeps at most this many characters of the system prompt. */
export const SYSTEM_PROMPT_MAX_CHARS = 20000;

/** The speech endpoint's own limit for `instructions` (Settings::SPEECH_INSTRUCTIONS_MAX_CHARS). */
export const SPEECH_INSTRUCTIONS_MAX_CHARS = 4096;

/** The server keeps at most this many characters of the consent notice. */
export const CONSENT_TEXT_MAX_CHARS = 2000;

/** Model settings of the voice pipelines, checked like the text models. */
const VOICE_MODEL_FIELDS = [
	'audio_model',
	'transcribe_model',
	'speech_model',
] as const;

/** Free-text voice settings and the most characters the server keeps of each. */
const VOICE_TEXT_LIMITS = {
	speech_instructions: SPEECH_INSTRUCTIONS_MAX_CHARS,
	voice_consent_text: CONSENT_TEXT_MAX_CHARS,
} as const;

/** Keys go into an HTTP header: printable ASCII without spaces. */
const API_KEY = /^[\x21-\x7E]{1,512}$/;

/**
 * Checks a model id.
 *
 * @param raw What the admin typed.
 * @return An error message, or null when the id is usable.
 */
export function validateModelId( raw: string ): string | null {
	const text = raw.trim();
	if ( text === '' ) {
		return __( 'Enter a model id.', 'voice-vision-chat' );
	}
	if ( ! MODEL_ID.test( text ) ) {
		return __(
			'A model id has only letters, digits and . _ : / - (e.g. gpt-5.4-mini).',
			'voice-vision-chat'
		);
	}
	return null;
}

/**
 * Checks a newly typed API key; an empty field is fine (it keeps the current key).
 *
 * @param raw What the admin typed or pasted.
 * @return An error message, or null when the key can be saved.
 */
export function validateApiKey( raw: string ): string | null {
	const text = raw.trim();
	if ( text === '' || API_KEY.test( text ) ) {
		return null;
	}
	if ( text.length > 512 ) {
		return __( 'That is too long for an API key.', 'voice-vision-chat' );
	}
	return __(
		'An API key has no spaces or special characters. Copy it again from your provider.',
		'voice-vision-chat'
	);
}

/**
 * The form as it looks for the given saved settings.
 *
 * @param settings Settings from the server.
 */
export function toFormValues( settings: ChatSettings ): FormValues {
	return {
		base_url: settings.base_url,
		organization: settings.organization,
		project: settings.project,
		text_model: settings.text_model,
		image_model: settings.image_model,
		system_prompt: settings.system_prompt,
		max_completion_tokens: String( settings.max_completion_tokens ),
		history_turns: String( settings.history_turns ),
		turn_max_chars: String( settings.turn_max_chars ),
		image_max_side: String( settings.image_max_side ),
		image_max_mb: bytesToMegabytes( settings.image_max_bytes ),
		image_detail: settings.image_detail,
		key_choice: settings.key_choice,
		enabled: settings.enabled,
		log_transcripts: settings.log_transcripts,
		voice_pipeline: settings.voice_pipeline,
		audio_model: settings.audio_model,
		transcribe_model: settings.transcribe_model,
		speech_model: settings.speech_model,
		voice: settings.voice,
		speech_instructions: settings.speech_instructions,
		speech_speed: String( settings.speech_speed ),
		voice_max_seconds: String( settings.voice_max_seconds ),
		voice_max_mb: bytesToMegabytes( settings.voice_max_bytes ),
		voice_consent_text: settings.voice_consent_text,
	};
}

/**
 * A fresh form for the given saved settings, with no pending key change.
 * @param settings
 */
export function initialFormState( settings: ChatSettings ): FormState {
	return {
		values: toFormValues( settings ),
		newApiKey: '',
		deleteApiKey: false,
	};
}

/**
 * Form fields whose value differs from the saved settings.
 *
 * Compared as form values (strings), so a field the admin did not touch never counts as
 * changed, even when its number does not round-trip exactly (e.g. bytes shown as MB).
 *
 * @param saved Settings from the server.
 * @param form  Current form.
 */
export function changedFields(
	saved: ChatSettings,
	form: FormState
): FormField[] {
	const before = toFormValues( saved );
	return ( Object.keys( before ) as FormField[] ).filter(
		( field ) => before[ field ] !== form.values[ field ]
	);
}

/**
 * Whether leaving the page now would lose something.
 *
 * @param saved Settings from the server.
 * @param form  Current form.
 */
export function isDirty( saved: ChatSettings, form: FormState ): boolean {
	return (
		form.newApiKey !== '' ||
		form.deleteApiKey ||
		changedFields( saved, form ).length > 0
	);
}

/**
 * Checks every field of the form.
 *
 * @param form Current form.
 * @return One message per invalid field; empty when the form can be saved.
 */
export function validateForm( form: FormState ): FieldErrors {
	const errors: FieldErrors = {};
	const baseUrlError = validateBaseUrl( form.values.base_url );
	if ( baseUrlError ) {
		errors.base_url = baseUrlError;
	}
	for ( const field of [ 'text_model', 'image_model' ] as const ) {
		const error = validateModelId( form.values[ field ] );
		if ( error ) {
			errors[ field ] = error;
		}
	}
	for ( const field of [ 'organization', 'project' ] as const ) {
		if ( ! HEADER_ID.test( form.values[ field ].trim() ) ) {
			errors[ field ] = __(
				'Use only letters, digits, hyphens and underscores, as in the id OpenAI shows.',
				'voice-vision-chat'
			);
		}
	}
	if ( form.values.system_prompt.length > SYSTEM_PROMPT_MAX_CHARS ) {
		errors.system_prompt = sprintf(
			/* translators: %d: the maximum number of characters. */
			__(
				'The system prompt can have at most %d characters.',
				'voice-vision-chat'
			),
			SYSTEM_PROMPT_MAX_CHARS
		);
	}
	for ( const field of VOICE_MODEL_FIELDS ) {
		const error = validateModelId( form.values[ field ] );
		if ( error ) {
			errors[ field ] = error;
		}
	}
	for ( const [ field, max ] of Object.entries( VOICE_TEXT_LIMITS ) as Array<
		[ keyof typeof VOICE_TEXT_LIMITS, number ]
	> ) {
		if ( form.values[ field ].length > max ) {
			errors[ field ] = sprintf(
				/* translators: %d: the maximum number of characters. */
				__( 'Use at most %d characters.', 'voice-vision-chat' ),
				max
			);
		}
	}
	for ( const field of Object.keys( NUMBER_LIMITS ) as NumberField[] ) {
		const parsed = parseBoundedNumber(
			form.values[ field ],
			NUMBER_LIMITS[ field ]
		);
		if ( ! parsed.ok ) {
			errors[ field ] = parsed.error;
		}
	}
	const keyError = validateApiKey( form.newApiKey );
	if ( keyError ) {
		errors.newApiKey = keyError;
	}
	return errors;
}

function numberValue( form: FormState, field: NumberField ): number {
	const parsed = parseBoundedNumber(
		form.values[ field ],
		NUMBER_LIMITS[ field ]
	);
	// validateForm() runs first; a bad value here is a programming error.
	if ( ! parsed.ok ) {
		throw new Error( `Invalid ${ field }: ${ parsed.error }` );
	}
	return parsed.value;
}

/**
 * The POST body for a save: only the changed settings, plus the key change if any.
 * Call only when validateForm() found nothing.
 *
 * @param saved Settings from the server.
 * @param form  Current, valid form.
 */
export function buildUpdate(
	saved: ChatSettings,
	form: FormState
): SettingsUpdate {
	const update: SettingsUpdate = {};
	for ( const field of changedFields( saved, form ) ) {
		switch ( field ) {
			case 'base_url':
			case 'organization':
			case 'project':
			case 'text_model':
			case 'image_model':
				update[ field ] = form.values[ field ].trim();
				break;
			case 'system_prompt':
				update.system_prompt = form.values.system_prompt;
				break;
			case 'max_completion_tokens':
			case 'history_turns':
			case 'turn_max_chars':
			case 'image_max_side':
				update[ field ] = numberValue( form, field );
				break;
			case 'image_max_mb':
				update.image_max_bytes = megabytesToBytes(
					numberValue( form, 'image_max_mb' )
				);
				break;
			case 'image_detail':
				update.image_detail = form.values.image_detail;
				break;
			case 'key_choice':
				update.key_choice = form.values.key_choice;
				break;
			case 'enabled':
			case 'log_transcripts':
				update[ field ] = form.values[ field ];
				break;
			case 'audio_model':
			case 'transcribe_model':
			case 'speech_model':
				update[ field ] = form.values[ field ].trim();
				break;
			case 'voice_pipeline':
				update.voice_pipeline = form.values.voice_pipeline;
				break;
			case 'voice':
				update.voice = form.values.voice;
				break;
			case 'speech_instructions':
			case 'voice_consent_text':
				update[ field ] = form.values[ field ];
				break;
			case 'voice_max_seconds':
			case 'speech_speed':
				update[ field ] = numberValue( form, field );
				break;
			case 'voice_max_mb':
				update.voice_max_bytes = megabytesToBytes(
					numberValue( form, 'voice_max_mb' )
				);
				break;
		}
	}
	const newKey = form.newApiKey.trim();
	if ( newKey !== '' ) {
		update.api_key = newKey;
	} else if ( form.deleteApiKey ) {
		update.delete_api_key = true;
	}
	return update;
}
