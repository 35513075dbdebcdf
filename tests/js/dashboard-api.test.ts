/**
 * The usage routes' answers are checked and typed; failures become { code, message }.
 */
import { describe, expect, it } from 'vitest';

import {
	createUsageApi,
	parseSummary,
	parseUsageRow,
	type UsageFetcher,
} from '../../src/admin/dashboard/api';
import { rawResponse, summaryBody, usageRowBody } from './dashboard-fixtures';

describe( 'parseSummary', () => {
	it( 'types every part of the summary', () => {
		const summary = parseSummary( summaryBody() );
		expect( summary.range ).toEqual( {
			from: '2026-11-20',
			to: '2026-11-22',
			days: 3,
			timezone: '+00:00',
		} );
		expect( summary.totals.costMicros ).toBe( 36000 );
		expect( summary.daily[ 0 ]?.costByTier ).toEqual( {
			economy: 1000,
			vision: 26000,
		} );
		expect( summary.budgets[ 2 ] ).toEqual( {
			scope: 'visitor_day',
			period: '2026-11-22',
			spentMicros: 200_000,
			reservedMicros: 0,
			capMicros: 200_000,
			softMicros: 0,
			state: 'hard',
			visitors: 14,
			atCap: 1,
		} );
		expect( summary.budgets[ 0 ]?.visitors ).toBeUndefined();
		expect( summary.budgetState ).toBe( 'soft' );
		expect( summary.topModels[ 0 ] ).toEqual( {
			model: 'gpt-4o-mini',
			requests: 1,
			costMicros: 26000,
		} );
		expect( summary.recentErrors[ 0 ]?.errorCode ).toBe(
			'vvc_upstream_error'
		);
		expect( summary.errorLog[ 0 ]?.detail ).toContain( 'server_error' );
	} );

	it.each( [
		[ 'totals', { totals: null } ],
		[
			'cost_by_tier',
			{
				daily: [
					{
						day: 'x',
						requests: 1,
						cost_micros: 1,
						cache_hits: 0,
						errors: 0,
						cost_by_tier: { economy: '1' },
					},
				],
			},
		],
		[
			'scope',
			{
				budgets: [
					{
						...( summaryBody().budgets as object[] )[ 0 ],
						scope: 'site_week',
					},
				],
			},
		],
		[ 'budget_state', { budget_state: 'panic' } ],
		[ 'tiers', { tiers: [ 1 ] } ],
	] )( 'refuses a summary with a bad %s', ( _detail, override ) => {
		expect( () => parseSummary( summaryBody( override ) ) ).toThrow(
			expect.objectContaining( { code: 'vvc_bad_response' } )
		);
	} );
} );

describe( 'parseUsageRow', () => {
	it( 'sums token kinds into in and out', () => {
		const row = parseUsageRow(
			usageRowBody( 7, { audio_in_tokens: 5, audio_out_tokens: 9 } )
		);
		expect( row.inputTokens ).toBe( 125 );
		expect( row.outputTokens ).toBe( 59 );
		expect( row.cacheHit ).toBe( false );
		expect( row.costKnown ).toBe( true );
	} );

	it( 'refuses a row without a boolean cache flag', () => {
		expect( () =>
			parseUsageRow( usageRowBody( 7, { cache_hit: 1 } ) )
		).toThrow();
	} );
} );

describe( 'createUsageApi', () => {
	it( 'asks for the range and reads the log totals from the headers', async () => {
		const calls: Array< { path: string; parse?: boolean } > = [];
		const fetcher: UsageFetcher = async ( options ) => {
			calls.push( options );
			if ( options.path.includes( '/log' ) ) {
				return rawResponse( [ usageRowBody( 2 ), usageRowBody( 1 ) ], {
					'X-WP-Total': '27',
					'X-WP-TotalPages': '14',
				} );
			}
			return summaryBody();
		};
		const api = createUsageApi( fetcher );

		await api.summary( { from: '2026-11-20', to: '2026-11-22' } );
		const page = await api.log( { page: 2, perPage: 2, tier: 'economy' } );

		expect( calls[ 0 ] ).toEqual( {
			path: '/voice-vision-chat/v1/admin/usage/summary?from=2026-11-20&to=2026-11-22',
		} );
		expect( calls[ 1 ] ).toEqual( {
			path: '/voice-vision-chat/v1/admin/usage/log?page=2&per_page=2&tier=economy',
			parse: false,
		} );
		expect( page.total ).toBe( 27 );
		expect( page.totalPages ).toBe( 14 );
		expect( page.rows.map( ( row ) => row.id ) ).toEqual( [ 2, 1 ] );
	} );

	it( 'turns a refused log request into the server’s error', async () => {
		const api = createUsageApi( async () => {
			throw rawResponse( {
				code: 'rest_invalid_param',
				message: 'Invalid parameter(s): tier',
				data: { status: 400 },
			} );
		} );
		await expect( api.log( { page: 1, perPage: 25 } ) ).rejects.toEqual( {
			code: 'rest_invalid_param',
			message: 'Invalid parameter(s): tier',
			status: 400,
		} );
	} );

	it( 'refuses a log answer without totals', async () => {
		const api = createUsageApi( async () => rawResponse( [] ) );
		await expect(
			api.log( { page: 1, perPage: 25 } )
		).rejects.toMatchObject( {
			code: 'vvc_bad_response',
		} );
	} );

	it( 'passes on summary failures as { code, message, status }', async () => {
		const api = createUsageApi( async () => {
			throw {
				code: 'vvc_forbidden',
				message: 'Sorry.',
				data: { status: 403 },
			};
		} );
		await expect( api.summary() ).rejects.toEqual( {
			code: 'vvc_forbidden',
			message: 'Sorry.',
			status: 403,
		} );
	} );
} );
