import { describe, expect, it, vi } from 'vitest';

import { bindEncoderWorker, EncoderSession } from '../../../src/voice/encoder';
import type { EncoderWorkerScope } from '../../../src/voice/encoder';
import {
	createInlineEncoderPort,
	createWorkerEncoderPort,
} from '../../../src/voice/encoder-port';
import type { WorkerHost, WorkerLike } from '../../../src/voice/encoder-port';
import { createMp3Encoder } from '../../../src/voice/mp3';
import { DEFAULT_SILENCE } from '../../../src/voice/silence';
import type {
	EncoderRequest,
	EncoderResponse,
	EncoderSettings,
} from '../../../src/voice/types';
import { parseWav } from '../../../src/voice/wav';
import {
	chunks,
	concat,
	espeak,
	ffmpegDecode,
	ffprobe,
	noise,
	sine,
	zeroCrossingFrequency,
} from './signal';

function settings(
	overrides: Partial< EncoderSettings > = {}
): EncoderSettings {
	return {
		inputSampleRate: 48000,
		format: 'mp3',
		mp3Kbps: 32,
		maxDurationMs: 60000,
		silence: DEFAULT_SILENCE,
		...overrides,
	};
}

/**
 * 0.6 s of room noise, a 1 kHz tone of `seconds`, 0.9 s of room noise, at `rate`.
 * @param rate
 * @param seconds
 */
function toneInSilence( rate: number, seconds: number ): Float32Array {
	return concat(
		noise( Math.round( rate * 0.6 ), 0.0005 ),
		sine( 1000, rate, seconds, 0.4 ),
		noise( Math.round( rate * 0.9 ), 0.0005, 2 )
	);
}

/**
 * Feeds the signal the way the worklet posts it: 40 ms batches.
 * @param session
 * @param samples
 * @param rate
 */
function feed( session: EncoderSession, samples: Float32Array, rate: number ) {
	for ( const chunk of chunks( samples, [ Math.round( rate * 0.04 ) ] ) ) {
		session.push( chunk );
	}
}

describe( 'EncoderSession', () => {
	it( 'turns 48 kHz capture into a trimmed 16 kHz mono MP3', () => {
		const session = new EncoderSession( settings(), {
			createMp3: createMp3Encoder,
		} );
		feed( session, toneInSilence( 48000, 1.5 ), 48000 );
		const audio = session.finish();

		expect( audio ).toMatchObject( {
			format: 'mp3',
			mimeType: 'audio/mpeg',
			sampleRate: 16000,
		} );
		expect( audio.capturedMs ).toBeCloseTo( 3000, 0 );
		// The tone plus a 200 ms margin either side, to within a 10 ms frame.
		expect( Math.abs( audio.durationMs - 1900 ) ).toBeLessThanOrEqual( 10 );
		expect( ffprobe( audio.bytes ) ).toMatchObject( {
			sampleRate: 16000,
			channels: 1,
			bitRate: 32000,
		} );
		const decoded = ffmpegDecode( audio.bytes );
		expect( Math.abs( decoded.length / 16000 - 1.9 ) ).toBeLessThan( 0.1 );
		expect(
			zeroCrossingFrequency( decoded.subarray( 5000, 25000 ), 16000 )
		).toBeCloseTo( 1000, 0 );
	} );

	it( 'encodes WAV when the MP3 encoder cannot be created', () => {
		const session = new EncoderSession(
			settings( { inputSampleRate: 44100 } ),
			{
				createMp3: () => {
					throw new ReferenceError( 'MPEGMode is not defined' );
				},
			}
		);
		expect( session.format ).toBe( 'wav' );
		expect( session.fallbackReason ).toBe( 'MPEGMode is not defined' );
		feed( session, toneInSilence( 44100, 1 ), 44100 );
		const audio = session.finish();

		expect( audio.mimeType ).toBe( 'audio/wav' );
		const wav = parseWav( audio.bytes );
		expect( wav.sampleRate ).toBe( 16000 );
		expect( wav.samples[ 0 ]!.length ).toBe(
			( audio.durationMs / 1000 ) * 16000
		);
		expect( Math.abs( wav.durationSeconds - 1.4 ) ).toBeLessThanOrEqual(
			0.01
		);
	} );

	it( 'encodes WAV when no MP3 encoder is bundled, and WAV when asked for', () => {
		expect( new EncoderSession( settings() ).format ).toBe( 'wav' );
		expect(
			new EncoderSession( settings( { format: 'wav' } ), {
				createMp3: createMp3Encoder,
			} ).format
		).toBe( 'wav' );
	} );

	it( 'ignores input past the maximum duration', () => {
		const session = new EncoderSession(
			settings( { format: 'wav', maxDurationMs: 1000, silence: false } )
		);
		feed( session, sine( 1000, 48000, 3 ), 48000 );
		const audio = session.finish();
		expect( audio.capturedMs ).toBe( 1000 );
		expect( audio.durationMs ).toBe( 1000 );
	} );

	it( 'keeps silence when trimming is off, and reports nothing heard when it is on', () => {
		const quiet = noise( 48000, 0.0005 );
		const kept = new EncoderSession(
			settings( { format: 'wav', silence: false } )
		);
		kept.push( quiet );
		expect( kept.finish().durationMs ).toBe( 1000 );

		const trimmed = new EncoderSession( settings( { format: 'wav' } ) );
		trimmed.push( quiet );
		expect( trimmed.finish().durationMs ).toBe( 0 );
	} );

	it( 'refuses to be used after finishing', () => {
		const session = new EncoderSession( settings( { format: 'wav' } ) );
		session.finish();
		expect( () => session.push( new Float32Array( 10 ) ) ).toThrow();
		expect( () => session.finish() ).toThrow();
	} );
} );

describe( 'speech upload size', () => {
	it( 'measures bytes per second of espeak-ng speech as MP3 and WAV', () => {
		const speech = parseWav(
			espeak(
				'Hello. Could you tell me when the shop opens on Saturday, and whether I can park nearby? Thank you very much.'
			)
		);
		const input = speech.samples[ 0 ]!;
		const results: Record<
			string,
			{ seconds: number; bytes: number; bytesPerSecond: number }
		> = {};
		for ( const format of [ 'mp3', 'wav' ] as const ) {
			const session = new EncoderSession(
				settings( { inputSampleRate: speech.sampleRate, format } ),
				{ createMp3: createMp3Encoder }
			);
			feed( session, input, speech.sampleRate );
			const audio = session.finish();
			const seconds = audio.durationMs / 1000;
			results[ format ] = {
				seconds,
				bytes: audio.bytes.length,
				bytesPerSecond: Math.round( audio.bytes.length / seconds ),
			};
		}
		// Reported by the test run (the issue asks to measure and note it).
		// eslint-disable-next-line no-console
		console.log( 'speech upload', JSON.stringify( results ) );

		const mp3 = results.mp3!;
		const wav = results.wav!;
		expect( mp3.seconds ).toBeGreaterThan( 4 );
		// 32 kbps = 4000 B/s; frames of delay/padding add a little on a short clip.
		expect( mp3.bytesPerSecond ).toBeGreaterThan( 3900 );
		expect( mp3.bytesPerSecond ).toBeLessThan( 4300 );
		// 16 kHz x 16 bit = 32000 B/s plus the 44-byte header.
		expect( wav.bytesPerSecond ).toBeGreaterThanOrEqual( 32000 );
		expect( wav.bytesPerSecond ).toBeLessThan( 32020 );
	} );
} );

/** A worker scope whose answers the test can read. */
function fakeScope(): EncoderWorkerScope & {
	sent: Array< { message: EncoderResponse; transfer?: Transferable[] } >;
	receive: ( request: EncoderRequest ) => void;
} {
	const sent: Array< {
		message: EncoderResponse;
		transfer?: Transferable[];
	} > = [];
	const scope = {
		sent,
		onmessage: null as EncoderWorkerScope[ 'onmessage' ],
		postMessage( message: EncoderResponse, transfer?: Transferable[] ) {
			sent.push( { message, transfer } );
		},
		receive( request: EncoderRequest ) {
			scope.onmessage?.( { data: request } );
		},
	};
	return scope;
}

describe( 'bindEncoderWorker', () => {
	it( 'answers start with ready, and finish with the file (transferred)', () => {
		const scope = fakeScope();
		bindEncoderWorker( scope, { createMp3: createMp3Encoder } );

		scope.receive( { type: 'start', settings: settings() } );
		for ( const chunk of chunks( toneInSilence( 48000, 1 ), [ 1920 ] ) ) {
			scope.receive( { type: 'chunk', samples: chunk } );
		}
		scope.receive( { type: 'finish' } );

		expect( scope.sent[ 0 ]?.message ).toEqual( {
			type: 'ready',
			format: 'mp3',
		} );
		const done = scope.sent[ 1 ];
		expect( done?.message.type ).toBe( 'done' );
		if ( done?.message.type !== 'done' ) {
			return;
		}
		expect( done.transfer ).toEqual( [ done.message.audio.bytes.buffer ] );
		expect( ffprobe( done.message.audio.bytes ).codec ).toBe( 'mp3' );
	} );

	it( 'says which format it fell back to', () => {
		const scope = fakeScope();
		bindEncoderWorker( scope, {
			createMp3: () => {
				throw new Error( 'no lame' );
			},
		} );
		scope.receive( { type: 'start', settings: settings() } );
		expect( scope.sent[ 0 ]?.message ).toEqual( {
			type: 'ready',
			format: 'wav',
		} );
	} );

	it( 'reports errors instead of throwing, and forgets a cancelled session', () => {
		const scope = fakeScope();
		bindEncoderWorker( scope, {} );
		scope.receive( { type: 'chunk', samples: new Float32Array( 4 ) } );
		scope.receive( {
			type: 'start',
			settings: settings( { inputSampleRate: 0 } ),
		} );
		scope.receive( { type: 'start', settings: settings() } );
		scope.receive( { type: 'cancel' } );
		scope.receive( { type: 'finish' } );

		expect( scope.sent.map( ( entry ) => entry.message ) ).toEqual( [
			{ type: 'error', message: 'No recording in progress' },
			{
				type: 'error',
				message: expect.stringContaining( 'Unsupported sample rates' ),
			},
			{ type: 'ready', format: 'wav' },
			{ type: 'error', message: 'No recording in progress' },
		] );
	} );
} );

describe( 'createInlineEncoderPort', () => {
	it( 'runs a session in-thread and answers asynchronously, like a worker', async () => {
		const received: EncoderResponse[] = [];
		const port = createInlineEncoderPort()( {
			message: ( response ) => received.push( response ),
			error: () => {},
		} );
		port.send( {
			type: 'start',
			settings: settings( { silence: false } ),
		} );
		port.send( { type: 'chunk', samples: sine( 440, 48000, 0.5 ) } );
		port.send( { type: 'finish' } );
		expect( received ).toEqual( [] );

		await Promise.resolve();
		expect( received.map( ( response ) => response.type ) ).toEqual( [
			'ready',
			'done',
		] );
		expect( received[ 0 ] ).toEqual( { type: 'ready', format: 'wav' } );
	} );

	it( 'goes quiet once closed', async () => {
		const message = vi.fn();
		const port = createInlineEncoderPort()( { message, error: () => {} } );
		port.send( { type: 'start', settings: settings() } );
		port.close();
		port.send( { type: 'finish' } );
		await Promise.resolve();
		expect( message ).not.toHaveBeenCalled();
	} );
} );

describe( 'createWorkerEncoderPort', () => {
	class FakeWorker implements WorkerLike {
		static instances: FakeWorker[] = [];
		posted: Array< { message: EncoderRequest; transfer: Transferable[] } > =
			[];
		terminated = false;
		onmessage: WorkerLike[ 'onmessage' ] = null;
		onerror: WorkerLike[ 'onerror' ] = null;
		constructor( readonly url: string ) {
			FakeWorker.instances.push( this );
		}
		postMessage( message: EncoderRequest, transfer: Transferable[] ) {
			this.posted.push( { message, transfer } );
		}
		terminate() {
			this.terminated = true;
		}
	}

	function host( origin = 'https://shop.example' ): WorkerHost & {
		blobs: Blob[];
		revoked: string[];
	} {
		const blobs: Blob[] = [];
		const revoked: string[] = [];
		return {
			Worker: FakeWorker,
			location: { href: origin + '/faq/', origin },
			URL: {
				createObjectURL: ( blob ) => {
					blobs.push( blob );
					return 'blob:' + origin + '/1';
				},
				revokeObjectURL: ( url ) => revoked.push( url ),
			},
			blobs,
			revoked,
		};
	}

	it( 'starts a same-origin worker from the bundle URL and passes messages both ways', () => {
		FakeWorker.instances = [];
		const received: EncoderResponse[] = [];
		const port = createWorkerEncoderPort(
			'/wp-content/plugins/vvc/build/voice/encoder-worker.js',
			host()
		)( {
			message: ( response ) => received.push( response ),
			error: () => {},
		} );
		const worker = FakeWorker.instances[ 0 ]!;
		expect( worker.url ).toBe(
			'https://shop.example/wp-content/plugins/vvc/build/voice/encoder-worker.js'
		);

		const samples = new Float32Array( 8 );
		port.send( { type: 'chunk', samples }, [ samples.buffer ] );
		expect( worker.posted[ 0 ]?.transfer ).toEqual( [ samples.buffer ] );

		worker.onmessage?.(
			new MessageEvent( 'message', {
				data: { type: 'ready', format: 'mp3' },
			} )
		);
		expect( received ).toEqual( [ { type: 'ready', format: 'mp3' } ] );

		port.close();
		expect( worker.terminated ).toBe( true );
	} );

	it( 'loads a cross-origin bundle (CDN) through a same-origin blob: bootstrap', async () => {
		FakeWorker.instances = [];
		const page = host();
		createWorkerEncoderPort(
			'https://cdn.example/build/voice/encoder-worker.js?ver=abc',
			page
		)( {
			message: () => {},
			error: () => {},
		} );
		const worker = FakeWorker.instances[ 0 ]!;
		expect( worker.url ).toBe( 'blob:https://shop.example/1' );
		expect( await page.blobs[ 0 ]!.text() ).toBe(
			'importScripts("https://cdn.example/build/voice/encoder-worker.js?ver=abc");'
		);
		worker.onmessage?.(
			new MessageEvent( 'message', {
				data: { type: 'ready', format: 'mp3' },
			} )
		);
		expect( page.revoked ).toEqual( [ 'blob:https://shop.example/1' ] );
	} );

	it( 'reports a worker that cannot start or fails to load', async () => {
		const errors: string[] = [];
		const throwing: WorkerHost = {
			...host(),
			Worker: class {
				constructor() {
					throw new DOMException( 'blocked by CSP', 'SecurityError' );
				}
			} as unknown as WorkerHost[ 'Worker' ],
		};
		createWorkerEncoderPort(
			'/w.js',
			throwing
		)( {
			message: () => {},
			error: ( message ) => errors.push( message ),
		} );
		// Asynchronous, like a worker's own error event.
		expect( errors ).toEqual( [] );
		await Promise.resolve();
		expect( errors ).toEqual( [ 'blocked by CSP' ] );

		FakeWorker.instances = [];
		createWorkerEncoderPort(
			'/w.js',
			host()
		)( {
			message: () => {},
			error: ( message ) => errors.push( message ),
		} );
		const event = {
			message: '',
			preventDefault: vi.fn(),
		} as unknown as ErrorEvent;
		FakeWorker.instances[ 0 ]!.onerror?.( event );
		expect( errors ).toEqual( [
			'blocked by CSP',
			'Encoder worker failed',
		] );
		expect( event.preventDefault ).toHaveBeenCalled();
	} );
} );
