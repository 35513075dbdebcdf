/**
 * Asking by voice end to end: Chromium's fake microphone plays a question espeak-ng spoke,
 * the widget records, trims and encodes it and sends it through the plugin's proxy to the
 * simulator, which measures what it received; the scripted transcript becomes the visitor's
 * message and the spoken reply plays with its transcript. Both pipelines, and a voice
 * question with a photo (always chained).
 */
import { expect } from '@playwright/test';
import type { Locator, Page, Request } from '@playwright/test';

import { CHAT_ROUTE, cameraPhoto, marker } from './chat-support';
import {
	askByVoice,
	firstReplyAudioAt,
	microphoneTest,
	replyPlayedFor,
	visitorChat,
	watchFirstReplyAudio,
} from './support/voice-flow';
import type { SpokenQuestion } from './support/voice-audio';
import {
	queueScripts,
	scriptVoiceTurn,
	simRecords,
	uploadedAudio,
	withSettings,
} from './support/voice-stack';
import type { SimRecord, AudioFacts } from './support/voice-stack';

const test = microphoneTest( ( question ) => ( {
	wav: question.path,
	prompt: true,
} ) );

/** How far the uploaded recording may be from the speech plus the recorder's margins, s. */
const DURATION_TOLERANCE = 0.3;
/**
 * The transcription request carries no text of ours to match a script on: these tests
 * switch the site to a transcription model other tests leave alone, and match on it.
 */
const TRANSCRIBE_MODEL = 'gpt-4o-transcribe';

test.describe.configure( { timeout: 120_000 } );

/**
 * A typed first turn that carries the marker, so the voice turn's chat request (which
 * sends it back as history) can be scripted and found in the simulator's log.
 *
 * @param chat The chat block.
 * @param code The marker.
 */
async function typedTurn( chat: Locator, code: string ) {
	await queueScripts( {
		match: { path: '/v1/chat/completions', contains: code },
		reply: { content: `Noted ${ code }.` },
	} );
	await chat
		.getByLabel( 'Your question' )
		.fill( `Please remember ${ code }.` );
	await chat.getByLabel( 'Your question' ).press( 'Enter' );
	await expect(
		chat.locator( '.vvc-chat__message--assistant' ).last()
	).toContainText( `Noted ${ code }.` );
}

/**
 * The visitor's next question to /chat (the recording: the typed turn is answered by then).
 *
 * @param page The visitor's page.
 */
function nextQuestion( page: Page ): Promise< Request > {
	return page.waitForRequest(
		( request ) =>
			request.url().includes( CHAT_ROUTE ) && request.method() === 'POST',
		{ timeout: 30_000 }
	);
}

type Turn = {
	transcript: string;
	reply: string;
	records: SimRecord[];
	transcriptionId: number;
	/** From pressing stop to the reply's audio controls appearing, ms. */
	firstAudioMs: number;
};

/**
 * One voice turn after a typed one, with the transcription and the answer scripted.
 *
 * @param page     The visitor's page.
 * @param chat     The chat block.
 * @param question The WAV the microphone plays.
 * @param name     Names the marker.
 * @param native   The answer comes from the audio chat model (its text is the audio's transcript).
 * @param prepare  What the visitor does after the typed turn, before recording.
 */
async function voiceTurn(
	page: Page,
	chat: Locator,
	question: SpokenQuestion,
	name: string,
	native: boolean,
	prepare?: () => Promise< void >
): Promise< Turn > {
	const code = marker( name );
	await typedTurn( chat, code );
	await prepare?.();
	const { transcript, reply, transcriptionId, replyId } =
		await scriptVoiceTurn( code, TRANSCRIBE_MODEL, native );
	await watchFirstReplyAudio( page );
	// Chromium does not show Playwright a body holding a recorded Blob: what was uploaded is
	// read from the simulator's log below (the plugin passes the bytes on unchanged).
	const sent = nextQuestion( page );
	const stoppedAt = await askByVoice( chat, question );
	await sent;

	const asked = chat.locator( '.vvc-chat__message--user' ).last();
	await expect( asked ).toContainText( transcript );
	const answer = chat.locator( '.vvc-chat__message--assistant' ).last();
	await expect( answer ).toContainText( reply, { timeout: 20_000 } );
	const firstAudioMs = ( await firstReplyAudioAt( page ) ) - stoppedAt;

	const controls = chat.locator( '.vvc-chat__voice-reply' ).last();
	await expect( controls ).toBeVisible();
	await expect( controls.locator( '.vvc-chat__ai-label' ) ).toHaveText(
		'AI-generated voice'
	);
	// The reply's text is the audio's caption.
	const captionId = await controls.getAttribute( 'aria-describedby' );
	await expect( answer ).toHaveAttribute( 'id', captionId! );
	await replyPlayedFor( chat, 0.5 );
	await expect(
		controls.getByRole( 'button', { name: 'Pause' } )
	).toBeVisible();

	return {
		transcript,
		reply,
		records: await simRecords( [ transcriptionId, replyId ], code ),
		transcriptionId,
		firstAudioMs,
	};
}

/**
 * The checks every recording must pass, on what the simulator decoded.
 *
 * @param turn     The voice turn.
 * @param question The WAV the microphone played.
 */
function expectFaithfulRecording( turn: Turn, question: SpokenQuestion ) {
	const transcription = turn.records.find(
		( record ) => record.script_id === turn.transcriptionId
	);
	expect( transcription, 'the recording was transcribed' ).toBeDefined();
	const audio = uploadedAudio( transcription! );
	expect( [ 'mp3', 'wav' ] ).toContain( audio.format );
	// The plugin passes the bytes on as they came: what the browser sent.
	const file = transcription!.multipart?.files[ 0 ];
	expect( file?.filename ).toBe( `voice.${ audio.format }` );
	expect( file?.size ).toBe( audio.bytes );
	expect( audio.sample_rate ).toBe( 16000 );
	expect( audio.channels ).toBe( 1 );
	expect( audio.silent ).toBe( false );
	expect(
		Math.abs( audio.duration_s - question.expectedSeconds ),
		`recorded ${ audio.duration_s } s for ${ question.expectedSeconds.toFixed(
			2
		) } s of speech and margins`
	).toBeLessThanOrEqual( DURATION_TOLERANCE );
	test.info().annotations.push(
		{
			type: 'upload',
			description: `${ file?.filename }: ${ audio.bytes } bytes for ${
				audio.duration_s
			} s = ${ Math.round(
				audio.bytes / audio.duration_s
			) } B/s (speech ${ question.speechSeconds.toFixed( 2 ) } s)`,
		},
		{
			type: 'end of speech to first reply audio',
			description: `${ Math.round( turn.firstAudioMs ) } ms`,
		}
	);
	return audio;
}

type VoiceCase = {
	pipeline: 'native' | 'chained';
	/** Names the marker. */
	name: string;
	/** The answer comes from the audio chat model. */
	native: boolean;
	/** What the visitor does after the typed turn, before recording. */
	prepare?: ( chat: Locator ) => Promise< void >;
};

/**
 * A test that runs one voice turn on a fresh visitor page with the site switched to the
 * case's pipeline (restored afterwards), checks the recording, then runs its own checks.
 *
 * @param title     The test's title.
 * @param voiceCase Pipeline, marker name, and what the visitor does first.
 * @param check     The test's own checks on the turn.
 */
function voiceTest(
	title: string,
	voiceCase: VoiceCase,
	check: ( turn: Turn, audio: AudioFacts, chat: Locator ) => Promise< void >
): void {
	test( title, async ( { visitor, request, question } ) => {
		await withSettings(
			request,
			{
				voice_pipeline: voiceCase.pipeline,
				transcribe_model: TRANSCRIBE_MODEL,
			},
			async () => {
				const { page, chat } = await visitorChat( visitor );
				const prepare = voiceCase.prepare;
				const turn = await voiceTurn(
					page,
					chat,
					question,
					voiceCase.name,
					voiceCase.native,
					prepare && ( () => prepare( chat ) )
				);
				await check(
					turn,
					expectFaithfulRecording( turn, question ),
					chat
				);
			}
		);
	} );
}

/**
 * The turn's chat completions whose body holds the given text.
 *
 * @param turn The voice turn.
 * @param text What the body must contain.
 */
function completionsWith( turn: Turn, text: string ): SimRecord[] {
	return turn.records.filter(
		( record ) =>
			record.path === '/v1/chat/completions' &&
			JSON.stringify( record.body ).includes( text )
	);
}

/**
 * The turn's text-to-speech requests.
 *
 * @param turn The voice turn.
 */
function speechRequests( turn: Turn ): SimRecord[] {
	return turn.records.filter(
		( record ) => record.path === '/v1/audio/speech'
	);
}

voiceTest(
	'a spoken question is answered by the native audio model, and the answer plays',
	{ pipeline: 'native', name: 'voice-native', native: true },
	async ( turn, audio ) => {
		// One audio chat completion heard the same recording and spoke the answer.
		const completions = completionsWith( turn, 'input_audio' );
		expect( completions ).toHaveLength( 1 );
		const heard = uploadedAudio( completions[ 0 ]! );
		expect( heard.duration_s ).toBe( audio.duration_s );
		expect( completions[ 0 ]!.body ).toMatchObject( {
			modalities: [ 'text', 'audio' ],
			stream: true,
			audio: { format: 'pcm16' },
		} );
		expect( speechRequests( turn ), 'no separate speech request' ).toEqual(
			[]
		);
	}
);

voiceTest(
	'the chained pipeline transcribes, answers with the text model and speaks the answer',
	{ pipeline: 'chained', name: 'voice-chained', native: false },
	async ( turn ) => {
		// The text model was asked the transcript, and speech read the answer.
		const asked = completionsWith( turn, turn.transcript );
		expect( asked ).toHaveLength( 1 );
		expect( JSON.stringify( asked[ 0 ]!.body ) ).not.toContain(
			'input_audio'
		);
		const spoken = speechRequests( turn );
		expect( spoken.length ).toBeGreaterThanOrEqual( 1 );
		expect(
			spoken
				.map( ( record ) => ( record.body as { input: string } ).input )
				.join( ' ' )
		).toContain( turn.reply );
	}
);

voiceTest(
	'a voice question with a photo goes through the chained pipeline, even when native is chosen',
	{
		pipeline: 'native',
		name: 'voice-photo',
		native: false,
		prepare: async ( chat ) => {
			await chat
				.locator( 'input[type="file"]' )
				.setInputFiles( cameraPhoto() );
			await expect( chat.locator( '.vvc-chat__thumb' ) ).toBeVisible();
		},
	},
	async ( turn, _audio, chat ) => {
		await expect(
			chat.locator( '.vvc-chat__message--user .vvc-chat__photo' ).last()
		).toBeVisible();

		const asked = completionsWith( turn, turn.transcript );
		expect( asked ).toHaveLength( 1 );
		expect(
			asked[ 0 ]!.media.filter( ( item ) => item.kind === 'image' ),
			'the photo went to the text/vision model'
		).toHaveLength( 1 );
		expect(
			turn.records.filter( ( record ) =>
				JSON.stringify( record.body ?? '' ).includes( 'input_audio' )
			),
			'no audio chat model'
		).toEqual( [] );
		expect( speechRequests( turn ).length ).toBeGreaterThan( 0 );
	}
);
