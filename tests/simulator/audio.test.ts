// @vitest-environment node
/**
 * Uploaded audio is really decoded and measured: a test can prove a recording arrived whole
 * and not silent, and forged or mislabelled bytes are refused as OpenAI refuses them.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudioFacts } from './media/audio';
import { startSimulator, type Simulator } from './server';
import {
	authHeaders,
	ffmpegConvert,
	isErrorShape,
	postJson,
	scratch,
	silenceWav,
	speechWav,
	type ErrorShape,
} from './test-helpers';

let sim: Simulator;
const fx = scratch();
let speech: { path: string; bytes: Buffer; duration: number };

beforeAll( async () => {
	sim = await startSimulator( { port: 0 } );
	speech = speechWav( fx.dir, 'Recording check, one, two, three.' );
} );
afterAll( async () => {
	await sim.close();
	fx.cleanup();
} );

async function upload(
	bytes: Buffer,
	filename: string,
	model = 'gpt-4o-mini-transcribe'
): Promise< { status: number; body: unknown; facts?: AudioFacts } > {
	const form = new FormData();
	form.append( 'model', model );
	form.append( 'file', new Blob( [ new Uint8Array( bytes ) ] ), filename );
	const r = await fetch( `${ sim.baseURL }/audio/transcriptions`, {
		method: 'POST',
		headers: authHeaders(),
		body: form,
	} );
	const body: unknown = await r.json();
	const facts = sim.state.requests.at( -1 )?.multipart?.files[ 0 ]?.audio as
		AudioFacts | undefined;
	return { status: r.status, body, facts };
}

describe( 'recorded facts', () => {
	it( 'measures a WAV to within 0.05 s of its true duration, and hears it', async () => {
		const { status, facts } = await upload( speech.bytes, 'take.wav' );
		expect( status ).toBe( 200 );
		expect( facts ).toMatchObject( {
			format: 'wav',
			codec: 'pcm_s16le',
			sample_rate: 16000,
			channels: 1,
			silent: false,
		} );
		expect(
			Math.abs( ( facts?.duration_s ?? 0 ) - speech.duration )
		).toBeLessThan( 0.05 );
		expect( facts?.rms_dbfs ).toBeGreaterThan( -40 );
		expect( facts?.peak_dbfs ).toBeLessThanOrEqual( 0 );
		expect( facts?.bytes ).toBe( speech.bytes.length );
	} );

	it( 'detects silence', async () => {
		const { status, facts } = await upload(
			silenceWav( fx.dir, 1.5 ),
			'quiet.wav'
		);
		expect( status ).toBe( 200 );
		expect( facts?.silent ).toBe( true );
		// sox dithers its "silence" to about -96 dBFS: quiet, not digital zero.
		expect( facts?.rms_dbfs ).toBeLessThan( -60 );
		expect( facts?.duration_s ).toBeCloseTo( 1.5, 2 );
	} );

	it( 'decodes every container the endpoint takes (m4a via a temp file that is removed)', async () => {
		const cases: Array<
			[ string, string[], string, AudioFacts[ 'format' ] ]
		> = [
			[ 'x.flac', [], 'x.flac', 'flac' ],
			[ 'x.mp3', [ '-c:a', 'libmp3lame' ], 'x.mpga', 'mp3' ],
			[ 'x.ogg', [ '-c:a', 'libopus' ], 'x.ogg', 'ogg' ],
			[ 'x.webm', [ '-c:a', 'libopus' ], 'x.webm', 'webm' ],
			// Safari records MP4/AAC; named .m4a it must be accepted.
			[ 'x.mp4', [ '-c:a', 'aac' ], 'x.m4a', 'mp4' ],
		];
		for ( const [ out, args, uploadName, format ] of cases ) {
			const bytes = ffmpegConvert(
				speech.path,
				join( fx.dir, out ),
				args
			);
			const { status, facts, body } = await upload( bytes, uploadName );
			expect(
				status,
				`${ uploadName }: ${ JSON.stringify( body ) }`
			).toBe( 200 );
			expect( facts?.format ).toBe( format );
			expect( facts?.silent ).toBe( false );
			// Lossy codecs pad a little at the ends.
			expect(
				Math.abs( ( facts?.duration_s ?? 0 ) - speech.duration )
			).toBeLessThan( 0.1 );
		}
		expect(
			readdirSync( tmpdir() ).filter( ( d ) =>
				d.startsWith( 'oai-sim-upload-' )
			)
		).toEqual( [] );
	} );

	it( 'records input_audio facts for chat requests too', async () => {
		const r = await postJson( `${ sim.baseURL }/chat/completions`, {
			model: 'gpt-audio',
			messages: [
				{
					role: 'user',
					content: [
						{
							type: 'input_audio',
							input_audio: {
								data: speech.bytes.toString( 'base64' ),
								format: 'wav',
							},
						},
					],
				},
			],
		} );
		expect( r.status ).toBe( 200 );
		const media = sim.state.requests.at( -1 )?.media as Array< {
			kind: string;
			duration_s: number;
			tokens: number;
		} >;
		expect( media[ 0 ]?.kind ).toBe( 'audio' );
		expect(
			Math.abs( ( media[ 0 ]?.duration_s ?? 0 ) - speech.duration )
		).toBeLessThan( 0.05 );
		expect( media[ 0 ]?.tokens ).toBe( Math.ceil( speech.duration * 10 ) );
	} );
} );

describe( 'refusals', () => {
	const expect400 = ( res: {
		status: number;
		body: unknown;
	} ): ErrorShape[ 'error' ] => {
		expect( res.status ).toBe( 400 );
		expect( isErrorShape( res.body ) ).toBe( true );
		return ( res.body as ErrorShape ).error;
	};

	it( 'refuses an MP3 header glued to random bytes', async () => {
		const forged = Buffer.concat( [
			Buffer.from( 'ID3\x03\x00\x00\x00\x00\x00\x00', 'latin1' ),
			Buffer.from( [ 0xff, 0xfb, 0x90, 0x64 ] ),
			randomBytes( 20000 ),
		] );
		const err = expect400( await upload( forged, 'forged.mp3' ) );
		expect( err.message ).toBe(
			'Audio file might be corrupted or unsupported'
		);
		expect( err.param ).toBe( 'file' );
	} );

	it( 'refuses a WAV header that claims 10 minutes over 1 second of samples', async () => {
		const n = 600 * 16000 * 2;
		const h = Buffer.alloc( 44 );
		h.write( 'RIFF', 0, 'latin1' );
		h.writeUInt32LE( 36 + n, 4 );
		h.write( 'WAVEfmt ', 8, 'latin1' );
		h.writeUInt32LE( 16, 16 );
		h.writeUInt16LE( 1, 20 );
		h.writeUInt16LE( 1, 22 );
		h.writeUInt32LE( 16000, 24 );
		h.writeUInt32LE( 32000, 28 );
		h.writeUInt16LE( 2, 32 );
		h.writeUInt16LE( 16, 34 );
		h.write( 'data', 36, 'latin1' );
		h.writeUInt32LE( n, 40 );
		const err = expect400(
			await upload(
				Buffer.concat( [ h, randomBytes( 32000 ) ] ),
				'liar.wav'
			)
		);
		expect( err.param ).toBe( 'file' );
	} );

	it( 'refuses an extension that does not match the content, and unknown extensions', async () => {
		expect(
			expect400( await upload( speech.bytes, 'speech.mp3' ) ).message
		).toContain( 'Invalid file format' );
		expect(
			expect400( await upload( speech.bytes, 'speech.aiff' ) ).message
		).toContain( 'Invalid file format' );
	} );

	it( 'refuses files over 25 MB with 413', async () => {
		const big = Buffer.concat( [
			speech.bytes,
			Buffer.alloc( 25 * 1024 * 1024 - speech.bytes.length + 10 ),
		] );
		const res = await upload( big, 'big.wav' );
		expect( res.status ).toBe( 413 );
		expect( isErrorShape( res.body ) ).toBe( true );
	} );
} );
