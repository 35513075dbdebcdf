// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';

import {
	browserRecorderDeps,
	preloadVoiceAssets,
} from '../../../src/voice/browser';
import { createRecorder } from '../../../src/voice/recorder';
import { voiceErrorMessage } from '../../../src/voice/errors';
import type { VoiceErrorCode } from '../../../src/voice/errors';

describe( 'browserRecorderDeps', () => {
	it( 'reads the real globals (jsdom has no microphone and is not a secure context)', async () => {
		const deps = browserRecorderDeps( window, {
			workletUrl: '/build/voice/recorder-worklet.js',
			workerUrl: '/build/voice/encoder-worker.js',
		} );
		expect( deps.mediaDevices ).toBe( window.navigator.mediaDevices );
		expect( deps.isSecureContext ).toBe( window.isSecureContext );
		expect( deps.workletUrl ).toBe( '/build/voice/recorder-worklet.js' );

		const recorder = createRecorder( deps );
		await recorder.start();
		expect( recorder.getSnapshot().state ).toBe( 'error' );
		expect( [
			'vvc_mic_insecure_context',
			'vvc_mic_unsupported',
		] ).toContain( recorder.getSnapshot().error?.code );
	} );
} );

describe( 'voiceErrorMessage', () => {
	it( 'has a distinct sentence for every code', () => {
		const codes: VoiceErrorCode[] = [
			'vvc_mic_permission_denied',
			'vvc_mic_not_found',
			'vvc_mic_busy',
			'vvc_mic_insecure_context',
			'vvc_mic_unsupported',
			'vvc_mic_failed',
			'vvc_voice_silent',
			'vvc_voice_encoder_failed',
		];
		const messages = codes.map( voiceErrorMessage );
		expect( new Set( messages ).size ).toBe( codes.length );
		messages.forEach( ( message ) => expect( message ).toMatch( /\.$/ ) );
	} );
} );

describe( 'preloadVoiceAssets', () => {
	it( 'fetches both bundles and never rejects', async () => {
		const fetched: string[] = [];
		await expect(
			preloadVoiceAssets(
				{ workletUrl: '/w.js', workerUrl: '/e.js' },
				( url, init ) => {
					fetched.push( `${ url } ${ init.credentials }` );
					return url === '/e.js'
						? Promise.reject( new TypeError( 'offline' ) )
						: Promise.resolve( {} );
				}
			)
		).resolves.toBeUndefined();
		expect( fetched ).toEqual( [
			'/w.js same-origin',
			'/e.js same-origin',
		] );
	} );
} );
