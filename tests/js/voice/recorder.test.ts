import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { createInlineEncoderPort } from '../../../src/voice/encoder-port';
import type { EncoderPortFactory } from '../../../src/voice/encoder-port';
import { createMp3Encoder } from '../../../src/voice/mp3';
import {
	createRecorder,
	DEFAULT_AUDIO_CONSTRAINTS,
	meterLevel,
} from '../../../src/voice/recorder';
import type {
	AudioContextLike,
	RecorderDeps,
	RecorderOptions,
	RecorderState,
	StreamLike,
	WorkletNodeLike,
} from '../../../src/voice/recorder';
import type { EncoderRequest, WorkletMessage } from '../../../src/voice/types';
import { parseWav } from '../../../src/voice/wav';
import {
	chunks,
	concat,
	ffprobe,
	noise,
	sine,
	zeroCrossingFrequency,
} from './signal';

const RATE = 48000;
const BATCH = 1920; // 40 ms at 48 kHz, as the worklet posts it.

class FakeTrack {
	stopped = false;
	private ended: Array< () => void > = [];
	stop() {
		this.stopped = true;
	}
	addEventListener( _type: 'ended', listener: () => void ) {
		this.ended.push( listener );
	}
	end() {
		this.ended.forEach( ( listener ) => listener() );
	}
}

class FakeStream implements StreamLike {
	readonly tracks = [ new FakeTrack() ];
	getTracks() {
		return this.tracks;
	}
}

class FakeNode {
	connections: unknown[] = [];
	disconnected = false;
	connect( destination: unknown ) {
		this.connections.push( destination );
		return destination;
	}
	disconnect() {
		this.disconnected = true;
	}
}

/**
 * Everything a test needs to drive and inspect one recorder.
 * @param options
 * @param overrides
 * @param behaviour
 * @param behaviour.permission
 * @param behaviour.devices
 * @param behaviour.worklet
 * @param behaviour.workletLoads
 */
function setup(
	options: RecorderOptions = {},
	overrides: Partial< RecorderDeps > = {},
	behaviour: {
		permission?: 'grant' | 'manual' | Error;
		devices?: Array< { kind: string } >;
		worklet?: boolean;
		workletLoads?: boolean;
	} = {}
) {
	const contexts: FakeAudioContext[] = [];
	const nodes: FakeWorkletNode[] = [];
	const streams: FakeStream[] = [];
	const constraints: MediaStreamConstraints[] = [];
	let grant: ( () => void ) | null = null;

	class FakeAudioContext implements AudioContextLike {
		readonly sampleRate = RATE;
		state = 'suspended';
		readonly destination = new FakeNode();
		resumeCalls = 0;
		closed = false;
		source: StreamLike | null = null;
		readonly audioWorklet =
			behaviour.worklet === false
				? undefined
				: {
						urls: [] as string[],
						addModule: ( url: string ) => {
							this.audioWorklet?.urls.push( url );
							return behaviour.workletLoads === false
								? Promise.reject( new Error( 'blocked' ) )
								: Promise.resolve();
						},
					};
		constructor() {
			contexts.push( this );
		}
		resume() {
			this.resumeCalls++;
			this.state = 'running';
			return Promise.resolve();
		}
		close() {
			this.closed = true;
			this.state = 'closed';
			return Promise.resolve();
		}
		createMediaStreamSource( stream: StreamLike ) {
			this.source = stream;
			return new FakeNode();
		}
	}

	class FakeWorkletNode extends FakeNode implements WorkletNodeLike {
		readonly port = {
			onmessage: null as WorkletNodeLike[ 'port' ][ 'onmessage' ],
			flushRequests: 0,
			postMessage: ( message: { type: 'flush' } ) => {
				if ( message.type === 'flush' ) {
					this.port.flushRequests++;
					// The worklet posts its partial batch, then "flushed".
					queueMicrotask( () => {
						this.emit( {
							type: 'pcm',
							samples: sine( 1000, RATE, 0.01 ),
							level: 0.35,
						} );
						this.emit( { type: 'flushed' } );
					} );
				}
			},
		};
		constructor(
			readonly context: AudioContextLike,
			readonly name: string,
			readonly nodeOptions: AudioWorkletNodeOptions
		) {
			super();
			nodes.push( this );
		}
		emit( message: WorkletMessage ) {
			this.port.onmessage?.(
				new MessageEvent( 'message', { data: message } )
			);
		}
	}

	const permission = behaviour.permission ?? 'grant';
	const mediaDevices = {
		getUserMedia( request: MediaStreamConstraints ): Promise< StreamLike > {
			constraints.push( request );
			if ( permission instanceof Error ) {
				return Promise.reject( permission );
			}
			const stream = new FakeStream();
			streams.push( stream );
			if ( permission === 'manual' ) {
				return new Promise( ( resolve ) => {
					grant = () => resolve( stream );
				} );
			}
			return Promise.resolve( stream );
		},
		enumerateDevices: () =>
			Promise.resolve( behaviour.devices ?? [ { kind: 'audioinput' } ] ),
	};

	const deps: RecorderDeps = {
		mediaDevices,
		isSecureContext: true,
		AudioContext: FakeAudioContext,
		AudioWorkletNode: FakeWorkletNode,
		workletUrl: 'https://shop.example/build/voice/recorder-worklet.js',
		now: () => Date.now(),
		...overrides,
	};
	const recorder = createRecorder( deps, options );
	// Every state change, in order (the initial 'idle' excluded).
	const states: RecorderState[] = [];
	let last = recorder.getSnapshot().state;
	recorder.subscribe( () => {
		const state = recorder.getSnapshot().state;
		if ( state !== last ) {
			states.push( state );
			last = state;
		}
	} );

	/**
	 * Posts `samples` from the worklet in 40 ms batches.
	 * @param samples
	 */
	function speak( samples: Float32Array ) {
		const node = nodes[ nodes.length - 1 ];
		if ( ! node ) {
			throw new Error( 'No worklet node yet' );
		}
		for ( const batch of chunks( samples, [ BATCH ] ) ) {
			let sum = 0;
			batch.forEach( ( value ) => ( sum += value * value ) );
			node.emit( {
				type: 'pcm',
				samples: batch,
				level: Math.sqrt( sum / batch.length ),
			} );
		}
	}

	return {
		recorder,
		states,
		contexts,
		nodes,
		streams,
		constraints,
		speak,
		grant: () => grant?.(),
	};
}

/** Lets pending promise callbacks run (several hops: getUserMedia, addModule, encoder). */
async function settle() {
	for ( let i = 0; i < 20; i++ ) {
		await Promise.resolve();
	}
}

function domError( name: string ): Error {
	return new DOMException( 'refused', name );
}

describe( 'recorder: starting', () => {
	it( 'creates and resumes the AudioContext synchronously, inside the user gesture', () => {
		const { recorder, contexts, states } = setup();
		void recorder.start();
		// Nothing has been awaited yet: this is still the click handler's call stack.
		expect( contexts ).toHaveLength( 1 );
		expect( contexts[ 0 ]!.resumeCalls ).toBe( 1 );
		expect( states ).toEqual( [ 'requesting-permission' ] );
	} );

	it( 'asks for the microphone with the documented constraints and loads the worklet', async () => {
		const { recorder, constraints, contexts, nodes } = setup();
		await recorder.start();
		expect( constraints ).toEqual( [
			{ audio: DEFAULT_AUDIO_CONSTRAINTS, video: false },
		] );
		expect( contexts[ 0 ]!.audioWorklet!.urls ).toEqual( [
			'https://shop.example/build/voice/recorder-worklet.js',
		] );
		expect( nodes[ 0 ]!.name ).toBe( 'vvc-recorder' );
		expect( nodes[ 0 ]!.nodeOptions ).toMatchObject( {
			channelCount: 1,
			channelCountMode: 'explicit',
		} );
		expect( nodes[ 0 ]!.connections ).toEqual( [
			contexts[ 0 ]!.destination,
		] );
	} );

	it( 'has the worklet running before it opens the microphone', async () => {
		const order: string[] = [];
		const { recorder, nodes } = setup(
			{},
			{
				mediaDevices: {
					getUserMedia: () => {
						order.push( `getUserMedia (nodes: ${ nodes.length })` );
						return Promise.resolve( new FakeStream() );
					},
				},
			}
		);
		await recorder.start();
		expect( order ).toEqual( [ 'getUserMedia (nodes: 1)' ] );
		expect( nodes[ 0 ]!.connections ).toHaveLength( 1 );
	} );

	it( 'says "recording" only once audio actually arrives', async () => {
		const { recorder, speak } = setup();
		await recorder.start();
		expect( recorder.getSnapshot().state ).toBe( 'requesting-permission' );
		speak( sine( 1000, RATE, 0.04 ) );
		expect( recorder.getSnapshot().state ).toBe( 'recording' );
		expect( recorder.getSnapshot().level ).toBeCloseTo(
			meterLevel( 0.5 / Math.SQRT2 ),
			2
		);
	} );

	it( 'keeps every frame from the first one (no clipped first half second)', async () => {
		const { recorder, speak } = setup( { silence: false, format: 'wav' } );
		await recorder.start();
		// A loud first word straight away: 0.5 s of tone in the very first batches.
		speak(
			concat( sine( 1000, RATE, 0.5, 0.5 ), noise( RATE * 0.5, 0.0005 ) )
		);
		const recording = await recorder.stop();

		const wav = parseWav(
			new Uint8Array( await recording!.blob.arrayBuffer() )
		);
		const samples = wav.samples[ 0 ]!;
		// 1 s spoken + the 10 ms the flush delivered.
		expect( samples.length ).toBe( 16160 );
		expect(
			Math.abs( samples[ 160 ]! ) + Math.abs( samples[ 161 ]! )
		).toBeGreaterThan( 0.05 );
		expect(
			zeroCrossingFrequency( samples.subarray( 0, 7000 ), 16000 )
		).toBeCloseTo( 1000, 0 );
	} );
} );

describe( 'recorder: errors', () => {
	it( 'refuses outside a secure context without asking for the microphone', async () => {
		const { recorder, constraints, contexts } = setup(
			{},
			{ isSecureContext: false, mediaDevices: undefined }
		);
		await recorder.start();
		expect( recorder.getSnapshot().state ).toBe( 'error' );
		expect( recorder.getSnapshot().error ).toMatchObject( {
			code: 'vvc_mic_insecure_context',
			status: 0,
			message: expect.stringContaining( 'https' ),
		} );
		expect( constraints ).toEqual( [] );
		expect( contexts ).toEqual( [] );
	} );

	it.each( [
		[ 'no mediaDevices', { mediaDevices: undefined } ],
		[ 'no AudioContext', { AudioContext: undefined } ],
		[ 'no AudioWorkletNode', { AudioWorkletNode: undefined } ],
	] as Array< [ string, Partial< RecorderDeps > ] > )(
		'reports an unsupported browser (%s)',
		async ( _label, overrides ) => {
			const { recorder } = setup( {}, overrides );
			await recorder.start();
			expect( recorder.getSnapshot().error?.code ).toBe(
				'vvc_mic_unsupported'
			);
		}
	);

	it( 'reports an unsupported browser when the context has no audioWorklet', async () => {
		const { recorder, contexts } = setup( {}, {}, { worklet: false } );
		await recorder.start();
		expect( recorder.getSnapshot().error?.code ).toBe(
			'vvc_mic_unsupported'
		);
		expect( contexts[ 0 ]!.closed ).toBe( true );
	} );

	it.each( [
		[ 'NotAllowedError', 'vvc_mic_permission_denied' ],
		[ 'SecurityError', 'vvc_mic_permission_denied' ],
		[ 'NotFoundError', 'vvc_mic_not_found' ],
		[ 'OverconstrainedError', 'vvc_mic_not_found' ],
		[ 'NotReadableError', 'vvc_mic_busy' ],
		[ 'AbortError', 'vvc_mic_busy' ],
	] )( 'classifies a %s from getUserMedia as %s', async ( name, code ) => {
		const { recorder, contexts } = setup(
			{},
			{},
			{ permission: domError( name ) }
		);
		await recorder.start();
		const snapshot = recorder.getSnapshot();
		expect( snapshot.state ).toBe( 'error' );
		expect( snapshot.error?.code ).toBe( code );
		expect( snapshot.error?.message.length ).toBeGreaterThan( 20 );
		expect( contexts[ 0 ]!.closed ).toBe( true );
	} );

	it( 'tells "no microphone" from other failures by counting input devices', async () => {
		const none = setup(
			{},
			{},
			{
				permission: new Error( 'odd' ),
				devices: [ { kind: 'videoinput' } ],
			}
		);
		await none.recorder.start();
		expect( none.recorder.getSnapshot().error?.code ).toBe(
			'vvc_mic_not_found'
		);

		const some = setup( {}, {}, { permission: new Error( 'odd' ) } );
		await some.recorder.start();
		expect( some.recorder.getSnapshot().error?.code ).toBe(
			'vvc_mic_failed'
		);
	} );

	it( 'reports a worklet that cannot load, without asking for the microphone', async () => {
		const { recorder, constraints, contexts } = setup(
			{},
			{},
			{ workletLoads: false }
		);
		await recorder.start();
		expect( recorder.getSnapshot().error?.code ).toBe( 'vvc_mic_failed' );
		expect( constraints ).toEqual( [] );
		expect( contexts[ 0 ]!.closed ).toBe( true );
	} );

	it( 'can start again after an error', async () => {
		const denied = setup(
			{},
			{},
			{ permission: domError( 'NotAllowedError' ) }
		);
		await denied.recorder.start();
		await denied.recorder.start();
		expect( denied.states ).toEqual( [
			'requesting-permission',
			'error',
			'requesting-permission',
			'error',
		] );
	} );
} );

describe( 'recorder: stopping', () => {
	it( 'stops, flushes the worklet, releases the microphone and returns the recording', async () => {
		const { recorder, speak, streams, contexts, nodes, states } = setup( {
			format: 'wav',
		} );
		await recorder.start();
		speak(
			concat(
				noise( RATE * 0.3, 0.0005 ),
				sine( 440, RATE, 1, 0.3 ),
				noise( RATE * 0.5, 0.0005 )
			)
		);
		const recording = await recorder.stop();

		expect( states ).toEqual( [
			'requesting-permission',
			'recording',
			'stopping',
			'done',
		] );
		expect( nodes[ 0 ]!.port.flushRequests ).toBe( 1 );
		expect( streams[ 0 ]!.tracks[ 0 ]!.stopped ).toBe( true );
		expect( contexts[ 0 ]!.closed ).toBe( true );
		expect( nodes[ 0 ]!.disconnected ).toBe( true );
		expect( recording ).toMatchObject( {
			format: 'wav',
			mimeType: 'audio/wav',
			filename: 'voice.wav',
			sampleRate: 16000,
			autoStopped: false,
		} );
		// Trimmed: 0.2 s margin, 1 s of tone, then the quiet and the loud flushed tail.
		expect( recording!.capturedMs ).toBeCloseTo( 1810, 0 );
		expect( recording!.durationMs ).toBeLessThan( recording!.capturedMs );
		expect( recorder.getSnapshot().recording ).toBe( recording );
	} );

	it( 'encodes MP3 through the encoder port when it is available', async () => {
		const { recorder, speak } = setup(
			{},
			{
				createEncoder: createInlineEncoderPort( {
					createMp3: createMp3Encoder,
				} ),
			}
		);
		await recorder.start();
		speak( sine( 1000, RATE, 1.2, 0.4 ) );
		const recording = await recorder.stop();
		expect( recording?.format ).toBe( 'mp3' );
		expect( recording?.filename ).toBe( 'voice.mp3' );
		const probe = ffprobe(
			new Uint8Array( await recording!.blob.arrayBuffer() )
		);
		expect( probe ).toMatchObject( {
			codec: 'mp3',
			sampleRate: 16000,
			channels: 1,
		} );
	} );

	it( 'falls back to in-thread WAV without losing audio when the worker cannot start', async () => {
		const sent: EncoderRequest[] = [];
		const brokenWorker: EncoderPortFactory = ( handlers ) => {
			// Like a worker whose script 404s: requests vanish, then an error event.
			setTimeout(
				() => handlers.error( 'Failed to load encoder-worker.js' ),
				0
			);
			return {
				send: ( request ) => sent.push( request ),
				close: () => {},
			};
		};
		const { recorder, speak } = setup(
			{ silence: false },
			{ createEncoder: brokenWorker }
		);
		await recorder.start();
		speak( sine( 1000, RATE, 0.8 ) );
		await new Promise( ( resolve ) => setTimeout( resolve, 5 ) );
		speak( sine( 1000, RATE, 0.4 ) );
		const recording = await recorder.stop();

		expect( sent[ 0 ]?.type ).toBe( 'start' );
		expect( recording?.format ).toBe( 'wav' );
		// 1.2 s spoken + the 10 ms flush: nothing sent before the failure was lost.
		expect( recording?.durationMs ).toBeCloseTo( 1210, 0 );
	} );

	it( 'reports an encoder that fails after it started', async () => {
		const failing: EncoderPortFactory = ( handlers ) => ( {
			send: ( request ) => {
				if ( request.type === 'start' ) {
					queueMicrotask( () =>
						handlers.message( { type: 'ready', format: 'mp3' } )
					);
				}
				if ( request.type === 'finish' ) {
					queueMicrotask( () =>
						handlers.message( {
							type: 'error',
							message: 'out of memory',
						} )
					);
				}
			},
			close: () => {},
		} );
		const { recorder, speak, streams } = setup(
			{},
			{ createEncoder: failing }
		);
		await recorder.start();
		await settle();
		speak( sine( 1000, RATE, 0.5 ) );
		expect( await recorder.stop() ).toBeNull();
		expect( recorder.getSnapshot().error?.code ).toBe(
			'vvc_voice_encoder_failed'
		);
		expect( streams[ 0 ]!.tracks[ 0 ]!.stopped ).toBe( true );
	} );

	it( 'reports nothing heard when the recording is silent', async () => {
		const { recorder, nodes } = setup();
		await recorder.start();
		const node = nodes[ 0 ]!;
		// A silent microphone, flush included.
		node.port.postMessage = () =>
			queueMicrotask( () => node.emit( { type: 'flushed' } ) );
		for ( let i = 0; i < 25; i++ ) {
			node.emit( {
				type: 'pcm',
				samples: noise( BATCH, 0.0005, i + 1 ),
				level: 0.0003,
			} );
		}
		expect( await recorder.stop() ).toBeNull();
		expect( recorder.getSnapshot().error?.code ).toBe( 'vvc_voice_silent' );
	} );

	it( 'keeps what was said when the microphone goes away mid-recording', async () => {
		const { recorder, speak, streams } = setup( {
			format: 'wav',
			silence: false,
		} );
		await recorder.start();
		speak( sine( 1000, RATE, 0.6 ) );
		streams[ 0 ]!.tracks[ 0 ]!.end();
		await settle();
		expect( recorder.getSnapshot().state ).toBe( 'done' );
		expect( recorder.getSnapshot().recording?.durationMs ).toBeCloseTo(
			610,
			0
		);
	} );
} );

describe( 'recorder: timing', () => {
	beforeEach( () => {
		vi.useFakeTimers( {
			toFake: [
				'setTimeout',
				'clearTimeout',
				'setInterval',
				'clearInterval',
				'Date',
			],
		} );
	} );
	afterEach( () => {
		vi.useRealTimers();
	} );

	it( 'stops by itself at the 60 s default limit, counting elapsed time on the way', async () => {
		const { recorder, speak, states, streams } = setup( { format: 'wav' } );
		await recorder.start();
		speak( sine( 1000, RATE, 0.04 ) );
		expect( recorder.getSnapshot().maxDurationMs ).toBe( 60000 );

		await vi.advanceTimersByTimeAsync( 30000 );
		expect( recorder.getSnapshot().state ).toBe( 'recording' );
		expect( recorder.getSnapshot().elapsedMs ).toBe( 30000 );

		await vi.advanceTimersByTimeAsync( 30000 );
		await settle();
		expect( states ).toEqual( [
			'requesting-permission',
			'recording',
			'stopping',
			'done',
		] );
		const snapshot = recorder.getSnapshot();
		expect( snapshot.recording?.autoStopped ).toBe( true );
		expect( snapshot.elapsedMs ).toBe( 60000 );
		expect( streams[ 0 ]!.tracks[ 0 ]!.stopped ).toBe( true );
	} );

	it( 'uses the configured limit, and the encoder never keeps more than it', async () => {
		const { recorder, speak } = setup( {
			maxDurationMs: 5000,
			silence: false,
			format: 'wav',
		} );
		await recorder.start();
		// The worklet delivers 6 s before the timer fires (a busy main thread).
		speak( sine( 1000, RATE, 6 ) );
		await vi.advanceTimersByTimeAsync( 5000 );
		await settle();
		const recording = recorder.getSnapshot().recording;
		expect( recording?.autoStopped ).toBe( true );
		expect( recording?.durationMs ).toBe( 5000 );
	} );

	it( 'gives up on capture that never delivers audio', async () => {
		const { recorder, streams } = setup();
		await recorder.start();
		await vi.advanceTimersByTimeAsync( 5000 );
		expect( recorder.getSnapshot().error?.code ).toBe( 'vvc_mic_failed' );
		expect( streams[ 0 ]!.tracks[ 0 ]!.stopped ).toBe( true );
	} );

	it( 'holds to talk: a long press stops on release', async () => {
		const { recorder, speak, states } = setup( { format: 'wav' } );
		recorder.press();
		expect( recorder.getSnapshot().holding ).toBe( true );
		await settle();
		speak( sine( 1000, RATE, 0.04 ) );
		await vi.advanceTimersByTimeAsync( 2000 );
		recorder.release();
		await settle();
		expect( states ).toEqual( [
			'requesting-permission',
			'recording',
			'stopping',
			'done',
		] );
		expect( recorder.getSnapshot().holding ).toBe( false );
	} );

	it( 'taps to start and taps to stop: a short press keeps recording', async () => {
		const { recorder, speak } = setup( { format: 'wav' } );
		recorder.press();
		await settle();
		speak( sine( 1000, RATE, 0.04 ) );
		await vi.advanceTimersByTimeAsync( 120 );
		recorder.release();
		await vi.advanceTimersByTimeAsync( 3000 );
		expect( recorder.getSnapshot().state ).toBe( 'recording' );

		recorder.press();
		recorder.release();
		await settle();
		expect( recorder.getSnapshot().state ).toBe( 'done' );
	} );

	it( 'treats a release during the permission prompt as a tap', async () => {
		const { recorder, speak, grant } = setup(
			{ format: 'wav' },
			{},
			{ permission: 'manual' }
		);
		recorder.press();
		await vi.advanceTimersByTimeAsync( 1500 );
		// The visitor lets go of the button to click "Allow".
		recorder.release();
		grant();
		await settle();
		speak( sine( 1000, RATE, 0.04 ) );
		await vi.advanceTimersByTimeAsync( 2000 );
		expect( recorder.getSnapshot().state ).toBe( 'recording' );
	} );

	it( 'toggles from the keyboard', async () => {
		const { recorder, speak } = setup( { format: 'wav' } );
		recorder.toggle();
		await settle();
		speak( sine( 1000, RATE, 0.5 ) );
		recorder.toggle();
		await settle();
		expect( recorder.getSnapshot().state ).toBe( 'done' );
	} );
} );

describe( 'recorder: cancel', () => {
	it( 'discards a recording in progress and releases everything', async () => {
		const { recorder, speak, streams, contexts, states } = setup();
		await recorder.start();
		speak( sine( 1000, RATE, 1 ) );
		recorder.cancel();

		expect( states ).toEqual( [
			'requesting-permission',
			'recording',
			'idle',
		] );
		expect( recorder.getSnapshot() ).toMatchObject( {
			recording: null,
			error: null,
			elapsedMs: 0,
		} );
		expect( streams[ 0 ]!.tracks[ 0 ]!.stopped ).toBe( true );
		expect( contexts[ 0 ]!.closed ).toBe( true );
		expect( await recorder.stop() ).toBeNull();
	} );

	it( 'abandons a start still waiting for permission, and frees the microphone once granted', async () => {
		const { recorder, grant, streams } = setup(
			{},
			{},
			{ permission: 'manual' }
		);
		void recorder.start();
		await settle();
		recorder.cancel();
		grant();
		await settle();
		expect( recorder.getSnapshot().state ).toBe( 'idle' );
		expect( streams[ 0 ]!.tracks[ 0 ]!.stopped ).toBe( true );
	} );

	it( 'cancels while stopping: the pending stop resolves to nothing', async () => {
		const { recorder, speak } = setup( { format: 'wav' } );
		await recorder.start();
		speak( sine( 1000, RATE, 0.5 ) );
		const stopping = recorder.stop();
		recorder.cancel();
		expect( await stopping ).toBeNull();
		expect( recorder.getSnapshot().state ).toBe( 'idle' );
	} );

	it( 'stops notifying after dispose', async () => {
		const { recorder } = setup();
		const listener = vi.fn();
		recorder.subscribe( listener );
		recorder.dispose();
		listener.mockClear();
		await recorder.start();
		expect( listener ).not.toHaveBeenCalled();
	} );
} );

describe( 'meterLevel', () => {
	it( 'maps -60..0 dBFS onto 0..1', () => {
		expect( meterLevel( 1 ) ).toBe( 1 );
		expect( meterLevel( 0.001 ) ).toBeCloseTo( 0, 9 );
		expect( meterLevel( 0 ) ).toBe( 0 );
		expect( meterLevel( 0.0316 ) ).toBeCloseTo( 0.5, 2 );
	} );
} );
