/**
 * The budget routes' answers are checked and typed.
 */
import { describe, expect, it } from 'vitest';

import {
	BUDGET_PATH,
	createBudgetApi,
	parseBudgetPayload,
	REFRESH_PATH,
} from '../../src/admin/budget/api';
import type { Fetcher } from '../../src/admin/settings/api';
import { budgetBody } from './budget-fixtures';

describe( 'parseBudgetPayload', () => {
	it( 'types limits, models, tiers, provider and problems', () => {
		const payload = parseBudgetPayload( budgetBody() );
		expect( payload.limits.site_day_micros ).toBe( 5_000_000 );
		expect( payload.limits.role_day_micros ).toEqual( {
			editor: 1_000_000,
		} );
		expect( payload.models[ 0 ] ).toMatchObject( {
			id: 'gpt-4o-mini',
			kind: 'chat',
			price: { text_in: 0.15, cached_in: 0.075, text_out: 0.6 },
			shutdown: '2027-01-14',
			provider: 'unchecked',
		} );
		expect( payload.models[ 1 ]?.price ).toBeNull();
		expect( payload.tiers[ 0 ]?.choices ).toContain( 'acme-1' );
		expect( payload.provider ).toEqual( { checkedAt: null, listed: 0 } );
		expect( payload.problems[ 0 ] ).toEqual( {
			model: 'gpt-5.4-nano',
			code: 'no_price',
			date: null,
			severity: 'error',
			message: 'gpt-5.4-nano has no price, so visitors cannot use it.',
			usedBy: [ 'Economy (short, simple questions)' ],
		} );
	} );

	it.each( [
		[
			'a price component it does not know',
			{
				models: [
					{
						...( budgetBody().models as object[] )[ 0 ],
						price: { per_token: 1 },
					},
				],
			},
		],
		[
			'a kind it does not know',
			{
				models: [
					{
						...( budgetBody().models as object[] )[ 0 ],
						kind: 'vision',
					},
				],
			},
		],
		[
			'a role cap that is not a number',
			{
				budget: {
					...( budgetBody().budget as object ),
					role_day_micros: { editor: '1' },
				},
			},
		],
		[ 'no provider', { provider: null } ],
	] )( 'refuses %s', ( _label, override ) => {
		expect( () => parseBudgetPayload( budgetBody( override ) ) ).toThrow(
			expect.objectContaining( { code: 'vvc_bad_response' } )
		);
	} );
} );

describe( 'createBudgetApi', () => {
	it( 'loads, saves and refreshes through the routes', async () => {
		const calls: Array< Parameters< Fetcher >[ 0 ] > = [];
		const api = createBudgetApi( async ( call ) => {
			calls.push( call );
			return budgetBody(
				call.path === REFRESH_PATH
					? { provider: { checked_at: 1795348800, listed: 28 } }
					: {}
			);
		} );

		await api.load();
		await api.save( { budget: { site_day_micros: 1 } } );
		const refreshed = await api.refresh();

		expect( calls ).toEqual( [
			{ path: BUDGET_PATH },
			{
				path: BUDGET_PATH,
				method: 'POST',
				data: { budget: { site_day_micros: 1 } },
			},
			{ path: REFRESH_PATH, method: 'POST' },
		] );
		expect( refreshed.provider ).toEqual( {
			checkedAt: 1795348800,
			listed: 28,
		} );
	} );
} );
