/**
 * What the chat widget loads, with a dynamic import(), the first time a visitor uses the
 * microphone. The MP3 encoder is not in here: it lives in the worker bundle.
 */
export { browserRecorderDeps, preloadVoiceAssets } from './browser';
export type { VoiceAssetUrls } from './browser';
export {
	browserStorage,
	CONSENT_STORAGE_KEY,
	createVoiceConsent,
} from './consent';
export type { ConsentChoice, ConsentStorage, VoiceConsent } from './consent';
export { voiceErrorMessage } from './errors';
export type { VoiceError, VoiceErrorCode } from './errors';
export {
	createRecorder,
	DEFAULT_MAX_DURATION_MS,
	meterLevel,
} from './recorder';
export type {
	Recorder,
	RecorderOptions,
	RecorderSnapshot,
	RecorderState,
	Recording,
} from './recorder';
