/**
 * What a visitor does to ask by voice, for the voice specs: a browser whose microphone is a
 * WAV file, a fresh visitor page on the demo, and the press / agree / speak / press-again
 * sequence of the microphone button.
 */
import { expect, test as base } from '@playwright/test';
import type { BrowserContext, Locator, Page } from '@playwright/test';

import { CHAT_ROUTE, openChat } from '../chat-support';
import {
	fakeMicrophoneArgs,
	fakeMicrophonePrefs,
	speakQuestion,
} from './voice-audio';
import type { SpokenQuestion } from './voice-audio';

/** What the fake microphone says. */
export const SPOKEN_TEXT = 'What time do you open on Sundays?';

type MicrophoneSetup = {
	/** The WAV the microphone plays, null for a browser without one. */
	wav: string | null;
	/** Whether the permission prompt is accepted. */
	prompt: boolean;
};

/**
 * Playwright's test with a browser whose microphone is set up as asked (launch options are
 * per worker: one setup per spec file), in Chromium or Firefox.
 *
 * @param setup Microphone, and whether its permission prompt is accepted.
 */
export function microphoneTest(
	setup: ( question: SpokenQuestion ) => MicrophoneSetup
) {
	return base.extend<
		{ visitor: BrowserContext },
		{ question: SpokenQuestion }
	>( {
		question: [
			async ( {}, provide ) => provide( speakQuestion( SPOKEN_TEXT ) ),
			{ scope: 'worker' },
		],
		launchOptions: [
			async ( { launchOptions, question, browserName }, provide ) => {
				const { wav, prompt } = setup( question );
				if ( browserName === 'firefox' ) {
					await provide( {
						...launchOptions,
						firefoxUserPrefs: {
							...launchOptions.firefoxUserPrefs,
							...fakeMicrophonePrefs( wav !== null, prompt ),
						},
					} );
					return;
				}
				await provide( {
					...launchOptions,
					args: [
						...( launchOptions.args ?? [] ),
						...fakeMicrophoneArgs( wav, prompt ),
					],
				} );
			},
			{ scope: 'worker' },
		],
		// A logged-out visitor on the project's device (a phone in the `phone` project); the
		// test's own `request` stays the admin's.
		visitor: async (
			{
				browser,
				viewport,
				isMobile,
				hasTouch,
				userAgent,
				deviceScaleFactor,
			},
			provide
		) => {
			const context = await browser.newContext( {
				storageState: { cookies: [], origins: [] },
				viewport,
				isMobile,
				hasTouch,
				userAgent,
				deviceScaleFactor,
			} );
			await provide( context );
			await context.close();
		},
	} );
}

/**
 * A visitor's page on the demo with the widget loaded.
 *
 * @param context The visitor's browser context.
 */
export async function visitorChat(
	context: BrowserContext
): Promise< { page: Page; chat: Locator } > {
	const page = await context.newPage();
	const chat = await openChat( page );
	return { page, chat };
}

/**
 * Presses the microphone and agrees to the notice shown before the first recording.
 *
 * @param chat The chat block.
 */
export async function startRecording( chat: Locator ): Promise< void > {
	const mic = chat.locator( '.vvc-chat__mic' );
	await mic.click();
	const consent = chat.getByRole( 'dialog', { name: 'Before you record' } );
	await expect( consent ).toBeVisible();
	await expect( consent ).toContainText( 'your recording is sent' );
	await consent.getByRole( 'button', { name: 'Agree and record' } ).click();
}

/**
 * Presses the microphone on a fresh visitor page where recording cannot start, and checks
 * what every such failure shows: the reason in an alert, the button back to its idle
 * label, the question box still usable.
 *
 * @param context The visitor's browser context.
 * @param reason  What the alert must say.
 * @return The chat block, and the /chat requests the page sent (to be checked last).
 */
export async function recordingRefused(
	context: BrowserContext,
	reason: string
): Promise< { chat: Locator; sent: string[] } > {
	const { page, chat } = await visitorChat( context );
	const sent: string[] = [];
	page.on( 'request', ( request ) => {
		if ( request.url().includes( CHAT_ROUTE ) ) {
			sent.push( request.url() );
		}
	} );

	await startRecording( chat );

	await expect( chat.getByRole( 'alert' ) ).toContainText( reason );
	await expect( chat.locator( '.vvc-chat__mic' ) ).toHaveAttribute(
		'aria-label',
		'Ask by voice'
	);
	await expect( chat.getByLabel( 'Your question' ) ).toBeEditable();
	return { chat, sent };
}

/**
 * Records the fake microphone's whole question and sends it: press, agree, let the WAV play
 * out (its silence included), press again.
 *
 * @param chat     The chat block.
 * @param question The WAV the microphone plays.
 * @return performance.now() in the page when the visitor pressed stop.
 */
export async function askByVoice(
	chat: Locator,
	question: SpokenQuestion
): Promise< number > {
	await startRecording( chat );
	const mic = chat.locator( '.vvc-chat__mic' );
	await expect( mic ).toHaveAttribute(
		'aria-label',
		'Stop recording and send'
	);
	await expect( chat.locator( '.vvc-chat__recording' ) ).toBeVisible();
	// The device plays the file from when it opened: by the end, only its silence is left.
	await chat.page().waitForTimeout( question.fileSeconds * 1000 );
	await expect( chat.locator( '.vvc-chat__elapsed' ) ).toContainText(
		' of 1:00'
	);
	const stoppedAt = await chat.page().evaluate( () => performance.now() );
	await mic.click();
	return stoppedAt;
}

/**
 * Resolves, in the page, with performance.now() when the spoken reply's controls appear
 * (the first audio chunk has been handed to the player). Call before the question is sent.
 *
 * @param page The visitor's page.
 */
export async function watchFirstReplyAudio( page: Page ): Promise< void > {
	await page.evaluate( () => {
		const win = window as unknown as {
			vvcFirstAudioAt?: Promise< number >;
		};
		win.vvcFirstAudioAt = new Promise( ( resolve ) => {
			const observer = new MutationObserver( () => {
				if ( document.querySelector( '.vvc-chat__voice-reply' ) ) {
					observer.disconnect();
					resolve( performance.now() );
				}
			} );
			observer.observe( document.body, {
				childList: true,
				subtree: true,
			} );
		} );
	} );
}

/**
 * When the reply's audio controls appeared (see watchFirstReplyAudio), performance.now().
 *
 * @param page The visitor's page.
 */
export function firstReplyAudioAt( page: Page ): Promise< number > {
	return page.evaluate(
		() =>
			( window as unknown as { vvcFirstAudioAt: Promise< number > } )
				.vvcFirstAudioAt
	);
}

/**
 * Waits until the spoken reply has been heard for at least `seconds` (the player's clock
 * advances), and returns the position it read.
 *
 * @param chat    The chat block.
 * @param seconds How much must have played.
 */
export async function replyPlayedFor(
	chat: Locator,
	seconds: number
): Promise< number > {
	const time = chat.locator( '.vvc-chat__voice-time' ).last();
	let position = 0;
	await expect
		.poll(
			async () => {
				position = Number( await time.getAttribute( 'data-position' ) );
				return position;
			},
			{ timeout: 15_000, message: 'the reply plays' }
		)
		.toBeGreaterThanOrEqual( seconds );
	return position;
}
