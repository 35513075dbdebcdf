/**
 * Entry of the recorder worklet bundle (build/voice/recorder-worklet.js), loaded with
 * `audioContext.audioWorklet.addModule( url )`.
 *
 * It runs on the audio rendering thread: it downmixes each 128-frame render quantum to mono,
 * collects about 40 ms of it and posts the batch (transferred, not copied) with its RMS
 * level for the meter. Posting every quantum would mean ~375 messages a second.
 *
 * Shipped as its own webpack entry rather than a Blob URL built from a string: it is
 * type-checked, linted and minified like the rest, is a cacheable same-origin file, and
 * needs no `blob:` in a site's Content-Security-Policy. It imports nothing that touches
 * `window` or `self`, which do not exist in an AudioWorkletGlobalScope.
 */
import { downmixToMono } from './resample';
import { WORKLET_PROCESSOR_NAME } from './types';
import type { WorkletMessage, WorkletRequest } from './types';

export const DEFAULT_BATCH_MS = 40;

export type PcmBatch = { samples: Float32Array; level: number };

/** Collects mono samples into fixed-size batches. */
export class PcmBatcher {
	private batch: Float32Array;
	private filled = 0;
	private sumOfSquares = 0;

	constructor( private readonly size: number ) {
		this.batch = new Float32Array( size );
	}

	/**
	 * Adds samples; returns the batches completed by them.
	 *
	 * @param samples Mono PCM.
	 */
	add( samples: Float32Array ): PcmBatch[] {
		const done: PcmBatch[] = [];
		let offset = 0;
		while ( offset < samples.length ) {
			const count = Math.min(
				this.size - this.filled,
				samples.length - offset
			);
			for ( let i = 0; i < count; i++ ) {
				const value = samples[ offset + i ] ?? 0;
				this.batch[ this.filled + i ] = value;
				this.sumOfSquares += value * value;
			}
			this.filled += count;
			offset += count;
			if ( this.filled === this.size ) {
				const batch = this.drain();
				if ( batch ) {
					done.push( batch );
				}
			}
		}
		return done;
	}

	/** Returns what is collected so far (null when nothing), and starts a new batch. */
	drain(): PcmBatch | null {
		if ( this.filled === 0 ) {
			return null;
		}
		const samples =
			this.filled === this.size
				? this.batch
				: this.batch.slice( 0, this.filled );
		const level = Math.sqrt( this.sumOfSquares / this.filled );
		// The posted buffer is transferred away: the next batch needs a fresh one.
		this.batch = new Float32Array( this.size );
		this.filled = 0;
		this.sumOfSquares = 0;
		return { samples, level };
	}
}

type ProcessorPort = {
	postMessage: ( message: WorkletMessage, transfer?: Transferable[] ) => void;
	onmessage: ( ( event: { data: WorkletRequest } ) => void ) | null;
};

type ProcessorOptions = { processorOptions?: { batchMs?: number } };

/** The globals of an AudioWorkletGlobalScope used here. */
export type WorkletScope = {
	AudioWorkletProcessor: new ( options?: ProcessorOptions ) => {
		readonly port: ProcessorPort;
	};
	registerProcessor: (
		name: string,
		processor: new ( options?: ProcessorOptions ) => unknown
	) => void;
	sampleRate: number;
};

/**
 * Defines and registers the recorder processor in `scope`.
 *
 * @param scope The worklet's global scope (or a fake in tests).
 */
export function registerRecorderProcessor( scope: WorkletScope ): void {
	class RecorderProcessor extends scope.AudioWorkletProcessor {
		private readonly batcher: PcmBatcher;
		private stopped = false;

		constructor( options?: ProcessorOptions ) {
			super( options );
			const batchMs =
				options?.processorOptions?.batchMs ?? DEFAULT_BATCH_MS;
			this.batcher = new PcmBatcher(
				Math.max(
					128,
					Math.round( ( scope.sampleRate * batchMs ) / 1000 )
				)
			);
			this.port.onmessage = ( event ) => {
				if ( event.data.type === 'flush' ) {
					this.send( this.batcher.drain() );
					this.port.postMessage( { type: 'flushed' } );
					this.stopped = true;
				}
			};
		}

		process( inputs: Float32Array[][] ): boolean {
			const channels = inputs[ 0 ];
			// No channels: the source has not started yet or has ended. Keep waiting.
			if ( ! this.stopped && channels && channels.length > 0 ) {
				for ( const batch of this.batcher.add(
					downmixToMono( channels )
				) ) {
					this.send( batch );
				}
			}
			// Returning false lets the browser drop the processor once it is flushed.
			return ! this.stopped;
		}

		private send( batch: PcmBatch | null ) {
			if ( batch ) {
				this.port.postMessage(
					{ type: 'pcm', samples: batch.samples, level: batch.level },
					[ batch.samples.buffer as ArrayBuffer ]
				);
			}
		}
	}
	scope.registerProcessor( WORKLET_PROCESSOR_NAME, RecorderProcessor );
}

const worklet = globalThis as unknown as Partial< WorkletScope >;
if (
	typeof worklet.registerProcessor === 'function' &&
	worklet.AudioWorkletProcessor
) {
	registerRecorderProcessor( worklet as WorkletScope );
}
