/**
 * A spoken question that visitors keep asking is answered from the FAQ cache: Chromium's
 * fake microphone asks it in fresh conversations (each the first question of its own, so it
 * may be cached); once it has been asked as often as the site's "frequently asked" setting
 * wants, the next visitor gets the stored answer and its stored speech, and the simulator
 * sees only that visitor's transcription.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

import { expect } from '@playwright/test';
import type { Browser } from '@playwright/test';

import { CHAT_ROUTE, marker } from './chat-support';
import {
	askByVoice,
	microphoneTest,
	replyPlayedFor,
	visitorChat,
} from './support/voice-flow';
import type { SpokenQuestion } from './support/voice-audio';
import { queueScripts, simRecords, withSettings } from './support/voice-stack';
import type { SimRecord } from './support/voice-stack';

const test = microphoneTest( ( question ) => ( {
	wav: question.path,
	prompt: true,
} ) );

/**
 * The site's FAQ cache settings: whether it is on, and how many asks make a question
 * frequent (faq_min_asks).
 */
function faqSettings(): { enabled: boolean; minAsks: number } {
	const out = execFileSync(
		resolve( __dirname, '../stack/wp-php' ),
		[
			'$s = new VoiceVisionChat\\Settings\\Settings(); echo wp_json_encode( array( "enabled" => (bool) $s->get( "faq_enabled" ), "minAsks" => (int) $s->get( "faq_min_asks" ) ) );',
		],
		{ encoding: 'utf8' }
	);
	return JSON.parse( out ) as { enabled: boolean; minAsks: number };
}

type Ask = {
	/** The chat route's answer, as the widget received it (an event stream or JSON). */
	body: string;
	/** The transcription script this ask consumed. */
	transcriptionId: number;
};

/**
 * One visitor, in a browser of their own (a new conversation, the consent notice again),
 * asks the question aloud and hears the answer.
 *
 * @param browser    The browser whose microphone plays the question.
 * @param question   The WAV it plays.
 * @param transcript What the scripted transcription hears.
 * @param reply      The answer the visitor must get.
 * @param modelReply Scripts the text model's reply too (a miss), else none (a hit).
 */
async function askAloud(
	browser: Browser,
	question: SpokenQuestion,
	transcript: string,
	reply: string,
	modelReply: boolean
): Promise< Ask > {
	const [ transcriptionId ] = await queueScripts(
		// The transcription request carries only the recording: matched on its path, and
		// found in the log by the id of the script it consumed.
		{ match: { path: '/v1/audio/transcriptions' }, reply: { transcript } },
		...( modelReply
			? [
					{
						match: {
							path: '/v1/chat/completions',
							contains: transcript,
						},
						reply: { content: reply },
					},
				]
			: [] )
	);
	const context = await browser.newContext( {
		storageState: { cookies: [], origins: [] },
	} );
	try {
		// Passed through whole, to read what the widget was told (a stream's body is not
		// kept by the browser's devtools protocol).
		let body = '';
		await context.route(
			( url ) => url.href.includes( CHAT_ROUTE ),
			async ( route ) => {
				const response = await route.fetch();
				body = await response.text();
				await route.fulfill( { response, body } );
			}
		);
		const { chat } = await visitorChat( context );
		await askByVoice( chat, question );
		await expect(
			chat.locator( '.vvc-chat__message--user' ).last()
		).toContainText( transcript );
		await expect(
			chat.locator( '.vvc-chat__message--assistant' ).last()
		).toContainText( reply, { timeout: 20_000 } );
		const controls = chat.locator( '.vvc-chat__voice-reply' ).last();
		await expect( controls ).toBeVisible();
		await expect( controls.locator( '.vvc-chat__ai-label' ) ).toHaveText(
			'AI-generated voice'
		);
		await replyPlayedFor( chat, 0.5 );
		return { body, transcriptionId: transcriptionId! };
	} finally {
		await context.close();
	}
}

test( 'a spoken question asked again is answered from the FAQ cache with audio, costing only its transcription', async ( {
	browser,
	request,
	question,
} ) => {
	const { enabled, minAsks: asks } = faqSettings();
	expect( enabled, 'the FAQ cache is on (its default)' ).toBe( true );
	test.setTimeout( 60_000 + asks * 30_000 );
	// Letters only: digits in a question could read as an order number, which is never cached.
	const code = marker( 'faq-voice' ).replace(
		/\d/g,
		( digit ) => 'ghijklmnop'[ Number( digit ) ]!
	);
	const transcript = `What time do you open on Sundays ${ code }?`;
	const reply = `We open at ten on Sundays. ${ code }`;

	await withSettings( request, { voice_pipeline: 'chained' }, async () => {
		// The model answers until the question counts as frequently asked; the last of
		// these answers is stored with its speech.
		for ( let ask = 1; ask <= asks; ask++ ) {
			const missed = await askAloud(
				browser,
				question,
				transcript,
				reply,
				true
			);
			expect( missed.body, `ask ${ ask } is the model's` ).not.toContain(
				'"source":"faq"'
			);
		}
		const before = new Set(
			( await simRecords( [], code ) ).map( ( record ) => record.id )
		);
		expect(
			before.size,
			'the model and speech were called while it was not cached'
		).toBeGreaterThanOrEqual( 2 * asks );

		const hit = await askAloud(
			browser,
			question,
			transcript,
			reply,
			false
		);
		expect( hit.body ).toContain( '"source":"faq"' );
		const since = (
			await simRecords( [ hit.transcriptionId ], code )
		).filter( ( record: SimRecord ) => ! before.has( record.id ) );
		expect(
			since.map( ( record ) => record.path ),
			'only the transcription reached the provider'
		).toEqual( [ '/v1/audio/transcriptions' ] );
	} );
} );
