/**
 * Calls to the usage routes, with the answers checked at runtime so the screen can rely on
 * the types.
 */

import {
	badResponse,
	requireObject,
	readBoolean as bool,
	readNumber as num,
	readList as list,
	readObject as obj,
	readString as str,
	type Json,
} from '../shared/json';

import { normalizeError } from '../settings/api';
import type { ApiError } from '../settings/types';
import { logPath, summaryPath } from './query';
import type {
	BudgetGauge,
	BudgetScope,
	BudgetState,
	DateRange,
	DayUsage,
	ErrorLogEntry,
	FailedRequest,
	LogPage,
	LogQuery,
	ModelTotal,
	UsageRow,
	UsageSummary,
	UsageTotals,
} from './types';

/** What api-fetch returns with `parse: false`: the fetch Response. */
export interface RawResponse {
	json: () => Promise< unknown >;
	headers: { get: ( name: string ) => string | null };
}

/** The part of @wordpress/api-fetch this screen uses; tests hand in a fake. */
export type UsageFetcher = ( options: {
	path: string;
	parse?: boolean;
} ) => Promise< unknown >;

export interface UsageApi {
	summary: ( range?: DateRange ) => Promise< UsageSummary >;
	log: ( query: LogQuery ) => Promise< LogPage >;
}

const SCOPES: readonly BudgetScope[] = [
	'site_day',
	'site_month',
	'visitor_day',
];
const STATES: readonly BudgetState[] = [ 'normal', 'soft', 'hard' ];

function choice< T extends string >(
	source: Json,
	key: string,
	allowed: readonly T[]
): T {
	const value = str( source, key );
	const found = allowed.find( ( item ) => item === value );
	if ( found === undefined ) {
		throw badResponse( key );
	}
	return found;
}

function parseGauge( raw: Json ): BudgetGauge {
	const gauge: BudgetGauge = {
		scope: choice( raw, 'scope', SCOPES ),
		period: str( raw, 'period' ),
		spentMicros: num( raw, 'spent_micros' ),
		reservedMicros: num( raw, 'reserved_micros' ),
		capMicros: num( raw, 'cap_micros' ),
		softMicros: num( raw, 'soft_micros' ),
		state: choice( raw, 'state', STATES ),
	};
	if ( typeof raw.visitors === 'number' ) {
		gauge.visitors = raw.visitors;
	}
	if ( typeof raw.at_cap === 'number' ) {
		gauge.atCap = raw.at_cap;
	}
	return gauge;
}

function parseDay( raw: Json ): DayUsage {
	const costByTier: Record< string, number > = {};
	for ( const [ tier, micros ] of Object.entries(
		obj( raw, 'cost_by_tier' )
	) ) {
		if ( typeof micros !== 'number' ) {
			throw badResponse( 'cost_by_tier' );
		}
		costByTier[ tier ] = micros;
	}
	return {
		day: str( raw, 'day' ),
		requests: num( raw, 'requests' ),
		costMicros: num( raw, 'cost_micros' ),
		cacheHits: num( raw, 'cache_hits' ),
		errors: num( raw, 'errors' ),
		costByTier,
	};
}

/**
 * Checks and types the body of GET /admin/usage/summary.
 *
 * @param json Parsed JSON.
 */
export function parseSummary( json: unknown ): UsageSummary {
	const body = requireObject( json, 'summary' );
	const range = obj( body, 'range' );
	const totals = obj( body, 'totals' );
	const tiers = body.tiers;
	if (
		! Array.isArray( tiers ) ||
		! tiers.every( ( tier ) => typeof tier === 'string' )
	) {
		throw badResponse( 'tiers' );
	}
	const parsedTotals: UsageTotals = {
		requests: num( totals, 'requests' ),
		costMicros: num( totals, 'cost_micros' ),
		cacheHits: num( totals, 'cache_hits' ),
		errors: num( totals, 'errors' ),
		inputTokens: num( totals, 'input_tokens' ),
		outputTokens: num( totals, 'output_tokens' ),
	};
	return {
		range: {
			from: str( range, 'from' ),
			to: str( range, 'to' ),
			days: num( range, 'days' ),
			timezone: str( range, 'timezone' ),
		},
		totals: parsedTotals,
		daily: list( body, 'daily' ).map( parseDay ),
		tiers: tiers as string[],
		budgets: list( body, 'budgets' ).map( parseGauge ),
		budgetState: choice( body, 'budget_state', STATES ),
		topModels: list( body, 'top_models' ).map( ( raw ): ModelTotal => ( {
			model: str( raw, 'model' ),
			requests: num( raw, 'requests' ),
			costMicros: num( raw, 'cost_micros' ),
		} ) ),
		recentErrors: list( body, 'recent_errors' ).map(
			( raw ): FailedRequest => ( {
				id: num( raw, 'id' ),
				time: str( raw, 'time' ),
				route: str( raw, 'route' ),
				tier: str( raw, 'tier' ),
				model: str( raw, 'model' ),
				statusCode: num( raw, 'status_code' ),
				errorCode: str( raw, 'error_code' ),
			} )
		),
		errorLog: list( body, 'error_log' ).map( ( raw ): ErrorLogEntry => ( {
			time: str( raw, 'time' ),
			code: str( raw, 'code' ),
			detail: str( raw, 'detail' ),
		} ) ),
	};
}

/**
 * Checks and types one row of GET /admin/usage/log.
 *
 * @param json Parsed JSON row.
 */
export function parseUsageRow( json: unknown ): UsageRow {
	const raw = requireObject( json, 'row' );
	return {
		id: num( raw, 'id' ),
		time: str( raw, 'time' ),
		visitorHash: str( raw, 'visitor_hash' ),
		route: str( raw, 'route' ),
		tier: str( raw, 'tier' ),
		model: str( raw, 'model' ),
		routeReasons: str( raw, 'route_reasons' ),
		inputTokens:
			num( raw, 'text_in_tokens' ) +
			num( raw, 'cached_in_tokens' ) +
			num( raw, 'audio_in_tokens' ),
		outputTokens:
			num( raw, 'text_out_tokens' ) + num( raw, 'audio_out_tokens' ),
		costMicros: num( raw, 'cost_micros' ),
		costKnown: bool( raw, 'cost_known' ),
		cacheHit: bool( raw, 'cache_hit' ),
		latencyMs: num( raw, 'latency_ms' ),
		statusCode: num( raw, 'status_code' ),
		errorCode: str( raw, 'error_code' ),
	};
}

function isRawResponse( value: unknown ): value is RawResponse {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof ( value as RawResponse ).json === 'function' &&
		typeof ( value as RawResponse ).headers?.get === 'function'
	);
}

/**
 * With `parse: false`, api-fetch rejects with the Response itself: read the REST error
 * from its body so the screen can show the server's reason.
 *
 * @param error What the request rejected with.
 */
async function readError( error: unknown ): Promise< ApiError > {
	if ( isRawResponse( error ) ) {
		try {
			return normalizeError( await error.json() );
		} catch {
			return normalizeError( null );
		}
	}
	return normalizeError( error );
}

/**
 * The usage routes on top of the given fetcher (api-fetch in the browser).
 *
 * @param fetcher Sends a request to the REST API with the admin's nonce.
 */
export function createUsageApi( fetcher: UsageFetcher ): UsageApi {
	return {
		async summary( range ) {
			try {
				return parseSummary(
					await fetcher( { path: summaryPath( range ) } )
				);
			} catch ( error ) {
				throw await readError( error );
			}
		},
		async log( query ) {
			let raw: unknown;
			try {
				raw = await fetcher( { path: logPath( query ), parse: false } );
			} catch ( error ) {
				throw await readError( error );
			}
			if ( ! isRawResponse( raw ) ) {
				throw badResponse( 'log' );
			}
			const body = await raw.json();
			if ( ! Array.isArray( body ) ) {
				throw badResponse( 'log' );
			}
			const total = Number( raw.headers.get( 'X-WP-Total' ) ?? NaN );
			const pages = Number( raw.headers.get( 'X-WP-TotalPages' ) ?? NaN );
			if ( ! Number.isFinite( total ) || ! Number.isFinite( pages ) ) {
				throw badResponse( 'X-WP-Total' );
			}
			return {
				rows: body.map( parseUsageRow ),
				total,
				totalPages: pages,
			};
		},
	};
}
