/**
 * A spoken question for Chromium's fake microphone: espeak-ng says it, sox makes it the
 * 48 kHz mono 16-bit WAV Chromium plays as microphone input, padded with silence the way a
 * visitor pauses before speaking and before pressing stop.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Silence before the speech (the visitor has not started talking yet), seconds. */
export const LEAD_SECONDS = 1;
/** Silence after it (the visitor reaching for the stop button), seconds. */
export const TAIL_SECONDS = 1.5;
/**
 * Quiet the recorder keeps either side of the speech (src/voice/silence.ts DEFAULT_SILENCE,
 * 200 ms), so a perfect recording lasts the speech plus twice this.
 */
export const RECORDER_MARGIN_SECONDS = 0.2;
/** The recorder's silence threshold, dBFS; sox trims the speech with the same one. */
const THRESHOLD_DB = -50;

export type SpokenQuestion = {
	/** The WAV fed to the fake microphone. */
	path: string;
	/** Seconds of speech in it, from its first to its last sound above the threshold. */
	speechSeconds: number;
	/** Seconds of the whole file. */
	fileSeconds: number;
	/** What a perfect recorder uploads, seconds: the speech and its margins. */
	expectedSeconds: number;
};

function seconds( file: string ): number {
	return Number(
		execFileSync( 'soxi', [ '-D', file ], { encoding: 'utf8' } )
	);
}

/**
 * Speaks a question into a WAV for --use-file-for-fake-audio-capture.
 *
 * @param text What the visitor says.
 */
export function speakQuestion( text: string ): SpokenQuestion {
	const dir = mkdtempSync( join( tmpdir(), 'vvc-voice-' ) );
	const raw = join( dir, 'espeak.wav' );
	const speech = join( dir, 'speech.wav' );
	const path = join( dir, 'question-48k-mono.wav' );
	execFileSync( 'espeak-ng', [
		'-v',
		'en-us',
		'-s',
		'150',
		'-w',
		raw,
		text,
	] );
	// Only the speech, at the microphone's rate: espeak's own lead-in and tail cut off at the
	// recorder's threshold, so the expected length does not depend on them.
	const silence = [ '1', '0.01', `${ THRESHOLD_DB }d` ];
	execFileSync( 'sox', [
		raw,
		'-r',
		'48000',
		'-c',
		'1',
		'-b',
		'16',
		speech,
		'silence',
		...silence,
		'reverse',
		'silence',
		...silence,
		'reverse',
	] );
	execFileSync( 'sox', [
		speech,
		path,
		'pad',
		String( LEAD_SECONDS ),
		String( TAIL_SECONDS ),
	] );
	const speechSeconds = seconds( speech );
	return {
		path,
		speechSeconds,
		fileSeconds: seconds( path ),
		expectedSeconds: speechSeconds + 2 * RECORDER_MARGIN_SECONDS,
	};
}

/**
 * Chromium flags that make the WAV the microphone and accept the permission prompt.
 *
 * @param wav    The file to play as microphone input (once: %noloop).
 * @param prompt Accept the permission prompt (false: headless Chromium dismisses it).
 */
export function fakeMicrophoneArgs(
	wav: string | null,
	prompt = true
): string[] {
	const args = prompt ? [ '--use-fake-ui-for-media-stream' ] : [];
	if ( wav ) {
		args.push(
			'--use-fake-device-for-media-stream',
			`--use-file-for-fake-audio-capture=${ wav }%noloop`
		);
	}
	return args;
}

/**
 * Firefox preferences for the same three microphones. Firefox cannot play a file as its
 * microphone: its fake device is a tone. Without the fake device Firefox looks for a real
 * one, and this machine has none once the test audio backend (playwright.config.ts), whose
 * mock devices include a microphone, is off too.
 *
 * @param microphone There is a microphone (Firefox's fake tone).
 * @param prompt     The visitor allows it (false: the site's microphone permission is
 *                   "Block", as a visitor who refused it before would have).
 */
export function fakeMicrophonePrefs(
	microphone: boolean,
	prompt = true
): Record< string, boolean | number > {
	return {
		'media.navigator.streams.fake': microphone,
		...( microphone ? {} : { 'media.cubeb.force_mock_context': false } ),
		'media.navigator.permission.disabled': prompt,
		...( prompt ? {} : { 'permissions.default.microphone': 2 } ),
	};
}
