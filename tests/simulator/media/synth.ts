/**
 * Makes real audio for /v1/audio/speech and for chat audio output: espeak-ng reads the text
 * (a 440 Hz tone when espeak-ng is missing), padded or trimmed to a duration that depends only
 * on the text length and `speed`, so tests can predict it; ffmpeg encodes every format the API
 * returns. Output is 24 kHz mono, like OpenAI's.
 */
import { createHash } from 'node:crypto';
import { hasTool, run } from './run';

export type SpeechFormat = 'mp3' | 'opus' | 'aac' | 'flac' | 'wav' | 'pcm';

export const SAMPLE_RATE = 24000;
/** Seconds of speech per input character at speed 1 (espeak-ng at 175 wpm needs ~0.053). */
export const SECONDS_PER_CHAR = 0.06;
export const MIN_SECONDS = 0.5;

export const CONTENT_TYPES: Readonly< Record< SpeechFormat, string > > = {
	mp3: 'audio/mpeg',
	opus: 'audio/ogg',
	aac: 'audio/aac',
	flac: 'audio/flac',
	wav: 'audio/wav',
	pcm: 'audio/pcm',
};

/**
 * The duration the simulator gives `text` at `speed`: proportional to length, divided by speed.
 * @param text
 * @param speed
 */
export function speechDuration( text: string, speed = 1 ): number {
	const chars = [ ...text ].length;
	return (
		Math.round(
			( Math.max( MIN_SECONDS, chars * SECONDS_PER_CHAR ) / speed ) * 1000
		) / 1000
	);
}

/** ffmpeg output arguments for each format; pcm and wav leave ffmpeg as raw samples. */
const ENCODERS: Readonly< Record< SpeechFormat, readonly string[] > > = {
	mp3: [ '-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3' ],
	opus: [ '-c:a', 'libopus', '-b:a', '32k', '-f', 'ogg' ],
	aac: [ '-c:a', 'aac', '-b:a', '64k', '-f', 'adts' ],
	flac: [ '-c:a', 'flac', '-f', 'flac' ],
	wav: [ '-c:a', 'pcm_s16le', '-f', 's16le' ],
	pcm: [ '-c:a', 'pcm_s16le', '-f', 's16le' ],
};

/**
 * Renders `text` as exactly `seconds` of 24 kHz mono audio and encodes it, in one ffmpeg run
 * fed by espeak-ng (or by a generated tone).
 * @param text
 * @param seconds
 * @param speed
 * @param voice
 * @param format
 */
async function render(
	text: string,
	seconds: number,
	speed: number,
	voice: string,
	format: SpeechFormat
): Promise< Buffer > {
	const shape = [
		'-af',
		`aresample=${ SAMPLE_RATE },apad=whole_dur=${ seconds },atrim=duration=${ seconds }`,
		'-ac',
		'1',
		'-ar',
		String( SAMPLE_RATE ),
		...ENCODERS[ format ],
		'pipe:1',
	];
	if ( text.trim() !== '' && ( await hasTool( 'espeak-ng' ) ) ) {
		const wpm = Math.min( 450, Math.max( 80, Math.round( 175 * speed ) ) );
		// A voice name picks a pitch, so different voices sound (and hash) differently.
		const pitch =
			20 +
			( ( createHash( 'sha1' ).update( voice ).digest()[ 0 ] ?? 0 ) %
				60 );
		const spoken = await run(
			'espeak-ng',
			[
				'--stdout',
				'--stdin',
				'-s',
				String( wpm ),
				'-p',
				String( pitch ),
			],
			Buffer.from( text, 'utf8' )
		);
		if ( spoken.code === 0 && spoken.stdout.length > 44 ) {
			const out = await run(
				'ffmpeg',
				[ '-nostdin', '-v', 'error', '-i', 'pipe:0', ...shape ],
				spoken.stdout
			);
			if ( out.code === 0 && out.stdout.length > 0 ) {
				return out.stdout;
			}
		}
	}
	const tone = await run( 'ffmpeg', [
		'-nostdin',
		'-v',
		'error',
		'-f',
		'lavfi',
		'-i',
		`sine=frequency=440:sample_rate=${ SAMPLE_RATE }:duration=${ seconds }`,
		...shape,
	] );
	if ( tone.code !== 0 || tone.stdout.length === 0 ) {
		throw new Error(
			`simulator: ffmpeg could not make ${ format } audio: ${ tone.stderr }`
		);
	}
	return tone.stdout;
}

/**
 * A RIFF/WAVE header with the real sizes (ffmpeg writing to a pipe cannot seek back to fix them).
 * @param pcm
 * @param sampleRate
 * @param channels
 */
export function wavFromPcm(
	pcm: Buffer,
	sampleRate = SAMPLE_RATE,
	channels = 1
): Buffer {
	const h = Buffer.alloc( 44 );
	h.write( 'RIFF', 0, 'latin1' );
	h.writeUInt32LE( 36 + pcm.length, 4 );
	h.write( 'WAVE', 8, 'latin1' );
	h.write( 'fmt ', 12, 'latin1' );
	h.writeUInt32LE( 16, 16 );
	h.writeUInt16LE( 1, 20 );
	h.writeUInt16LE( channels, 22 );
	h.writeUInt32LE( sampleRate, 24 );
	h.writeUInt32LE( sampleRate * channels * 2, 28 );
	h.writeUInt16LE( channels * 2, 32 );
	h.writeUInt16LE( 16, 34 );
	h.write( 'data', 36, 'latin1' );
	h.writeUInt32LE( pcm.length, 40 );
	return Buffer.concat( [ h, pcm ] );
}

export interface Speech {
	bytes: Buffer;
	duration_s: number;
}

export async function synthesize(
	text: string,
	format: SpeechFormat,
	speed = 1,
	voice = 'alloy'
): Promise< Speech > {
	const seconds = speechDuration( text, speed );
	const out = await render( text, seconds, speed, voice, format );
	return {
		bytes: format === 'wav' ? wavFromPcm( out ) : out,
		duration_s: seconds,
	};
}
