import { describe, expect, it } from 'vitest';

import {
	createSilenceTrimmer,
	DEFAULT_SILENCE,
	rms,
	toDbfs,
	trimSilence,
} from '../../../src/voice/silence';
import { chunks, concat, noise, sine, zeroCrossingFrequency } from './signal';

const RATE = 16000;
const MARGIN = ( DEFAULT_SILENCE.marginMs / 1000 ) * RATE;

/**
 * Room noise at about -70 dBFS RMS, well under the -50 dB threshold.
 * @param seconds
 * @param seed
 */
function quiet( seconds: number, seed = 3 ): Float32Array {
	return noise( Math.round( RATE * seconds ), 0.0005, seed );
}

describe( 'trimSilence', () => {
	it( 'cuts the silence around a tone down to the margin', () => {
		const tone = sine( 440, RATE, 1, 0.3 );
		const input = concat( quiet( 0.8 ), tone, quiet( 1.2, 5 ) );

		const trimmed = trimSilence( input, RATE );

		// 1 s of tone plus 200 ms either side, to within a 10 ms frame.
		expect(
			Math.abs( trimmed.length - ( tone.length + 2 * MARGIN ) )
		).toBeLessThanOrEqual( 160 );
		// The tone itself is untouched and starts right after the leading margin.
		const start = Math.round( trimmed.length / 2 - tone.length / 4 );
		expect(
			zeroCrossingFrequency(
				trimmed.subarray( start, start + 4000 ),
				RATE
			)
		).toBeCloseTo( 440, 0 );
		expect( toDbfs( rms( trimmed, 0, 0.15 * RATE ) ) ).toBeLessThan( -60 );
		expect(
			toDbfs( rms( trimmed, trimmed.length - 0.15 * RATE ) )
		).toBeLessThan( -60 );
	} );

	it( 'keeps pauses between words', () => {
		const input = concat(
			quiet( 0.5 ),
			sine( 300, RATE, 0.4, 0.2 ),
			quiet( 0.9, 9 ),
			sine( 500, RATE, 0.4, 0.2 ),
			quiet( 0.5, 11 )
		);
		const trimmed = trimSilence( input, RATE );
		expect(
			Math.abs( trimmed.length - ( 1.7 * RATE + 2 * MARGIN ) )
		).toBeLessThanOrEqual( 160 );
	} );

	it( 'returns nothing when nothing but silence was recorded', () => {
		expect( trimSilence( quiet( 2 ), RATE ).length ).toBe( 0 );
		expect( trimSilence( new Float32Array( RATE ), RATE ).length ).toBe(
			0
		);
	} );

	it( 'leaves audio that is loud throughout as it is', () => {
		const input = sine( 200, RATE, 0.5, 0.4 );
		expect( Array.from( trimSilence( input, RATE ) ) ).toEqual(
			Array.from( input )
		);
	} );

	it( 'follows the threshold and margin it is given', () => {
		// A -40 dBFS hum: speech to a -50 dB threshold, silence to a -30 dB one.
		const hum = sine( 100, RATE, 1, 0.014 );
		const input = concat( quiet( 1 ), hum, quiet( 1 ) );
		expect( trimSilence( input, RATE ).length ).toBeGreaterThan( RATE );
		expect(
			trimSilence( input, RATE, { thresholdDb: -30, marginMs: 200 } )
				.length
		).toBe( 0 );
		const tight = trimSilence( input, RATE, {
			thresholdDb: -50,
			marginMs: 0,
		} );
		expect( Math.abs( tight.length - RATE ) ).toBeLessThanOrEqual( 160 );
	} );

	it( 'gives the same result streamed in odd-sized chunks', () => {
		const input = concat(
			quiet( 0.7 ),
			sine( 440, RATE, 0.6, 0.3 ),
			quiet( 0.4, 13 ),
			sine( 660, RATE, 0.3, 0.3 ),
			quiet( 0.9, 17 )
		);
		const trimmer = createSilenceTrimmer( RATE );
		const parts = chunks( input, [ 1, 159, 160, 161, 1000, 4096 ] ).map(
			( chunk ) => trimmer.push( chunk )
		);
		const streamed = concat( ...parts, trimmer.flush() );
		expect( trimmer.heard() ).toBe( true );
		expect( Array.from( streamed ) ).toEqual(
			Array.from( trimSilence( input, RATE ) )
		);
	} );
} );

describe( 'levels', () => {
	it( 'measures RMS and dBFS', () => {
		expect( rms( Float32Array.from( [ 1, -1, 1, -1 ] ) ) ).toBe( 1 );
		expect( rms( new Float32Array( 0 ) ) ).toBe( 0 );
		expect( toDbfs( 1 ) ).toBe( 0 );
		expect( toDbfs( 0.1 ) ).toBeCloseTo( -20, 6 );
		expect( toDbfs( 0 ) ).toBe( -Infinity );
	} );
} );
