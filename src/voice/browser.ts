/**
 * Wires the recorder to the real browser: the one place that reads globals, so everything
 * else can be tested with fakes.
 */
import { createWorkerEncoderPort } from './encoder-port';
import type { WorkerHost } from './encoder-port';
import type { RecorderDeps } from './recorder';

export type VoiceAssetUrls = {
	/** build/voice/recorder-worklet.js */
	workletUrl: string;
	/** build/voice/encoder-worker.js */
	workerUrl: string;
};

type BrowserWindow = WorkerHost & {
	isSecureContext: boolean;
	navigator: { mediaDevices?: RecorderDeps[ 'mediaDevices' ] };
	AudioContext?: typeof AudioContext;
	/** Safari before 14.1; it has no AudioWorklet either, which start() reports. */
	webkitAudioContext?: typeof AudioContext;
	AudioWorkletNode?: typeof AudioWorkletNode;
};

/**
 * The recorder's dependencies in this browser.
 *
 * @param win  `window`.
 * @param urls Where the worklet and worker bundles are served.
 */
export function browserRecorderDeps(
	win: BrowserWindow,
	urls: VoiceAssetUrls
): RecorderDeps {
	return {
		mediaDevices: win.navigator.mediaDevices,
		isSecureContext: win.isSecureContext,
		// The DOM classes are typed wider than the recorder's view of them (connect() takes
		// any AudioNode or AudioParam, AudioWorkletNode any BaseAudioContext); the recorder
		// only ever joins nodes made by the one context it created, so the narrowing holds.
		AudioContext: ( win.AudioContext ??
			win.webkitAudioContext ) as unknown as RecorderDeps[ 'AudioContext' ],
		AudioWorkletNode:
			win.AudioWorkletNode as unknown as RecorderDeps[ 'AudioWorkletNode' ],
		workletUrl: urls.workletUrl,
		createEncoder: createWorkerEncoderPort( urls.workerUrl, win ),
		now: () => performance.now(),
	};
}

/**
 * Downloads the worklet and worker bundles into the HTTP cache ahead of the first recording
 * (call it while the consent notice is shown, or on the first hover of the mic button), so
 * starting does not wait on the network. Failures are ignored: start() reports them.
 *
 * @param urls    Where the bundles are served.
 * @param fetcher `window.fetch`.
 */
export function preloadVoiceAssets(
	urls: VoiceAssetUrls,
	fetcher: ( url: string, init: RequestInit ) => Promise< unknown >
): Promise< void > {
	return Promise.all(
		[ urls.workletUrl, urls.workerUrl ].map( ( url ) =>
			fetcher( url, { credentials: 'same-origin' } ).catch( () => null )
		)
	).then( () => undefined );
}
