/**
 * Calls to the plugin's admin REST routes, with the responses checked at runtime so the
 * rest of the screen can rely on the types.
 */
import { __ } from '@wordpress/i18n';

import {
	badResponse,
	isObject,
	readBoolean,
	readNumber,
	readString,
	type Json,
} from '../shared/json';

import type {
	ApiError,
	ApiKeyStatus,
	ChatSettings,
	ConnectionResult,
	ImageDetail,
	KeyChoice,
	KeySource,
	SettingsPayload,
	SettingsUpdate,
	VoicePipeline,
	VoiceSettings,
} from './types';
import { VOICES } from './types';

export const SETTINGS_PATH = '/voice-vision-chat/v1/admin/settings';
export const TEST_CONNECTION_PATH =
	'/voice-vision-chat/v1/admin/test-connection';

/** The part of @wordpress/api-fetch this screen uses; tests hand in a fake. */
export type Fetcher = ( options: {
	path: string;
	method?: 'GET' | 'POST';
	data?: Record< string, unknown >;
} ) => Promise< unknown >;

export interface SettingsApi {
	load: () => Promise< SettingsPayload >;
	save: ( update: SettingsUpdate ) => Promise< SettingsPayload >;
	testConnection: () => Promise< ConnectionResult >;
}

function readChoice< T extends string >(
	source: Json,
	key: string,
	allowed: readonly T[]
): T {
	const value = readString( source, key );
	const match = allowed.find( ( item ) => item === value );
	if ( match === undefined ) {
		throw badResponse( key );
	}
	return match;
}

const KEY_SOURCES: readonly KeySource[] = [
	'env',
	'constant',
	'connectors',
	'plugin',
	'none',
];
const KEY_CHOICES: readonly KeyChoice[] = [ 'auto', 'plugin' ];
const IMAGE_DETAILS: readonly ImageDetail[] = [ 'auto', 'low', 'high' ];
const VOICE_PIPELINES: readonly VoicePipeline[] = [
	'auto',
	'native',
	'chained',
];

/**
 * The voice settings of a GET/POST /admin/settings body.
 *
 * @param raw The body's `settings` object.
 */
function parseVoiceSettings( raw: Json ): VoiceSettings {
	return {
		voice_pipeline: readChoice( raw, 'voice_pipeline', VOICE_PIPELINES ),
		audio_model: readString( raw, 'audio_model' ),
		transcribe_model: readString( raw, 'transcribe_model' ),
		speech_model: readString( raw, 'speech_model' ),
		voice: readChoice( raw, 'voice', VOICES ),
		speech_instructions: readString( raw, 'speech_instructions' ),
		speech_speed: readNumber( raw, 'speech_speed' ),
		voice_max_seconds: readNumber( raw, 'voice_max_seconds' ),
		voice_max_bytes: readNumber( raw, 'voice_max_bytes' ),
		voice_consent_text: readString( raw, 'voice_consent_text' ),
	};
}

/**
 * Checks and types the body of GET/POST /admin/settings.
 *
 * @param body Parsed JSON from the server.
 */
export function parseSettingsPayload( body: unknown ): SettingsPayload {
	if ( ! isObject( body ) || ! isObject( body.settings ) ) {
		throw badResponse( 'settings' );
	}
	if ( ! isObject( body.api_key ) ) {
		throw badResponse( 'api_key' );
	}
	const raw = body.settings;
	const settings: ChatSettings = {
		base_url: readString( raw, 'base_url' ),
		organization: readString( raw, 'organization' ),
		project: readString( raw, 'project' ),
		text_model: readString( raw, 'text_model' ),
		image_model: readString( raw, 'image_model' ),
		system_prompt: readString( raw, 'system_prompt' ),
		max_completion_tokens: readNumber( raw, 'max_completion_tokens' ),
		history_turns: readNumber( raw, 'history_turns' ),
		turn_max_chars: readNumber( raw, 'turn_max_chars' ),
		image_max_side: readNumber( raw, 'image_max_side' ),
		image_max_bytes: readNumber( raw, 'image_max_bytes' ),
		image_detail: readChoice( raw, 'image_detail', IMAGE_DETAILS ),
		key_choice: readChoice( raw, 'key_choice', KEY_CHOICES ),
		enabled: readBoolean( raw, 'enabled' ),
		log_transcripts: readBoolean( raw, 'log_transcripts' ),
		...parseVoiceSettings( raw ),
	};
	const apiKey: ApiKeyStatus = {
		source: readChoice( body.api_key, 'source', KEY_SOURCES ),
		last4: readString( body.api_key, 'last4' ),
		configured: readBoolean( body.api_key, 'configured' ),
		pluginKey: body.api_key.plugin_key === true,
	};
	return {
		settings,
		apiKey,
		simulator: body.simulator === true,
		baseUrlLocked: body.base_url_locked === true,
	};
}

/**
 * Checks and types the body of a successful POST /admin/test-connection.
 *
 * @param body Parsed JSON from the server.
 */
export function parseConnectionResult( body: unknown ): ConnectionResult {
	if ( ! isObject( body ) || body.ok !== true ) {
		throw badResponse( 'ok' );
	}
	return {
		models: readNumber( body, 'models' ),
		baseUrl: readString( body, 'base_url' ),
		simulator: body.simulator === true,
		missingModels: Array.isArray( body.missing_models )
			? body.missing_models.filter(
					( id ): id is string => typeof id === 'string'
				)
			: [],
	};
}

/**
 * Turns whatever a failed request rejected with into `{ code, message, status }`.
 *
 * api-fetch rejects with the REST error body (`{ code, message, data: { status } }`), with
 * its own `{ code: 'fetch_error' }` when offline, or with an Error for a bug.
 *
 * @param error What the promise rejected with.
 */
export function normalizeError( error: unknown ): ApiError {
	const fallback = __(
		'The request failed without an explanation.',
		'voice-vision-chat'
	);
	// Error instances are objects too, so a thrown bug lands here with its message.
	if ( ! isObject( error ) && ! ( error instanceof Error ) ) {
		return { code: 'vvc_unknown', message: fallback, status: null };
	}
	const body = error as Json;
	let status: number | null = null;
	if ( typeof body.status === 'number' ) {
		status = body.status;
	} else if (
		isObject( body.data ) &&
		typeof body.data.status === 'number'
	) {
		status = body.data.status;
	}
	return {
		code: typeof body.code === 'string' ? body.code : 'vvc_unknown',
		message:
			typeof body.message === 'string' && body.message !== ''
				? body.message
				: fallback,
		status,
	};
}

/**
 * The settings routes, on top of the given fetcher (api-fetch in the browser).
 *
 * @param fetcher Sends a request to the REST API with the admin's nonce.
 */
export function createSettingsApi( fetcher: Fetcher ): SettingsApi {
	return {
		async load() {
			return parseSettingsPayload(
				await fetcher( { path: SETTINGS_PATH } )
			);
		},
		async save( update ) {
			return parseSettingsPayload(
				await fetcher( {
					path: SETTINGS_PATH,
					method: 'POST',
					data: update,
				} )
			);
		},
		async testConnection() {
			return parseConnectionResult(
				await fetcher( { path: TEST_CONNECTION_PATH, method: 'POST' } )
			);
		},
	};
}
