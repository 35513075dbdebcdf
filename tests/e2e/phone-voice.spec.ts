/**
 * On a phone (the `phone` project: Chromium with a Pixel 7's screen, touch and user agent),
 * hold-to-talk: the visitor keeps a finger on the microphone while speaking and lifts it to
 * send. Real touch events (CDP Input.dispatchTouchEvent), not mouse clicks: the browser turns
 * them into pointer events, and a long touch must neither scroll, nor open the context menu,
 * nor cancel the pointer before the finger lifts.
 */
import { expect } from '@playwright/test';

import { CHAT_ROUTE, marker } from './chat-support';
import {
	microphoneTest,
	replyPlayedFor,
	startRecording,
	visitorChat,
} from './support/voice-flow';
import {
	scriptVoiceTurn,
	simRecords,
	uploadedAudio,
	withSettings,
} from './support/voice-stack';

const test = microphoneTest( ( question ) => ( {
	wav: question.path,
	prompt: true,
} ) );

/** A transcription model the other specs leave alone, so its script is only ours. */
const TRANSCRIBE_MODEL = 'gpt-4o-transcribe';

test( 'on a phone, holding the microphone records while the finger is down and lifting it sends', async ( {
	visitor,
	request,
	question,
} ) => {
	test.setTimeout( 120_000 );
	await withSettings(
		request,
		{ voice_pipeline: 'chained', transcribe_model: TRANSCRIBE_MODEL },
		async () => {
			const { page, chat } = await visitorChat( visitor );
			expect( page.viewportSize()?.width ).toBeLessThan( 500 );
			const mic = chat.locator( '.vvc-chat__mic' );

			// The first touch asks for consent; the visitor agrees, then cancels that
			// recording, as someone who wants to hold the button instead would.
			await startRecording( chat );
			await chat
				.getByRole( 'button', { name: 'Cancel', exact: true } )
				.tap();
			await expect( mic ).toHaveAttribute( 'aria-label', 'Ask by voice' );

			// The transcript carries the marker, and the chained pipeline asks the text model
			// the transcript: that is where the answer's script finds it.
			const code = marker( 'phone-hold' );
			const { transcript, reply, transcriptionId, replyId } =
				await scriptVoiceTurn( code, TRANSCRIBE_MODEL, false );

			const box = await mic.boundingBox();
			expect( box ).not.toBeNull();
			const finger = {
				x: box!.x + box!.width / 2,
				y: box!.y + box!.height / 2,
			};
			const touch = await page.context().newCDPSession( page );
			const sent = page.waitForRequest(
				( r ) =>
					r.url().includes( CHAT_ROUTE ) && r.method() === 'POST',
				{ timeout: 30_000 }
			);
			await touch.send( 'Input.dispatchTouchEvent', {
				type: 'touchStart',
				touchPoints: [ finger ],
			} );
			// Announced to screen readers: the button knows the finger is down.
			await expect(
				chat.locator( '.vvc-chat__voice' ).getByRole( 'status' )
			).toHaveText( 'Listening… release to send.' );
			// The finger stays down while the whole question plays.
			await page.waitForTimeout( question.fileSeconds * 1000 );
			await expect( mic ).toHaveAttribute(
				'aria-label',
				'Stop recording and send'
			);
			await expect( page.locator( '.vvc-chat__consent' ) ).toHaveCount(
				0
			);
			await touch.send( 'Input.dispatchTouchEvent', {
				type: 'touchEnd',
				touchPoints: [],
			} );
			await sent;

			await expect(
				chat.locator( '.vvc-chat__message--user' ).last()
			).toContainText( transcript );
			await expect(
				chat.locator( '.vvc-chat__message--assistant' ).last()
			).toContainText( reply, { timeout: 20_000 } );
			await replyPlayedFor( chat, 0.5 );

			const records = await simRecords(
				[ transcriptionId, replyId ],
				code
			);
			const audio = uploadedAudio(
				records.find( ( r ) => r.script_id === transcriptionId )!
			);
			expect( audio.silent ).toBe( false );
			expect(
				Math.abs( audio.duration_s - question.expectedSeconds )
			).toBeLessThanOrEqual( 0.3 );
		}
	);
} );
