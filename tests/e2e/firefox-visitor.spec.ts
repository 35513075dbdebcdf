/**
 * The visitor's side in Firefox (Gecko), not only Chromium: a typed question with a photo and
 * its streamed answer, and a spoken question recorded through Gecko's own getUserMedia,
 * AudioWorklet and resampling, answered aloud.
 *
 * Runs in the `firefox` project only (sid's current Firefox over WebDriver BiDi, see
 * tests/stack/firefox.sh). Two things differ from the Chromium specs because of what
 * Playwright can do over BiDi, not because of the widget: text is typed key by key (BiDi's
 * fill() sets the value without an edit React notices, which no visitor can do), and the
 * uploaded photo is copied in the page as it is handed to fetch() (BiDi shows Playwright
 * no multipart bodies).
 * Firefox's fake microphone is a tone, not speech: the recording is checked for what the
 * recorder must do with any sound (16 kHz mono, its length, not silent), the transcript is
 * scripted as in the Chromium voice specs.
 */
import { expect, test } from '@playwright/test';

import {
	cameraPhoto,
	jpegFacts,
	marker,
	openChat,
	sha256,
	simRequests,
	typeQuestion,
} from './chat-support';
import { watchPageHealth } from './support/page-health';
import { readStackEnv } from './support/stack-env';
import { replyPlayedFor, startRecording } from './support/voice-flow';
import {
	queueScripts,
	scriptVoiceTurn,
	simRecords,
	uploadedAudio,
	withSettings,
} from './support/voice-stack';

const stack = readStackEnv();

/** A transcription model the other specs leave alone, so its script is only ours. */
const TRANSCRIBE_MODEL = 'gpt-4o-transcribe';

test.describe( 'as a logged-out visitor', () => {
	// No admin bar, so no Gravatar image the offline machine cannot load.
	test.use( { storageState: { cookies: [], origins: [] } } );

	test( 'in Firefox, a photo is sent scaled to 1024 px without EXIF, and the answer streams in formatted', async ( {
		page,
		browserName,
	} ) => {
		expect( browserName ).toBe( 'firefox' );
		const problems = watchPageHealth( page, stack.VVC_SITE_URL );
		const question = marker( 'firefox-photo' );
		await queueScripts( {
			match: { path: '/v1/chat/completions', contains: question },
			reply: {
				content: `**A test pattern** for ${ question }. See [our page](https://example.org/patterns).`,
			},
		} );

		// A copy of the photo part as the widget hands it to fetch(); the request goes on as is.
		await page.addInitScript( () => {
			const send = window.fetch.bind( window );
			window.fetch = async ( input, init ) => {
				const photo =
					init?.body instanceof FormData
						? init.body.get( 'image' )
						: null;
				if ( photo instanceof Blob ) {
					const bytes = new Uint8Array( await photo.arrayBuffer() );
					(
						window as unknown as { vvcSentPhoto: number[] }
					 ).vvcSentPhoto = Array.from( bytes );
				}
				return send( input, init );
			};
		} );
		const chat = await openChat( page );
		await chat
			.locator( 'input[type="file"]' )
			.setInputFiles( cameraPhoto() );
		await expect(
			chat.getByRole( 'img', { name: 'Photo to send' } )
		).toBeVisible();
		await typeQuestion( chat, `${ question } what is this?` );
		await chat.getByLabel( 'Your question' ).press( 'Enter' );

		const reply = chat.locator( '.vvc-chat__message--assistant' ).last();
		await expect( reply ).toContainText(
			`A test pattern for ${ question }`
		);
		await expect( reply.locator( 'strong' ) ).toHaveText(
			'A test pattern'
		);
		await expect(
			reply.getByRole( 'link', { name: 'our page' } )
		).toHaveAttribute( 'rel', 'noopener nofollow ugc' );
		await expect(
			chat.getByRole( 'img', { name: 'Your photo' } )
		).toBeVisible();

		const upstream = await simRequests( question );
		expect( upstream ).toHaveLength( 1 );
		expect( upstream[ 0 ]?.stream ).toBe( true );
		expect( upstream[ 0 ]?.chunks_sent ).toBeGreaterThan( 3 );
		// What Firefox made of the 4000x3000 camera JPEG, as the provider received it.
		const image = upstream[ 0 ]?.media?.find( ( m ) => m.kind === 'image' );
		expect( image ).toMatchObject( {
			type: 'jpeg',
			width: 1024,
			height: 768,
		} );
		const sent = Buffer.from(
			await page.evaluate(
				() =>
					( window as unknown as { vvcSentPhoto: number[] } )
						.vvcSentPhoto
			)
		);
		expect( sha256( sent ), 'the provider got what the page sent' ).toBe(
			image?.sha256
		);
		const facts = jpegFacts( sent );
		expect( { width: facts.width, height: facts.height } ).toEqual( {
			width: 1024,
			height: 768,
		} );
		expect( facts.markers, 'no EXIF (APP1) segment' ).not.toContain(
			0xffe1
		);
		expect( sent.includes( Buffer.from( 'Exif\0\0', 'latin1' ) ) ).toBe(
			false
		);
		expect( problems.list ).toEqual( [] );
	} );
} );

test( 'in Firefox, a spoken question is recorded as 16 kHz mono and the spoken answer plays', async ( {
	page,
	request,
} ) => {
	test.setTimeout( 120_000 );
	await withSettings(
		request,
		{ voice_pipeline: 'chained', transcribe_model: TRANSCRIBE_MODEL },
		async () => {
			const code = marker( 'firefox-voice' );
			// A typed turn first: the spoken question then travels with a conversation
			// history, as it usually does.
			await queueScripts( {
				match: { path: '/v1/chat/completions', contains: code },
				reply: { content: `Noted ${ code }.` },
			} );
			const chat = await openChat( page );
			await typeQuestion( chat, `Please remember ${ code }.` );
			await chat.getByLabel( 'Your question' ).press( 'Enter' );
			await expect(
				chat.locator( '.vvc-chat__message--assistant' ).last()
			).toContainText( `Noted ${ code }.` );

			const { transcript, reply, transcriptionId, replyId } =
				await scriptVoiceTurn( code, TRANSCRIBE_MODEL, false );

			await startRecording( chat );
			const mic = chat.locator( '.vvc-chat__mic' );
			await expect( mic ).toHaveAttribute(
				'aria-label',
				'Stop recording and send'
			);
			const startedAt = Date.now();
			await expect( chat.locator( '.vvc-chat__elapsed' ) ).toContainText(
				'0:02'
			);
			await mic.click();
			const recordedSeconds = ( Date.now() - startedAt ) / 1000;

			await expect(
				chat.locator( '.vvc-chat__message--user' ).last()
			).toContainText( transcript );
			const answer = chat
				.locator( '.vvc-chat__message--assistant' )
				.last();
			await expect( answer ).toContainText( reply, { timeout: 20_000 } );
			await expect(
				chat
					.locator( '.vvc-chat__voice-reply .vvc-chat__ai-label' )
					.last()
			).toHaveText( 'AI-generated voice' );
			await replyPlayedFor( chat, 0.5 );

			const records = await simRecords(
				[ transcriptionId, replyId ],
				code
			);
			const transcription = records.find(
				( record ) => record.script_id === transcriptionId
			);
			expect(
				transcription,
				'the recording was transcribed'
			).toBeDefined();
			const audio = uploadedAudio( transcription! );
			test.info().annotations.push( {
				type: 'firefox recording',
				description: `${ audio.format } ${ audio.sample_rate } Hz ${ audio.channels } ch, ${ audio.duration_s } s of ${ recordedSeconds.toFixed( 2 ) } s pressed, ${ audio.rms_dbfs } dBFS, ${ audio.bytes } bytes`,
			} );
			expect( [ 'mp3', 'wav' ] ).toContain( audio.format );
			expect( audio.sample_rate ).toBe( 16000 );
			expect( audio.channels ).toBe( 1 );
			expect( audio.silent ).toBe( false );
			// A steady tone has no silence to trim: about as long as the button was held
			// down, less the start-up the recorder may miss.
			expect( audio.duration_s ).toBeGreaterThan( 1.5 );
			expect( audio.duration_s ).toBeLessThanOrEqual(
				recordedSeconds + 0.3
			);
		}
	);
} );
