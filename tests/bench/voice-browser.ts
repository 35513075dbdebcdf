/**
 * What a voice question costs in the browser, on the running stack: Chromium's fake
 * microphone plays a question espeak-ng spoke, the widget records and sends it, and the
 * simulator answers (with whatever latency it is configured with; default: none).
 *
 *   tsx tests/bench/voice-browser.ts [runs=3]
 *
 * For each pipeline it prints the upload (format, bytes, seconds of audio, bytes per second)
 * and the time from the visitor's stop press (the end of speech as far as the widget can
 * know) to the reply's first audio reaching the player. The site's voice pipeline is
 * switched for the run and put back afterwards.
 */
/* eslint-disable no-console -- a command-line report. */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

import { chromium } from '@playwright/test';
import type { Browser } from '@playwright/test';

import { fakeMicrophoneArgs, speakQuestion } from '../e2e/support/voice-audio';
import type { SpokenQuestion } from '../e2e/support/voice-audio';
import { readStackEnv } from '../e2e/support/stack-env';

const runs = Math.max( 1, Number( process.argv[ 2 ] ?? 3 ) );
const stack = readStackEnv();
const wpPhp = resolve( __dirname, '../stack/wp-php' );

function setting( key: string, value?: string ): string {
	const code =
		value === undefined
			? `echo ( new VoiceVisionChat\\Settings\\Settings() )->get( '${ key }' );`
			: `( new VoiceVisionChat\\Settings\\Settings() )->update( array( '${ key }' => '${ value }' ) );`;
	return execFileSync( wpPhp, [ code ], { encoding: 'utf8' } ).trim();
}

type Sample = {
	format: string;
	bytes: number;
	seconds: number;
	firstAudioMs: number;
};

const median = ( values: number[] ): number => {
	const sorted = [ ...values ].sort( ( a, b ) => a - b );
	const mid = Math.floor( sorted.length / 2 );
	return sorted.length % 2
		? sorted[ mid ]!
		: ( sorted[ mid - 1 ]! + sorted[ mid ]! ) / 2;
};

async function main() {
	const question = speakQuestion( 'What time do you open on Sundays?' );
	const browser = await chromium.launch( {
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: [
			'--no-sandbox',
			'--disable-gpu',
			...fakeMicrophoneArgs( question.path ),
		],
	} );
	const latency = await (
		await fetch(
			`${ stack.VVC_SIM_URL ?? 'http://127.0.0.1:4010' }/__sim/config`
		)
	).json();
	console.log( `Simulator latency: ${ JSON.stringify( latency.latency ) }` );
	console.log(
		`Question: ${ question.speechSeconds.toFixed( 2 ) } s of speech in a ${ question.fileSeconds.toFixed( 2 ) } s file\n`
	);
	console.log(
		'| pipeline | upload | bytes | seconds of audio | bytes per second | stop to first reply audio (median, min-max) | runs |'
	);
	console.log( '|---|---|---|---|---|---|---|' );

	// The same question every run: with the FAQ cache on, later runs would be answered from
	// it rather than by the pipeline being measured.
	const saved = {
		voice_pipeline: setting( 'voice_pipeline' ),
		faq_enabled: setting( 'faq_enabled' ) === '1' ? '1' : '0',
	};
	const restore = () =>
		Object.entries( saved ).forEach( ( [ key, value ] ) =>
			setting( key, value )
		);
	process.once( 'SIGTERM', () => {
		restore();
		process.exit( 1 );
	} );
	setting( 'faq_enabled', '0' );
	try {
		for ( const pipeline of [ 'native', 'chained' ] ) {
			setting( 'voice_pipeline', pipeline );
			const samples: Sample[] = [];
			for ( let run = 0; run < runs; run++ ) {
				samples.push( await once( browser, question ) );
			}
			const first = samples[ 0 ]!;
			const times = samples.map( ( sample ) => sample.firstAudioMs );
			console.log(
				`| ${ pipeline } | ${ first.format } | ${ first.bytes } | ${ first.seconds.toFixed(
					2
				) } | ${ Math.round( first.bytes / first.seconds ) } | ${ Math.round(
					median( times )
				) } ms (${ Math.round( Math.min( ...times ) ) }-${ Math.round(
					Math.max( ...times )
				) }) | ${ runs } |`
			);
		}
	} finally {
		restore();
		await browser.close();
	}
}

/**
 * One question from a fresh visitor, answered with the simulator's default transcript
 * ("Simulated transcript of N seconds of audio.", N measured from the upload) and reply.
 *
 * @param browser  Chromium with the fake microphone.
 * @param question The WAV it plays.
 */
async function once(
	browser: Browser,
	question: SpokenQuestion
): Promise< Sample > {
	const context = await browser.newContext( { baseURL: stack.VVC_SITE_URL } );
	const page = await context.newPage();
	// The recording as the widget hands it to fetch (Chromium hides Blob bodies from the
	// protocol).
	await page.addInitScript( () => {
		const original = window.fetch.bind( window );
		window.fetch = ( input, init ) => {
			const body = init?.body;
			if (
				body instanceof FormData &&
				body.get( 'audio' ) instanceof Blob
			) {
				const audio = body.get( 'audio' ) as File;
				( window as unknown as { vvcUpload: object } ).vvcUpload = {
					name: audio.name,
					bytes: audio.size,
				};
			}
			return original( input, init );
		};
	} );
	await page.goto( '/chat-demo/' );
	const chat = page.locator( '.wp-block-voice-vision-chat-chat' ).first();
	await chat.getByLabel( 'Your question' ).click();
	await page.waitForFunction(
		() =>
			document.querySelector< HTMLElement >(
				'.wp-block-voice-vision-chat-chat'
			)?.dataset.vvcState === 'live'
	);
	await chat.locator( '.vvc-chat__mic' ).click();
	await chat.getByRole( 'button', { name: 'Agree and record' } ).click();
	await chat.locator( '.vvc-chat__recording' ).waitFor();
	await page.waitForTimeout( question.fileSeconds * 1000 );
	await page.evaluate( () => {
		const win = window as unknown as { vvcFirstAudio: Promise< number > };
		win.vvcFirstAudio = new Promise( ( done ) => {
			new MutationObserver( ( _, observer ) => {
				if ( document.querySelector( '.vvc-chat__voice-reply' ) ) {
					observer.disconnect();
					done( performance.now() );
				}
			} ).observe( document.body, { childList: true, subtree: true } );
		} );
	} );
	const stoppedAt = await page.evaluate( () => performance.now() );
	await chat.locator( '.vvc-chat__mic' ).click();
	const firstAudioAt = await page.evaluate( () =>
		Promise.race( [
			( window as unknown as { vvcFirstAudio: Promise< number > } )
				.vvcFirstAudio,
			new Promise< number >( ( _, fail ) =>
				setTimeout(
					() =>
						fail(
							new Error(
								document.querySelector( '.vvc-chat__log' )
									?.textContent ?? 'no reply audio'
							)
						),
					30_000
				)
			),
		] )
	);
	const heard = await chat
		.locator( '.vvc-chat__message--user' )
		.last()
		.filter( { hasText: 'seconds of audio' } )
		.textContent();
	const upload = await page.evaluate(
		() =>
			(
				window as unknown as {
					vvcUpload: { name: string; bytes: number };
				}
			 ).vvcUpload
	);
	await context.close();
	return {
		format: upload.name.replace( /^voice\./, '' ),
		bytes: upload.bytes,
		seconds: Number( heard?.match( /([\d.]+) seconds/ )?.[ 1 ] ?? NaN ),
		firstAudioMs: firstAudioAt - stoppedAt,
	};
}

main().catch( ( error: unknown ) => {
	console.error( error );
	process.exitCode = 1;
} );
