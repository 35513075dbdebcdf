/**
 * Pure helpers that turn the dashboard's state into request paths: the period presets,
 * the log's query string, the CSV export's address, and DataViews' view into filters.
 */
import type { DateRange, LogQuery, UsageFilters } from './types';

export const SUMMARY_PATH = '/voice-vision-chat/v1/admin/usage/summary';
export const LOG_PATH = '/voice-vision-chat/v1/admin/usage/log';

export type PeriodPreset =
	'last7' | 'last30' | 'last90' | 'thisMonth' | 'lastMonth';

export const PERIOD_PRESETS: readonly PeriodPreset[] = [
	'last7',
	'last30',
	'last90',
	'thisMonth',
	'lastMonth',
];

function pad( value: number ): string {
	return String( value ).padStart( 2, '0' );
}

function ymd( date: Date ): string {
	return `${ date.getUTCFullYear() }-${ pad( date.getUTCMonth() + 1 ) }-${ pad(
		date.getUTCDate()
	) }`;
}

/**
 * The site day range of a preset, both ends included.
 *
 * @param preset Which period.
 * @param today  Today in the site's time zone, YYYY-MM-DD.
 */
export function rangeForPreset(
	preset: PeriodPreset,
	today: string
): DateRange {
	const [ year = 1970, month = 1, day = 1 ] = today
		.split( '-' )
		.map( Number );
	const at = ( y: number, m: number, d: number ) =>
		ymd( new Date( Date.UTC( y, m - 1, d ) ) );
	switch ( preset ) {
		case 'last7':
			return { from: at( year, month, day - 6 ), to: today };
		case 'last90':
			return { from: at( year, month, day - 89 ), to: today };
		case 'thisMonth':
			return { from: at( year, month, 1 ), to: today };
		case 'lastMonth':
			// Day 0 of this month is the last day of the previous one.
			return { from: at( year, month - 1, 1 ), to: at( year, month, 0 ) };
		default:
			return { from: at( year, month, day - 29 ), to: today };
	}
}

/**
 * Query arguments of the filters, in a stable order, without empty ones.
 *
 * @param filters Filters.
 */
export function filterArgs(
	filters: UsageFilters
): Array< [ string, string ] > {
	const args: Array< [ string, string ] > = [];
	const add = ( key: string, value: string | undefined ) => {
		if ( value !== undefined && value !== '' ) {
			args.push( [ key, value ] );
		}
	};
	add( 'from', filters.from );
	add( 'to', filters.to );
	add( 'tier', filters.tier );
	add( 'route', filters.route );
	add( 'status', filters.status );
	add( 'model', filters.model );
	if ( filters.cacheHit !== undefined ) {
		args.push( [ 'cache_hit', filters.cacheHit ? 'true' : 'false' ] );
	}
	return args;
}

function queryString( args: Array< [ string, string ] > ): string {
	return args
		.map(
			( [ key, value ] ) =>
				`${ encodeURIComponent( key ) }=${ encodeURIComponent( value ) }`
		)
		.join( '&' );
}

/**
 * Path of a summary request.
 *
 * @param range Days to cover; the server's default when undefined.
 */
export function summaryPath( range?: DateRange ): string {
	if ( ! range ) {
		// The server's default: the last 30 days up to today in the site's time zone.
		return SUMMARY_PATH;
	}
	return `${ SUMMARY_PATH }?${ queryString( [
		[ 'from', range.from ],
		[ 'to', range.to ],
	] ) }`;
}

/**
 * Path of a log page request.
 *
 * @param query Filters and paging.
 */
export function logPath( query: LogQuery ): string {
	return `${ LOG_PATH }?${ queryString( [
		[ 'page', String( query.page ) ],
		[ 'per_page', String( query.perPage ) ],
		...filterArgs( query ),
	] ) }`;
}

/**
 * Address of the CSV export for the filters. The base address carries the REST nonce
 * (and, on sites without pretty permalinks, the route in ?rest_route=), so arguments are
 * appended to its query.
 *
 * @param base    Export address printed by the page.
 * @param filters Filters.
 */
export function exportUrl( base: string, filters: UsageFilters ): string {
	const args = queryString( filterArgs( filters ) );
	if ( args === '' ) {
		return base;
	}
	return `${ base }${ base.includes( '?' ) ? '&' : '?' }${ args }`;
}

/** The part of a DataViews filter this screen reads. */
export interface ViewFilter {
	field: string;
	operator: string;
	value?: unknown;
}

/**
 * The log's filters from the DataViews view's filters (all single-value "is" filters).
 *
 * @param filters The view's filters.
 */
export function filtersFromView(
	filters: ViewFilter[] | undefined
): UsageFilters {
	const result: UsageFilters = {};
	for ( const filter of filters ?? [] ) {
		const value = filter.value;
		if ( filter.operator !== 'is' || value === undefined || value === '' ) {
			continue;
		}
		switch ( filter.field ) {
			case 'tier':
			case 'route':
			case 'model':
				if ( typeof value === 'string' ) {
					result[ filter.field ] = value;
				}
				break;
			case 'status':
				if ( value === 'ok' || value === 'error' ) {
					result.status = value;
				}
				break;
			case 'cacheHit':
				if ( typeof value === 'boolean' ) {
					result.cacheHit = value;
				}
				break;
		}
	}
	return result;
}
