/**
 * A visitor whose browser refuses the microphone: headless Chromium without
 * --use-fake-ui-for-media-stream dismisses the permission prompt, as a visitor who blocks it
 * would; in Firefox (project `firefox`) the site's microphone permission is "Block". The
 * widget says what to do instead, and nothing is sent.
 */
import { expect } from '@playwright/test';

import { microphoneTest, recordingRefused } from './support/voice-flow';

const test = microphoneTest( ( question ) => ( {
	wav: question.path,
	prompt: false,
} ) );

test( 'a refused microphone permission is explained, and nothing is sent', async ( {
	visitor,
} ) => {
	const { chat, sent } = await recordingRefused(
		visitor,
		'Microphone access is blocked. To ask by voice, allow the microphone for this site in your browser settings'
	);
	await expect( chat.locator( '.vvc-chat__mic' ) ).toBeEnabled();
	await expect( chat.locator( '.vvc-chat__recording' ) ).toHaveCount( 0 );
	expect( sent ).toEqual( [] );
} );
