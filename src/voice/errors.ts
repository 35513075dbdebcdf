/**
 * Recorder failures: stable codes (the widget and tests branch on these) and the sentence a
 * visitor reads. Shaped like the REST errors ({ code, message, status }); status 0 says the
 * failure happened in the browser.
 */
import { __ } from '@wordpress/i18n';

export type VoiceErrorCode =
	/** The visitor or the browser refused the microphone. */
	| 'vvc_mic_permission_denied'
	/** No audio input device. */
	| 'vvc_mic_not_found'
	/** The device exists but another application holds it (or the OS refused it). */
	| 'vvc_mic_busy'
	/** Not https (getUserMedia only exists in secure contexts). */
	| 'vvc_mic_insecure_context'
	/** No getUserMedia, AudioContext or AudioWorklet in this browser. */
	| 'vvc_mic_unsupported'
	/** Anything else that stopped capture from starting (including the worklet not loading). */
	| 'vvc_mic_failed'
	/** Recorded, but nothing was louder than the silence threshold. */
	| 'vvc_voice_silent'
	/** The recording could not be encoded. */
	| 'vvc_voice_encoder_failed';

export type VoiceError = {
	code: VoiceErrorCode;
	message: string;
	status: 0;
};

/**
 * The visitor-facing sentence for a code.
 *
 * @param code Error code.
 */
export function voiceErrorMessage( code: VoiceErrorCode ): string {
	switch ( code ) {
		case 'vvc_mic_permission_denied':
			return __(
				'Microphone access is blocked. To ask by voice, allow the microphone for this site in your browser settings, then try again.',
				'voice-vision-chat'
			);
		case 'vvc_mic_not_found':
			return __(
				'No microphone was found. Connect one and try again, or type your question.',
				'voice-vision-chat'
			);
		case 'vvc_mic_busy':
			return __(
				'Your microphone is being used by another app. Close it and try again.',
				'voice-vision-chat'
			);
		case 'vvc_mic_insecure_context':
			return __(
				'Voice questions need a secure (https) connection to this site. Please type your question instead.',
				'voice-vision-chat'
			);
		case 'vvc_mic_unsupported':
			return __(
				'This browser cannot record audio here. Please update it, or type your question.',
				'voice-vision-chat'
			);
		case 'vvc_mic_failed':
			return __(
				'The microphone could not be started. Please try again.',
				'voice-vision-chat'
			);
		case 'vvc_voice_silent':
			return __(
				'Nothing was heard. Check that the right microphone is on and speak a little closer, then try again.',
				'voice-vision-chat'
			);
		case 'vvc_voice_encoder_failed':
			return __(
				'Your recording could not be prepared. Please try again.',
				'voice-vision-chat'
			);
	}
	return __( 'Something went wrong. Please try again.', 'voice-vision-chat' );
}

/**
 * Builds the error object for a code.
 *
 * @param code Error code.
 */
export function voiceError( code: VoiceErrorCode ): VoiceError {
	return { code, message: voiceErrorMessage( code ), status: 0 };
}

/**
 * Maps a getUserMedia() failure to a code. The DOMException names are the standard ones plus
 * the older Chrome/Firefox aliases still seen in the wild.
 *
 * @param error       What getUserMedia() rejected with.
 * @param countInputs Counts audio inputs, to tell "no device" from other failures.
 */
export async function classifyMediaError(
	error: unknown,
	countInputs?: () => Promise< number >
): Promise< VoiceErrorCode > {
	const name = error instanceof Error || isNamed( error ) ? error.name : '';
	switch ( name ) {
		// SecurityError: Firefox and Safari, blocked by a permissions policy or the settings.
		case 'NotAllowedError':
		case 'PermissionDeniedError':
		case 'SecurityError':
			return 'vvc_mic_permission_denied';
		case 'NotFoundError':
		case 'DevicesNotFoundError':
		case 'OverconstrainedError':
			return 'vvc_mic_not_found';
		case 'NotReadableError':
		case 'TrackStartError':
		case 'AbortError':
			return 'vvc_mic_busy';
		case 'TypeError':
			return 'vvc_mic_unsupported';
	}
	if ( countInputs ) {
		try {
			if ( ( await countInputs() ) === 0 ) {
				return 'vvc_mic_not_found';
			}
		} catch {
			// Unknown: fall through to the generic code.
		}
	}
	return 'vvc_mic_failed';
}

function isNamed( value: unknown ): value is { name: string } {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof ( value as { name?: unknown } ).name === 'string'
	);
}
