/**
 * Cost per day by tier: stacked SVG bars with a legend, and the same numbers as a table.
 *
 * Plain SVG rather than a charting library: a few dozen bars need no canvas, the shapes
 * stay crisp and printable, and the drawing is a pure function of layoutChart(). The SVG
 * is one image with a text summary for screen readers; every number is in the table
 * under it, which anyone can open.
 */
import { useEffect, useId, useRef, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { costliestDay, DEFAULT_BOX, layoutChart, tierColor } from '../chart';
import { formatDay, formatUsd, tierLabel } from '../format';
import type { UsageSummary } from '../types';

interface CostChartProps {
	summary: UsageSummary;
	locale?: string;
}

/**
 * Width of an element, following resizes; the fallback until measured (and in tests).
 *
 * @param fallback Width before the first measurement.
 */
function useWidth( fallback: number ) {
	const ref = useRef< HTMLDivElement >( null );
	const [ width, setWidth ] = useState( fallback );
	useEffect( () => {
		const element = ref.current;
		if ( ! element || typeof ResizeObserver === 'undefined' ) {
			return undefined;
		}
		const observer = new ResizeObserver( ( entries ) => {
			const measured = entries[ 0 ]?.contentRect.width ?? 0;
			if ( measured > 0 ) {
				setWidth( Math.round( measured ) );
			}
		} );
		observer.observe( element );
		return () => observer.disconnect();
	}, [] );
	return { ref, width };
}

export function CostChart( { summary, locale }: CostChartProps ) {
	const titleId = useId();
	const descriptionId = useId();
	const { ref, width } = useWidth( DEFAULT_BOX.width );
	const { daily, tiers, totals, range } = summary;
	// Narrow screens get a shorter chart and room for shorter labels.
	const box = {
		...DEFAULT_BOX,
		width: Math.max( 280, width ),
		height: width < 480 ? 200 : DEFAULT_BOX.height,
		left: width < 480 ? 52 : DEFAULT_BOX.left,
	};
	const layout = layoutChart( daily, tiers, box );
	const peak = costliestDay( daily );
	const tierTotals = tiers.map( ( tier ) => ( {
		tier,
		micros: daily.reduce(
			( sum, day ) => sum + ( day.costByTier[ tier ] ?? 0 ),
			0
		),
	} ) );

	const description = peak
		? sprintf(
				/* translators: 1: first day, 2: last day, 3: total cost, 4: the costliest day, 5: its cost. */
				__(
					'From %1$s to %2$s the chat cost %3$s. The costliest day was %4$s with %5$s. The table below lists every day.',
					'voice-vision-chat'
				),
				formatDay( range.from, locale, true ),
				formatDay( range.to, locale, true ),
				formatUsd( totals.costMicros, locale ),
				formatDay( peak.day, locale, true ),
				formatUsd( peak.costMicros, locale )
			)
		: sprintf(
				/* translators: 1: first day, 2: last day. */
				__(
					'Nothing was spent from %1$s to %2$s.',
					'voice-vision-chat'
				),
				formatDay( range.from, locale, true ),
				formatDay( range.to, locale, true )
			);

	return (
		<figure className="vvc-dashboard__chart">
			<div ref={ ref } className="vvc-dashboard__chart-frame">
				<svg
					role="img"
					aria-labelledby={ titleId }
					aria-describedby={ descriptionId }
					viewBox={ `0 0 ${ box.width } ${ box.height }` }
					width="100%"
					height={ box.height }
					focusable="false"
				>
					<title id={ titleId }>
						{ __( 'Cost per day by tier', 'voice-vision-chat' ) }
					</title>
					<desc id={ descriptionId }>{ description }</desc>
					{ layout.ticks.map( ( tick ) => (
						<g key={ tick.micros } className="vvc-chart__tick">
							<line
								x1={ box.left }
								x2={ box.width - box.right }
								y1={ tick.y }
								y2={ tick.y }
							/>
							<text x={ box.left - 6 } y={ tick.y } dy="0.32em">
								{ formatUsd( tick.micros, locale ) }
							</text>
						</g>
					) ) }
					{ layout.bars.map( ( bar ) => (
						<g key={ bar.day } className="vvc-chart__bar">
							<title>
								{ [
									`${ formatDay(
										bar.day,
										locale,
										true
									) }: ${ formatUsd(
										bar.totalMicros,
										locale
									) }`,
									...bar.segments.map(
										( segment ) =>
											`${ tierLabel(
												segment.tier
											) } ${ formatUsd(
												segment.micros,
												locale
											) }`
									),
								].join( '\n' ) }
							</title>
							{ /* A transparent full-height target, so thin bars still show their tooltip. */ }
							<rect
								x={ bar.x }
								y={ box.top }
								width={ bar.width }
								height={ box.height - box.top - box.bottom }
								fill="transparent"
							/>
							{ bar.segments.map( ( segment ) => (
								<rect
									key={ segment.tier }
									x={ bar.x }
									y={ segment.y }
									width={ bar.width }
									height={ Math.max( 0.5, segment.height ) }
									fill={ tierColor( segment.tier ) }
								/>
							) ) }
						</g>
					) ) }
					<line
						className="vvc-chart__axis"
						x1={ box.left }
						x2={ box.width - box.right }
						y1={ box.height - box.bottom }
						y2={ box.height - box.bottom }
					/>
					{ layout.labels.map( ( label ) => (
						<text
							key={ label.day }
							className="vvc-chart__day"
							x={ label.x }
							y={ box.height - box.bottom + 16 }
						>
							{ formatDay( label.day, locale ) }
						</text>
					) ) }
				</svg>
			</div>
			<figcaption>
				{ tierTotals.length > 0 ? (
					<ul className="vvc-dashboard__legend">
						{ tierTotals.map( ( { tier, micros } ) => (
							<li key={ tier }>
								<span
									className="vvc-dashboard__swatch"
									style={ { background: tierColor( tier ) } }
									aria-hidden="true"
								/>
								{ tierLabel( tier ) }{ ' ' }
								<span className="vvc-dashboard__muted">
									{ formatUsd( micros, locale ) }
								</span>
							</li>
						) ) }
					</ul>
				) : (
					<p className="vvc-dashboard__muted">
						{ __(
							'No requests in this period.',
							'voice-vision-chat'
						) }
					</p>
				) }
			</figcaption>
			<details className="vvc-dashboard__details">
				<summary>
					{ __( 'Show the numbers as a table', 'voice-vision-chat' ) }
				</summary>
				<div className="vvc-dashboard__scroll">
					<table className="widefat striped vvc-dashboard__table">
						<caption>
							{ __(
								'Cost per day by tier (US dollars)',
								'voice-vision-chat'
							) }
						</caption>
						<thead>
							<tr>
								<th scope="col">
									{ __( 'Day', 'voice-vision-chat' ) }
								</th>
								{ tiers.map( ( tier ) => (
									<th scope="col" key={ tier }>
										{ tierLabel( tier ) }
									</th>
								) ) }
								<th scope="col">
									{ __( 'Total', 'voice-vision-chat' ) }
								</th>
								<th scope="col">
									{ __( 'Requests', 'voice-vision-chat' ) }
								</th>
							</tr>
						</thead>
						<tbody>
							{ daily.map( ( day ) => (
								<tr key={ day.day }>
									<th scope="row">
										{ formatDay( day.day, locale, true ) }
									</th>
									{ tiers.map( ( tier ) => (
										<td key={ tier }>
											{ formatUsd(
												day.costByTier[ tier ] ?? 0,
												locale
											) }
										</td>
									) ) }
									<td>
										{ formatUsd( day.costMicros, locale ) }
									</td>
									<td>{ day.requests }</td>
								</tr>
							) ) }
						</tbody>
					</table>
				</div>
			</details>
		</figure>
	);
}
