/**
 * A visitor without a microphone: Chromium here has no fake capture device and the machine
 * has no sound card, so the permission is granted but there is nothing to record from.
 */
import { expect } from '@playwright/test';

import { CHAT_ROUTE } from './chat-support';
import {
	microphoneTest,
	startRecording,
	visitorChat,
} from './support/voice-flow';

const test = microphoneTest( () => ( { wav: null, prompt: true } ) );

test( 'a missing microphone is explained, and the visitor can type instead', async ( {
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
		'No microphone was found. Connect one and try again, or type your question.'
	);
	await expect( chat.locator( '.vvc-chat__mic' ) ).toHaveAttribute(
		'aria-label',
		'Ask by voice'
	);
	await expect( chat.getByLabel( 'Your question' ) ).toBeEditable();
	expect( sent ).toEqual( [] );
} );
