import { describe, expect, it } from 'vitest';

import { createMp3Encoder } from '../../../src/voice/mp3';
import {
	chunks,
	ffmpegDecode,
	ffprobe,
	sine,
	toneAmplitude,
	zeroCrossingFrequency,
} from './signal';

const RATE = 16000;

function encode(
	samples: Float32Array,
	kbps: 24 | 32,
	chunkSizes = [ 640 ]
): Uint8Array {
	const encoder = createMp3Encoder( RATE, kbps );
	for ( const chunk of chunks( samples, chunkSizes ) ) {
		encoder.encode( chunk );
	}
	return encoder.finish();
}

describe( 'createMp3Encoder', () => {
	it.each( [ 24, 32 ] as const )(
		'encodes a 1 kHz tone at %i kbps that decodes back to the same tone and length',
		( kbps ) => {
			const input = sine( 1000, RATE, 2.5, 0.5 );
			// Chunks the size of the worklet's batches after resampling, plus odd ones.
			const mp3 = encode( input, kbps, [ 640, 1, 1151, 4096 ] );

			expect( ffprobe( mp3 ) ).toEqual( {
				codec: 'mp3',
				sampleRate: RATE,
				channels: 1,
				bitRate: kbps * 1000,
			} );
			const decoded = ffmpegDecode( mp3 );
			// Encoder delay and frame padding add a few tens of ms at most.
			expect( Math.abs( decoded.length / RATE - 2.5 ) ).toBeLessThan(
				0.1
			);
			const steady = decoded.subarray( 0.2 * RATE, 2.2 * RATE );
			expect( zeroCrossingFrequency( steady, RATE ) ).toBeCloseTo(
				1000,
				0
			);
			expect( toneAmplitude( steady, 1000, RATE ) ).toBeGreaterThan(
				0.45
			);
			// Bytes follow the bitrate (kbps * 125 a second), plus the frames that carry the
			// encoder's delay and padding (576 samples each at 16 kHz).
			const frameBytes = ( kbps * 125 * 576 ) / RATE;
			const extraFrames = ( mp3.length - kbps * 125 * 2.5 ) / frameBytes;
			expect( extraFrames ).toBeGreaterThanOrEqual( 0 );
			expect( extraFrames ).toBeLessThanOrEqual( 4 );
		}
	);

	it( 'keeps the speech band up to 7.5 kHz at 32 kbps, where 24 kbps cuts above ~5.5 kHz', () => {
		const level = ( kbps: 24 | 32, frequency: number ) => {
			const decoded = ffmpegDecode(
				encode( sine( frequency, RATE, 1, 0.3 ), kbps )
			);
			return (
				toneAmplitude(
					decoded.subarray( 2000, 14000 ),
					frequency,
					RATE
				) / 0.3
			);
		};
		expect( level( 32, 7500 ) ).toBeGreaterThan( 0.9 );
		expect( level( 24, 5000 ) ).toBeGreaterThan( 0.9 );
		expect( level( 24, 6500 ) ).toBeLessThan( 0.01 );
	} );

	it( 'produces a decodable file for an empty recording', () => {
		const encoder = createMp3Encoder( RATE, 32 );
		expect( encoder.format ).toBe( 'mp3' );
		expect( encoder.mimeType ).toBe( 'audio/mpeg' );
		expect( encoder.finish().length ).toBeLessThan( 500 );
	} );
} );
