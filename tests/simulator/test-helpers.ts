/**
 * Shared by the simulator's tests: fixtures made with the real tools (espeak-ng, sox,
 * ffmpeg), raw HTTP helpers and an SSE parser.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SPEECH_WAV_OPTIONS, testPatternArgs } from '../support/media-tools';
import { run } from './media/run';

export const KEY = 'sk-test-simulator-0000';

/** A scratch directory for fixtures, removed by the caller's afterAll. */
export function scratch(): { dir: string; cleanup: () => void } {
	const dir = mkdtempSync( join( tmpdir(), 'oai-sim-test-' ) );
	return {
		dir,
		cleanup: () => rmSync( dir, { recursive: true, force: true } ),
	};
}

/**
 * Speech recorded by espeak-ng -w, converted by sox to 16 kHz mono 16-bit WAV.
 * @param dir
 * @param text
 * @param name
 */
export function speechWav(
	dir: string,
	text: string,
	name = 'speech'
): { path: string; bytes: Buffer; duration: number } {
	const raw = join( dir, `${ name }-raw.wav` );
	const out = join( dir, `${ name }.wav` );
	execFileSync( 'espeak-ng', [ '-w', raw, text ] );
	execFileSync( 'sox', [ raw, ...SPEECH_WAV_OPTIONS, out ] );
	const duration = Number(
		execFileSync( 'soxi', [ '-D', out ] ).toString().trim()
	);
	return { path: out, bytes: readFileSync( out ), duration };
}

export function silenceWav( dir: string, seconds: number ): Buffer {
	const out = join( dir, `silence-${ seconds }.wav` );
	execFileSync( 'sox', [
		'-n',
		...SPEECH_WAV_OPTIONS,
		out,
		'trim',
		'0',
		String( seconds ),
	] );
	return readFileSync( out );
}

/**
 * Converts a file with ffmpeg (format from the output extension).
 * @param input
 * @param output
 * @param args
 */
export function ffmpegConvert(
	input: string,
	output: string,
	args: string[] = []
): Buffer {
	execFileSync( 'ffmpeg', [
		'-v',
		'error',
		'-y',
		'-i',
		input,
		...args,
		output,
	] );
	return readFileSync( output );
}

/**
 * A test pattern image of the given size.
 *
 * @param dir    Scratch directory.
 * @param width  Width in pixels.
 * @param height Height in pixels.
 * @param ext    Format by extension.
 */
function testImage(
	dir: string,
	width: number,
	height: number,
	ext: 'png' | 'jpg'
): Buffer {
	const out = join( dir, `img-${ width }x${ height }.${ ext }` );
	execFileSync(
		'ffmpeg',
		testPatternArgs( `testsrc=size=${ width }x${ height }`, out )
	);
	return readFileSync( out );
}

/**
 * A PNG test pattern of the given size.
 *
 * @param dir    Scratch directory.
 * @param width  Width in pixels.
 * @param height Height in pixels.
 */
export function testPng( dir: string, width: number, height: number ): Buffer {
	return testImage( dir, width, height, 'png' );
}

/**
 * A JPEG test pattern of the given size.
 *
 * @param dir    Scratch directory.
 * @param width  Width in pixels.
 * @param height Height in pixels.
 */
export function testJpeg( dir: string, width: number, height: number ): Buffer {
	return testImage( dir, width, height, 'jpg' );
}

export interface Probe {
	codec: string;
	duration: number;
	sample_rate: number;
	channels: number;
	format: string;
}

/**
 * ffprobe on bytes written to a file (so containers with trailing indexes report a duration).
 * @param bytes
 * @param ext
 * @param extra
 */
export async function probe(
	bytes: Buffer,
	ext: string,
	extra: string[] = []
): Promise< Probe > {
	const { dir, cleanup } = scratch();
	try {
		const file = join( dir, `probe.${ ext }` );
		writeFileSync( file, bytes );
		const r = await run( 'ffprobe', [
			'-v',
			'error',
			...extra,
			'-of',
			'json',
			'-show_format',
			'-show_streams',
			file,
		] );
		const info = JSON.parse( r.stdout.toString() || '{}' ) as {
			format?: { format_name?: string; duration?: string };
			streams?: Array< {
				codec_name?: string;
				sample_rate?: string;
				channels?: number;
				duration?: string;
			} >;
		};
		const s = info.streams?.[ 0 ] ?? {};
		return {
			codec: s.codec_name ?? '',
			duration: Number( s.duration ?? info.format?.duration ?? NaN ),
			sample_rate: Number( s.sample_rate ?? 0 ),
			channels: s.channels ?? 0,
			format: info.format?.format_name ?? '',
		};
	} finally {
		cleanup();
	}
}

/**
 * Exact duration by decoding everything (headers of streamed formats can be estimates).
 * @param bytes
 * @param rate
 */
export async function decodedSeconds(
	bytes: Buffer,
	rate = 24000
): Promise< number > {
	const r = await run(
		'ffmpeg',
		[
			'-v',
			'error',
			'-i',
			'pipe:0',
			'-ac',
			'1',
			'-ar',
			String( rate ),
			'-f',
			's16le',
			'pipe:1',
		],
		bytes
	);
	return r.stdout.length / 2 / rate;
}

export function authHeaders(
	extra: Record< string, string > = {}
): Record< string, string > {
	return { authorization: `Bearer ${ KEY }`, ...extra };
}

export async function postJson(
	url: string,
	body: unknown,
	headers: Record< string, string > = authHeaders()
): Promise< Response > {
	return fetch( url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: typeof body === 'string' ? body : JSON.stringify( body ),
	} );
}

/**
 * Splits an SSE body into its `data:` payloads (the last may be "[DONE]").
 * @param text
 */
export function sseData( text: string ): string[] {
	return text
		.split( '\n\n' )
		.map( ( block ) =>
			block
				.split( '\n' )
				.filter( ( l ) => l.startsWith( 'data: ' ) )
				.map( ( l ) => l.slice( 6 ) )
				.join( '\n' )
		)
		.filter( ( d ) => d !== '' );
}

export function dataUrl( mime: string, bytes: Buffer ): string {
	return `data:${ mime };base64,${ bytes.toString( 'base64' ) }`;
}

export interface ErrorShape {
	error: {
		message: string;
		type: string;
		param: string | null;
		code: string | null;
	};
}

export function isErrorShape( v: unknown ): v is ErrorShape {
	if ( typeof v !== 'object' || v === null || ! ( 'error' in v ) ) {
		return false;
	}
	const e = ( v as { error: unknown } ).error;
	return (
		typeof e === 'object' &&
		e !== null &&
		typeof ( e as { message?: unknown } ).message === 'string' &&
		typeof ( e as { type?: unknown } ).type === 'string' &&
		'param' in e &&
		'code' in e
	);
}

export async function script(
	simUrl: string,
	entry: unknown
): Promise< void > {
	const r = await postJson( `${ simUrl }/__sim/script`, entry, {} );
	if ( r.status !== 200 ) {
		throw new Error( `script refused: ${ await r.text() }` );
	}
}
