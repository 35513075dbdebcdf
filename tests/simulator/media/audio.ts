/**
 * Decodes uploaded audio with ffprobe/ffmpeg and measures it, so a test can prove that what a
 * browser recorded arrived whole (duration) and is not silence (RMS/peak in dBFS).
 *
 * Bytes are piped to ffprobe/ffmpeg. MP4/M4A is the exception: its index (moov) may sit at
 * the end of the file and the demuxer must seek, so those bytes go to a private temp file
 * that is deleted right after.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './run';

/** Canonical names for what the transcription endpoint accepts. */
export type AudioFormat = 'flac' | 'mp3' | 'mp4' | 'ogg' | 'wav' | 'webm';

export interface AudioFacts {
	format: AudioFormat;
	/** ffprobe's format_name, e.g. "matroska,webm" */
	container: string;
	codec: string;
	sample_rate: number;
	channels: number;
	/** seconds, from the decoded sample count (not from headers, which can lie) */
	duration_s: number;
	/** dBFS of the decoded samples; -120 stands for digital silence */
	rms_dbfs: number;
	peak_dbfs: number;
	silent: boolean;
	bytes: number;
	sha256: string;
}

export class AudioRejected extends Error {
	constructor(
		message: string,
		readonly reason: 'unsupported' | 'corrupt' | 'mismatch'
	) {
		super( message );
	}
}

/** Below this RMS level a recording is treated as silence (a quiet room is around -60..-50). */
export const SILENCE_RMS_DBFS = -60;
const FLOOR_DBFS = -120;

/** File extensions the endpoint accepts, and which decoded container each may hold. */
export const EXTENSION_FORMATS: Readonly<
	Record< string, readonly AudioFormat[] >
> = {
	flac: [ 'flac' ],
	mp3: [ 'mp3' ],
	mpga: [ 'mp3' ],
	mpeg: [ 'mp3' ],
	mp4: [ 'mp4' ],
	m4a: [ 'mp4' ],
	ogg: [ 'ogg' ],
	oga: [ 'ogg' ],
	wav: [ 'wav' ],
	webm: [ 'webm' ],
};

function canonicalFormat( formatName: string ): AudioFormat | undefined {
	const names = formatName.split( ',' );
	if ( names.includes( 'wav' ) ) {
		return 'wav';
	}
	if ( names.includes( 'mp3' ) ) {
		return 'mp3';
	}
	if ( names.includes( 'flac' ) ) {
		return 'flac';
	}
	if ( names.includes( 'ogg' ) ) {
		return 'ogg';
	}
	if ( names.includes( 'webm' ) || names.includes( 'matroska' ) ) {
		return 'webm';
	}
	if (
		names.includes( 'mp4' ) ||
		names.includes( 'mov' ) ||
		names.includes( 'm4a' )
	) {
		return 'mp4';
	}
	return undefined;
}

function isMp4( bytes: Buffer ): boolean {
	return bytes.length >= 12 && bytes.toString( 'latin1', 4, 8 ) === 'ftyp';
}

/**
 * A WAV header states how many bytes of samples follow. A header that promises more than the
 * file holds (a truncated upload, or a forged "10 minute" header) is refused, as ffmpeg would
 * silently decode whatever is there. 0, 0xFFFFFFFF and espeak-ng's 0x7FFFF000 are the
 * "unknown length" markers that streaming writers use, so they pass.
 * @param bytes
 */
export function checkWavHeader( bytes: Buffer ): void {
	if (
		bytes.length < 12 ||
		bytes.toString( 'latin1', 0, 4 ) !== 'RIFF' ||
		bytes.toString( 'latin1', 8, 12 ) !== 'WAVE'
	) {
		throw new AudioRejected(
			'Audio file might be corrupted or unsupported',
			'corrupt'
		);
	}
	let off = 12;
	while ( off + 8 <= bytes.length ) {
		const id = bytes.toString( 'latin1', off, off + 4 );
		const size = bytes.readUInt32LE( off + 4 );
		if ( id === 'data' ) {
			const available = bytes.length - ( off + 8 );
			if ( size !== 0 && size < 0x7ffff000 && size > available + 1 ) {
				throw new AudioRejected(
					`Audio file might be corrupted or unsupported: the WAV header declares ${ size } bytes of audio but only ${ available } are present`,
					'corrupt'
				);
			}
			return;
		}
		off += 8 + size + ( size % 2 );
	}
	throw new AudioRejected(
		'Audio file might be corrupted or unsupported: no WAV data chunk',
		'corrupt'
	);
}

interface ProbeStream {
	codec_type?: string;
	codec_name?: string;
	sample_rate?: string;
	channels?: number;
}
interface ProbeOutput {
	format?: { format_name?: string };
	streams?: ProbeStream[];
}

function dbfs( x: number ): number {
	return x <= 0
		? FLOOR_DBFS
		: Math.max(
				FLOOR_DBFS,
				Math.round( 20 * Math.log10( x ) * 100 ) / 100
			);
}

/**
 * Decodes and measures audio. Throws AudioRejected for anything ffmpeg cannot fully decode.
 * @param bytes
 */
export async function analyseAudio( bytes: Buffer ): Promise< AudioFacts > {
	if ( bytes.length === 0 ) {
		throw new AudioRejected( 'Audio file is empty', 'corrupt' );
	}
	if ( bytes.toString( 'latin1', 0, 4 ) === 'RIFF' ) {
		checkWavHeader( bytes );
	}
	let dir: string | undefined;
	let input = 'pipe:0';
	let stdin: Buffer | undefined = bytes;
	try {
		if ( isMp4( bytes ) ) {
			dir = await mkdtemp( join( tmpdir(), 'oai-sim-upload-' ) );
			input = join( dir, `${ randomBytes( 8 ).toString( 'hex' ) }.mp4` );
			await writeFile( input, bytes, { mode: 0o600 } );
			stdin = undefined;
		}
		const probe = await run(
			'ffprobe',
			[
				'-v',
				'error',
				'-of',
				'json',
				'-show_format',
				'-show_streams',
				'-i',
				input,
			],
			stdin
		);
		let info: ProbeOutput = {};
		try {
			info = JSON.parse(
				probe.stdout.toString( 'utf8' ) || '{}'
			) as ProbeOutput;
		} catch {
			info = {};
		}
		const stream = info.streams?.find( ( s ) => s.codec_type === 'audio' );
		const format = canonicalFormat( info.format?.format_name ?? '' );
		if ( probe.code !== 0 || ! stream || ! format ) {
			throw new AudioRejected(
				'Audio file might be corrupted or unsupported',
				probe.code !== 0 ? 'corrupt' : 'unsupported'
			);
		}
		const sampleRate = Number( stream.sample_rate ?? 0 );
		const channels = stream.channels ?? 0;
		if ( ! ( sampleRate > 0 ) || ! ( channels > 0 ) ) {
			throw new AudioRejected(
				'Audio file might be corrupted or unsupported',
				'corrupt'
			);
		}
		const dec = await run(
			'ffmpeg',
			[
				'-nostdin',
				'-v',
				'error',
				'-i',
				input,
				'-map',
				'0:a:0',
				'-ac',
				String( channels ),
				'-ar',
				String( sampleRate ),
				'-f',
				'f32le',
				'-c:a',
				'pcm_f32le',
				'pipe:1',
			],
			stdin
		);
		const samples = Math.floor( dec.stdout.length / 4 );
		// ffmpeg keeps going over damaged frames; several decode errors mean the bytes are not
		// really audio of this type (e.g. an MP3 header glued to random data).
		const errorLines = dec.stderr
			.split( '\n' )
			.filter( ( l ) => l.trim() !== '' ).length;
		if ( dec.code !== 0 || samples === 0 || errorLines > 3 ) {
			throw new AudioRejected(
				'Audio file might be corrupted or unsupported',
				'corrupt'
			);
		}
		let sumSq = 0;
		let peak = 0;
		for ( let i = 0; i < samples; i++ ) {
			const v = dec.stdout.readFloatLE( i * 4 );
			sumSq += v * v;
			const a = Math.abs( v );
			if ( a > peak ) {
				peak = a;
			}
		}
		const rms = Math.sqrt( sumSq / samples );
		const rmsDb = dbfs( rms );
		return {
			format,
			container: info.format?.format_name ?? '',
			codec: stream.codec_name ?? '',
			sample_rate: sampleRate,
			channels,
			duration_s:
				Math.round( ( samples / channels / sampleRate ) * 10000 ) /
				10000,
			rms_dbfs: rmsDb,
			peak_dbfs: dbfs( peak ),
			silent: rmsDb < SILENCE_RMS_DBFS,
			bytes: bytes.length,
			sha256: createHash( 'sha256' ).update( bytes ).digest( 'hex' ),
		};
	} finally {
		if ( dir ) {
			await rm( dir, { recursive: true, force: true } );
		}
	}
}
