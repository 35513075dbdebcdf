/**
 * The ledger agrees with the provider's bill: one visitor asks by text, with a photo, by voice,
 * streamed and not, through faults and cut streams; after each step the simulator's bill (GET
 * /__sim/bill, only the requests carrying the step's marker) is compared with what the
 * visitor's own ledger line (vd:v:<hash>:<day>, touched by nobody else) gained and with the
 * usage rows the step wrote.
 *
 * "To the micro-dollar": the simulator bills tokens x price exactly (fractions of a
 * micro-dollar included); the plugin rounds each call UP to a whole micro-dollar (never
 * counting less than was spent), so the exact steps must match the sum of the simulator's
 * per-request costs each rounded up. Calls whose usage the plugin never sees (an upstream
 * stream cut before its usage chunk, a body cut in half) cannot be known to the micro-dollar:
 * the simulator bills them in full, and the plugin must charge at least that and at most the
 * worst case it held for them.
 */
import { createHash } from 'node:crypto';

import { expect, test } from '@playwright/test';

import { catalogueEntry } from '../simulator/models';
import {
	CostRun,
	NO_LIMITS,
	type Question,
	SIM_URL,
	TEST_TIERS,
	carriesFile,
	costMarker,
	costState,
	expectNoInterference,
	ledgerRow,
	measured,
	simBill,
	simLog,
	simScript,
	speechWav,
	sseEvents,
	testPng,
} from './support/cost-stack';

/** Models the steps use: the tiers', and the native voice model. */
const VOICE_MODEL = 'gpt-audio-mini';

/** The plugin's price component names and the simulator's. */
const PRICE_KEYS: Array< [ string, string ] > = [
	[ 'text_in', 'text_in' ],
	[ 'cached_in', 'cached_in' ],
	[ 'text_out', 'text_out' ],
	[ 'audio_in', 'audio_in' ],
	[ 'audio_out', 'audio_out' ],
	[ 'per_minute', 'usd_per_minute' ],
	[ 'per_million_chars', 'usd_per_million_chars' ],
];

/**
 * The chained voice pipeline on priced models. Its chat and speech requests carry no marker
 * unless the transcript does: whisper-1 (used by no other test) is scripted to hear it.
 */
const CHAINED = {
	voice_pipeline: 'chained',
	transcribe_model: 'whisper-1',
	text_model: 'gpt-5-nano',
	image_model: 'gpt-4o-mini',
	speech_model: 'gpt-4o-mini-tts',
};

/**
 * The next whisper-1 transcription hears the marker.
 *
 * @param m Marker.
 */
async function scriptTranscript( m: string ) {
	await simScript( [
		{
			match: { path: '/v1/audio/transcriptions', model: 'whisper-1' },
			reply: { transcript: `${ m } what time do you open on Mondays` },
		},
	] );
}

type StepResult = {
	name: string;
	exact: boolean;
	simRequests: number;
	billed: number;
	simCost: number;
	simCostRounded: number;
	ledger: number;
	usageCost: number;
	usageRows: number;
	held: number;
	known: boolean;
	unpriced: string[];
	models: string[];
	detail: string;
};

/**
 * Waits until a ledger line holds no reservation (a hung-up request may still be finishing).
 *
 * @param periodKey The line.
 */
async function settled( periodKey: string ) {
	for ( let i = 0; i < 60; i++ ) {
		const row = await ledgerRow( periodKey );
		if ( row.reserved === 0 ) {
			return row;
		}
		await new Promise( ( done ) => setTimeout( done, 500 ) );
	}
	throw new Error( `${ periodKey } still holds a reservation after 30 s` );
}

test( 'the simulator bills what the ledger and the usage log count, to the micro-dollar', async () => {
	test.setTimeout( 300_000 );
	const run = new CostRun();
	try {
		// The plugin's catalog and the simulator's price table agree on every model used.
		const used = [
			...new Set( [
				...Object.values( TEST_TIERS ),
				VOICE_MODEL,
				CHAINED.transcribe_model,
				CHAINED.text_model,
				CHAINED.image_model,
				CHAINED.speech_model,
			] ),
		];
		const plugin = costState<
			Record<
				string,
				{
					price: Record< string, number > | null;
					unusable: string | null;
				} | null
			>
		>( 'prices', { models: used } );
		const simConfig = ( await (
			await fetch( `${ SIM_URL }/__sim/config` )
		).json() ) as { prices: Record< string, Record< string, number > > };
		for ( const model of used ) {
			const ours = plugin[ model ];
			const theirs =
				simConfig.prices[ model ] ??
				( catalogueEntry( model )?.price as
					Record< string, number > | null | undefined );
			expect( ours?.unusable, model ).toBeNull();
			for ( const [ pluginKey, simKey ] of PRICE_KEYS ) {
				expect(
					{
						model,
						key: pluginKey,
						price: ours?.price?.[ pluginKey ],
					},
					'plugin and simulator prices differ'
				).toEqual( {
					model,
					key: pluginKey,
					price: theirs?.[ simKey ],
				} );
			}
		}

		run.configure( {
			budget: NO_LIMITS,
			tiers: { ...TEST_TIERS },
			settings: {
				faq_enabled: false,
				voice_pipeline: 'native',
				audio_model: VOICE_MODEL,
			},
		} );
		const token = await run.token();
		const who = run.state( [ token ] ).visitors[ 0 ];
		const ownLine = who?.day_keys.find( ( key ) =>
			key.startsWith( 'vd:v:' )
		);
		if ( ! who || ! ownLine ) {
			throw new Error( 'no ledger line for the visitor' );
		}
		const photo = testPng( 640, 480 );
		const voice = speechWav( 'What time do you open on Mondays?' );
		const voiceSha = createHash( 'sha256' )
			.update( voice.data )
			.digest( 'hex' );
		const marker = costMarker( 'bill' );
		const ask = ( q: Question ) => run.ask( token, q );
		// Scripts a step's upstream answer or fault (matched on the step's marker), then asks.
		const askScripted = async (
			m: string,
			script: Record< string, unknown >,
			question: string,
			stream = false
		) => {
			await simScript( [ { match: { contains: m }, ...script } ] );
			const message = `${ m } ${ question }`;
			return ask( stream ? { message, stream } : { message } );
		};

		const steps: Array< {
			name: string;
			exact: boolean;
			audio?: boolean;
			go: ( m: string ) => Promise< void >;
		} > = [
			{
				name: 'text',
				exact: true,
				go: async ( m ) => {
					const a = await ask( {
						message: `${ m } When are you open?`,
					} );
					expect( a.status, a.text ).toBe( 200 );
				},
			},
			{
				name: 'complex-text',
				exact: true,
				go: async ( m ) => {
					const a = await ask( {
						message: `${ m } Why is the night tariff cheaper? Compare it with the day tariff and explain step by step.`,
					} );
					expect( a.status, a.text ).toBe( 200 );
				},
			},
			{
				name: 'stream',
				exact: true,
				go: async ( m ) => {
					const a = await ask( {
						message: `${ m } Tell me about your shop.`,
						stream: true,
					} );
					expect( a.status ).toBe( 200 );
					expect(
						sseEvents( a.text ).map( ( e ) => e.event )
					).toContain( 'done' );
				},
			},
			{
				name: 'image',
				exact: true,
				go: async ( m ) => {
					const a = await ask( {
						message: `${ m } What is in this picture?`,
						image: photo,
					} );
					expect( a.status, a.text ).toBe( 200 );
				},
			},
			{
				name: 'image-stream',
				exact: true,
				go: async ( m ) => {
					const a = await ask( {
						message: `${ m } Describe this picture.`,
						image: photo,
						stream: true,
					} );
					expect( a.status ).toBe( 200 );
					expect(
						sseEvents( a.text ).map( ( e ) => e.event )
					).toContain( 'done' );
				},
			},
			{
				name: 'voice',
				exact: true,
				audio: true,
				go: async ( m ) => {
					const a = await ask( { message: m, audio: voice } );
					expect( a.status, a.text ).toBe( 200 );
					expect( a.body ).toMatchObject( { pipeline: 'native' } );
				},
			},
			{
				name: 'voice-stream',
				exact: true,
				audio: true,
				go: async ( m ) => {
					const a = await ask( {
						message: m,
						audio: voice,
						stream: true,
					} );
					expect( a.status ).toBe( 200 );
					expect(
						sseEvents( a.text ).map( ( e ) => e.event )
					).toContain( 'done' );
				},
			},
			{
				// Transcription (whisper-1, billed by the minute), the text model, then speech.
				name: 'voice-chained',
				exact: true,
				audio: true,
				go: async ( m ) => {
					run.configure( { settings: CHAINED } );
					await scriptTranscript( m );
					const a = await ask( { audio: voice } );
					expect( a.status, a.text ).toBe( 200 );
					expect( a.body ).toMatchObject( { pipeline: 'chained' } );
				},
			},
			{
				name: 'voice-chained-stream',
				exact: true,
				audio: true,
				go: async ( m ) => {
					run.configure( { settings: CHAINED } );
					await scriptTranscript( m );
					const a = await ask( { audio: voice, stream: true } );
					expect( a.status ).toBe( 200 );
					expect(
						sseEvents( a.text ).map( ( e ) => e.event )
					).toContain( 'done' );
				},
			},
			{
				name: 'fault-retried',
				exact: true,
				go: async ( m ) => {
					const a = await askScripted(
						m,
						{ fault: { type: 'server_error' } },
						'Are you open today?'
					);
					expect( a.status, a.text ).toBe( 200 );
				},
			},
			{
				name: 'fault-429-retried-stream',
				exact: true,
				go: async ( m ) => {
					const a = await askScripted(
						m,
						{
							fault: {
								type: 'rate_limit_retry_after',
								retry_after: 1,
							},
						},
						'Are you open tomorrow?',
						true
					);
					expect( a.status ).toBe( 200 );
					expect(
						sseEvents( a.text ).map( ( e ) => e.event )
					).toContain( 'done' );
				},
			},
			{
				name: 'fault-exhausted',
				exact: true,
				go: async ( m ) => {
					const a = await askScripted(
						m,
						{ fault: { type: 'unavailable' }, times: 3 },
						'Is anyone there?'
					);
					expect( a.status ).toBeGreaterThanOrEqual( 500 );
				},
			},
			{
				name: 'visitor-hangs-up',
				exact: false,
				go: async ( m ) => {
					// A slow answer (about 20 s for the whole output cap), so the visitor
					// leaves in the middle of it.
					await simScript( [
						{
							match: { contains: m },
							reply: {
								content: 'We open at nine. '.repeat( 300 ),
							},
							latency: { chunk_ms: 100 },
						},
					] );
					const got = await run.askAndHangUp(
						token,
						{
							message: `${ m } Tell me everything about your opening hours.`,
						},
						10
					);
					expect( got.status ).toBe( 200 );
				},
			},
			{
				name: 'upstream-cut-stream',
				exact: false,
				go: async ( m ) => {
					const a = await askScripted(
						m,
						{
							reply: {
								content: 'We open at nine. '.repeat( 40 ),
							},
							fault: { type: 'cut_stream', after_chunks: 3 },
						},
						'What are your hours?',
						true
					);
					expect( a.status ).toBe( 200 );
					expect(
						sseEvents( a.text ).map( ( e ) => e.event )
					).toContain( 'error' );
				},
			},
			{
				name: 'upstream-malformed-json',
				exact: false,
				go: async ( m ) => {
					const a = await askScripted(
						m,
						{ fault: { type: 'malformed_json' } },
						'What are your hours?'
					);
					expect( a.status ).toBeGreaterThanOrEqual( 500 );
				},
			},
		];

		const results: StepResult[] = [];
		const attributed = new Set< string >();
		let lastRow = 0;
		for ( const step of steps ) {
			// No full stop: speech is split into sentences, and each must carry the marker.
			const m = `${ marker }-${ step.name }-x`;
			const before = await settled( ownLine );
			await step.go( m );
			const after = await settled( ownLine );
			// The step's requests: those carrying its marker, and transcriptions of the recording
			// it sent (which carry nothing else), each counted for one step only.
			const sent = ( await simLog() ).filter(
				( r ) =>
					! attributed.has( r.id ) &&
					( JSON.stringify( r ).includes( m ) ||
						( step.audio === true && carriesFile( r, voiceSha ) ) )
			);
			sent.forEach( ( r ) => attributed.add( r.id ) );
			const bill = await simBill( new Set( sent.map( ( r ) => r.id ) ) );
			const rows = run.usage( [ who.visitor_hash ], lastRow );
			lastRow = Math.max(
				lastRow,
				...rows.map( ( r ) => Number( r.id ) )
			);
			results.push( {
				name: step.name,
				exact: step.exact,
				simRequests: sent.length,
				billed: bill.rows.length,
				simCost: bill.total,
				simCostRounded: bill.rows.reduce(
					( sum, row ) =>
						sum + Math.ceil( ( row.cost_micro_usd ?? 0 ) - 1e-9 ),
					0
				),
				ledger: after.spent - before.spent,
				usageCost: rows.reduce(
					( s, r ) => s + Number( r.cost_micros ),
					0
				),
				usageRows: rows.length,
				held: rows.reduce(
					( s, r ) => s + Number( r.estimated_micros ),
					0
				),
				known: rows.every( ( r ) => r.cost_known === '1' ),
				unpriced: bill.unpriced,
				models: sent.map(
					( r ) => `${ r.model ?? '?' } ${ r.status ?? '' }`
				),
				// What each side counted, for a step where they disagree.
				detail: `sim ${ JSON.stringify(
					sent.map( ( r ) => [
						r.model,
						r.cost_micro_usd,
						r.bill_usage,
					] )
				) }; usage row ${ JSON.stringify(
					rows.map( ( r ) =>
						Object.fromEntries(
							Object.entries( r ).filter(
								( [ k, v ] ) =>
									/_tokens$|audio_ms|characters|route_reasons/.test(
										k
									) && v !== '0'
							)
						)
					)
				) }`,
			} );
		}

		const total = await ledgerRow( ownLine );
		const allRows = run.usage( [ who.visitor_hash ] );
		const billTotal = results.reduce( ( s, r ) => s + r.simCost, 0 );
		measured(
			results
				.map(
					( r ) =>
						`${ r.name }: ${ r.simRequests } sim requests [${ r.models.join( ', ' ) }] (${ r.billed } billed) ${ r.simCost.toFixed( 3 ) } µ$ -> rounded ${ r.simCostRounded }; ledger +${ r.ledger }; usage ${ r.usageCost } in ${ r.usageRows } row(s), held ${ r.held }, known ${ r.known }${
							r.ledger === r.simCostRounded
								? ''
								: `\n    ${ r.detail }`
						}`
				)
				.join( '\n' ) +
				`\ntotal: bill ${ billTotal.toFixed( 3 ) } µ$, ledger ${ total.spent }, usage ${ allRows.reduce( ( s, r ) => s + Number( r.cost_micros ), 0 ) }`
		);

		expectNoInterference( run );
		// Every step is checked (soft), so one run reports every disagreement.
		for ( const r of results ) {
			expect
				.soft( r.unpriced, `${ r.name }: unpriced requests` )
				.toEqual( [] );
			// One usage row per visitor request, and it says what the ledger charged.
			expect.soft( r.usageRows, r.name ).toBe( 1 );
			expect.soft( r.usageCost, r.name ).toBe( r.ledger );
			if ( r.exact ) {
				expect
					.soft( r.ledger, `${ r.name }: ledger vs bill` )
					.toBe( r.simCostRounded );
				expect.soft( r.known, r.name ).toBe( true );
			} else if ( r.known ) {
				// The plugin saw the whole answer after all (it came faster than the hang-up).
				expect
					.soft( r.ledger, `${ r.name }: ledger vs bill` )
					.toBe( r.simCostRounded );
			} else {
				expect
					.soft( r.ledger, `${ r.name }: at least the bill` )
					.toBeGreaterThanOrEqual( r.simCostRounded );
				expect
					.soft( r.ledger, `${ r.name }: at most what was held` )
					.toBeLessThanOrEqual( r.held );
			}
		}
		const billed = ( name: string ) =>
			results.find( ( r ) => r.name === name )?.billed;
		expect( billed( 'fault-retried' ) ).toBe( 1 );
		expect( billed( 'fault-exhausted' ) ).toBe( 0 );
		expect(
			results.find( ( r ) => r.name === 'fault-exhausted' )?.ledger
		).toBe( 0 );
		expect( billed( 'upstream-cut-stream' ) ).toBe( 1 );
		// The visitor left in the middle of the slow answer: the plugin stopped reading it, so
		// the provider saw the connection close long before the answer's end (the output cap
		// is 800 tokens, some 200 chunks).
		const hungUp = ( await simLog() ).filter( ( r ) =>
			JSON.stringify( r ).includes( `${ marker }-visitor-hangs-up-x` )
		);
		expect(
			hungUp.map( ( r ) => `${ r.outcome } after ${ r.chunks_sent }` )
		).toEqual( [ expect.stringMatching( /^client_closed after \d+$/ ) ] );
		expect( hungUp[ 0 ]?.chunks_sent ).toBeLessThan( 100 );
		// Over the whole run: the ledger line is the sum of the usage rows.
		expect( total.spent ).toBe(
			allRows.reduce( ( s, r ) => s + Number( r.cost_micros ), 0 )
		);
		expect( total.spent ).toBe(
			results.reduce( ( s, r ) => s + r.ledger, 0 )
		);
	} finally {
		run.restore();
	}
} );
