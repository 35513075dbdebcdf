/**
 * The cost chart's geometry: round ticks, stacked segments, labels, the costliest day.
 */
import { describe, expect, it } from 'vitest';

import {
	axisTicks,
	costliestDay,
	DEFAULT_BOX,
	layoutChart,
	niceCeiling,
	tierColor,
} from '../../src/admin/dashboard/chart';
import type { DayUsage } from '../../src/admin/dashboard/types';

function day( date: string, costByTier: Record< string, number > ): DayUsage {
	const costMicros = Object.values( costByTier ).reduce(
		( a, b ) => a + b,
		0
	);
	return {
		day: date,
		requests: Object.keys( costByTier ).length,
		costMicros,
		cacheHits: 0,
		errors: 0,
		costByTier,
	};
}

describe( 'niceCeiling', () => {
	it.each( [
		[ 1, 1 ],
		[ 1.2, 2 ],
		[ 2.1, 2.5 ],
		[ 3, 5 ],
		[ 7.5, 10 ],
		[ 0.3, 0.5 ],
		[ 250_001, 500_000 ],
		[ 1_000_000, 1_000_000 ],
	] )( 'rounds %f up to %f', ( value, nice ) => {
		expect( niceCeiling( value ) ).toBe( nice );
	} );

	it( 'gives 1 for nothing or nonsense', () => {
		expect( niceCeiling( 0 ) ).toBe( 1 );
		expect( niceCeiling( -5 ) ).toBe( 1 );
		expect( niceCeiling( Number.NaN ) ).toBe( 1 );
		expect( niceCeiling( Infinity ) ).toBe( 1 );
	} );
} );

describe( 'axisTicks', () => {
	it( 'covers the largest value in round steps from zero', () => {
		expect( axisTicks( 41_000 ) ).toEqual( [ 0, 20_000, 40_000, 60_000 ] );
		expect( axisTicks( 40_000 ) ).toEqual( [
			0, 10_000, 20_000, 30_000, 40_000,
		] );
		expect( axisTicks( 4_100_000 ) ).toEqual( [
			0, 2_000_000, 4_000_000, 6_000_000,
		] );
	} );

	it( 'never steps below a whole micro-dollar', () => {
		expect( axisTicks( 0 ) ).toEqual( [ 0, 1 ] );
		expect( axisTicks( 2 ) ).toEqual( [ 0, 1, 2 ] );
	} );
} );

describe( 'layoutChart', () => {
	const daily = [
		day( '2026-11-20', { economy: 1000, vision: 3000 } ),
		day( '2026-11-21', {} ),
		day( '2026-11-22', { standard: 2000 } ),
	];
	const layout = layoutChart( daily, [ 'economy', 'standard', 'vision' ] );
	const plotHeight =
		DEFAULT_BOX.height - DEFAULT_BOX.top - DEFAULT_BOX.bottom;
	const baseline = DEFAULT_BOX.top + plotHeight;

	it( 'puts one bar per day, left to right, inside the plot', () => {
		expect( layout.bars.map( ( bar ) => bar.day ) ).toEqual( [
			'2026-11-20',
			'2026-11-21',
			'2026-11-22',
		] );
		const [ first, , last ] = layout.bars;
		expect( first?.x ).toBeGreaterThanOrEqual( DEFAULT_BOX.left );
		expect( ( last?.x ?? 0 ) + ( last?.width ?? 0 ) ).toBeLessThanOrEqual(
			DEFAULT_BOX.width - DEFAULT_BOX.right
		);
		expect( ( first?.x ?? 0 ) < ( last?.x ?? 0 ) ).toBe( true );
	} );

	it( 'stacks the tiers in the given order from the baseline up', () => {
		const first = layout.bars[ 0 ];
		expect( first?.totalMicros ).toBe( 4000 );
		expect( first?.segments.map( ( segment ) => segment.tier ) ).toEqual( [
			'economy',
			'vision',
		] );
		const [ economy, vision ] = first?.segments ?? [];
		expect( ( economy?.y ?? 0 ) + ( economy?.height ?? 0 ) ).toBeCloseTo(
			baseline
		);
		expect( ( vision?.y ?? 0 ) + ( vision?.height ?? 0 ) ).toBeCloseTo(
			economy?.y ?? 0
		);
		expect( vision?.height ).toBeCloseTo( 3 * ( economy?.height ?? 0 ) );
	} );

	it( 'scales to the top tick and leaves empty days empty', () => {
		expect( layout.maxMicros ).toBe( 4000 );
		const top = layout.bars[ 0 ]?.segments[ 1 ];
		expect( top?.y ).toBeCloseTo( DEFAULT_BOX.top );
		expect( layout.bars[ 1 ]?.segments ).toEqual( [] );
		expect( layout.ticks[ 0 ] ).toEqual( { micros: 0, y: baseline } );
	} );

	it( 'labels about eight days, always the last one', () => {
		const month = Array.from( { length: 30 }, ( _, index ) =>
			day( `2026-11-${ String( index + 1 ).padStart( 2, '0' ) }`, {} )
		);
		const labels = layoutChart( month, [] ).labels.map(
			( label ) => label.day
		);
		expect( labels.length ).toBeLessThanOrEqual( 8 );
		expect( labels.length ).toBeGreaterThanOrEqual( 7 );
		expect( labels.at( -1 ) ).toBe( '2026-11-30' );

		const narrow = layoutChart( month, [], {
			...DEFAULT_BOX,
			width: 280,
			left: 52,
		} ).labels;
		expect( narrow.length ).toBeLessThanOrEqual( 4 );
		const gaps = narrow
			.slice( 1 )
			.map( ( label, index ) => label.x - ( narrow[ index ]?.x ?? 0 ) );
		expect( Math.min( ...gaps ) ).toBeGreaterThanOrEqual( 50 );
	} );
} );

describe( 'costliestDay and tierColor', () => {
	it( 'finds the day that cost most, or none', () => {
		expect(
			costliestDay( [
				day( 'a', { economy: 1 } ),
				day( 'b', { economy: 5 } ),
			] )?.day
		).toBe( 'b' );
		expect( costliestDay( [ day( 'a', {} ) ] ) ).toBeNull();
	} );

	it( 'has a colour for every tier and a fallback', () => {
		expect( tierColor( 'economy' ) ).toMatch( /^#[0-9a-f]{6}$/ );
		expect( tierColor( 'made-up' ) ).toBe( '#3c434a' );
	} );
} );
