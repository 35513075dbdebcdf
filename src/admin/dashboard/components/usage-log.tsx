/**
 * The usage log: one row per request, paged and filtered on the server, shown with
 * DataViews (the list component of the WordPress admin), and the CSV export of the same
 * rows.
 *
 * DataViews comes from `@wordpress/dataviews/wp`, the build meant for plugins: it bundles
 * its own copy of the components it needs (about 380 KB gzipped) instead of relying on the
 * wp-components of the site's WordPress version (6.8 lacks what the package's other build
 * needs). It is loaded as a separate chunk after the page, so the chart and the gauges do
 * not wait for it. Every translatable string stays in this file, in the main bundle, where
 * WordPress loads its translations.
 */
import { Button, Notice, Spinner } from '@wordpress/components';
import type { DataViewsProps, Field, View } from '@wordpress/dataviews/wp';
import {
	lazy,
	Suspense,
	useEffect,
	useMemo,
	useState,
} from '@wordpress/element';
import type { JSX } from 'react';
import { __, sprintf } from '@wordpress/i18n';

import type { ApiError } from '../../settings/types';
import type { UsageApi } from '../api';
import {
	formatCount,
	formatLatency,
	formatTime,
	formatUsd,
	routeLabel,
	ROUTES,
	tierLabel,
	TIERS,
} from '../format';
import { exportUrl, filtersFromView } from '../query';
import type { DateRange, LogPage, UsageFilters, UsageRow } from '../types';

interface UsageLogProps {
	api: UsageApi;
	range: DateRange;
	exportBase: string;
	locale?: string;
}

/** Columns shown at first; the visitor hash can be added from the view options. */
const DEFAULT_FIELDS = [
	'route',
	'tier',
	'model',
	'costMicros',
	'status',
	'cacheHit',
	'inputTokens',
	'outputTokens',
	'latencyMs',
];

export const INITIAL_VIEW: View = {
	type: 'table',
	page: 1,
	perPage: 25,
	titleField: 'time',
	fields: DEFAULT_FIELDS,
	filters: [],
	layout: { density: 'compact' },
};

/**
 * DataViews for usage rows, loaded on first render. `lazy()` cannot carry the component's
 * type parameter, so the row type is fixed here.
 */
const UsageDataViews = lazy( () =>
	import(
		/* webpackChunkName: "admin/dataviews" */ '@wordpress/dataviews/wp'
	).then( ( module ) => ( {
		default: module.DataViews as unknown as (
			props: DataViewsProps< UsageRow >
		) => JSX.Element | null,
	} ) )
);

type Status = 'ok' | 'error';

function statusOf( row: UsageRow ): Status {
	return row.statusCode >= 400 ? 'error' : 'ok';
}

export function usageFields( locale?: string ): Field< UsageRow >[] {
	const plain = { enableSorting: false, filterBy: false as const };
	return [
		{
			...plain,
			id: 'time',
			label: __( 'Time', 'voice-vision-chat' ),
			enableHiding: false,
			getValue: ( { item } ) => item.time,
			render: ( { item } ) => (
				<time dateTime={ item.time }>
					{ formatTime( item.time, locale ) }
				</time>
			),
		},
		{
			...plain,
			id: 'route',
			label: __( 'Request', 'voice-vision-chat' ),
			elements: ROUTES.map( ( route ) => ( {
				value: route,
				label: routeLabel( route ),
			} ) ),
			filterBy: { operators: [ 'is' ] },
			render: ( { item } ) => routeLabel( item.route ),
		},
		{
			...plain,
			id: 'tier',
			label: __( 'Tier', 'voice-vision-chat' ),
			elements: TIERS.map( ( tier ) => ( {
				value: tier,
				label: tierLabel( tier ),
			} ) ),
			filterBy: { operators: [ 'is' ] },
			render: ( { item } ) =>
				item.tier ? tierLabel( item.tier ) : '—',
		},
		{
			...plain,
			id: 'model',
			label: __( 'Model', 'voice-vision-chat' ),
			render: ( { item } ) =>
				item.model ? <code>{ item.model }</code> : '—',
		},
		{
			...plain,
			id: 'inputTokens',
			label: __( 'Tokens in', 'voice-vision-chat' ),
			render: ( { item } ) => formatCount( item.inputTokens, locale ),
		},
		{
			...plain,
			id: 'outputTokens',
			label: __( 'Tokens out', 'voice-vision-chat' ),
			render: ( { item } ) => formatCount( item.outputTokens, locale ),
		},
		{
			...plain,
			id: 'costMicros',
			label: __( 'Cost', 'voice-vision-chat' ),
			render: ( { item } ) =>
				item.costKnown
					? formatUsd( item.costMicros, locale )
					: sprintf(
							/* translators: %s: a cost in US dollars that is only a lower bound. */
							__(
								'at least %s (price missing)',
								'voice-vision-chat'
							),
							formatUsd( item.costMicros, locale )
						),
		},
		{
			...plain,
			id: 'cacheHit',
			label: __( 'From cache', 'voice-vision-chat' ),
			elements: [
				{ value: true, label: __( 'Yes', 'voice-vision-chat' ) },
				{ value: false, label: __( 'No', 'voice-vision-chat' ) },
			],
			filterBy: { operators: [ 'is' ] },
			render: ( { item } ) =>
				item.cacheHit
					? __( 'Yes', 'voice-vision-chat' )
					: __( 'No', 'voice-vision-chat' ),
		},
		{
			...plain,
			id: 'latencyMs',
			label: __( 'Time taken', 'voice-vision-chat' ),
			render: ( { item } ) => formatLatency( item.latencyMs, locale ),
		},
		{
			...plain,
			id: 'status',
			label: __( 'Result', 'voice-vision-chat' ),
			elements: [
				{ value: 'ok', label: __( 'Answered', 'voice-vision-chat' ) },
				{ value: 'error', label: __( 'Failed', 'voice-vision-chat' ) },
			],
			filterBy: { operators: [ 'is' ] },
			getValue: ( { item } ) => statusOf( item ),
			render: ( { item } ) =>
				statusOf( item ) === 'ok' ? (
					__( 'Answered', 'voice-vision-chat' )
				) : (
					<span className="vvc-dashboard__failed">
						{ sprintf(
							/* translators: 1: HTTP status, 2: error code. */
							__( 'Failed (%1$d %2$s)', 'voice-vision-chat' ),
							item.statusCode,
							item.errorCode
						) }
					</span>
				),
		},
		{
			...plain,
			id: 'visitorHash',
			label: __( 'Visitor (hash)', 'voice-vision-chat' ),
			render: ( { item } ) => <code>{ item.visitorHash || '—' }</code>,
		},
	];
}

type LogState =
	| { kind: 'loading'; previous: LogPage | null }
	| { kind: 'ready'; page: LogPage }
	| { kind: 'failed'; error: ApiError };

export function UsageLog( { api, range, exportBase, locale }: UsageLogProps ) {
	const [ view, setView ] = useState< View >( INITIAL_VIEW );
	const [ state, setState ] = useState< LogState >( {
		kind: 'loading',
		previous: null,
	} );
	const fields = useMemo( () => usageFields( locale ), [ locale ] );
	const filters = filtersFromView( view.filters );
	// DataViews hands a new view object on every change; the request depends on the
	// filters' values only, so the effect keys on them as a string.
	const filterKey = JSON.stringify( filters );
	const page = view.page ?? 1;
	const perPage = view.perPage ?? 25;

	// A new period starts the log on its first page.
	useEffect( () => {
		setView( ( current ) => ( { ...current, page: 1 } ) );
	}, [ range.from, range.to ] );

	useEffect( () => {
		let current = true;
		setState( ( previous ) => ( {
			kind: 'loading',
			previous: previous.kind === 'ready' ? previous.page : null,
		} ) );
		api.log( {
			...( JSON.parse( filterKey ) as UsageFilters ),
			from: range.from,
			to: range.to,
			page,
			perPage,
		} ).then(
			( result ) =>
				current && setState( { kind: 'ready', page: result } ),
			( error: ApiError ) =>
				current && setState( { kind: 'failed', error } )
		);
		return () => {
			current = false;
		};
	}, [ api, range.from, range.to, filterKey, page, perPage ] );

	let shown: LogPage | null = null;
	if ( state.kind === 'ready' ) {
		shown = state.page;
	} else if ( state.kind === 'loading' ) {
		shown = state.previous;
	}

	const download = exportUrl( exportBase, {
		...filters,
		from: range.from,
		to: range.to,
	} );

	return (
		<div className="vvc-dashboard__log">
			{ state.kind === 'failed' && (
				<div role="alert">
					<Notice
						status="error"
						isDismissible={ false }
						spokenMessage={ null }
					>
						<p>
							{ sprintf(
								/* translators: %s: the reason the server gave. */
								__(
									'The usage log could not be loaded: %s',
									'voice-vision-chat'
								),
								state.error.message
							) }
						</p>
					</Notice>
				</div>
			) }
			<Suspense
				fallback={
					<p className="vvc-dashboard__busy">
						<Spinner />
						{ __( 'Loading the usage log…', 'voice-vision-chat' ) }
					</p>
				}
			>
				<UsageDataViews
					data={ shown?.rows ?? [] }
					fields={ fields }
					view={ view }
					onChangeView={ setView }
					getItemId={ ( row ) => String( row.id ) }
					isLoading={ state.kind === 'loading' && ! shown }
					paginationInfo={ {
						totalItems: shown?.total ?? 0,
						totalPages: shown?.totalPages ?? 0,
					} }
					defaultLayouts={ { table: {} } }
					search={ false }
					config={ { perPageSizes: [ 10, 25, 50, 100 ] } }
					empty={
						<p>
							{ __(
								'No requests match these filters.',
								'voice-vision-chat'
							) }
						</p>
					}
					header={
						<Button
							__next40pxDefaultSize
							variant="secondary"
							href={ download }
						>
							{ __( 'Download CSV', 'voice-vision-chat' ) }
						</Button>
					}
				/>
			</Suspense>
		</div>
	);
}
