/**
 * Types shared by the recorder (main thread), the encoder (worker) and the worklet.
 * Types and one constant only, so every bundle can import them without pulling code in.
 */

/** The only two formats the chat audio models accept (the transcription endpoint takes both too). */
export type AudioFormat = 'mp3' | 'wav';

/** MPEG-2 Layer III bitrates near the 24-32 kbps target (there is no 28). */
export type Mp3Kbps = 24 | 32;

/** An encoder fed 16 kHz mono PCM as it arrives. */
export type ChunkedAudioEncoder = {
	readonly format: AudioFormat;
	readonly mimeType: string;
	encode: ( samples: Float32Array ) => void;
	/** Flushes the encoder and returns the whole file. The encoder is spent afterwards. */
	finish: () => Uint8Array;
};

export type SilenceSettings = {
	/** Frames quieter than this (RMS, dB relative to full scale) count as silence. */
	thresholdDb: number;
	/** Silence kept before the first and after the last loud frame. */
	marginMs: number;
};

/** What the recorder asks of the encoder when a recording starts. */
export type EncoderSettings = {
	/** The AudioContext's rate (44.1 or 48 kHz on most devices). */
	inputSampleRate: number;
	/** Preferred format; 'wav' is used anyway when the MP3 encoder cannot start. */
	format: AudioFormat;
	mp3Kbps: Mp3Kbps;
	/** Input beyond this is ignored, whatever the main thread sends. */
	maxDurationMs: number;
	/** False keeps leading and trailing silence. */
	silence: SilenceSettings | false;
};

/** A finished recording, 16 kHz mono. */
export type EncodedAudio = {
	bytes: Uint8Array;
	format: AudioFormat;
	mimeType: string;
	sampleRate: number;
	/** Length of the encoded audio after trimming (0 when nothing but silence was heard). */
	durationMs: number;
	/** Length of what was captured, before trimming. */
	capturedMs: number;
};

/** Messages to the encoder (worker or in-thread). */
export type EncoderRequest =
	| { type: 'start'; settings: EncoderSettings }
	| { type: 'chunk'; samples: Float32Array }
	| { type: 'finish' }
	| { type: 'cancel' };

/** Messages from the encoder. */
export type EncoderResponse =
	/** The session started; `format` says whether MP3 could be used. */
	| { type: 'ready'; format: AudioFormat }
	| { type: 'done'; audio: EncodedAudio }
	| { type: 'error'; message: string };

/** Messages from the recorder worklet to the main thread. */
export type WorkletMessage =
	/** Mono PCM at the context's rate and its RMS level (linear, 0..1). */
	| { type: 'pcm'; samples: Float32Array; level: number }
	/** Everything captured before the flush request has been posted. */
	| { type: 'flushed' };

/** Messages from the main thread to the recorder worklet. */
export type WorkletRequest = { type: 'flush' };

/** Name under which the worklet registers its processor. */
export const WORKLET_PROCESSOR_NAME = 'vvc-recorder';
