/**
 * Pure geometry of the cost-per-day chart: a stacked bar per day, one segment per tier, a
 * y axis with round money ticks and a few day labels. The component only draws what this
 * computes, so the numbers are unit-tested without a DOM.
 */
import type { DayUsage } from './types';

export interface ChartBox {
	width: number;
	height: number;
	/** Space for the y labels on the left and the x labels below. */
	left: number;
	right: number;
	top: number;
	bottom: number;
}

export interface Segment {
	tier: string;
	micros: number;
	y: number;
	height: number;
}

export interface Bar {
	day: string;
	x: number;
	width: number;
	totalMicros: number;
	segments: Segment[];
}

export interface Tick {
	micros: number;
	y: number;
}

export interface ChartLayout {
	box: ChartBox;
	/** The value at the top of the y axis. */
	maxMicros: number;
	ticks: Tick[];
	bars: Bar[];
	/** Days that get a label under the x axis, with the bar centre. */
	labels: Array< { day: string; x: number } >;
}

export const DEFAULT_BOX: ChartBox = {
	width: 720,
	height: 260,
	left: 64,
	right: 8,
	top: 12,
	bottom: 28,
};

/** Colours per tier, each with at least 3:1 contrast on white (WCAG non-text contrast). */
export const TIER_COLORS: Record< string, string > = {
	economy: '#3858e9',
	standard: '#008a20',
	vision: '#b26200',
	long_context: '#7b2bc7',
	voice: '#c9356e',
	transcribe: '#00758a',
	speech: '#5f5b00',
	other: '#6d6d6d',
};

/**
 * A colour for a tier the palette does not know (tiers a developer added).
 * @param tier
 */
export function tierColor( tier: string ): string {
	return TIER_COLORS[ tier ] ?? '#3c434a';
}

/**
 * The smallest "round" number (1, 2, 2.5 or 5 times a power of ten) at or above a value.
 *
 * @param value A positive number.
 */
export function niceCeiling( value: number ): number {
	if ( ! ( value > 0 ) || ! Number.isFinite( value ) ) {
		return 1;
	}
	const power = 10 ** Math.floor( Math.log10( value ) );
	for ( const step of [ 1, 2, 2.5, 5, 10 ] ) {
		// Rounding guards against 0.30000000000000004-style misses.
		if ( Math.round( step * power * 1e6 ) / 1e6 >= value ) {
			return step * power;
		}
	}
	return 10 * power;
}

/**
 * Round y-axis ticks from 0 to at least the largest value, about `count` steps.
 *
 * @param maxMicros Largest value to show.
 * @param count     Wanted number of steps.
 */
export function axisTicks( maxMicros: number, count = 4 ): number[] {
	// Whole micro-dollars: below one micro-dollar a step means nothing.
	const step = Math.max( 1, niceCeiling( maxMicros / count ) );
	const steps = Math.max( 1, Math.ceil( maxMicros / step ) );
	return Array.from( { length: steps + 1 }, ( _, index ) =>
		Math.round( index * step )
	);
}

/**
 * Lays out the chart.
 *
 * @param daily One entry per day, oldest first.
 * @param tiers Tiers in stacking order, bottom first.
 * @param box   Drawing area.
 */
export function layoutChart(
	daily: DayUsage[],
	tiers: string[],
	box: ChartBox = DEFAULT_BOX
): ChartLayout {
	const totals = daily.map( ( day ) =>
		tiers.reduce(
			( sum, tier ) => sum + ( day.costByTier[ tier ] ?? 0 ),
			0
		)
	);
	const ticks = axisTicks( Math.max( 0, ...totals ) );
	const maxMicros = ticks[ ticks.length - 1 ] ?? 1;
	const plotWidth = box.width - box.left - box.right;
	const plotHeight = box.height - box.top - box.bottom;
	const baseline = box.top + plotHeight;
	const slot = daily.length > 0 ? plotWidth / daily.length : plotWidth;
	const barWidth = Math.max( 1, slot * 0.7 );
	const scale = ( micros: number ) => ( micros / maxMicros ) * plotHeight;

	const bars: Bar[] = daily.map( ( day, index ) => {
		let y = baseline;
		const segments: Segment[] = [];
		for ( const tier of tiers ) {
			const micros = day.costByTier[ tier ] ?? 0;
			if ( micros <= 0 ) {
				continue;
			}
			const height = scale( micros );
			y -= height;
			segments.push( { tier, micros, y, height } );
		}
		return {
			day: day.day,
			x: box.left + index * slot + ( slot - barWidth ) / 2,
			width: barWidth,
			totalMicros: totals[ index ] ?? 0,
			segments,
		};
	} );

	// At most eight labels, about 64 px apart so short dates never overlap on a narrow
	// screen; the last day always among them.
	const room = Math.min( 8, Math.max( 2, Math.floor( plotWidth / 64 ) ) );
	const every = Math.max( 1, Math.ceil( daily.length / room ) );
	const labels = bars
		.filter( ( _, index ) => ( daily.length - 1 - index ) % every === 0 )
		.map( ( bar ) => ( { day: bar.day, x: bar.x + bar.width / 2 } ) );

	return {
		box,
		maxMicros,
		ticks: ticks.map( ( micros ) => ( {
			micros,
			y: baseline - scale( micros ),
		} ) ),
		bars,
		labels,
	};
}

/**
 * The day that cost the most, or null when nothing cost anything.
 *
 * @param daily One entry per day.
 */
export function costliestDay( daily: DayUsage[] ): DayUsage | null {
	let best: DayUsage | null = null;
	for ( const day of daily ) {
		if (
			day.costMicros > 0 &&
			( ! best || day.costMicros > best.costMicros )
		) {
			best = day;
		}
	}
	return best;
}
