/**
 * 16-bit PCM WAV (RIFF WAVE): the fallback upload format, and a parser used by tests (and
 * handy for checking what a browser produced).
 */
import type { ChunkedAudioEncoder } from './types';

export const WAV_MIME_TYPE = 'audio/wav';
const HEADER_BYTES = 44;

/**
 * Converts float samples to 16-bit integers, clamping anything outside -1..1 (and NaN to 0)
 * instead of letting it wrap around into loud clicks.
 *
 * @param samples Float PCM.
 */
export function floatToInt16( samples: Float32Array ): Int16Array {
	const out = new Int16Array( samples.length );
	for ( let i = 0; i < samples.length; i++ ) {
		// `|| 0` turns NaN into silence.
		const value = Math.min( 1, Math.max( -1, samples[ i ] || 0 ) );
		out[ i ] = Math.round( value < 0 ? value * 32768 : value * 32767 );
	}
	return out;
}

function writeAscii( view: DataView, offset: number, text: string ) {
	for ( let i = 0; i < text.length; i++ ) {
		view.setUint8( offset + i, text.charCodeAt( i ) );
	}
}

/**
 * The 44-byte header of a mono (or interleaved) 16-bit PCM WAV file.
 *
 * @param dataBytes  Length of the PCM data that follows.
 * @param sampleRate Rate in Hz.
 * @param channels   Channel count.
 */
export function wavHeader(
	dataBytes: number,
	sampleRate: number,
	channels = 1
): Uint8Array {
	const header = new Uint8Array( HEADER_BYTES );
	const view = new DataView( header.buffer );
	const blockAlign = channels * 2;
	writeAscii( view, 0, 'RIFF' );
	view.setUint32( 4, 36 + dataBytes, true );
	writeAscii( view, 8, 'WAVE' );
	writeAscii( view, 12, 'fmt ' );
	view.setUint32( 16, 16, true );
	view.setUint16( 20, 1, true );
	view.setUint16( 22, channels, true );
	view.setUint32( 24, sampleRate, true );
	view.setUint32( 28, sampleRate * blockAlign, true );
	view.setUint16( 32, blockAlign, true );
	view.setUint16( 34, 16, true );
	writeAscii( view, 36, 'data' );
	view.setUint32( 40, dataBytes, true );
	return header;
}

function int16Bytes( samples: Int16Array ): Uint8Array {
	// WAV is little-endian; write explicitly rather than trusting the platform's order.
	const bytes = new Uint8Array( samples.length * 2 );
	const view = new DataView( bytes.buffer );
	for ( let i = 0; i < samples.length; i++ ) {
		view.setInt16( i * 2, samples[ i ] ?? 0, true );
	}
	return bytes;
}

/**
 * Encodes mono float PCM as a 16-bit WAV file.
 *
 * @param samples    Mono PCM (-1..1; louder samples are clamped).
 * @param sampleRate Rate in Hz.
 */
export function encodeWav(
	samples: Float32Array,
	sampleRate: number
): Uint8Array {
	const data = int16Bytes( floatToInt16( samples ) );
	const file = new Uint8Array( HEADER_BYTES + data.length );
	file.set( wavHeader( data.length, sampleRate ) );
	file.set( data, HEADER_BYTES );
	return file;
}

/**
 * A WAV encoder fed as audio arrives (the header needs the final length, so the PCM is
 * kept as 16-bit until finish()).
 *
 * @param sampleRate Rate of the samples, in Hz.
 */
export function createWavEncoder( sampleRate: number ): ChunkedAudioEncoder {
	let parts: Uint8Array[] = [];
	let dataBytes = 0;
	return {
		format: 'wav',
		mimeType: WAV_MIME_TYPE,
		encode( samples ) {
			const bytes = int16Bytes( floatToInt16( samples ) );
			parts.push( bytes );
			dataBytes += bytes.length;
		},
		finish() {
			const file = new Uint8Array( HEADER_BYTES + dataBytes );
			file.set( wavHeader( dataBytes, sampleRate ) );
			let offset = HEADER_BYTES;
			for ( const part of parts ) {
				file.set( part, offset );
				offset += part.length;
			}
			parts = [];
			return file;
		},
	};
}

export type ParsedWav = {
	sampleRate: number;
	channels: number;
	bitsPerSample: number;
	/** 1 = integer PCM, 3 = IEEE float. */
	audioFormat: number;
	/** One array per channel, -1..1. */
	samples: Float32Array[];
	durationSeconds: number;
};

function readAscii( view: DataView, offset: number, length: number ): string {
	let text = '';
	for ( let i = 0; i < length; i++ ) {
		text += String.fromCharCode( view.getUint8( offset + i ) );
	}
	return text;
}

/**
 * Reads a PCM WAV file (8/16/24/32-bit integer or 32-bit float), skipping chunks it does not
 * need. A data size larger than the file (written by a stream that never went back to fix
 * it) is clamped to what is there.
 *
 * @param  bytes The file.
 * @throws {Error} When it is not a PCM WAV file.
 */
export function parseWav( bytes: Uint8Array ): ParsedWav {
	const view = new DataView(
		bytes.buffer,
		bytes.byteOffset,
		bytes.byteLength
	);
	if (
		bytes.length < 12 ||
		readAscii( view, 0, 4 ) !== 'RIFF' ||
		readAscii( view, 8, 4 ) !== 'WAVE'
	) {
		throw new Error( 'Not a RIFF WAVE file' );
	}
	let offset = 12;
	let format: {
		audioFormat: number;
		channels: number;
		sampleRate: number;
		bits: number;
	} | null = null;
	while ( offset + 8 <= bytes.length ) {
		const id = readAscii( view, offset, 4 );
		const size = view.getUint32( offset + 4, true );
		const body = offset + 8;
		if ( id === 'fmt ' ) {
			if ( size < 16 || body + 16 > bytes.length ) {
				throw new Error( 'Truncated fmt chunk' );
			}
			let audioFormat = view.getUint16( body, true );
			// WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
			if ( audioFormat === 0xfffe && size >= 40 ) {
				audioFormat = view.getUint16( body + 24, true );
			}
			format = {
				audioFormat,
				channels: view.getUint16( body + 2, true ),
				sampleRate: view.getUint32( body + 4, true ),
				bits: view.getUint16( body + 14, true ),
			};
		} else if ( id === 'data' ) {
			if ( ! format ) {
				throw new Error( 'data chunk before fmt chunk' );
			}
			return decodeData(
				view,
				body,
				Math.min( size, bytes.length - body ),
				format
			);
		}
		// Chunks are padded to an even length.
		offset = body + size + ( size % 2 );
	}
	throw new Error( 'No data chunk' );
}

function decodeData(
	view: DataView,
	start: number,
	length: number,
	format: {
		audioFormat: number;
		channels: number;
		sampleRate: number;
		bits: number;
	}
): ParsedWav {
	const { audioFormat, channels, sampleRate, bits } = format;
	const supported =
		( audioFormat === 1 && [ 8, 16, 24, 32 ].includes( bits ) ) ||
		( audioFormat === 3 && bits === 32 );
	if ( ! supported || channels < 1 || sampleRate < 1 ) {
		throw new Error(
			`Unsupported WAV format ${ audioFormat }/${ bits } bit`
		);
	}
	const bytesPerSample = bits / 8;
	const frames = Math.floor( length / ( bytesPerSample * channels ) );
	const samples: Float32Array[] = [];
	for ( let c = 0; c < channels; c++ ) {
		samples.push( new Float32Array( frames ) );
	}
	for ( let i = 0; i < frames; i++ ) {
		for ( let c = 0; c < channels; c++ ) {
			const at = start + ( i * channels + c ) * bytesPerSample;
			let value: number;
			if ( audioFormat === 3 ) {
				value = view.getFloat32( at, true );
			} else if ( bits === 8 ) {
				value = ( view.getUint8( at ) - 128 ) / 128;
			} else if ( bits === 16 ) {
				value = view.getInt16( at, true ) / 32768;
			} else if ( bits === 24 ) {
				const low = view.getUint16( at, true );
				const high = view.getInt8( at + 2 );
				value = ( high * 65536 + low ) / 8388608;
			} else {
				value = view.getInt32( at, true ) / 2147483648;
			}
			( samples[ c ] as Float32Array )[ i ] = value;
		}
	}
	return {
		sampleRate,
		channels,
		bitsPerSample: bits,
		audioFormat,
		samples,
		durationSeconds: frames / sampleRate,
	};
}
