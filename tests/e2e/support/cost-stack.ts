/**
 * Helpers for the cost-control HTTP tests (tests/e2e/cost-*.spec.ts): visitors talking to the
 * chat routes from Node (no browser, no cookies), the simulator's log and bill, the site-side
 * state through tests/e2e/support/cost-state.php, and the mail log.
 *
 * Every test works under one CostRun: it snapshots the options, the site's and 127.0.0.1's
 * ledger rows and rate counters first, remembers every token it hands out, and restore() puts
 * the site back (its visitors' spending taken off the shared rows, their rows, counters and
 * usage rows deleted, the options restored), so the site budget stays usable for the others.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
	closeSync,
	mkdtempSync,
	openSync,
	readFileSync,
	readSync,
	rmSync,
	statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { expect, test } from '@playwright/test';

import { SPEECH_WAV_OPTIONS, testPatternArgs } from '../../support/media-tools';
import { readStackEnv } from './stack-env';

const REPO = resolve( __dirname, '../../..' );
const STATE_SCRIPT = resolve( REPO, 'tests/e2e/support/cost-state.php' );
const WP_PHP = resolve( REPO, 'tests/stack/wp-php' );
const WP_DB = resolve( REPO, 'tests/stack/wp-db' );
const run = promisify( execFile );

const stack = readStackEnv();
export const SIM_URL = stack.VVC_SIM_URL ?? 'http://127.0.0.1:4010';
const API = `${ stack.VVC_SITE_URL }/wp-json/voice-vision-chat/v1`;

/** Priced models whose plugin and simulator prices agree (checked by the specs). */
export const TEST_TIERS = {
	economy: 'gpt-5-nano',
	standard: 'gpt-5-mini',
	vision: 'gpt-4o-mini',
	long_context: 'gpt-5-mini',
	voice: 'gpt-audio-mini',
	transcribe: 'gpt-4o-mini-transcribe',
	speech: 'gpt-4o-mini-tts',
} as const;

/** The settings key that holds each tier the settings screen shows (Model_Catalog). */
const SETTING_OF_TIER: Record< string, string > = {
	standard: 'text_model',
	vision: 'image_model',
	voice: 'audio_model',
	transcribe: 'transcribe_model',
	speech: 'speech_model',
};

/** Budget keys (Budget_Settings); 0 means "no limit". */
export type Budget = Partial< {
	site_day_micros: number;
	site_month_micros: number;
	soft_percent: number;
	visitor_day_micros: number;
	requests_per_minute: number;
	requests_per_hour: number;
	sessions_per_ip_hour: number;
	notify_email: string;
} >;

/** Limits off: a test turns on only the one it measures. */
export const NO_LIMITS: Budget = {
	site_day_micros: 0,
	site_month_micros: 0,
	visitor_day_micros: 0,
	requests_per_minute: 0,
	requests_per_hour: 0,
	sessions_per_ip_hour: 0,
};

type LedgerRow = { spent: number; reserved: number; soft_notified: number };

export type PeriodKeys = {
	day: string;
	month: string;
	site_day: string;
	site_month: string;
	ip_hash: string;
	ip_day: string;
};

export type Snapshot = {
	options: Record< string, unknown >;
	keys: PeriodKeys;
	rows: Record< string, LedgerRow >;
	buckets: Record< string, number >;
	mail: string;
	admin: string;
};

export type Visitor = {
	visitor_hash: string;
	keys: string[];
	day_keys: string[];
};

export type SiteState = {
	time: number;
	keys: PeriodKeys;
	visitors: Array< Visitor | null >;
	rows: Record< string, LedgerRow >;
	buckets: Record< string, number >;
};

export type UsageRow = Record< string, string > & {
	id: string;
	visitor_hash: string;
	ip_hash: string;
	route: string;
	tier: string;
	model: string;
	route_reasons: string;
	estimated_micros: string;
	cost_known: string;
	cost_micros: string;
	status_code: string;
	error_code: string;
};

/**
 * Runs an action of cost-state.php and parses its JSON answer.
 *
 * @param action Action name.
 * @param input  JSON argument.
 */
export function costState< T >( action: string, input?: unknown ): T {
	const args = [ '-f', STATE_SCRIPT, action ];
	if ( input !== undefined ) {
		args.push( JSON.stringify( input ) );
	}
	const out = execFileSync( WP_PHP, args, {
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	} );
	try {
		return JSON.parse( out ) as T;
	} catch {
		throw new Error( `cost-state.php ${ action } printed: ${ out }` );
	}
}

/**
 * costState() that tries again for a while: the site may fail for a moment while someone
 * edits the plugin, and a restore that gives up would leave the shared site changed.
 *
 * @param action Action name.
 * @param input  JSON argument.
 */
function costStateRetried< T >( action: string, input?: unknown ): T {
	for ( let attempt = 1; ; attempt++ ) {
		try {
			return costState< T >( action, input );
		} catch ( error ) {
			if ( attempt >= 12 ) {
				throw error;
			}
			// A synchronous pause: restore() runs in `finally` blocks that do not await.
			Atomics.wait(
				new Int32Array( new SharedArrayBuffer( 4 ) ),
				0,
				0,
				5000
			);
		}
	}
}

/**
 * One ledger row read straight from the database (fast enough to poll during a burst).
 *
 * @param periodKey E.g. site:d:2026-11-22.
 */
export async function ledgerRow( periodKey: string ): Promise< LedgerRow > {
	if ( ! /^[A-Za-z0-9:._-]+$/.test( periodKey ) ) {
		throw new Error( `odd period key ${ periodKey }` );
	}
	const { stdout } = await run( WP_DB, [
		'-N',
		'-B',
		'-e',
		`SELECT spent_micros, reserved_micros, soft_notified FROM wp_vvc_budget WHERE period_key = '${ periodKey }'`,
	] );
	const [ spent, reserved, soft ] = stdout
		.trim()
		.split( /\s+/ )
		.map( Number );
	return {
		spent: spent ?? 0,
		reserved: reserved ?? 0,
		soft_notified: soft ?? 0,
	};
}

/**
 * A string no other test uses, for the simulator's scripts and log and for mail.
 *
 * @param name What the test is about.
 */
export function costMarker( name: string ): string {
	return `vvc-e2e-cost-${ name }-${ Date.now().toString( 36 ) }-${ randomBytes(
		3
	).toString( 'hex' ) }`;
}

/** A random public-looking IPv4 address for a forged X-Forwarded-For. */
export function randomIp(): string {
	const b = randomBytes( 4 );
	return `${ 11 + ( ( b[ 0 ] ?? 0 ) % 200 ) }.${ b[ 1 ] }.${ b[ 2 ] }.${ 1 + ( ( b[ 3 ] ?? 0 ) % 250 ) }`;
}

/**
 * Waits until the current fixed window of `seconds` has at least `need` seconds left, so a
 * burst counted against a per-minute or per-hour limit stays inside one window.
 *
 * @param seconds Window length.
 * @param need    Seconds the test needs.
 */
export async function freshWindow( seconds: number, need: number ) {
	const now = Date.now() / 1000;
	const left = seconds - ( now % seconds );
	if ( left < need ) {
		await new Promise( ( done ) =>
			setTimeout( done, ( left + 0.5 ) * 1000 )
		);
	}
}

/**
 * Questions counted this minute (the site's clock) against this machine's address, as
 * Rate_Limiter keys its per-minute counter.
 *
 * @param state A state read from the site.
 */
export function ipRequestsThisMinute( state: SiteState ): number {
	const minute = Math.floor( state.time / 60 );
	return (
		state.buckets[ `req:ip:${ state.keys.ip_hash }@60:${ minute }` ] ?? 0
	);
}

/**
 * Waits for a minute window with `need` seconds left in which this machine's address
 * (127.0.0.1) has asked nothing yet. Earlier specs ask from the same address, and under a
 * test's small per-minute limit their questions of the same minute would count against it.
 *
 * @param cost The test's run.
 * @param need Seconds the test needs.
 */
export async function quietMinute( cost: CostRun, need: number ) {
	await freshWindow( 60, need );
	const state = cost.state();
	if ( ipRequestsThisMinute( state ) > 0 ) {
		await new Promise( ( done ) =>
			setTimeout( done, ( 60 - ( state.time % 60 ) + 0.5 ) * 1000 )
		);
	}
}

export type RestError = {
	code: string;
	message: string;
	data?: { status?: number; scope?: string; retry_after?: number };
};

export type Answer = {
	status: number;
	body: unknown;
	text: string;
};

/** A media part of a chat turn. */
export type Upload = { data: Buffer; filename: string; type: string };

export type Question = {
	message?: string;
	stream?: boolean;
	image?: Upload;
	audio?: Upload;
	xff?: string;
	signal?: AbortSignal;
};

function body( q: Question ): {
	headers: Record< string, string >;
	data: BodyInit;
} {
	if ( q.image || q.audio ) {
		const form = new FormData();
		if ( q.message !== undefined ) {
			form.set( 'message', q.message );
		}
		if ( q.stream ) {
			form.set( 'stream', '1' );
		}
		for ( const [ field, part ] of [
			[ 'image', q.image ],
			[ 'audio', q.audio ],
		] as const ) {
			if ( part ) {
				form.set(
					field,
					new Blob( [ new Uint8Array( part.data ) ], {
						type: part.type,
					} ),
					part.filename
				);
			}
		}
		return { headers: {}, data: form };
	}
	return {
		headers: { 'content-type': 'application/json' },
		data: JSON.stringify( {
			message: q.message,
			...( q.stream ? { stream: true } : {} ),
		} ),
	};
}

/**
 * The events of a server-sent event stream, in order.
 *
 * @param text The stream's text.
 */
export function sseEvents(
	text: string
): Array< { event: string; data: unknown } > {
	const out: Array< { event: string; data: unknown } > = [];
	for ( const block of text.split( /\r?\n\r?\n/ ) ) {
		let event = 'message';
		const data: string[] = [];
		for ( const line of block.split( /\r?\n/ ) ) {
			if ( line.startsWith( 'event:' ) ) {
				event = line.slice( 6 ).trim();
			} else if ( line.startsWith( 'data:' ) ) {
				data.push( line.slice( 5 ).trimStart() );
			}
		}
		if ( data.length ) {
			let parsed: unknown = data.join( '\n' );
			try {
				parsed = JSON.parse( data.join( '\n' ) );
			} catch {
				// plain text data stays a string
			}
			out.push( { event, data: parsed } );
		}
	}
	return out;
}

/**
 * Tracks what one test did to the shared site and undoes it.
 */
export class CostRun {
	readonly snapshot: Snapshot;
	readonly tokens: string[] = [];
	private restored = false;
	/** What configure() set, to notice another process changing it. */
	private readonly expected: Record< string, Record< string, unknown > > = {
		vvc_budget: {},
		tiers: {},
		vvc_settings: {},
	};

	constructor() {
		this.snapshot = costState< Snapshot >( 'snapshot' );
	}

	/**
	 * Sets limits, tier models and settings for this test (merged over what is stored).
	 *
	 * @param change            What to set.
	 * @param change.budget     Budget_Settings keys.
	 * @param change.tiers      Tier => model id.
	 * @param change.settings   vvc_settings keys.
	 * @param change.reset_soft Clear today's and this month's soft-limit flags.
	 */
	configure( change: {
		budget?: Budget;
		tiers?: Record< string, string >;
		settings?: Record< string, unknown >;
		reset_soft?: boolean;
	} ) {
		// The pipelines read the settings screen's copy of these tiers (Model_Catalog::
		// LEGACY_TIER_SETTINGS), so both are set, as the settings screen does; a setting the
		// test names itself wins.
		const mirrored = Object.fromEntries(
			Object.entries( change.tiers ?? {} )
				.filter( ( [ tier ] ) => tier in SETTING_OF_TIER )
				.map( ( [ tier, model ] ) => [
					SETTING_OF_TIER[ tier ],
					model,
				] )
		);
		change = {
			...change,
			settings: { ...mirrored, ...( change.settings ?? {} ) },
		};
		Object.assign( this.expected.vvc_budget ?? {}, change.budget ?? {} );
		Object.assign( this.expected.tiers ?? {}, change.tiers ?? {} );
		Object.assign(
			this.expected.vvc_settings ?? {},
			change.settings ?? {}
		);
		return costState< { budget: Record< string, unknown > } >(
			'configure',
			change
		);
	}

	/**
	 * What another process changed of this test's settings since configure() (other helpers'
	 * Playwright runs reset the cost options in their global setup, and settings tests save
	 * settings). A test checks this before its assertions, so a failure caused by someone
	 * else says so instead of blaming the plugin.
	 */
	interference(): string[] {
		const now = costState< Snapshot >( 'snapshot' ).options;
		const stored: Record< string, Record< string, unknown > > = {
			vvc_budget: ( now.vvc_budget ?? {} ) as Record< string, unknown >,
			tiers: ( ( now.vvc_model_catalog as { tiers?: unknown } | null )
				?.tiers ?? {} ) as Record< string, unknown >,
			vvc_settings: ( now.vvc_settings ?? {} ) as Record<
				string,
				unknown
			>,
		};
		const changed: string[] = [];
		for ( const [ group, values ] of Object.entries( this.expected ) ) {
			for ( const [ key, value ] of Object.entries( values ) ) {
				if ( stored[ group ]?.[ key ] !== value ) {
					changed.push(
						`${ group }.${ key } is ${ JSON.stringify(
							stored[ group ]?.[ key ]
						) }, the test set ${ JSON.stringify( value ) }`
					);
				}
			}
		}
		return changed;
	}

	/**
	 * POST /session as a visitor without cookies; the token is remembered for restore().
	 *
	 * @param xff A forged X-Forwarded-For, if any.
	 */
	async session( xff?: string ): Promise< {
		status: number;
		token?: string;
		error?: RestError;
	} > {
		const response = await fetch( `${ API }/session`, {
			method: 'POST',
			headers: xff ? { 'X-Forwarded-For': xff } : {},
		} );
		const json = ( await response.json() ) as {
			token?: string;
		} & Partial< RestError >;
		if ( response.ok && typeof json.token === 'string' ) {
			this.tokens.push( json.token );
			return { status: response.status, token: json.token };
		}
		return { status: response.status, error: json as RestError };
	}

	/** A new visitor's token (the session must be granted). */
	async token(): Promise< string > {
		const got = await this.session();
		if ( ! got.token ) {
			throw new Error(
				`POST /session refused: ${ got.status } ${ JSON.stringify( got.error ) }`
			);
		}
		return got.token;
	}

	/**
	 * POST /chat; the whole answer (JSON, or the event stream as text).
	 *
	 * @param token Visitor token.
	 * @param q     The turn.
	 */
	async ask( token: string, q: Question ): Promise< Answer > {
		const { headers, data } = body( q );
		const response = await fetch( `${ API }/chat`, {
			method: 'POST',
			headers: {
				'X-VVC-Token': token,
				...( q.xff ? { 'X-Forwarded-For': q.xff } : {} ),
				...headers,
			},
			body: data,
			signal: q.signal,
		} );
		const text = await response.text();
		let parsed: unknown = text;
		if (
			( response.headers.get( 'content-type' ) ?? '' ).includes( 'json' )
		) {
			try {
				parsed = JSON.parse( text );
			} catch {
				// left as text
			}
		}
		return { status: response.status, body: parsed, text };
	}

	/**
	 * Streams a question and hangs up once `after` characters of answer arrived, like a
	 * visitor pressing Stop. Resolves with the text received before hanging up.
	 *
	 * @param token Visitor token.
	 * @param q     The turn (stream is forced on).
	 * @param after Characters of the answer to wait for.
	 */
	async askAndHangUp(
		token: string,
		q: Question,
		after: number
	): Promise< { status: number; received: string } > {
		const { headers, data } = body( { ...q, stream: true } );
		const controller = new AbortController();
		const response = await fetch( `${ API }/chat`, {
			method: 'POST',
			headers: { 'X-VVC-Token': token, ...headers },
			body: data,
			signal: controller.signal,
		} );
		let received = '';
		const reader = response.body?.getReader();
		const decoder = new TextDecoder();
		try {
			while ( reader ) {
				const chunk = await reader.read();
				if ( chunk.done ) {
					break;
				}
				received += decoder.decode( chunk.value, { stream: true } );
				const answered = sseEvents( received )
					.filter( ( e ) => e.event === 'delta' )
					.map( ( e ) => ( e.data as { text?: string } ).text ?? '' )
					.join( '' );
				if ( answered.length >= after ) {
					controller.abort();
					break;
				}
			}
		} catch ( error ) {
			if ( ! controller.signal.aborted ) {
				throw error;
			}
		}
		return { status: response.status, received };
	}

	/**
	 * Ledger rows, identities and the IP's counters now.
	 *
	 * @param tokens Tokens whose identity and rows to include.
	 */
	state( tokens: string[] = [] ): SiteState {
		return costState< SiteState >( 'state', { tokens } );
	}

	/**
	 * Usage rows of the given visitors.
	 *
	 * @param hashes Visitor hashes.
	 * @param after  Only rows with a larger id.
	 */
	usage( hashes: string[], after = 0 ): UsageRow[] {
		return costState< UsageRow[] >( 'usage', { hashes, after } );
	}

	/** Puts the site back; safe to call twice. */
	restore() {
		if ( this.restored ) {
			return null;
		}
		this.restored = true;
		const keys: string[] = [];
		// Identities in batches: a command line has a length limit.
		for ( let i = 0; i < this.tokens.length; i += 40 ) {
			const batch = costStateRetried< SiteState >( 'state', {
				tokens: this.tokens.slice( i, i + 40 ),
			} );
			for ( const who of batch.visitors ) {
				for ( const key of who?.keys ?? [] ) {
					if ( key.startsWith( 'v:' ) ) {
						keys.push( key );
					}
				}
			}
		}
		return costStateRetried< {
			waited_s: number;
			still_held?: number;
			spent_taken_back: number;
		} >( 'restore', {
			snapshot: this.snapshot,
			keys,
			touched: Object.fromEntries(
				Object.entries( this.expected ).map( ( [ group, values ] ) => [
					group,
					Object.keys( values ),
				] )
			),
		} );
	}
}

/**
 * Runs a test's body under a fresh CostRun and puts the site back afterwards, whatever
 * happened.
 *
 * @param steps The test's steps.
 */
export async function withCostRun< T >(
	steps: ( costRun: CostRun ) => Promise< T >
): Promise< T > {
	const costRun = new CostRun();
	try {
		return await steps( costRun );
	} finally {
		costRun.restore();
	}
}

/**
 * Fails the test when another process changed the options this run set: its numbers would
 * then say nothing.
 *
 * @param costRun The test's run.
 */
export function expectNoInterference( costRun: CostRun ): void {
	expect(
		costRun.interference(),
		'options changed by another process during the test'
	).toEqual( [] );
}

/* ---------------------------------------------------------------- simulator */

export type SimRecord = {
	id: string;
	path: string;
	model?: string;
	status?: number;
	outcome?: string;
	fault?: string;
	stream?: boolean;
	chunks_sent?: number;
	body?: unknown;
	usage?: unknown;
	bill_usage?: Record< string, number >;
	cost_micro_usd?: number | null;
	multipart?: {
		fields: Record< string, unknown >;
		files: Array< { field: string; size: number; sha256: string } >;
	};
};

export type BillRow = {
	id: string;
	path: string;
	model?: string;
	status?: number;
	cost_micro_usd: number | null;
};

/**
 * Queues simulator behaviours (always matched on a marker: the simulator is shared).
 *
 * @param entries Script entries.
 */
export async function simScript( entries: unknown[] ) {
	const response = await fetch( `${ SIM_URL }/__sim/script`, {
		method: 'POST',
		body: JSON.stringify( entries ),
	} );
	if ( ! response.ok ) {
		throw new Error(
			`simulator script refused: ${ await response.text() }`
		);
	}
}

/**
 * The simulator's log entries that mention the marker (in the body or multipart fields).
 *
 * @param marker Marker.
 */
export async function simRequests( marker: string ): Promise< SimRecord[] > {
	return ( await simLog() ).filter( ( entry ) =>
		JSON.stringify( entry ).includes( marker )
	);
}

/** The simulator's whole request log (shared: filter it). */
export async function simLog(): Promise< SimRecord[] > {
	const response = await fetch( `${ SIM_URL }/__sim/requests` );
	return ( ( await response.json() ) as { data: SimRecord[] } ).data;
}

/**
 * Whether a logged request uploaded a file with these bytes (a transcription of the test's
 * recording carries no marker: the recording is all it sends).
 *
 * @param entry  Log entry.
 * @param sha256 Hex SHA-256 of the file.
 */
export function carriesFile( entry: SimRecord, sha256: string ): boolean {
	return ( entry.multipart?.files ?? [] ).some(
		( f ) => f.sha256 === sha256
	);
}

/**
 * GET /__sim/bill, only the rows of the given request ids.
 *
 * @param ids Simulator request ids.
 */
export async function simBill(
	ids: Set< string >
): Promise< { rows: BillRow[]; total: number; unpriced: string[] } > {
	const response = await fetch( `${ SIM_URL }/__sim/bill` );
	const bill = ( await response.json() ) as {
		unit: string;
		requests: BillRow[];
	};
	if ( bill.unit !== 'micro_usd' ) {
		throw new Error( `unexpected bill unit ${ bill.unit }` );
	}
	const rows = bill.requests.filter( ( row ) => ids.has( row.id ) );
	return {
		rows,
		total: rows.reduce(
			( sum, row ) => sum + ( row.cost_micro_usd ?? 0 ),
			0
		),
		unpriced: rows
			.filter( ( row ) => row.cost_micro_usd === null )
			.map( ( row ) => row.id ),
	};
}

/**
 * Records a measurement in the report (annotation) and on the console.
 *
 * @param description What was measured.
 */
export function measured( description: string ) {
	test.info().annotations.push( { type: 'measured', description } );
	// eslint-disable-next-line no-console -- the numbers belong in the run's output.
	console.log( `measured: ${ description }` );
}

/* ------------------------------------------------------------------- media */

/**
 * Makes a file with a command-line tool in a scratch folder and returns its bytes.
 *
 * @param name  File name (its extension tells the tools the format).
 * @param steps Commands to run, given the output path.
 */
function makeFile(
	name: string,
	steps: ( out: string, dir: string ) => Array< [ string, string[] ] >
): Buffer {
	const dir = mkdtempSync( join( tmpdir(), 'vvc-cost-' ) );
	try {
		const out = join( dir, name );
		for ( const [ tool, args ] of steps( out, dir ) ) {
			execFileSync( tool, args, {
				stdio: [ 'ignore', 'ignore', 'pipe' ],
			} );
		}
		return readFileSync( out );
	} finally {
		rmSync( dir, { recursive: true, force: true } );
	}
}

/**
 * Spoken words as a 16 kHz mono 16-bit WAV (espeak-ng, then sox), like a browser recording.
 *
 * @param text Words to say.
 */
export function speechWav( text: string ): Upload {
	const data = makeFile( 'question.wav', ( out, dir ) => [
		[ 'espeak-ng', [ '-w', join( dir, 'raw.wav' ), text ] ],
		[ 'sox', [ join( dir, 'raw.wav' ), ...SPEECH_WAV_OPTIONS, out ] ],
	] );
	return { data, filename: 'voice.wav', type: 'audio/wav' };
}

/**
 * A PNG test pattern (ffmpeg's testsrc).
 *
 * @param width  Width in pixels.
 * @param height Height in pixels.
 */
export function testPng( width: number, height: number ): Upload {
	const data = makeFile( 'photo.png', ( out ) => [
		[
			'ffmpeg',
			testPatternArgs( `testsrc=size=${ width }x${ height }`, out ),
		],
	] );
	return { data, filename: 'photo.png', type: 'image/png' };
}

/* --------------------------------------------------------------------- mail */

export type Mail = {
	time: string;
	to: unknown;
	subject: string;
	message: string;
};

/**
 * Where the mail log ends now: read mailsSince() from here.
 *
 * @param file .stack/logs/mail.jsonl.
 */
export function mailOffset( file: string ): number {
	try {
		return statSync( file ).size;
	} catch {
		return 0;
	}
}

/**
 * Mails appended to the log since an offset.
 *
 * @param file   .stack/logs/mail.jsonl.
 * @param offset From mailOffset().
 */
export function mailsSince( file: string, offset: number ): Mail[] {
	let size = 0;
	try {
		size = statSync( file ).size;
	} catch {
		return [];
	}
	if ( size <= offset ) {
		return [];
	}
	const buffer = Buffer.alloc( size - offset );
	const fd = openSync( file, 'r' );
	try {
		readSync( fd, buffer, 0, buffer.length, offset );
	} finally {
		closeSync( fd );
	}
	return buffer
		.toString( 'utf8' )
		.split( '\n' )
		.filter( ( line ) => line.trim() !== '' )
		.map( ( line ) => JSON.parse( line ) as Mail );
}
