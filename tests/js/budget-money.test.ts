/**
 * Dollars typed by the admin become exact micro-dollars, and back.
 */
import { describe, expect, it } from 'vitest';

import {
	microsToUsd,
	parsePrice,
	parseUsd,
	priceText,
} from '../../src/admin/budget/money';

const MAX = 1_000_000_000_000;

describe( 'parseUsd', () => {
	it.each( [
		[ '5', 5_000_000 ],
		[ '5.00', 5_000_000 ],
		[ '$ 0.29', 290_000 ],
		[ '0,5', 500_000 ],
		[ '.25', 250_000 ],
		[ '12.345678', 12_345_678 ],
		[ '0', 0 ],
		[ ' 7 USD ', 7_000_000 ],
	] )( 'reads %j as %d micro-dollars', ( raw, micros ) => {
		expect( parseUsd( raw, MAX ) ).toEqual( { ok: true, value: micros } );
	} );

	it.each( [ '', '.', 'five', '-1', '1,000.50', '1.2.3', '1e3' ] )(
		'refuses %j',
		( raw ) => {
			expect( parseUsd( raw, MAX ).ok ).toBe( false );
		}
	);

	it( 'refuses more than six decimals and amounts above the maximum', () => {
		expect( parseUsd( '0.0000001', MAX ) ).toMatchObject( {
			ok: false,
			error: expect.stringContaining( 'six decimals' ),
		} );
		expect( parseUsd( '1000001', MAX ) ).toMatchObject( {
			ok: false,
			error: 'Enter at most $1000000.00.',
		} );
	} );
} );

describe( 'microsToUsd', () => {
	it( 'shows two decimals, more only when needed', () => {
		expect( microsToUsd( 5_000_000 ) ).toBe( '5.00' );
		expect( microsToUsd( 290_000 ) ).toBe( '0.29' );
		expect( microsToUsd( 125_000 ) ).toBe( '0.125' );
		expect( microsToUsd( 1 ) ).toBe( '0.000001' );
		expect( microsToUsd( 0 ) ).toBe( '0.00' );
	} );

	it( 'round-trips with parseUsd', () => {
		for ( const micros of [ 0, 1, 99, 200_000, 5_000_000, 123_456_789 ] ) {
			expect( parseUsd( microsToUsd( micros ), MAX ) ).toEqual( {
				ok: true,
				value: micros,
			} );
		}
	} );
} );

describe( 'parsePrice and priceText', () => {
	it( 'reads prices; empty is "no price"', () => {
		expect( parsePrice( '0.075' ) ).toEqual( { ok: true, value: 0.075 } );
		expect( parsePrice( '' ) ).toEqual( { ok: true, value: null } );
		expect( parsePrice( '2,5' ) ).toEqual( { ok: true, value: 2.5 } );
		expect( parsePrice( 'free' ).ok ).toBe( false );
		expect( parsePrice( '100001' ).ok ).toBe( false );
		expect( parsePrice( '0.1234567' ).ok ).toBe( false );
	} );

	it( 'shows prices without trailing zeros or exponents', () => {
		expect( priceText( 0.6 ) ).toBe( '0.6' );
		expect( priceText( 10 ) ).toBe( '10' );
		expect( priceText( 0.000005 ) ).toBe( '0.000005' );
		expect( priceText( undefined ) ).toBe( '' );
	} );
} );
