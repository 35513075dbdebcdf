/**
 * Trims leading and trailing silence, so the visitor's pause before speaking and the time
 * it takes to reach the stop button are neither uploaded nor billed (audio models bill by
 * the second). A margin of quiet is kept either side so soft onsets ("f", "h") survive.
 *
 * The trimmer works on a stream (the encoder feeds it as audio arrives and only holds back
 * a quiet stretch until it knows whether speech follows); trimSilence() is the same
 * algorithm on a whole signal.
 */
import type { SilenceSettings } from './types';

export const DEFAULT_SILENCE: SilenceSettings = {
	// Room noise sits around -60..-50 dB; speech is -35..-15 dB RMS.
	thresholdDb: -50,
	marginMs: 200,
};

/** Loudness is judged over frames of this length. */
const FRAME_MS = 10;

/**
 * Root mean square of a stretch of samples (0 for an empty one).
 *
 * @param samples PCM.
 * @param start   First sample.
 * @param end     One past the last sample.
 */
export function rms(
	samples: Float32Array,
	start = 0,
	end = samples.length
): number {
	if ( end <= start ) {
		return 0;
	}
	let sum = 0;
	for ( let i = start; i < end; i++ ) {
		const value = samples[ i ] ?? 0;
		sum += value * value;
	}
	return Math.sqrt( sum / ( end - start ) );
}

/**
 * Level in dB relative to full scale (1.0); -Infinity for digital silence.
 *
 * @param value Linear RMS level.
 */
export function toDbfs( value: number ): number {
	return value > 0 ? 20 * Math.log10( value ) : -Infinity;
}

export type SilenceTrimmer = {
	/** Takes the next samples; returns those already known to be kept. */
	push: ( samples: Float32Array ) => Float32Array;
	/** Ends the stream; returns what is kept of the held-back tail. */
	flush: () => Float32Array;
	/** Whether anything louder than the threshold has been heard. */
	heard: () => boolean;
};

function concat( parts: Float32Array[] ): Float32Array {
	let length = 0;
	for ( const part of parts ) {
		length += part.length;
	}
	const out = new Float32Array( length );
	let offset = 0;
	for ( const part of parts ) {
		out.set( part, offset );
		offset += part.length;
	}
	return out;
}

/**
 * Creates a streaming trimmer.
 *
 * @param sampleRate Rate of the samples pushed, in Hz.
 * @param settings   Threshold and margin.
 */
export function createSilenceTrimmer(
	sampleRate: number,
	settings: SilenceSettings = DEFAULT_SILENCE
): SilenceTrimmer {
	const frameSize = Math.max(
		1,
		Math.round( ( sampleRate * FRAME_MS ) / 1000 )
	);
	const marginFrames = Math.ceil( settings.marginMs / FRAME_MS );
	const threshold = Math.pow( 10, settings.thresholdDb / 20 );

	const frame = new Float32Array( frameSize );
	let filled = 0;
	let started = false;
	// Quiet frames before the first loud one (at most the margin).
	const lead: Float32Array[] = [];
	// Quiet frames since the last loud one: kept only if more speech follows.
	let tail: Float32Array[] = [];

	function take( current: Float32Array, out: Float32Array[] ) {
		const loud = rms( current ) >= threshold;
		if ( ! started ) {
			if ( ! loud ) {
				lead.push( current );
				if ( lead.length > marginFrames ) {
					lead.shift();
				}
				return;
			}
			started = true;
			out.push( ...lead.splice( 0 ) );
			out.push( current );
			return;
		}
		if ( loud ) {
			out.push( ...tail );
			tail = [];
			out.push( current );
		} else {
			tail.push( current );
		}
	}

	return {
		push( samples ) {
			const out: Float32Array[] = [];
			let offset = 0;
			while ( offset < samples.length ) {
				const count = Math.min(
					frameSize - filled,
					samples.length - offset
				);
				frame.set( samples.subarray( offset, offset + count ), filled );
				filled += count;
				offset += count;
				if ( filled === frameSize ) {
					take( frame.slice(), out );
					filled = 0;
				}
			}
			return concat( out );
		},
		flush() {
			const out: Float32Array[] = [];
			if ( filled > 0 ) {
				take( frame.slice( 0, filled ), out );
				filled = 0;
			}
			if ( started ) {
				out.push( ...tail.slice( 0, marginFrames ) );
			}
			tail = [];
			lead.length = 0;
			return concat( out );
		},
		heard: () => started,
	};
}

/**
 * Returns the signal without its leading and trailing silence (plus the margin either
 * side); an empty signal when nothing was louder than the threshold.
 *
 * @param samples    Mono PCM.
 * @param sampleRate Its rate, in Hz.
 * @param settings   Threshold and margin.
 */
export function trimSilence(
	samples: Float32Array,
	sampleRate: number,
	settings: SilenceSettings = DEFAULT_SILENCE
): Float32Array {
	const trimmer = createSilenceTrimmer( sampleRate, settings );
	return concat( [ trimmer.push( samples ), trimmer.flush() ] );
}
