/**
 * Dashboard > Chat usage: what the chat costs per day and tier, against which limits, on
 * which models, what failed, and the usage log. Everything comes from the admin REST
 * routes; the period applies to every card and to the log.
 */
import {
	Card,
	CardBody,
	CardHeader,
	SelectControl,
	Spinner,
} from '@wordpress/components';
import { useCallback, useEffect, useRef, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import type { ApiError } from '../settings/types';
import { LoadFailed } from '../shared/load-state';
import type { UsageApi } from './api';
import { CostChart } from './components/cost-chart';
import { RecentErrors } from './components/recent-errors';
import { SpendGauges } from './components/spend-gauges';
import { TopModels } from './components/top-models';
import { UsageLog } from './components/usage-log';
import { UsageTotals } from './components/usage-totals';
import { formatDay } from './format';
import { PERIOD_PRESETS, rangeForPreset, type PeriodPreset } from './query';
import type { UsageSummary } from './types';

export interface DashboardAppProps {
	api: UsageApi;
	/** CSV export address with the REST nonce, printed by the page. */
	exportBase: string;
	/** Address of the budget screen. */
	budgetUrl: string;
	locale?: string;
}

type SummaryState =
	| { kind: 'loading'; previous: UsageSummary | null }
	| { kind: 'ready'; summary: UsageSummary }
	| { kind: 'failed'; error: ApiError };

function presetLabel( preset: PeriodPreset ): string {
	switch ( preset ) {
		case 'last7':
			return __( 'Last 7 days', 'voice-vision-chat' );
		case 'last90':
			return __( 'Last 90 days', 'voice-vision-chat' );
		case 'thisMonth':
			return __( 'This month', 'voice-vision-chat' );
		case 'lastMonth':
			return __( 'Last month', 'voice-vision-chat' );
		default:
			return __( 'Last 30 days', 'voice-vision-chat' );
	}
}

export function DashboardApp( {
	api,
	exportBase,
	budgetUrl,
	locale,
}: DashboardAppProps ) {
	const [ preset, setPreset ] = useState< PeriodPreset >( 'last30' );
	// The site's "today", from the first answer (the server knows the site's time zone).
	// A ref, not state: learning it must not fetch the same period again.
	const today = useRef< string | null >( null );
	const [ state, setState ] = useState< SummaryState >( {
		kind: 'loading',
		previous: null,
	} );

	const load = useCallback( () => {
		let current = true;
		setState( ( previous ) => ( {
			kind: 'loading',
			previous: previous.kind === 'ready' ? previous.summary : null,
		} ) );
		// Without a known today, ask for the server's default (the last 30 days).
		const range = today.current
			? rangeForPreset( preset, today.current )
			: undefined;
		api.summary( range ).then(
			( summary ) => {
				if ( ! current ) {
					return;
				}
				today.current ??= summary.range.to;
				setState( { kind: 'ready', summary } );
			},
			( error: ApiError ) =>
				current && setState( { kind: 'failed', error } )
		);
		return () => {
			current = false;
		};
	}, [ api, preset ] );

	useEffect( load, [ load ] );

	let summary: UsageSummary | null = null;
	if ( state.kind === 'ready' ) {
		summary = state.summary;
	} else if ( state.kind === 'loading' ) {
		summary = state.previous;
	}
	const busy = state.kind === 'loading';

	return (
		<div className="vvc-dashboard" aria-busy={ busy }>
			<div className="vvc-dashboard__toolbar">
				<SelectControl< PeriodPreset >
					__next40pxDefaultSize
					__nextHasNoMarginBottom
					label={ __( 'Period', 'voice-vision-chat' ) }
					value={ preset }
					options={ PERIOD_PRESETS.map( ( value ) => ( {
						value,
						label: presetLabel( value ),
					} ) ) }
					onChange={ ( value ) => setPreset( value ) }
				/>
				{ summary && (
					<p className="vvc-dashboard__range">
						{ sprintf(
							/* translators: 1: first day, 2: last day, 3: the site's time zone. */
							__( '%1$s to %2$s (%3$s)', 'voice-vision-chat' ),
							formatDay( summary.range.from, locale, true ),
							formatDay( summary.range.to, locale, true ),
							summary.range.timezone
						) }
					</p>
				) }
				{ busy && (
					<span className="vvc-dashboard__busy">
						<Spinner />
						{ __( 'Loading usage…', 'voice-vision-chat' ) }
					</span>
				) }
				<a className="vvc-dashboard__budget-link" href={ budgetUrl }>
					{ __( 'Budget, prices and models', 'voice-vision-chat' ) }
				</a>
			</div>

			{ state.kind === 'failed' && (
				<LoadFailed
					format={
						/* translators: %s: the reason the server gave. */
						__(
							'The usage could not be loaded: %s',
							'voice-vision-chat'
						)
					}
					error={ state.error }
					onRetry={ load }
				/>
			) }

			{ summary && (
				<>
					<UsageTotals totals={ summary.totals } locale={ locale } />
					<Card className="vvc-dashboard__card">
						<CardHeader>
							<h2>
								{ __(
									'Cost per day by tier',
									'voice-vision-chat'
								) }
							</h2>
						</CardHeader>
						<CardBody>
							<CostChart summary={ summary } locale={ locale } />
						</CardBody>
					</Card>
					<Card className="vvc-dashboard__card">
						<CardHeader>
							<h2>
								{ __(
									'Spending against your limits',
									'voice-vision-chat'
								) }
							</h2>
						</CardHeader>
						<CardBody>
							<SpendGauges
								gauges={ summary.budgets }
								budgetUrl={ budgetUrl }
								locale={ locale }
							/>
						</CardBody>
					</Card>
					<div className="vvc-dashboard__columns">
						<Card className="vvc-dashboard__card">
							<CardHeader>
								<h2>
									{ __( 'Top models', 'voice-vision-chat' ) }
								</h2>
							</CardHeader>
							<CardBody>
								<TopModels
									models={ summary.topModels }
									totalMicros={ summary.totals.costMicros }
									locale={ locale }
								/>
							</CardBody>
						</Card>
						<Card className="vvc-dashboard__card">
							<CardHeader>
								<h2>
									{ __(
										'Recent errors',
										'voice-vision-chat'
									) }
								</h2>
							</CardHeader>
							<CardBody>
								<RecentErrors
									failed={ summary.recentErrors }
									log={ summary.errorLog }
									locale={ locale }
								/>
							</CardBody>
						</Card>
					</div>
					<Card className="vvc-dashboard__card">
						<CardHeader>
							<h2>{ __( 'Usage log', 'voice-vision-chat' ) }</h2>
						</CardHeader>
						<CardBody>
							<UsageLog
								api={ api }
								range={ summary.range }
								exportBase={ exportBase }
								locale={ locale }
							/>
						</CardBody>
					</Card>
				</>
			) }
		</div>
	);
}
