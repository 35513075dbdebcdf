/**
 * Downmixing and sample-rate conversion to the 16 kHz mono the speech models want.
 *
 * The converter is a polyphase windowed-sinc (Kaiser) filter: it low-passes below the
 * output's Nyquist frequency before decimating, so a 10 kHz whistle in a 48 kHz capture
 * does not fold back as a 6 kHz tone. It keeps its state between chunks, so audio can be
 * converted as it arrives and the result is bit-identical to converting it in one go.
 */

export const SPEECH_SAMPLE_RATE = 16000;

/** Stopband attenuation of the anti-aliasing filter. */
const STOPBAND_DB = 80;
/** -6 dB point, as a share of the lower Nyquist frequency (7.6 kHz for 16 kHz out). */
const CUTOFF = 0.95;
/** Transition band width, same unit: passband to 7.0 kHz, stopband from 8.2 kHz. */
const TRANSITION = 0.15;
/** Unusual rate pairs whose exact phase count is larger use this many phases instead. */
const MAX_PHASES = 1024;

/**
 * Averages the channels into one. A single channel is returned as is.
 *
 * @param channels Planar PCM, all channels the same length.
 */
export function downmixToMono(
	channels: readonly Float32Array[]
): Float32Array {
	const first = channels[ 0 ];
	if ( ! first ) {
		return new Float32Array( 0 );
	}
	if ( channels.length === 1 ) {
		return first;
	}
	const mono = new Float32Array( first.length );
	for ( const channel of channels ) {
		for ( let i = 0; i < mono.length; i++ ) {
			mono[ i ] = ( mono[ i ] ?? 0 ) + ( channel[ i ] ?? 0 );
		}
	}
	const scale = 1 / channels.length;
	for ( let i = 0; i < mono.length; i++ ) {
		mono[ i ] = ( mono[ i ] ?? 0 ) * scale;
	}
	return mono;
}

function greatestCommonDivisor( a: number, b: number ): number {
	while ( b !== 0 ) {
		[ a, b ] = [ b, a % b ];
	}
	return a;
}

/**
 * Modified Bessel function of the first kind, order 0 (power series).
 * @param x
 */
function besselI0( x: number ): number {
	const quarterSquare = ( x * x ) / 4;
	let sum = 1;
	let term = 1;
	for ( let k = 1; k < 100; k++ ) {
		term *= quarterSquare / ( k * k );
		sum += term;
		if ( term < sum * 1e-15 ) {
			break;
		}
	}
	return sum;
}

type FilterBank = {
	/** Taps reach this many input samples either side of the output instant. */
	halfTaps: number;
	/** phases[p] holds the 2 * halfTaps taps for an output instant p / phaseCount past an input sample. */
	phases: Float64Array[];
};

function designFilter(
	inputRate: number,
	outputRate: number,
	phaseCount: number
): FilterBank {
	const nyquist = Math.min( inputRate, outputRate ) / 2;
	// Cycles per input sample.
	const cutoff = ( CUTOFF * nyquist ) / inputRate;
	const transition = ( TRANSITION * nyquist ) / inputRate;
	// Kaiser's formulas for the window length and shape.
	const length = Math.ceil( ( STOPBAND_DB - 7.95 ) / ( 14.36 * transition ) );
	const beta = 0.1102 * ( STOPBAND_DB - 8.7 );
	const halfWidth = length / 2;
	const halfTaps = Math.ceil( halfWidth );
	const windowNorm = besselI0( beta );

	const phases: Float64Array[] = [];
	for ( let phase = 0; phase < phaseCount; phase++ ) {
		const fraction = phase / phaseCount;
		const taps = new Float64Array( 2 * halfTaps );
		let sum = 0;
		for ( let k = -halfTaps + 1; k <= halfTaps; k++ ) {
			const distance = k - fraction;
			let value = 0;
			if ( Math.abs( distance ) < halfWidth ) {
				const x = 2 * cutoff * distance;
				const sinc =
					x === 0 ? 1 : Math.sin( Math.PI * x ) / ( Math.PI * x );
				const ratio = distance / halfWidth;
				const window =
					besselI0( beta * Math.sqrt( 1 - ratio * ratio ) ) /
					windowNorm;
				value = sinc * window;
			}
			taps[ k + halfTaps - 1 ] = value;
			sum += value;
		}
		// Unity gain at DC for every phase, whether the signal is decimated or interpolated.
		for ( let i = 0; i < taps.length; i++ ) {
			taps[ i ] = ( taps[ i ] ?? 0 ) / sum;
		}
		phases.push( taps );
	}
	return { halfTaps, phases };
}

export type Resampler = {
	readonly inputRate: number;
	readonly outputRate: number;
	/** Converts the next chunk; returns the output samples that are already final. */
	process: ( chunk: Float32Array ) => Float32Array;
	/** Ends the stream: returns the remaining output so the total length matches the input's duration. */
	flush: () => Float32Array;
};

/**
 * Creates a streaming converter from `inputRate` to `outputRate` (16 kHz by default).
 *
 * @param inputRate  Rate of the incoming audio, in Hz (positive integer).
 * @param outputRate Rate wanted, in Hz (positive integer).
 */
export function createResampler(
	inputRate: number,
	outputRate: number = SPEECH_SAMPLE_RATE
): Resampler {
	if (
		! Number.isInteger( inputRate ) ||
		! Number.isInteger( outputRate ) ||
		inputRate <= 0 ||
		outputRate <= 0
	) {
		throw new RangeError(
			`Unsupported sample rates ${ inputRate } -> ${ outputRate }`
		);
	}
	const divisor = greatestCommonDivisor( inputRate, outputRate );
	// Output n sits at input position n * step / up: integer part `center`, remainder `phase`.
	const up = outputRate / divisor;
	const step = inputRate / divisor;

	if ( up === step ) {
		let ended = false;
		return {
			inputRate,
			outputRate,
			process: ( chunk ) => {
				if ( ended ) {
					throw new Error( 'Resampler already flushed' );
				}
				return chunk.slice();
			},
			flush: () => {
				ended = true;
				return new Float32Array( 0 );
			},
		};
	}

	const phaseCount = Math.min( up, MAX_PHASES );
	const { halfTaps, phases } = designFilter(
		inputRate,
		outputRate,
		phaseCount
	);

	// Input history; buffer[0] is input sample number `bufferStart` (negative = leading zeros).
	let buffer = new Float32Array( halfTaps );
	let bufferStart = -halfTaps;
	let received = 0;
	let produced = 0;
	let center = 0;
	let phase = 0;
	let ended = false;

	function taps(): Float64Array {
		// Exact phase, or the nearest one below when the bank is coarser than the ratio.
		const index =
			phaseCount === up
				? phase
				: Math.floor( ( phase * phaseCount ) / up );
		return phases[ index ] as Float64Array;
	}

	function nextSample(): number {
		const coefficients = taps();
		const offset = center - halfTaps + 1 - bufferStart;
		let sum = 0;
		for ( let k = 0; k < coefficients.length; k++ ) {
			sum += ( buffer[ offset + k ] ?? 0 ) * ( coefficients[ k ] ?? 0 );
		}
		produced++;
		phase += step;
		center += Math.floor( phase / up );
		phase %= up;
		return sum;
	}

	function append( chunk: Float32Array ) {
		// Drop history no future output needs, then add the chunk.
		const keepFrom = Math.max( 0, center - halfTaps + 1 - bufferStart );
		const kept = buffer.subarray( keepFrom );
		const next = new Float32Array( kept.length + chunk.length );
		next.set( kept );
		next.set( chunk, kept.length );
		buffer = next;
		bufferStart += keepFrom;
		received += chunk.length;
	}

	return {
		inputRate,
		outputRate,
		process( chunk ) {
			if ( ended ) {
				throw new Error( 'Resampler already flushed' );
			}
			append( chunk );
			// Each output needs input up to center + halfTaps.
			const available = Math.max(
				0,
				Math.ceil(
					( ( received - halfTaps - center ) * up - phase ) / step
				)
			);
			const out = new Float32Array( available );
			for ( let i = 0; i < available; i++ ) {
				out[ i ] = nextSample();
			}
			return out;
		},
		flush() {
			if ( ended ) {
				return new Float32Array( 0 );
			}
			ended = true;
			// Same duration as the input, rounded to the nearest output sample.
			const total = Math.round( ( received * up ) / step );
			const remaining = Math.max( 0, total - produced );
			// Silence after the end, for the last outputs' right-hand taps.
			append( new Float32Array( 2 * halfTaps + 2 ) );
			const out = new Float32Array( remaining );
			for ( let i = 0; i < remaining; i++ ) {
				out[ i ] = nextSample();
			}
			return out;
		},
	};
}

/**
 * Converts a whole signal at once (same result as streaming it through createResampler()).
 *
 * @param samples    Mono PCM.
 * @param inputRate  Its rate, in Hz.
 * @param outputRate Rate wanted, in Hz.
 */
export function resample(
	samples: Float32Array,
	inputRate: number,
	outputRate: number = SPEECH_SAMPLE_RATE
): Float32Array {
	const resampler = createResampler( inputRate, outputRate );
	const head = resampler.process( samples );
	const tail = resampler.flush();
	const out = new Float32Array( head.length + tail.length );
	out.set( head );
	out.set( tail, head.length );
	return out;
}
