/**
 * The encoding pipeline, independent of where it runs: capture-rate PCM in, a 16 kHz mono
 * MP3 (or WAV) file out. Each chunk is resampled, trimmed and encoded as it arrives, so
 * stopping a minute-long recording only costs the last chunk and the encoder's flush.
 *
 * EncoderSession is the plain class the tests drive; bindEncoderWorker() is the message
 * loop run by the worker bundle (encoder-worker.ts), and createInlineEncoderPort() runs the
 * same session on the main thread when no worker can be started.
 */
import { createResampler, SPEECH_SAMPLE_RATE } from './resample';
import type { Resampler } from './resample';
import { createSilenceTrimmer } from './silence';
import type { SilenceTrimmer } from './silence';
import type {
	ChunkedAudioEncoder,
	EncodedAudio,
	EncoderRequest,
	EncoderResponse,
	EncoderSettings,
	Mp3Kbps,
} from './types';
import { createWavEncoder } from './wav';

/** Builds the MP3 encoder; absent (or throwing) means WAV. */
export type Mp3Factory = (
	sampleRate: number,
	kbps: Mp3Kbps
) => ChunkedAudioEncoder;

export type EncoderDeps = {
	createMp3?: Mp3Factory;
};

export class EncoderSession {
	/** The format actually produced: 'wav' when MP3 was asked for but could not start. */
	readonly format: EncodedAudio[ 'format' ];
	/** Why MP3 could not be used, for diagnostics. */
	readonly fallbackReason: string | null = null;

	private readonly resampler: Resampler;
	private readonly trimmer: SilenceTrimmer | null;
	private readonly encoder: ChunkedAudioEncoder;
	private readonly maxInputSamples: number;
	private inputSamples = 0;
	private encodedSamples = 0;
	private finished = false;

	constructor( settings: EncoderSettings, deps: EncoderDeps = {} ) {
		this.resampler = createResampler(
			settings.inputSampleRate,
			SPEECH_SAMPLE_RATE
		);
		this.trimmer = settings.silence
			? createSilenceTrimmer( SPEECH_SAMPLE_RATE, settings.silence )
			: null;
		this.maxInputSamples = Math.ceil(
			( settings.maxDurationMs / 1000 ) * settings.inputSampleRate
		);
		let encoder: ChunkedAudioEncoder | null = null;
		if ( settings.format === 'mp3' ) {
			try {
				if ( ! deps.createMp3 ) {
					throw new Error( 'No MP3 encoder in this bundle' );
				}
				encoder = deps.createMp3(
					SPEECH_SAMPLE_RATE,
					settings.mp3Kbps
				);
			} catch ( error ) {
				this.fallbackReason =
					error instanceof Error ? error.message : String( error );
			}
		}
		this.encoder = encoder ?? createWavEncoder( SPEECH_SAMPLE_RATE );
		this.format = this.encoder.format;
	}

	/**
	 * Takes the next chunk of capture-rate mono PCM. Input past the maximum duration is dropped.
	 *
	 * @param samples PCM at settings.inputSampleRate.
	 */
	push( samples: Float32Array ): void {
		if ( this.finished ) {
			throw new Error( 'Encoder session already finished' );
		}
		const room = this.maxInputSamples - this.inputSamples;
		if ( room <= 0 ) {
			return;
		}
		const accepted =
			samples.length > room ? samples.subarray( 0, room ) : samples;
		this.inputSamples += accepted.length;
		this.encode( this.resampler.process( accepted ) );
	}

	/** Flushes every stage and returns the file. */
	finish(): EncodedAudio {
		if ( this.finished ) {
			throw new Error( 'Encoder session already finished' );
		}
		this.encode( this.resampler.flush() );
		if ( this.trimmer ) {
			this.encodeTrimmed( this.trimmer.flush() );
		}
		this.finished = true;
		return {
			bytes: this.encoder.finish(),
			format: this.encoder.format,
			mimeType: this.encoder.mimeType,
			sampleRate: SPEECH_SAMPLE_RATE,
			durationMs: ( this.encodedSamples / SPEECH_SAMPLE_RATE ) * 1000,
			capturedMs: ( this.inputSamples / this.resampler.inputRate ) * 1000,
		};
	}

	private encode( speech: Float32Array ) {
		this.encodeTrimmed(
			this.trimmer ? this.trimmer.push( speech ) : speech
		);
	}

	private encodeTrimmed( speech: Float32Array ) {
		if ( speech.length > 0 ) {
			this.encodedSamples += speech.length;
			this.encoder.encode( speech );
		}
	}
}

/** The parts of a worker's global scope the message loop uses. */
export type EncoderWorkerScope = {
	postMessage: (
		message: EncoderResponse,
		transfer?: Transferable[]
	) => void;
	onmessage: ( ( event: { data: EncoderRequest } ) => void ) | null;
};

/**
 * Runs encoder sessions for messages arriving on `scope`: 'start' opens one (and answers
 * 'ready' with the format in use), 'chunk' feeds it, 'finish' answers 'done' with the file
 * (its buffer transferred, not copied), 'cancel' drops it. Failures answer 'error'.
 *
 * @param scope The worker's global scope (or a fake in tests).
 * @param deps  The MP3 encoder factory.
 */
export function bindEncoderWorker(
	scope: EncoderWorkerScope,
	deps: EncoderDeps
): void {
	let session: EncoderSession | null = null;
	function fail( error: unknown ) {
		session = null;
		scope.postMessage( {
			type: 'error',
			message: error instanceof Error ? error.message : String( error ),
		} );
	}
	scope.onmessage = ( event ) => {
		const request = event.data;
		try {
			switch ( request.type ) {
				case 'start':
					session = new EncoderSession( request.settings, deps );
					scope.postMessage( {
						type: 'ready',
						format: session.format,
					} );
					break;
				case 'chunk':
					if ( ! session ) {
						throw new Error( 'No recording in progress' );
					}
					session.push( request.samples );
					break;
				case 'finish': {
					if ( ! session ) {
						throw new Error( 'No recording in progress' );
					}
					const audio = session.finish();
					session = null;
					scope.postMessage( { type: 'done', audio }, [
						audio.bytes.buffer,
					] );
					break;
				}
				case 'cancel':
					session = null;
					break;
			}
		} catch ( error ) {
			fail( error );
		}
	};
}
