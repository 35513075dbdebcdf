/**
 * The recorder: microphone -> AudioWorklet -> encoder, as a small state machine the widget
 * renders from (subscribe/getSnapshot fit React's useSyncExternalStore).
 *
 *   idle -> requesting-permission -> recording -> stopping -> done
 *                  |                     |            |
 *                  +------> error <------+------------+        cancel() -> idle from anywhere
 *
 * Interaction: press()/release() give tap-to-start/tap-to-stop and hold-to-talk on one
 * button (a press held past holdThresholdMs through the start of capture stops on release;
 * a shorter one leaves the recording running until the next press). toggle() is for the
 * keyboard. Recording stops by itself at maxDurationMs.
 *
 * Browser quirks handled here:
 * - Safari (and Chrome's autoplay policy) start an AudioContext only inside a user gesture:
 *   the context is created and resume()d synchronously in start(), before any await.
 * - The first half second clipped by a late start: the worklet processor is loaded and
 *   wired to the output before getUserMedia() opens the device, so the device's first
 *   samples reach it; the encoder starts in parallel and its input is kept until it is ready;
 *   the state only becomes 'recording' (the UI's "speak now") when the first frame arrives.
 *   preloadVoiceAssets() warms the cache for both bundles while the consent notice is read.
 * - The context runs at the device's rate (no sampleRate option): Firefox refuses to connect
 *   a microphone to a context of another rate, and Safari ignores the option. The encoder
 *   resamples to 16 kHz.
 *
 * Microphone processing: the browser's echo cancellation, noise suppression and automatic
 * gain stay on (DEFAULT_AUDIO_CONSTRAINTS). The listener is a speech model, not an ear:
 * echo cancellation keeps the spoken reply or page audio out of the question on laptops and
 * phones without headphones, noise suppression helps in the noisy places phones are used,
 * and gain control lifts quiet or distant speakers above the silence threshold. The small
 * loss of fidelity does not matter at 16 kHz / 32 kbps. Pass `constraints` to change it.
 */
import { createInlineEncoderPort } from './encoder-port';
import type { EncoderPort, EncoderPortFactory } from './encoder-port';
import { classifyMediaError, voiceError } from './errors';
import type { VoiceError, VoiceErrorCode } from './errors';
import { DEFAULT_SILENCE, toDbfs } from './silence';
import { WORKLET_PROCESSOR_NAME } from './types';
import type {
	AudioFormat,
	EncodedAudio,
	EncoderRequest,
	EncoderResponse,
	EncoderSettings,
	Mp3Kbps,
	SilenceSettings,
	WorkletMessage,
	WorkletRequest,
} from './types';

export type RecorderState =
	| 'idle'
	| 'requesting-permission'
	| 'recording'
	| 'stopping'
	| 'done'
	| 'error';

export type Recording = {
	blob: Blob;
	format: AudioFormat;
	mimeType: string;
	/** voice.mp3 or voice.wav: the transcription endpoint wants a matching extension. */
	filename: string;
	sampleRate: number;
	/** After trimming silence. */
	durationMs: number;
	/** Before trimming silence. */
	capturedMs: number;
	/** True when the maximum duration stopped it. */
	autoStopped: boolean;
};

export type RecorderSnapshot = {
	state: RecorderState;
	/** Time since capture started (frozen once stopped). */
	elapsedMs: number;
	maxDurationMs: number;
	/** Input level for a meter, 0 (-60 dBFS or less) to 1 (full scale). */
	level: number;
	/** The button is held down (UI: "release to send"). */
	holding: boolean;
	recording: Recording | null;
	error: VoiceError | null;
};

/* The parts of the Web Audio and Media Capture APIs used here; the real objects fit. */
export type TrackLike = {
	stop: () => void;
	addEventListener?: ( type: 'ended', listener: () => void ) => void;
};
export type StreamLike = { getTracks: () => TrackLike[] };
export type MediaDevicesLike = {
	getUserMedia: (
		constraints: MediaStreamConstraints
	) => Promise< StreamLike >;
	enumerateDevices?: () => Promise< Array< { kind: string } > >;
};
export type AudioNodeLike = {
	connect: ( destination: AudioNodeLike ) => unknown;
	disconnect: () => void;
};
export type WorkletNodeLike = AudioNodeLike & {
	port: {
		postMessage: ( message: WorkletRequest ) => void;
		onmessage: ( ( event: MessageEvent ) => void ) | null;
	};
};
export type AudioContextLike = {
	readonly sampleRate: number;
	readonly state: string;
	readonly destination: AudioNodeLike;
	readonly audioWorklet?: { addModule: ( url: string ) => Promise< void > };
	resume: () => Promise< void >;
	close: () => Promise< void >;
	createMediaStreamSource: ( stream: StreamLike ) => AudioNodeLike;
};

export type RecorderDeps = {
	/** navigator.mediaDevices (undefined outside secure contexts). */
	mediaDevices: MediaDevicesLike | undefined;
	isSecureContext: boolean;
	AudioContext: ( new () => AudioContextLike ) | undefined;
	AudioWorkletNode:
		| ( new (
				context: AudioContextLike,
				name: string,
				options: AudioWorkletNodeOptions
		  ) => WorkletNodeLike )
		| undefined;
	/** URL of build/voice/recorder-worklet.js. */
	workletUrl: string;
	/** The encoder (worker); when absent or failing to start, WAV is encoded in-thread. */
	createEncoder?: EncoderPortFactory;
	/** Monotonic clock in ms. */
	now?: () => number;
};

export type RecorderOptions = {
	/** Recording stops by itself after this long (the admin's limit). Default 60 s. */
	maxDurationMs?: number;
	format?: AudioFormat;
	mp3Kbps?: Mp3Kbps;
	/** Silence trimming; false keeps everything. */
	silence?: SilenceSettings | false;
	/** A press at least this long, held until capture started, is hold-to-talk. */
	holdThresholdMs?: number;
	/** getUserMedia audio constraints. */
	constraints?: MediaTrackConstraints;
	/** Capture that has not delivered a frame after this long is reported as failed. */
	startTimeoutMs?: number;
};

export type Recorder = {
	getSnapshot: () => RecorderSnapshot;
	/** Calls `listener` after every change; returns the unsubscribe function. */
	subscribe: ( listener: () => void ) => () => void;
	/** Starts recording. Call it from the user gesture's handler. Never rejects. */
	start: () => Promise< void >;
	/** Stops and encodes; resolves with the recording, or null (cancelled, failed, nothing to stop). */
	stop: () => Promise< Recording | null >;
	/** Discards everything and goes back to idle. */
	cancel: () => void;
	/** Keyboard/tap: starts when idle, stops when recording, cancels while starting. */
	toggle: () => void;
	/** Pointer down on the record button. */
	press: () => void;
	/** Pointer up (or cancelled) on the record button. */
	release: () => void;
	/** Cancels and forgets every listener. */
	dispose: () => void;
};

export const DEFAULT_MAX_DURATION_MS = 60_000;
export const DEFAULT_HOLD_THRESHOLD_MS = 350;
export const DEFAULT_AUDIO_CONSTRAINTS: MediaTrackConstraints = {
	channelCount: { ideal: 1 },
	echoCancellation: true,
	noiseSuppression: true,
	autoGainControl: true,
};
const DEFAULT_START_TIMEOUT_MS = 5000;
const TICK_MS = 100;
/** The worklet answers a flush within a render quantum; this only guards a dead one. */
const FLUSH_TIMEOUT_MS = 500;
const WORKLET_BATCH_MS = 40;

/**
 * Maps a linear RMS level to 0..1 over -60..0 dBFS, for a meter.
 *
 * @param rmsLevel Linear RMS (0..1).
 */
export function meterLevel( rmsLevel: number ): number {
	const db = toDbfs( rmsLevel );
	return Math.min( 1, Math.max( 0, ( db + 60 ) / 60 ) );
}

function ignore() {
	// A failure here changes nothing for the visitor (closing what is already closed).
}

/**
 * The encoder for one recording. Chunks sent before the encoder confirmed it started are
 * kept: if it fails to start (worker script blocked or missing, MP3 code failing to load),
 * they are replayed into an in-thread WAV encoder and nothing is lost.
 */
class EncoderLink {
	private port: EncoderPort;
	private confirmed = false;
	private fellBack = false;
	private finishing = false;
	private unconfirmed: Float32Array[] = [];
	private generation = 0;
	private resolveDone: ( audio: EncodedAudio ) => void = ignore;
	private rejectDone: ( error: Error ) => void = ignore;
	readonly done: Promise< EncodedAudio >;

	constructor(
		factory: EncoderPortFactory,
		private readonly settings: EncoderSettings,
		private readonly fallback: EncoderPortFactory
	) {
		this.done = new Promise( ( resolve, reject ) => {
			this.resolveDone = resolve;
			this.rejectDone = reject;
		} );
		// Handled by whoever awaits finish(); this only silences an unobserved rejection.
		this.done.catch( ignore );
		this.port = this.open( factory );
	}

	push( samples: Float32Array ) {
		if ( this.confirmed ) {
			this.port.send( { type: 'chunk', samples }, [
				samples.buffer as ArrayBuffer,
			] );
			return;
		}
		this.unconfirmed.push( samples );
		this.port.send( { type: 'chunk', samples: samples.slice() } );
	}

	finish(): Promise< EncodedAudio > {
		if ( ! this.finishing ) {
			this.finishing = true;
			this.port.send( { type: 'finish' } );
		}
		return this.done;
	}

	close() {
		this.port.send( { type: 'cancel' } );
		this.port.close();
		this.generation++;
	}

	private open( factory: EncoderPortFactory ): EncoderPort {
		const generation = ++this.generation;
		const current = () => generation === this.generation;
		const port = factory( {
			message: ( response ) => current() && this.onMessage( response ),
			error: ( message ) => current() && this.onFailure( message ),
		} );
		const start: EncoderRequest = {
			type: 'start',
			settings: this.settings,
		};
		port.send( start );
		return port;
	}

	private onMessage( response: EncoderResponse ) {
		switch ( response.type ) {
			case 'ready':
				this.confirmed = true;
				this.unconfirmed = [];
				break;
			case 'done':
				this.resolveDone( response.audio );
				break;
			case 'error':
				this.onFailure( response.message );
				break;
		}
	}

	private onFailure( message: string ) {
		if ( this.confirmed || this.fellBack ) {
			this.rejectDone( new Error( message ) );
			return;
		}
		this.fellBack = true;
		this.port.close();
		this.port = this.open( this.fallback );
		for ( const samples of this.unconfirmed ) {
			this.port.send( { type: 'chunk', samples } );
		}
		if ( this.finishing ) {
			this.port.send( { type: 'finish' } );
		}
	}
}

/** One attempt at recording, from start() to done/error/cancel. */
type Capture = {
	context: AudioContextLike;
	encoder: EncoderLink;
	stream: StreamLike | null;
	source: AudioNodeLike | null;
	node: WorkletNodeLike | null;
	startedAt: number | null;
	autoStopped: boolean;
	stopping: Promise< Recording | null > | null;
	onFlushed: () => void;
	timers: Array< ReturnType< typeof setTimeout > >;
	ticker: ReturnType< typeof setInterval > | null;
};

type Pointer = { at: number; heldThroughStart: boolean };

const ACTIVE: RecorderState[] = [
	'requesting-permission',
	'recording',
	'stopping',
];

/**
 * Creates a recorder.
 *
 * @param deps    Browser objects (see browserRecorderDeps()) or fakes.
 * @param options Limits and encoding choices.
 */
export function createRecorder(
	deps: RecorderDeps,
	options: RecorderOptions = {}
): Recorder {
	const now = deps.now ?? ( () => performance.now() );
	const maxDurationMs = options.maxDurationMs ?? DEFAULT_MAX_DURATION_MS;
	const holdThresholdMs =
		options.holdThresholdMs ?? DEFAULT_HOLD_THRESHOLD_MS;
	const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
	const constraints = options.constraints ?? DEFAULT_AUDIO_CONSTRAINTS;
	const inline = createInlineEncoderPort();

	const listeners = new Set< () => void >();
	let snapshot: RecorderSnapshot = {
		state: 'idle',
		elapsedMs: 0,
		maxDurationMs,
		level: 0,
		holding: false,
		recording: null,
		error: null,
	};
	let capture: Capture | null = null;
	let pointer: Pointer | null = null;

	function update( changes: Partial< RecorderSnapshot > ) {
		snapshot = { ...snapshot, ...changes };
		for ( const listener of [ ...listeners ] ) {
			listener();
		}
	}

	function clearTimers( current: Capture ) {
		for ( const timer of current.timers ) {
			clearTimeout( timer );
		}
		current.timers = [];
		if ( current.ticker !== null ) {
			clearInterval( current.ticker );
			current.ticker = null;
		}
	}

	/**
	 * Stops the microphone and the audio graph (the encoder may still be finishing).
	 * @param current
	 */
	function releaseAudio( current: Capture ) {
		clearTimers( current );
		if ( current.node ) {
			current.node.port.onmessage = null;
		}
		// A stop waiting for the worklet's flush need not wait any longer.
		current.onFlushed();
		for ( const node of [ current.source, current.node ] ) {
			try {
				node?.disconnect();
			} catch {
				ignore();
			}
		}
		for ( const track of current.stream?.getTracks() ?? [] ) {
			track.stop();
		}
		current.context.close().catch( ignore );
	}

	function teardown( current: Capture ) {
		releaseAudio( current );
		current.encoder.close();
		if ( capture === current ) {
			capture = null;
		}
	}

	function fail( current: Capture | null, code: VoiceErrorCode ) {
		if ( current ) {
			if ( capture !== current ) {
				return;
			}
			teardown( current );
		}
		pointer = null;
		update( {
			state: 'error',
			error: voiceError( code ),
			recording: null,
			level: 0,
			holding: false,
		} );
	}

	function elapsed( current: Capture ): number {
		return current.startedAt === null
			? 0
			: Math.min( maxDurationMs, now() - current.startedAt );
	}

	function beginRecording( current: Capture ) {
		current.startedAt = now();
		clearTimers( current );
		current.timers.push(
			setTimeout( () => {
				if ( capture === current ) {
					void finish( current, true );
				}
			}, maxDurationMs )
		);
		current.ticker = setInterval( () => {
			if ( capture === current && snapshot.state === 'recording' ) {
				update( { elapsedMs: elapsed( current ) } );
			}
		}, TICK_MS );
		if ( pointer ) {
			pointer.heldThroughStart = true;
		}
		update( { state: 'recording', elapsedMs: 0 } );
	}

	function onWorkletMessage( current: Capture, message: WorkletMessage ) {
		if ( capture !== current ) {
			return;
		}
		if ( message.type === 'flushed' ) {
			current.onFlushed();
			return;
		}
		if ( current.startedAt === null ) {
			beginRecording( current );
		}
		current.encoder.push( message.samples );
		if ( snapshot.state === 'recording' ) {
			update( { level: meterLevel( message.level ) } );
		}
	}

	function flushWorklet( current: Capture ): Promise< void > {
		return new Promise( ( resolve ) => {
			const timer = setTimeout( resolve, FLUSH_TIMEOUT_MS );
			current.onFlushed = () => {
				clearTimeout( timer );
				resolve();
			};
			try {
				current.node?.port.postMessage( { type: 'flush' } );
			} catch {
				resolve();
			}
		} );
	}

	async function finalize( current: Capture ): Promise< Recording | null > {
		clearTimers( current );
		update( {
			state: 'stopping',
			elapsedMs: elapsed( current ),
			level: 0,
		} );
		// Frames still in the worklet's batch belong to the recording.
		await flushWorklet( current );
		if ( capture !== current ) {
			return null;
		}
		releaseAudio( current );
		let audio: EncodedAudio;
		try {
			audio = await current.encoder.finish();
		} catch {
			fail( current, 'vvc_voice_encoder_failed' );
			return null;
		}
		if ( capture !== current ) {
			return null;
		}
		current.encoder.close();
		if ( audio.durationMs <= 0 ) {
			fail( current, 'vvc_voice_silent' );
			return null;
		}
		capture = null;
		const recording: Recording = {
			blob: new Blob( [ audio.bytes as Uint8Array< ArrayBuffer > ], {
				type: audio.mimeType,
			} ),
			format: audio.format,
			mimeType: audio.mimeType,
			filename: `voice.${ audio.format }`,
			sampleRate: audio.sampleRate,
			durationMs: audio.durationMs,
			capturedMs: audio.capturedMs,
			autoStopped: current.autoStopped,
		};
		update( { state: 'done', recording } );
		return recording;
	}

	function finish(
		current: Capture,
		autoStopped: boolean
	): Promise< Recording | null > {
		if ( ! current.stopping ) {
			current.autoStopped = autoStopped;
			current.stopping = finalize( current );
		}
		return current.stopping;
	}

	function cancel() {
		pointer = null;
		if ( capture ) {
			teardown( capture );
		}
		update( {
			state: 'idle',
			elapsedMs: 0,
			level: 0,
			holding: false,
			recording: null,
			error: null,
		} );
	}

	async function start(): Promise< void > {
		if ( ACTIVE.includes( snapshot.state ) ) {
			return;
		}
		if ( ! deps.isSecureContext ) {
			fail( null, 'vvc_mic_insecure_context' );
			return;
		}
		const mediaDevices = deps.mediaDevices;
		if (
			! mediaDevices ||
			typeof mediaDevices.getUserMedia !== 'function' ||
			! deps.AudioContext ||
			! deps.AudioWorkletNode
		) {
			fail( null, 'vvc_mic_unsupported' );
			return;
		}
		const WorkletNode = deps.AudioWorkletNode;
		let context: AudioContextLike;
		try {
			context = new deps.AudioContext();
		} catch {
			fail( null, 'vvc_mic_unsupported' );
			return;
		}
		const worklet = context.audioWorklet;
		if ( ! worklet ) {
			context.close().catch( ignore );
			fail( null, 'vvc_mic_unsupported' );
			return;
		}
		// Still inside the user gesture: the only moment Safari lets the context start.
		context.resume().catch( ignore );

		const current: Capture = {
			context,
			encoder: new EncoderLink(
				deps.createEncoder ?? inline,
				{
					inputSampleRate: context.sampleRate,
					format: options.format ?? 'mp3',
					mp3Kbps: options.mp3Kbps ?? 32,
					maxDurationMs,
					silence: options.silence ?? DEFAULT_SILENCE,
				},
				inline
			),
			stream: null,
			source: null,
			node: null,
			startedAt: null,
			autoStopped: false,
			stopping: null,
			onFlushed: ignore,
			timers: [],
			ticker: null,
		};
		capture = current;
		update( {
			state: 'requesting-permission',
			recording: null,
			error: null,
			elapsedMs: 0,
			level: 0,
		} );

		// The processor is loaded and running before the microphone opens: a device
		// delivers from the moment it opens, and a graph built afterwards would miss that
		// start (measured in Chromium: up to a fifth of a second while the module loaded).
		let node: WorkletNodeLike;
		try {
			await worklet.addModule( deps.workletUrl );
			if ( capture !== current ) {
				return;
			}
			node = new WorkletNode( context, WORKLET_PROCESSOR_NAME, {
				numberOfInputs: 1,
				// Connected to the destination (writing silence): some engines only render
				// nodes that lead to it.
				numberOfOutputs: 1,
				outputChannelCount: [ 1 ],
				// The browser downmixes stereo microphones before the processor sees them.
				channelCount: 1,
				channelCountMode: 'explicit',
				channelInterpretation: 'speakers',
				processorOptions: { batchMs: WORKLET_BATCH_MS },
			} );
			current.node = node;
			node.port.onmessage = ( event ) =>
				onWorkletMessage( current, event.data as WorkletMessage );
			node.connect( context.destination );
		} catch {
			fail( current, 'vvc_mic_failed' );
			return;
		}

		let stream: StreamLike;
		try {
			stream = await mediaDevices.getUserMedia( {
				audio: constraints,
				video: false,
			} );
		} catch ( error ) {
			const code = await classifyMediaError(
				error,
				mediaDevices.enumerateDevices
					? async () =>
							( await mediaDevices.enumerateDevices!() ).filter(
								( device ) => device.kind === 'audioinput'
							).length
					: undefined
			);
			fail( current, code );
			return;
		}
		if ( capture !== current ) {
			// Cancelled while the prompt was open.
			for ( const track of stream.getTracks() ) {
				track.stop();
			}
			return;
		}
		current.stream = stream;

		try {
			const source = context.createMediaStreamSource( stream );
			current.source = source;
			source.connect( node );
		} catch {
			fail( current, 'vvc_mic_failed' );
			return;
		}

		for ( const track of stream.getTracks() ) {
			// Unplugged or revoked mid-recording: keep what was said so far.
			track.addEventListener?.( 'ended', () => {
				if ( capture === current && snapshot.state === 'recording' ) {
					void finish( current, false );
				}
			} );
		}
		if ( context.state !== 'running' ) {
			// iOS may interrupt the context while it switches the audio session to recording.
			context.resume().catch( ignore );
		}
		current.timers.push(
			setTimeout( () => {
				if ( current.startedAt === null ) {
					fail( current, 'vvc_mic_failed' );
				}
			}, startTimeoutMs )
		);
	}

	function stop(): Promise< Recording | null > {
		const current = capture;
		if ( ! current ) {
			return Promise.resolve( null );
		}
		if ( current.stopping ) {
			return current.stopping;
		}
		if ( snapshot.state === 'requesting-permission' ) {
			cancel();
			return Promise.resolve( null );
		}
		return finish( current, false );
	}

	return {
		getSnapshot: () => snapshot,
		subscribe( listener ) {
			listeners.add( listener );
			return () => listeners.delete( listener );
		},
		start,
		stop,
		cancel,
		toggle() {
			if ( snapshot.state === 'recording' ) {
				void stop();
			} else if ( snapshot.state === 'requesting-permission' ) {
				cancel();
			} else if ( snapshot.state !== 'stopping' ) {
				void start();
			}
		},
		press() {
			if ( snapshot.state === 'stopping' ) {
				return;
			}
			if (
				snapshot.state === 'recording' ||
				snapshot.state === 'requesting-permission'
			) {
				// Second tap: stop (or abandon a start still waiting for permission).
				pointer = null;
				if ( snapshot.state === 'recording' ) {
					void stop();
				} else {
					cancel();
				}
				return;
			}
			pointer = { at: now(), heldThroughStart: false };
			void start();
			if ( pointer ) {
				update( { holding: true } );
			}
		},
		release() {
			const released = pointer;
			pointer = null;
			if ( ! released ) {
				return;
			}
			update( { holding: false } );
			// Released while the permission prompt was up (it takes the pointer): tap mode.
			if (
				snapshot.state === 'recording' &&
				released.heldThroughStart &&
				now() - released.at >= holdThresholdMs
			) {
				void stop();
			}
		},
		dispose() {
			cancel();
			listeners.clear();
		},
	};
}
