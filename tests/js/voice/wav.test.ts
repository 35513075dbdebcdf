import { describe, expect, it } from 'vitest';

import {
	createWavEncoder,
	encodeWav,
	floatToInt16,
	parseWav,
	wavHeader,
} from '../../../src/voice/wav';
import { espeak, ffmpegDecode, ffprobe, noise, sine } from './signal';

describe( 'encodeWav / parseWav', () => {
	it( 'round-trips samples to 16-bit precision', () => {
		const input = noise( 5000, 0.9 );
		const file = encodeWav( input, 16000 );

		expect( file.length ).toBe( 44 + 2 * input.length );
		const parsed = parseWav( file );
		expect( parsed ).toMatchObject( {
			sampleRate: 16000,
			channels: 1,
			bitsPerSample: 16,
			audioFormat: 1,
		} );
		expect( parsed.durationSeconds ).toBeCloseTo( 5000 / 16000, 9 );
		const output = parsed.samples[ 0 ]!;
		expect( output.length ).toBe( input.length );
		for ( let i = 0; i < input.length; i++ ) {
			// Half a step of rounding plus the 32767/32768 scale difference of positive samples.
			expect(
				Math.abs( output[ i ]! - input[ i ]! )
			).toBeLessThanOrEqual( 2 / 32768 );
		}
	} );

	it( 'writes a header other tools read the same way', () => {
		const input = sine( 1000, 16000, 0.5 );
		const file = encodeWav( input, 16000 );
		expect( ffprobe( file ) ).toMatchObject( {
			codec: 'pcm_s16le',
			sampleRate: 16000,
			channels: 1,
			bitRate: 256000,
		} );
		const decoded = ffmpegDecode( file );
		expect( decoded.length ).toBe( input.length );
		expect( decoded[ 100 ] ).toBeCloseTo( input[ 100 ]!, 4 );
	} );

	it( 'clamps out-of-range samples instead of wrapping them', () => {
		expect(
			Array.from(
				floatToInt16( Float32Array.from( [ 2, -2, 1, -1, 0, NaN ] ) )
			)
		).toEqual( [ 32767, -32768, 32767, -32768, 0, 0 ] );
	} );

	it( 'encodes the same file when fed in chunks', () => {
		const input = noise( 3001, 0.5, 4 );
		const encoder = createWavEncoder( 16000 );
		encoder.encode( input.subarray( 0, 1000 ) );
		encoder.encode( input.subarray( 1000, 1001 ) );
		encoder.encode( input.subarray( 1001 ) );
		expect( encoder.format ).toBe( 'wav' );
		expect( encoder.mimeType ).toBe( 'audio/wav' );
		expect( Array.from( encoder.finish() ) ).toEqual(
			Array.from( encodeWav( input, 16000 ) )
		);
	} );

	it( 'reads espeak-ng output (22.05 kHz speech)', () => {
		const parsed = parseWav( espeak( 'What are your opening hours?' ) );
		expect( parsed.sampleRate ).toBe( 22050 );
		expect( parsed.channels ).toBe( 1 );
		expect( parsed.durationSeconds ).toBeGreaterThan( 1 );
		expect( parsed.durationSeconds ).toBeLessThan( 4 );
	} );

	it( 'skips unknown chunks and reads float and 24-bit data', () => {
		// RIFF, a LIST chunk with an odd length (padded), fmt (float), data.
		const samples = Float32Array.from( [ 0.25, -0.5 ] );
		const parts = [
			ascii( 'RIFF' ),
			u32( 0 ),
			ascii( 'WAVE' ),
			ascii( 'LIST' ),
			u32( 3 ),
			new Uint8Array( [ 1, 2, 3, 0 ] ),
			ascii( 'fmt ' ),
			u32( 16 ),
			u16( 3 ),
			u16( 1 ),
			u32( 8000 ),
			u32( 32000 ),
			u16( 4 ),
			u16( 32 ),
			ascii( 'data' ),
			u32( 8 ),
			new Uint8Array( samples.buffer ),
		];
		const parsed = parseWav( join( parts ) );
		expect( parsed.audioFormat ).toBe( 3 );
		expect( Array.from( parsed.samples[ 0 ]! ) ).toEqual( [ 0.25, -0.5 ] );

		const pcm24 = join( [
			wavHeaderFor( 24, 2 ),
			// 0x400000 = 0.5, 0xC00000 = -0.5 (little-endian, two samples each channel).
			new Uint8Array( [
				0, 0, 0x40, 0, 0, 0xc0, 0, 0, 0xc0, 0, 0, 0x40,
			] ),
		] );
		const stereo = parseWav( pcm24 );
		expect( stereo.channels ).toBe( 2 );
		expect( Array.from( stereo.samples[ 0 ]! ) ).toEqual( [ 0.5, -0.5 ] );
		expect( Array.from( stereo.samples[ 1 ]! ) ).toEqual( [ -0.5, 0.5 ] );
	} );

	it( 'rejects what is not a PCM WAV file', () => {
		expect( () => parseWav( ascii( 'ID3\u0004 not a wav file' ) ) ).toThrow(
			'Not a RIFF WAVE'
		);
		const header = wavHeader( 0, 16000 );
		header[ 20 ] = 0x55; // MPEG-in-WAV
		expect( () => parseWav( header ) ).toThrow( 'Unsupported WAV format' );
	} );
} );

function ascii( text: string ): Uint8Array {
	return Uint8Array.from( text, ( char ) => char.charCodeAt( 0 ) );
}

function u32( value: number ): Uint8Array {
	const bytes = new Uint8Array( 4 );
	new DataView( bytes.buffer ).setUint32( 0, value, true );
	return bytes;
}

function u16( value: number ): Uint8Array {
	const bytes = new Uint8Array( 2 );
	new DataView( bytes.buffer ).setUint16( 0, value, true );
	return bytes;
}

function join( parts: Uint8Array[] ): Uint8Array {
	const out = new Uint8Array(
		parts.reduce( ( sum, part ) => sum + part.length, 0 )
	);
	let offset = 0;
	for ( const part of parts ) {
		out.set( part, offset );
		offset += part.length;
	}
	return out;
}

function wavHeaderFor( bits: number, channels: number ): Uint8Array {
	const header = wavHeader( 12, 8000, channels );
	const view = new DataView( header.buffer );
	view.setUint16( 32, ( channels * bits ) / 8, true );
	view.setUint16( 34, bits, true );
	return header;
}
