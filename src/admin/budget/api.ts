/**
 * Calls to /admin/budget and /admin/models/refresh, with the answers checked at runtime.
 */

import {
	badResponse,
	isObject,
	readList as objects,
	readNumber as num,
	readString as str,
	readStrings as strings,
	type Json,
} from '../shared/json';

import type { Fetcher } from '../settings/api';
import {
	MODEL_KINDS,
	PRICE_KEYS,
	type BudgetPayload,
	type BudgetUpdate,
	type CatalogModel,
	type Limits,
	type ModelKind,
	type ModelProblem,
	type Price,
	type PriceKey,
	type TierChoice,
} from './types';

export const BUDGET_PATH = '/voice-vision-chat/v1/admin/budget';
export const REFRESH_PATH = '/voice-vision-chat/v1/admin/models/refresh';

export interface BudgetApi {
	load: () => Promise< BudgetPayload >;
	save: ( update: BudgetUpdate ) => Promise< BudgetPayload >;
	refresh: () => Promise< BudgetPayload >;
}

function strOrNull( source: Json, key: string ): string | null {
	const value = source[ key ];
	if ( value === null ) {
		return null;
	}
	if ( typeof value !== 'string' ) {
		throw badResponse( key );
	}
	return value;
}

function isPriceKey( key: string ): key is PriceKey {
	return ( PRICE_KEYS as readonly string[] ).includes( key );
}

function price( source: Json, key: string ): Price | null {
	const value = source[ key ];
	if ( value === null ) {
		return null;
	}
	if ( ! isObject( value ) ) {
		throw badResponse( key );
	}
	const result: Price = {};
	for ( const [ component, rate ] of Object.entries( value ) ) {
		if ( ! isPriceKey( component ) || typeof rate !== 'number' ) {
			throw badResponse( key );
		}
		result[ component ] = rate;
	}
	return result;
}

function parseLimits( raw: Json ): Limits {
	const roles = raw.role_day_micros;
	if ( ! isObject( roles ) ) {
		throw badResponse( 'role_day_micros' );
	}
	const roleCaps: Record< string, number > = {};
	for ( const [ role, cap ] of Object.entries( roles ) ) {
		if ( typeof cap !== 'number' ) {
			throw badResponse( 'role_day_micros' );
		}
		roleCaps[ role ] = cap;
	}
	return {
		site_day_micros: num( raw, 'site_day_micros' ),
		site_month_micros: num( raw, 'site_month_micros' ),
		soft_percent: num( raw, 'soft_percent' ),
		visitor_day_micros: num( raw, 'visitor_day_micros' ),
		role_day_micros: roleCaps,
		requests_per_minute: num( raw, 'requests_per_minute' ),
		requests_per_hour: num( raw, 'requests_per_hour' ),
		sessions_per_ip_hour: num( raw, 'sessions_per_ip_hour' ),
		usage_retention_days: num( raw, 'usage_retention_days' ),
		notify_email: str( raw, 'notify_email' ),
	};
}

function parseModel( raw: Json ): CatalogModel {
	const kind = str( raw, 'kind' );
	const provider = str( raw, 'provider' );
	if ( ! ( MODEL_KINDS as readonly string[] ).includes( kind ) ) {
		throw badResponse( 'kind' );
	}
	if (
		provider !== 'unchecked' &&
		provider !== 'listed' &&
		provider !== 'missing'
	) {
		throw badResponse( 'provider' );
	}
	return {
		id: str( raw, 'id' ),
		kind: kind as ModelKind,
		input: strings( raw, 'input' ),
		output: strings( raw, 'output' ),
		context: num( raw, 'context' ),
		price: price( raw, 'price' ),
		defaultPrice: price( raw, 'default_price' ),
		billed: strings( raw, 'billed' ).filter( isPriceKey ),
		shutdown: strOrNull( raw, 'shutdown' ),
		custom: raw.custom === true,
		edited: raw.edited === true,
		provider,
		providerShutdown: strOrNull( raw, 'provider_shutdown' ),
	};
}

/**
 * Checks and types the body of GET/POST /admin/budget and POST /admin/models/refresh.
 *
 * @param body Parsed JSON.
 */
export function parseBudgetPayload( body: unknown ): BudgetPayload {
	if ( ! isObject( body ) || ! isObject( body.budget ) ) {
		throw badResponse( 'budget' );
	}
	if ( ! isObject( body.provider ) ) {
		throw badResponse( 'provider' );
	}
	const checkedAt = body.provider.checked_at;
	return {
		limits: parseLimits( body.budget ),
		roles: objects( body, 'roles' ).map( ( role ) => ( {
			slug: str( role, 'slug' ),
			name: str( role, 'name' ),
		} ) ),
		models: objects( body, 'models' ).map( parseModel ),
		tiers: objects( body, 'tiers' ).map( ( tier ): TierChoice => ( {
			tier: str( tier, 'tier' ),
			label: str( tier, 'label' ),
			model: str( tier, 'model' ),
			defaultModel: str( tier, 'default_model' ),
			choices: strings( tier, 'choices' ),
		} ) ),
		countUnknownAtMax: body.count_unknown_at_max === true,
		provider: {
			checkedAt: typeof checkedAt === 'number' ? checkedAt : null,
			listed: num( body.provider, 'listed' ),
		},
		problems: objects( body, 'problems' ).map(
			( problem ): ModelProblem => ( {
				model: str( problem, 'model' ),
				code: str( problem, 'code' ),
				date: strOrNull( problem, 'date' ),
				severity: problem.severity === 'error' ? 'error' : 'warning',
				message: str( problem, 'message' ),
				usedBy: strings( problem, 'used_by' ),
			} )
		),
	};
}

/**
 * The budget routes on top of the given fetcher (api-fetch in the browser).
 *
 * @param fetcher Sends a request to the REST API with the admin's nonce.
 */
export function createBudgetApi( fetcher: Fetcher ): BudgetApi {
	return {
		async load() {
			return parseBudgetPayload( await fetcher( { path: BUDGET_PATH } ) );
		},
		async save( update ) {
			return parseBudgetPayload(
				await fetcher( {
					path: BUDGET_PATH,
					method: 'POST',
					data: update as Record< string, unknown >,
				} )
			);
		},
		async refresh() {
			return parseBudgetPayload(
				await fetcher( { path: REFRESH_PATH, method: 'POST' } )
			);
		},
	};
}
