/**
 * MP3 encoding of 16 kHz mono speech, fed as audio arrives.
 *
 * Encoder: @breezystack/lamejs, a pure-JS port of LAME. It is the published build of
 * lamejs's current main branch: the original `lamejs` package on npm (1.2.1, 2017) predates
 * fixes such as the "MPEGMode is not defined" crash, and ships neither ES modules nor types.
 * Pure JS (no WebAssembly) means no extra file to serve, no `wasm-unsafe-eval` in a site's
 * CSP, and it runs in any browser that has a Worker. It only runs inside the encoder worker
 * bundle, so its ~100 KB never reach the main page. Licence: LGPL-3.0.
 *
 * 32 kbps by default: at 16 kHz mono, LAME keeps tones up to 7.5 kHz at 32 kbps but cuts
 * everything above about 5.5 kHz at 24 kbps (measured: tests/js/voice/mp3.test.ts), where
 * the fricatives ("s", "f") that tell words apart live. The extra 1 KB/s costs nothing the
 * provider bills: audio models bill by duration.
 */
import { Mp3Encoder } from '@breezystack/lamejs';

import type { ChunkedAudioEncoder, Mp3Kbps } from './types';
import { floatToInt16 } from './wav';

export const MP3_MIME_TYPE = 'audio/mpeg';
export const DEFAULT_MP3_KBPS: Mp3Kbps = 32;

function asBytes( data: ArrayBufferView ): Uint8Array {
	// lamejs returns Int8Array despite its typings; reinterpret without copying.
	return new Uint8Array( data.buffer, data.byteOffset, data.byteLength );
}

/**
 * Creates a mono constant-bitrate MP3 encoder.
 *
 * @param  sampleRate Rate of the samples fed, in Hz (16000 for speech; MPEG-2 rates only).
 * @param  kbps       Bitrate.
 * @throws {Error} When the encoder cannot be created (the caller falls back to WAV).
 */
export function createMp3Encoder(
	sampleRate: number,
	kbps: Mp3Kbps = DEFAULT_MP3_KBPS
): ChunkedAudioEncoder {
	const encoder = new Mp3Encoder( 1, sampleRate, kbps );
	let parts: Uint8Array[] = [];
	let length = 0;
	function keep( data: ArrayBufferView ) {
		if ( data.byteLength > 0 ) {
			// Copied: lamejs may reuse its output buffer on the next call.
			const bytes = asBytes( data ).slice();
			parts.push( bytes );
			length += bytes.length;
		}
	}
	return {
		format: 'mp3',
		mimeType: MP3_MIME_TYPE,
		encode( samples ) {
			keep( encoder.encodeBuffer( floatToInt16( samples ) ) );
		},
		finish() {
			keep( encoder.flush() );
			const file = new Uint8Array( length );
			let offset = 0;
			for ( const part of parts ) {
				file.set( part, offset );
				offset += part.length;
			}
			parts = [];
			return file;
		},
	};
}
