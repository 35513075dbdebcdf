/**
 * A script cannot reset its limits: every question comes with a new token (a fresh POST
 * /session), a forged X-Forwarded-For and no cookies, and it still meets the limits of its
 * address. REMOTE_ADDR is 127.0.0.1 here and no proxy is trusted, so the forged header must be
 * ignored; POST /session itself is limited per address, whatever the header says.
 */
import { expect, test } from '@playwright/test';

import {
	type Answer,
	type CostRun,
	NO_LIMITS,
	type RestError,
	TEST_TIERS,
	costMarker,
	expectNoInterference,
	freshWindow,
	ipRequestsThisMinute,
	ledgerRow,
	measured,
	quietMinute,
	randomIp,
	simRequests,
	simScript,
	withCostRun,
} from './support/cost-stack';

const code = ( a: Answer ) =>
	a.status === 200
		? '200'
		: `${ a.status } ${ ( a.body as RestError ).code }`;

/**
 * Lifts every limit, sets the test's models, turns the FAQ cache off and gives the marker a
 * short scripted answer.
 *
 * @param run    The test's run.
 * @param marker The test's marker.
 */
async function prepare( run: CostRun, marker: string ) {
	run.configure( {
		budget: NO_LIMITS,
		tiers: { ...TEST_TIERS },
		settings: { faq_enabled: false },
	} );
	await simScript( [
		{
			match: { contains: marker },
			reply: { content: 'We open at nine.' },
			times: 100,
		},
	] );
}

/**
 * Asks one question the way a script resetting its identity would: a new session, a new
 * forged address on both requests, no cookies.
 *
 * @param run      The test's run.
 * @param question The question.
 */
async function askAsStranger( run: CostRun, question: string ) {
	const session = await run.session( randomIp() );
	expect( session.status, JSON.stringify( session.error ) ).toBe( 200 );
	return run.ask( session.token ?? '', {
		message: question,
		xff: randomIp(),
	} );
}

test.describe( 'limits a script cannot reset', () => {
	test.setTimeout( 180_000 );

	test( 'new tokens and forged X-Forwarded-For do not reset the per-minute limit', async () => {
		await withCostRun( async ( run ) => {
			const marker = costMarker( 'abuse-rate' );
			await prepare( run, marker );
			const limit = 3;
			run.configure( { budget: { requests_per_minute: limit } } );
			await quietMinute( run, 40 );

			const answers: Answer[] = [];
			for ( let i = 0; i < limit + 5; i++ ) {
				answers.push(
					await askAsStranger( run, `${ marker } question ${ i }` )
				);
			}
			const codes = answers.map( code );
			const reached = ( await simRequests( marker ) ).length;
			const state = run.state( run.tokens );
			const ipHits = ipRequestsThisMinute( state );
			const rows = run.usage(
				state.visitors.map( ( who ) => who?.visitor_hash ?? '' )
			);
			measured(
				`${ codes.join( ', ' ) }; ${ reached } reached the simulator; IP bucket of the minute ${ ipHits }`
			);

			expectNoInterference( run );
			const passed = codes.filter( ( c ) => c === '200' ).length;
			expect( passed ).toBeLessThanOrEqual( limit );
			expect( passed ).toBeGreaterThan( 0 );
			// Once refused, refused for the rest of the minute, whatever the token and header.
			expect( codes ).toEqual( [
				...Array( passed ).fill( '200' ),
				...Array( codes.length - passed ).fill(
					'429 vvc_rate_limited'
				),
			] );
			expect( reached ).toBe( passed );
			// The minute began with no questions from this address, so exactly the limit passed.
			expect( ipHits ).toBe( codes.length );
			expect( passed ).toBe( limit );
			// Every question was counted under 127.0.0.1, never under a forged address.
			expect( rows ).toHaveLength( codes.length );
			expect( new Set( rows.map( ( r ) => r.ip_hash ) ) ).toEqual(
				new Set( [ state.keys.ip_hash ] )
			);
			// Eight different tokens: eight different visitors, one address.
			expect( new Set( rows.map( ( r ) => r.visitor_hash ) ).size ).toBe(
				codes.length
			);
		} );
	} );

	test( 'new tokens and forged X-Forwarded-For do not reset the daily spending limit', async () => {
		await withCostRun( async ( run ) => {
			const marker = costMarker( 'abuse-money' );
			await prepare( run, marker );
			// One question measured, to size the limit: what it costs (A) and what is held (R).
			const first = await askAsStranger( run, `${ marker } question 0` );
			expect( first.status, first.text ).toBe( 200 );
			const measuredState = run.state( run.tokens );
			const who = measuredState.visitors[ 0 ];
			const row = run.usage( [ who?.visitor_hash ?? '' ] )[ 0 ];
			const cost = Number( row?.cost_micros );
			const worst = Number( row?.estimated_micros );
			expect( cost ).toBeGreaterThan( 0 );
			const ipLine = measuredState.keys.ip_day;
			const start = await ledgerRow( ipLine );
			// Room for exactly 3 more questions on the address's line.
			const allowed = 3;
			const cap =
				start.spent + start.reserved + ( allowed - 1 ) * cost + worst;
			run.configure( { budget: { visitor_day_micros: cap } } );

			const answers: Answer[] = [];
			for ( let i = 1; i <= allowed + 3; i++ ) {
				answers.push(
					await askAsStranger( run, `${ marker } question ${ i }` )
				);
			}
			const codes = answers.map( code );
			const end = await ledgerRow( ipLine );
			measured(
				`cost ${ cost } µ$, held ${ worst } µ$, address line ${ start.spent } -> ${ end.spent } (cap ${ cap }): ${ codes.join( ', ' ) }`
			);

			expectNoInterference( run );
			const passed = codes.filter( ( c ) => c === '200' ).length;
			expect( passed ).toBeLessThanOrEqual( allowed );
			expect( passed ).toBeGreaterThan( 0 );
			expect( codes ).toEqual( [
				...Array( passed ).fill( '200' ),
				...Array( codes.length - passed ).fill(
					'429 vvc_rate_limited'
				),
			] );
			expect( end.spent ).toBeLessThanOrEqual( cap );
			expect( end.spent + worst ).toBeGreaterThan( cap );
			expect( ( await simRequests( marker ) ).length ).toBe( 1 + passed );
		} );
	} );

	test( 'POST /session is limited per address, whatever X-Forwarded-For says', async () => {
		await withCostRun( async ( run ) => {
			run.configure( { budget: NO_LIMITS } );
			await freshWindow( 3600, 60 );
			const state = run.state();
			const bucket = `ses:ip:${ state.keys.ip_hash }@3600:${ Math.floor(
				state.time / 3600
			) }`;
			const already = state.buckets[ bucket ] ?? 0;
			const allowed = 3;
			run.configure( {
				budget: { sessions_per_ip_hour: already + allowed },
			} );

			const got = [];
			for ( let i = 0; i < allowed + 3; i++ ) {
				got.push( await run.session( randomIp() ) );
			}
			const codes = got.map( ( g ) =>
				g.status === 200 ? '200' : `${ g.status } ${ g.error?.code }`
			);
			const after = run.state().buckets[ bucket ] ?? 0;
			measured(
				`sessions this hour before: ${ already }, limit ${ already + allowed }: ${ codes.join( ', ' ) }; bucket now ${ after }`
			);

			expectNoInterference( run );
			const granted = codes.filter( ( c ) => c === '200' ).length;
			expect( granted ).toBeLessThanOrEqual( allowed );
			expect( codes ).toEqual( [
				...Array( granted ).fill( '200' ),
				...Array( codes.length - granted ).fill(
					'429 vvc_rate_limited'
				),
			] );
			if ( after === already + codes.length ) {
				expect( granted ).toBe( allowed );
			}
			const refused = got.find( ( g ) => g.status === 429 );
			expect( refused?.error?.data?.retry_after ).toBeGreaterThan( 0 );
		} );
	} );
} );
