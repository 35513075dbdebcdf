/**
 * A visitor whose browser refuses the microphone: headless Chromium without
 * --use-fake-ui-for-media-stream dismisses the permission prompt, as a visitor who blocks it
 * would. The widget says what to do instead, and nothing is sent.
 */
import { expect } from '@playwright/test';

import { CHAT_ROUTE } from './chat-support';
import {
	microphoneTest,
	startRecording,
	visitorChat,
} from './support/voice-flow';

const test = microphoneTest( ( question ) => ( {
	wav: question.path,
	prompt: false,
} ) );

test( 'a refused microphone permission is explained, and nothing is sent', async ( {
	visitor,
} ) => {
	const { page, chat } = await visitorChat( visitor );
	const sent: string[] = [];
	page.on( 'request', ( request ) => {
		if ( request.url().includes( CHAT_ROUTE ) ) {
			sent.push( request.url() );
		}
	} );

	await startRecording( chat );

	await expect( chat.getByRole( 'alert' ) ).toContainText(
		'Microphone access is blocked. To ask by voice, allow the microphone for this site in your browser settings'
	);
	const mic = chat.locator( '.vvc-chat__mic' );
	await expect( mic ).toHaveAttribute( 'aria-label', 'Ask by voice' );
	await expect( mic ).toBeEnabled();
	await expect( chat.locator( '.vvc-chat__recording' ) ).toHaveCount( 0 );
	// Typing still works.
	await expect( chat.getByLabel( 'Your question' ) ).toBeEditable();
	expect( sent ).toEqual( [] );
} );
