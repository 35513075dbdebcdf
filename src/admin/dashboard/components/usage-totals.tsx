/**
 * The period at a glance: requests, cost, cache hits and errors.
 */
import { __, sprintf } from '@wordpress/i18n';

import { formatCount, formatShare, formatUsd } from '../format';
import type { UsageTotals as Totals } from '../types';

interface UsageTotalsProps {
	totals: Totals;
	locale?: string;
}

export function UsageTotals( { totals, locale }: UsageTotalsProps ) {
	const tiles = [
		{
			label: __( 'Requests', 'voice-vision-chat' ),
			value: formatCount( totals.requests, locale ),
			note: sprintf(
				/* translators: 1: input tokens, 2: output tokens. */
				__( '%1$s tokens in, %2$s out', 'voice-vision-chat' ),
				formatCount( totals.inputTokens, locale ),
				formatCount( totals.outputTokens, locale )
			),
		},
		{
			label: __( 'Cost', 'voice-vision-chat' ),
			value: formatUsd( totals.costMicros, locale ),
			note: __( 'As billed by the provider', 'voice-vision-chat' ),
		},
		{
			label: __( 'Cache hits', 'voice-vision-chat' ),
			value: formatCount( totals.cacheHits, locale ),
			note: sprintf(
				/* translators: %s: percentage of requests. */
				__( '%s of requests, answered for free', 'voice-vision-chat' ),
				formatShare( totals.cacheHits, totals.requests, locale )
			),
		},
		{
			label: __( 'Errors', 'voice-vision-chat' ),
			value: formatCount( totals.errors, locale ),
			note: sprintf(
				/* translators: %s: percentage of requests. */
				__( '%s of requests', 'voice-vision-chat' ),
				formatShare( totals.errors, totals.requests, locale )
			),
		},
	];
	return (
		<dl className="vvc-dashboard__totals">
			{ tiles.map( ( tile ) => (
				<div key={ tile.label } className="vvc-dashboard__total">
					<dt>{ tile.label }</dt>
					<dd>
						<span className="vvc-dashboard__number">
							{ tile.value }
						</span>
						<span className="vvc-dashboard__muted">
							{ tile.note }
						</span>
					</dd>
				</div>
			) ) }
		</dl>
	);
}
