/**
 * Spending against each limit: a meter per limit (ARIA meter semantics, labelled, with a
 * text value), a mark at the soft limit, and what happens at each state in words, so
 * nothing depends on colour.
 */
import { useId } from '@wordpress/element';
import { __, _n, sprintf } from '@wordpress/i18n';

import { formatPeriod, formatShare, formatUsd } from '../format';
import type { BudgetGauge } from '../types';

interface GaugeProps {
	gauge: BudgetGauge;
	locale?: string;
}

function title( gauge: BudgetGauge, locale?: string ): string {
	switch ( gauge.scope ) {
		case 'site_day':
			return sprintf(
				/* translators: %s: the day. */
				__( 'Daily limit (%s)', 'voice-vision-chat' ),
				formatPeriod( gauge.period, locale )
			);
		case 'site_month':
			return sprintf(
				/* translators: %s: the month. */
				__( 'Monthly limit (%s)', 'voice-vision-chat' ),
				formatPeriod( gauge.period, locale )
			);
		default:
			return __(
				'Per-visitor daily cap (the visitor closest to it)',
				'voice-vision-chat'
			);
	}
}

function stateText( gauge: BudgetGauge ): string | null {
	if ( gauge.scope === 'visitor_day' ) {
		return gauge.state === 'hard'
			? __(
					'At least one visitor or shared address has reached the cap: they see a friendly notice until tomorrow.',
					'voice-vision-chat'
				)
			: null;
	}
	if ( gauge.state === 'hard' ) {
		return gauge.scope === 'site_month'
			? __(
					'Limit reached: the chat stops calling the AI provider until next month.',
					'voice-vision-chat'
				)
			: __(
					'Limit reached: the chat stops calling the AI provider until tomorrow.',
					'voice-vision-chat'
				);
	}
	if ( gauge.state === 'soft' ) {
		return __(
			'Past the soft limit: you were emailed, and questions go to the economy model where possible.',
			'voice-vision-chat'
		);
	}
	return null;
}

export function Gauge( { gauge, locale }: GaugeProps ) {
	const labelId = useId();
	const used = gauge.spentMicros + gauge.reservedMicros;
	const heading = title( gauge, locale );
	const state = stateText( gauge );
	const visitors =
		gauge.scope === 'visitor_day' && gauge.visitors !== undefined
			? sprintf(
					/* translators: 1: number of visitors, 2: number of visitors or addresses at the cap. */
					_n(
						'%1$d visitor today, %2$d at the cap.',
						'%1$d visitors today, %2$d at the cap.',
						gauge.visitors,
						'voice-vision-chat'
					),
					gauge.visitors,
					gauge.atCap ?? 0
				)
			: null;

	if ( gauge.capMicros <= 0 ) {
		return (
			<div className="vvc-gauge">
				<h3 id={ labelId } className="vvc-gauge__title">
					{ heading }
				</h3>
				<p className="vvc-gauge__value">
					{ sprintf(
						/* translators: %s: amount spent. */
						__( 'No limit set. Spent: %s.', 'voice-vision-chat' ),
						formatUsd( used, locale )
					) }
				</p>
				{ visitors && <p className="vvc-gauge__note">{ visitors }</p> }
			</div>
		);
	}

	const share = Math.min( 1, used / gauge.capMicros );
	const value = sprintf(
		/* translators: 1: amount used, 2: the limit, 3: percentage. */
		__( '%1$s of %2$s (%3$s)', 'voice-vision-chat' ),
		formatUsd( used, locale ),
		formatUsd( gauge.capMicros, locale ),
		formatShare( used, gauge.capMicros, locale )
	);
	return (
		<div className={ `vvc-gauge is-${ gauge.state }` }>
			<h3 id={ labelId } className="vvc-gauge__title">
				{ heading }
			</h3>
			<div
				className="vvc-gauge__track"
				role="meter"
				aria-labelledby={ labelId }
				aria-valuemin={ 0 }
				aria-valuemax={ gauge.capMicros }
				aria-valuenow={ Math.min( used, gauge.capMicros ) }
				aria-valuetext={ value }
			>
				<div
					className="vvc-gauge__fill"
					style={ { width: `${ share * 100 }%` } }
				/>
				{ gauge.softMicros > 0 && (
					<div
						className="vvc-gauge__soft"
						style={ {
							left: `${ Math.min(
								100,
								( gauge.softMicros / gauge.capMicros ) * 100
							) }%`,
						} }
					/>
				) }
			</div>
			<p className="vvc-gauge__value">{ value }</p>
			{ gauge.softMicros > 0 && (
				<p className="vvc-gauge__note">
					{ sprintf(
						/* translators: %s: the soft limit in US dollars. */
						__(
							'Soft limit (email and cheaper models): %s.',
							'voice-vision-chat'
						),
						formatUsd( gauge.softMicros, locale )
					) }
				</p>
			) }
			{ gauge.reservedMicros > 0 && (
				<p className="vvc-gauge__note">
					{ sprintf(
						/* translators: %s: amount held for requests in progress. */
						__(
							'Includes %s held for requests in progress.',
							'voice-vision-chat'
						),
						formatUsd( gauge.reservedMicros, locale )
					) }
				</p>
			) }
			{ visitors && <p className="vvc-gauge__note">{ visitors }</p> }
			{ state && <p className="vvc-gauge__state">{ state }</p> }
		</div>
	);
}

interface SpendGaugesProps {
	gauges: BudgetGauge[];
	budgetUrl: string;
	locale?: string;
}

export function SpendGauges( { gauges, budgetUrl, locale }: SpendGaugesProps ) {
	return (
		<>
			<div className="vvc-dashboard__gauges">
				{ gauges.map( ( gauge ) => (
					<Gauge
						key={ gauge.scope }
						gauge={ gauge }
						locale={ locale }
					/>
				) ) }
			</div>
			<p>
				<a href={ budgetUrl }>
					{ __( 'Change the limits', 'voice-vision-chat' ) }
				</a>
			</p>
		</>
	);
}
