/**
 * Money, counts, days and labels as the dashboard shows them.
 */
import { describe, expect, it } from 'vitest';

import {
	formatDay,
	formatLatency,
	formatPeriod,
	formatShare,
	formatTime,
	formatUsd,
	routeLabel,
	tierLabel,
} from '../../src/admin/dashboard/format';

describe( 'formatUsd', () => {
	it( 'shows dollars with two decimals', () => {
		expect( formatUsd( 5_000_000, 'en-US' ) ).toBe( '$5.00' );
		expect( formatUsd( 1_234_567_890, 'en-US' ) ).toBe( '$1,234.57' );
		expect( formatUsd( 0, 'en-US' ) ).toBe( '$0.00' );
	} );

	it( 'keeps four decimals below a cent, so small costs are not $0.00', () => {
		expect( formatUsd( 2900, 'en-US' ) ).toBe( '$0.0029' );
		expect( formatUsd( 1, 'en-US' ) ).toBe( '$0.0000' );
		expect( formatUsd( 10_000, 'en-US' ) ).toBe( '$0.01' );
	} );

	it( 'follows the locale', () => {
		expect( formatUsd( 5_500_000, 'de-DE' ) ).toMatch( /^5,50\s\$$/ );
	} );
} );

describe( 'formatDay and formatPeriod', () => {
	it( 'reads a date as a calendar day, whatever the time zone', () => {
		expect( formatDay( '2026-11-03', 'en-US' ) ).toBe( 'Nov 3' );
		expect( formatDay( '2026-11-03', 'en-US', true ) ).toBe(
			'Tue, Nov 3, 2026'
		);
		expect( formatDay( 'not a day', 'en-US' ) ).toBe( 'not a day' );
	} );

	it( 'names months and days', () => {
		expect( formatPeriod( '2026-11', 'en-US' ) ).toBe( 'November 2026' );
		expect( formatPeriod( '2026-11-22', 'en-US' ) ).toBe(
			'Sun, Nov 22, 2026'
		);
	} );
} );

describe( 'formatShare, formatLatency, formatTime', () => {
	it( 'shows shares, 0 % of nothing', () => {
		expect( formatShare( 1, 6, 'en-US' ) ).toBe( '16.7%' );
		expect( formatShare( 3, 0, 'en-US' ) ).toBe( '0%' );
	} );

	it( 'shows latency in ms or s', () => {
		expect( formatLatency( 850, 'en-US' ) ).toBe( '850 ms' );
		expect( formatLatency( 2440, 'en-US' ) ).toBe( '2.4 s' );
	} );

	it( 'shows a UTC time in a given zone, and bad input as is', () => {
		expect( formatTime( '2026-11-22T09:00:00Z', 'en-US', 'UTC' ) ).toBe(
			'Nov 22, 2026, 9:00:00 AM'
		);
		expect( formatTime( 'yesterday', 'en-US' ) ).toBe( 'yesterday' );
	} );
} );

describe( 'labels', () => {
	it( 'names tiers and routes, and falls back to the id', () => {
		expect( tierLabel( 'long_context' ) ).toBe( 'Long context' );
		expect( tierLabel( 'other' ) ).toBe( 'Other (no tier)' );
		expect( tierLabel( 'premium' ) ).toBe( 'premium' );
		expect( routeLabel( 'chat_stream' ) ).toBe( 'Chat (streamed)' );
		expect( routeLabel( 'custom' ) ).toBe( 'custom' );
	} );
} );
