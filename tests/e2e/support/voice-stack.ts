/**
 * The stack side of the voice tests: the site's voice settings through the admin REST route
 * (changed for a test, then put back), the simulator's scripts and request log, and what the
 * simulator measured in the audio it received.
 */
import { expect } from '@playwright/test';
import type { APIRequestContext } from '@playwright/test';

import { SIM_URL } from '../chat-support';

const SETTINGS_ROUTE = '/wp-json/voice-vision-chat/v1/admin/settings';

export type VoiceSettingsChange = Partial< {
	voice_pipeline: 'auto' | 'native' | 'chained';
	transcribe_model: string;
	voice_max_seconds: number;
	enabled: boolean;
} >;

async function adminNonce( request: APIRequestContext ): Promise< string > {
	const response = await request.get(
		'/wp-admin/admin-ajax.php?action=rest-nonce'
	);
	const nonce = await response.text();
	expect( nonce, 'the admin session of global-setup' ).toMatch(
		/^[0-9a-f]{10}$/
	);
	return nonce;
}

async function postSettings(
	request: APIRequestContext,
	nonce: string,
	data: Record< string, unknown >
): Promise< Record< string, unknown > > {
	const response = await request.post( SETTINGS_ROUTE, {
		headers: { 'X-WP-Nonce': nonce },
		data,
	} );
	expect( response.ok(), await response.text() ).toBe( true );
	return (
		( await response.json() ) as { settings: Record< string, unknown > }
	 ).settings;
}

/**
 * Runs `body` with some settings changed site-wide, and restores them afterwards even when
 * it fails (other helpers share the site: keep it short).
 *
 * @param request An admin's request context (the project's stored session).
 * @param change  The settings to change.
 * @param body    What to do meanwhile.
 */
export async function withSettings< T >(
	request: APIRequestContext,
	change: VoiceSettingsChange,
	body: () => Promise< T >
): Promise< T > {
	const nonce = await adminNonce( request );
	const response = await request.get( SETTINGS_ROUTE, {
		headers: { 'X-WP-Nonce': nonce },
	} );
	expect( response.ok(), await response.text() ).toBe( true );
	const saved = (
		( await response.json() ) as { settings: Record< string, unknown > }
	 ).settings;
	const now = await postSettings( request, nonce, change );
	for ( const [ key, value ] of Object.entries( change ) ) {
		expect( now[ key ], key ).toBe( value );
	}
	try {
		return await body();
	} finally {
		await postSettings(
			request,
			nonce,
			Object.fromEntries(
				Object.keys( change ).map( ( key ) => [ key, saved[ key ] ] )
			)
		);
	}
}

export type SimScript = {
	match: { path?: string; model?: string; contains?: string };
	reply?: {
		content?: string;
		transcript?: string;
		audio_transcript?: string;
	};
	times?: number;
};

/**
 * Queues simulator behaviours.
 *
 * @param entries What the next matching requests get.
 * @return The ids the simulator gave them (a log record names the script it consumed).
 */
export async function queueScripts(
	...entries: SimScript[]
): Promise< number[] > {
	const response = await fetch( `${ SIM_URL }/__sim/script`, {
		method: 'POST',
		body: JSON.stringify( entries ),
	} );
	const text = await response.text();
	expect( response.ok, text ).toBe( true );
	return ( JSON.parse( text ) as { queued: number[] } ).queued;
}

/** What the simulator measured in audio it received (tests/simulator/media/audio.ts). */
export type AudioFacts = {
	kind: 'audio';
	format: string;
	sample_rate: number;
	channels: number;
	duration_s: number;
	rms_dbfs: number;
	silent: boolean;
	bytes: number;
};

export type SimRecord = {
	id: string;
	time: string;
	path: string;
	status?: number;
	script_id?: number;
	body?: unknown;
	multipart?: {
		fields: Record< string, string | string[] >;
		files: Array< { filename: string; size: number } >;
	};
	/** Decoded images and audio, `kind` says which. */
	media: Array< { kind: string } & Record< string, unknown > >;
	duration_ms?: number;
};

/**
 * Scripts a voice turn: the recording's transcription (matched on the model alone: the
 * upload carries no text of ours) and the answer to it (matched on the marker).
 *
 * @param code            The turn's marker.
 * @param transcribeModel The transcription model the site is switched to.
 * @param native          The answer comes from the audio chat model (its text is the audio's transcript).
 */
export async function scriptVoiceTurn(
	code: string,
	transcribeModel: string,
	native: boolean
): Promise< {
	transcript: string;
	reply: string;
	transcriptionId: number;
	replyId: number;
} > {
	// A transcription script matches on the model alone, so one left pending by an earlier
	// failed test would answer this turn. Tests run one at a time and call this once their
	// earlier scripts are used: nothing still queued belongs to a running test.
	const cleared = await fetch( `${ SIM_URL }/__sim/script`, {
		method: 'DELETE',
	} );
	expect( cleared.ok ).toBe( true );
	const transcript = `What time do you open on Sundays? (${ code })`;
	// One sentence: it is spoken in one speech request, which the marker then finds.
	const reply = `We open at ten on Sundays, ${ code }.`;
	const [ transcriptionId, replyId ] = await queueScripts(
		{
			match: {
				path: '/v1/audio/transcriptions',
				model: transcribeModel,
			},
			reply: { transcript },
		},
		{
			match: { path: '/v1/chat/completions', contains: code },
			reply: native ? { audio_transcript: reply } : { content: reply },
		}
	);
	return {
		transcript,
		reply,
		transcriptionId: transcriptionId!,
		replyId: replyId!,
	};
}

/**
 * The simulator's log entries that consumed one of our scripts or mention our marker.
 *
 * @param scriptIds Ids from queueScripts().
 * @param marker    A string only our requests carry.
 */
export async function simRecords(
	scriptIds: number[],
	marker: string
): Promise< SimRecord[] > {
	const response = await fetch( `${ SIM_URL }/__sim/requests` );
	const log = ( await response.json() ) as { data: SimRecord[] };
	return log.data.filter(
		( entry ) =>
			( entry.script_id !== undefined &&
				scriptIds.includes( entry.script_id ) ) ||
			JSON.stringify( entry.body ?? '' ).includes( marker )
	);
}

/**
 * The audio the simulator decoded from an upstream request.
 *
 * @param record A log entry.
 */
export function uploadedAudio( record: SimRecord ): AudioFacts {
	const audio = record.media.find( ( item ) => item.kind === 'audio' );
	expect( audio, `${ record.path } carried audio` ).toBeDefined();
	return audio as unknown as AudioFacts;
}
