/**
 * Test helpers: known signals, frequency and level measurements, and Debian's ffmpeg/ffprobe
 * as an independent decoder for what the encoders produce.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function sine(
	frequency: number,
	sampleRate: number,
	seconds: number,
	amplitude = 0.5
): Float32Array {
	const out = new Float32Array( Math.round( sampleRate * seconds ) );
	for ( let i = 0; i < out.length; i++ ) {
		out[ i ] =
			amplitude *
			Math.sin( ( 2 * Math.PI * frequency * i ) / sampleRate );
	}
	return out;
}

export function concat( ...parts: Float32Array[] ): Float32Array {
	const out = new Float32Array(
		parts.reduce( ( sum, part ) => sum + part.length, 0 )
	);
	let offset = 0;
	for ( const part of parts ) {
		out.set( part, offset );
		offset += part.length;
	}
	return out;
}

/**
 * Deterministic noise (a linear congruential generator), -amplitude..amplitude.
 * @param length
 * @param amplitude
 * @param seed
 */
export function noise(
	length: number,
	amplitude: number,
	seed = 1
): Float32Array {
	const out = new Float32Array( length );
	let state = seed;
	for ( let i = 0; i < length; i++ ) {
		state = ( state * 1664525 + 1013904223 ) % 4294967296;
		out[ i ] = ( ( state / 4294967296 ) * 2 - 1 ) * amplitude;
	}
	return out;
}

/**
 * Amplitude of the component at `frequency` (Goertzel over the whole signal, Hann window).
 * @param samples
 * @param frequency
 * @param sampleRate
 */
export function toneAmplitude(
	samples: Float32Array,
	frequency: number,
	sampleRate: number
): number {
	const n = samples.length;
	const omega = ( 2 * Math.PI * frequency ) / sampleRate;
	let re = 0;
	let im = 0;
	let windowSum = 0;
	for ( let i = 0; i < n; i++ ) {
		const w = 0.5 - 0.5 * Math.cos( ( 2 * Math.PI * i ) / ( n - 1 ) );
		const x = ( samples[ i ] ?? 0 ) * w;
		re += x * Math.cos( omega * i );
		im -= x * Math.sin( omega * i );
		windowSum += w;
	}
	return ( 2 * Math.hypot( re, im ) ) / windowSum;
}

/**
 * Frequency from the time between the first and last upward zero crossings (interpolated).
 * @param samples
 * @param sampleRate
 */
export function zeroCrossingFrequency(
	samples: Float32Array,
	sampleRate: number
): number {
	const crossings: number[] = [];
	for ( let i = 1; i < samples.length; i++ ) {
		const a = samples[ i - 1 ] ?? 0;
		const b = samples[ i ] ?? 0;
		if ( a < 0 && b >= 0 ) {
			crossings.push( i - 1 + a / ( a - b ) );
		}
	}
	const first = crossings[ 0 ];
	const last = crossings[ crossings.length - 1 ];
	if ( first === undefined || last === undefined || crossings.length < 2 ) {
		return 0;
	}
	return ( ( crossings.length - 1 ) * sampleRate ) / ( last - first );
}

export function rmsDb( samples: Float32Array ): number {
	let sum = 0;
	for ( const value of samples ) {
		sum += value * value;
	}
	return 10 * Math.log10( sum / samples.length );
}

/**
 * Decodes any audio file with ffmpeg to 16 kHz mono float PCM.
 * @param file
 */
export function ffmpegDecode( file: Uint8Array ): Float32Array {
	const result = spawnSync(
		'ffmpeg',
		[
			'-v',
			'error',
			'-i',
			'pipe:0',
			'-f',
			'f32le',
			'-ac',
			'1',
			'-ar',
			'16000',
			'pipe:1',
		],
		{ input: file, maxBuffer: 64 * 1024 * 1024 }
	);
	if ( result.status !== 0 ) {
		throw new Error( `ffmpeg failed: ${ result.stderr.toString() }` );
	}
	const bytes = new Uint8Array( result.stdout );
	return new Float32Array(
		bytes.buffer,
		bytes.byteOffset,
		bytes.byteLength / 4
	);
}

export type ProbedAudio = {
	codec: string;
	sampleRate: number;
	channels: number;
	bitRate: number;
};

/**
 * What ffprobe says about the first audio stream.
 * @param file
 */
export function ffprobe( file: Uint8Array ): ProbedAudio {
	const result = spawnSync(
		'ffprobe',
		[
			'-v',
			'error',
			'-show_entries',
			'stream=codec_name,sample_rate,channels,bit_rate',
			'-of',
			'json',
			'pipe:0',
		],
		{ input: file }
	);
	if ( result.status !== 0 ) {
		throw new Error( `ffprobe failed: ${ result.stderr.toString() }` );
	}
	const parsed = JSON.parse( result.stdout.toString() ) as {
		streams: Array< {
			codec_name: string;
			sample_rate: string;
			channels: number;
			bit_rate?: string;
		} >;
	};
	const stream = parsed.streams[ 0 ];
	if ( ! stream ) {
		throw new Error( 'ffprobe found no stream' );
	}
	return {
		codec: stream.codec_name,
		sampleRate: Number( stream.sample_rate ),
		channels: stream.channels,
		bitRate: Number( stream.bit_rate ?? 0 ),
	};
}

/**
 * Speaks `text` with `espeak-ng -w` and returns the WAV file (22.05 kHz mono, 16-bit).
 * @param text
 */
export function espeak( text: string ): Uint8Array {
	const dir = mkdtempSync( join( tmpdir(), 'vvc-espeak-' ) );
	try {
		const path = join( dir, 'speech.wav' );
		const result = spawnSync( 'espeak-ng', [
			'-s',
			'150',
			'-w',
			path,
			text,
		] );
		if ( result.status !== 0 ) {
			throw new Error(
				`espeak-ng failed: ${ result.stderr.toString() }`
			);
		}
		return new Uint8Array( readFileSync( path ) );
	} finally {
		rmSync( dir, { recursive: true, force: true } );
	}
}

export function chunks(
	samples: Float32Array,
	sizes: number[]
): Float32Array[] {
	const out: Float32Array[] = [];
	let offset = 0;
	let index = 0;
	while ( offset < samples.length ) {
		const size = sizes[ index % sizes.length ] ?? 1;
		out.push( samples.slice( offset, offset + size ) );
		offset += size;
		index++;
	}
	return out;
}
