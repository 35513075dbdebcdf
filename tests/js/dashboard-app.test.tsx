// @vitest-environment jsdom
/**
 * The usage dashboard rendered in a DOM with a fake API: what the admin sees, what a
 * screen reader gets, and what the screen asks the server.
 */
import { createRoot } from '@wordpress/element';
import { act } from 'react';
import {
	afterEach,
	beforeAll,
	beforeEach,
	describe,
	expect,
	it,
	vi,
} from 'vitest';

import type { UsageApi } from '../../src/admin/dashboard/api';
import { parseSummary, parseUsageRow } from '../../src/admin/dashboard/api';
import { DashboardApp } from '../../src/admin/dashboard/dashboard-app';
import type { DateRange, LogQuery } from '../../src/admin/dashboard/types';
import { summaryBody, usageRowBody } from './dashboard-fixtures';

declare global {
	var IS_REACT_ACT_ENVIRONMENT: boolean;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

const EXPORT =
	'http://example.org/wp-json/voice-vision-chat/v1/admin/usage/export?_wpnonce=n0nce';

function fakeApi( overrides: Partial< UsageApi > = {} ) {
	const summaries: Array< DateRange | undefined > = [];
	const logs: LogQuery[] = [];
	const api: UsageApi = {
		summary: async ( range ) => {
			summaries.push( range );
			return parseSummary( summaryBody() );
		},
		log: async ( query ) => {
			logs.push( query );
			return {
				rows: [
					parseUsageRow(
						usageRowBody( 2, {
							model: 'gpt-5-mini',
							status_code: 502,
							error_code: 'vvc_upstream_error',
						} )
					),
					parseUsageRow( usageRowBody( 1 ) ),
				],
				total: 2,
				totalPages: 1,
			};
		},
		...overrides,
	};
	return { api, summaries, logs };
}

beforeAll( async () => {
	// Loads the lazily imported DataViews once, so rendering it does not wait on the import.
	await import( '@wordpress/dataviews/wp' );
}, 30000 );

let container: HTMLDivElement;
let root: ReturnType< typeof createRoot >;

beforeEach( () => {
	container = document.createElement( 'div' );
	document.body.appendChild( container );
	root = createRoot( container );
} );

afterEach( () => {
	act( () => root.unmount() );
	container.remove();
} );

async function settle( rounds = 1 ) {
	for ( let i = 0; i < rounds; i++ ) {
		await act( async () => {
			await new Promise( ( resolve ) => setTimeout( resolve, 0 ) );
		} );
	}
}

async function render( api: UsageApi ) {
	await act( async () => {
		root.render(
			<DashboardApp
				api={ api }
				exportBase={ EXPORT }
				budgetUrl="http://example.org/wp-admin/options-general.php?page=vvc-budget"
				locale="en-US"
			/>
		);
	} );
	await settle();
}

/** Waits until the lazily loaded usage log has rendered its rows. */
async function waitForLog() {
	await vi.waitFor(
		async () => {
			await settle();
			expect(
				container.querySelector( '.vvc-dashboard__log table' )
			).not.toBeNull();
		},
		{ timeout: 15000, interval: 50 }
	);
}

describe( 'DashboardApp', () => {
	it( 'shows the totals, the chart with a text alternative and its table', async () => {
		const { api, summaries } = fakeApi();
		await render( api );

		expect( summaries ).toEqual( [ undefined ] );
		const totals =
			container.querySelector( '.vvc-dashboard__totals' )?.textContent ??
			'';
		expect( totals ).toContain( 'Requests6' );
		expect( totals ).toContain( 'Cost$0.04' );
		expect( totals ).toContain( '16.7% of requests, answered for free' );

		const svg = container.querySelector( 'svg[role="img"]' );
		expect( svg ).not.toBeNull();
		const title = document.getElementById(
			svg?.getAttribute( 'aria-labelledby' ) ?? ''
		);
		const desc = document.getElementById(
			svg?.getAttribute( 'aria-describedby' ) ?? ''
		);
		expect( title?.textContent ).toBe( 'Cost per day by tier' );
		expect( desc?.textContent ).toBe(
			'From Fri, Nov 20, 2026 to Sun, Nov 22, 2026 the chat cost $0.04. The costliest day was Fri, Nov 20, 2026 with $0.03. The table below lists every day.'
		);
		expect( svg?.querySelectorAll( '.vvc-chart__bar' ) ).toHaveLength( 3 );
		expect(
			svg?.querySelectorAll( '.vvc-chart__bar rect[fill="#b26200"]' )
		).toHaveLength( 1 );

		const rows = [
			...container.querySelectorAll( '.vvc-dashboard__details tbody tr' ),
		].map( ( row ) =>
			[ ...row.children ].map( ( cell ) => cell.textContent )
		);
		expect( rows[ 0 ] ).toEqual( [
			'Fri, Nov 20, 2026',
			'$0.0010',
			'$0.00',
			'$0.03',
			'$0.03',
			'3',
		] );
		expect( rows ).toHaveLength( 3 );
		const legend = container.querySelector(
			'.vvc-dashboard__legend'
		)?.textContent;
		expect( legend ).toContain( 'Vision $0.03' );
	} );

	it( 'shows each limit as a labelled meter and says what each state means', async () => {
		await render( fakeApi().api );

		const meters = [ ...container.querySelectorAll( '[role="meter"]' ) ];
		expect( meters ).toHaveLength( 2 );
		const [ day, visitor ] = meters;
		expect( day?.getAttribute( 'aria-valuetext' ) ).toBe(
			'$4.30 of $5.00 (86%)'
		);
		expect( day?.getAttribute( 'aria-valuemax' ) ).toBe( '5000000' );
		expect( day?.getAttribute( 'aria-valuenow' ) ).toBe( '4300000' );
		expect(
			document.getElementById(
				day?.getAttribute( 'aria-labelledby' ) ?? ''
			)?.textContent
		).toBe( 'Daily limit (Sun, Nov 22, 2026)' );
		expect( visitor?.getAttribute( 'aria-valuenow' ) ).toBe( '200000' );

		const text =
			container.querySelector( '.vvc-dashboard__gauges' )?.textContent ??
			'';
		expect( text ).toContain( 'Past the soft limit' );
		expect( text ).toContain(
			'Includes $0.10 held for requests in progress.'
		);
		expect( text ).toContain(
			'Monthly limit (November 2026)No limit set. Spent: $9.00.'
		);
		expect( text ).toContain( '14 visitors today, 1 at the cap.' );
		expect( text ).toContain(
			'At least one visitor or shared address has reached the cap'
		);
		expect(
			container.querySelector( 'a[href$="page=vvc-budget"]' )?.textContent
		).toBeTruthy();
	} );

	it( 'lists top models and recent errors', async () => {
		await render( fakeApi().api );
		const text = container.textContent ?? '';
		expect( text ).toContain( 'gpt-4o-mini' );
		expect( text ).toContain( '72.2%' );
		expect( text ).toContain( 'vvc_upstream_error' );
		expect( text ).toContain( 'HTTP 500 server_error' );
	} );

	it( 'asks for the chosen period, counted from the site’s today', async () => {
		const { api, summaries } = fakeApi();
		await render( api );

		const select = container.querySelector( 'select' ) as HTMLSelectElement;
		await act( async () => {
			select.value = 'last7';
			select.dispatchEvent( new Event( 'change', { bubbles: true } ) );
		} );
		await settle();

		expect( summaries.at( -1 ) ).toEqual( {
			from: '2026-11-16',
			to: '2026-11-22',
		} );
	} );

	it( 'explains a failure and tries again', async () => {
		let fail = true;
		const { api, summaries } = fakeApi( {
			summary: async () => {
				summaries.push( undefined );
				if ( fail ) {
					throw {
						code: 'vvc_forbidden',
						message: 'Sorry, not allowed.',
						status: 403,
					};
				}
				return parseSummary( summaryBody() );
			},
		} );
		await render( api );

		expect(
			container.querySelector( '[role="alert"]' )?.textContent
		).toContain( 'The usage could not be loaded: Sorry, not allowed.' );
		fail = false;
		const retry = [ ...container.querySelectorAll( 'button' ) ].find(
			( button ) => button.textContent === 'Try again'
		);
		await act( async () => retry?.click() );
		await settle();
		expect(
			container.querySelector( '.vvc-dashboard__totals' )
		).not.toBeNull();
	} );

	it( 'loads the usage log for the same period and links the CSV of exactly that', async () => {
		const { api, logs } = fakeApi();
		await render( api );
		await waitForLog();

		expect( logs[ 0 ] ).toEqual( {
			from: '2026-11-20',
			to: '2026-11-22',
			page: 1,
			perPage: 25,
		} );
		const log =
			container.querySelector( '.vvc-dashboard__log' )?.textContent ?? '';
		expect( log ).toContain( 'gpt-5-mini' );
		expect( log ).toContain( 'Failed (502 vvc_upstream_error)' );
		const csv = [ ...container.querySelectorAll( 'a' ) ].find(
			( link ) => link.textContent === 'Download CSV'
		);
		expect( csv?.getAttribute( 'href' ) ).toBe(
			`${ EXPORT }&from=2026-11-20&to=2026-11-22`
		);
	}, 30000 );
} );
