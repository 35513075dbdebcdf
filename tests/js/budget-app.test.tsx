// @vitest-environment jsdom
/**
 * The budget screen in a DOM with a fake REST API: what the admin sees and what is sent.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { parseBudgetPayload, type BudgetApi } from '../../src/admin/budget/api';
import { BudgetApp } from '../../src/admin/budget/budget-app';
import type { BudgetUpdate } from '../../src/admin/budget/types';
import {
	click,
	control,
	mount,
	region,
	type,
	type Mounted,
} from './admin/shared/dom';
import { budgetBody } from './budget-fixtures';

function fakeApi( overrides: Partial< BudgetApi > = {} ) {
	const saves: BudgetUpdate[] = [];
	let refreshes = 0;
	const api: BudgetApi = {
		load: async () => parseBudgetPayload( budgetBody() ),
		save: async ( update ) => {
			saves.push( update );
			return parseBudgetPayload(
				budgetBody( {
					budget: {
						...( budgetBody().budget as object ),
						...( update.budget ?? {} ),
					},
				} )
			);
		},
		refresh: async () => {
			refreshes++;
			return parseBudgetPayload(
				budgetBody( {
					provider: { checked_at: 1795348800, listed: 28 },
				} )
			);
		},
		...overrides,
	};
	return { api, saves, refreshes: () => refreshes };
}

let mounted: Mounted | null = null;
let container: HTMLDivElement;

afterEach( () => {
	mounted?.unmount();
	mounted = null;
} );

async function render( api: BudgetApi ) {
	mounted = await mount(
		<BudgetApp
			api={ api }
			usageUrl="/wp-admin/index.php?page=vvc-usage"
			locale="en-US"
		/>
	);
	container = mounted.container;
}

describe( 'BudgetApp', () => {
	it( 'shows the problems, limits in dollars, tiers with warnings and the catalog', async () => {
		await render( fakeApi().api );

		const problems =
			container.querySelector( '.vvc-budget__problems' )?.textContent ??
			'';
		expect( problems ).toContain(
			'Needs action: gpt-5.4-nano has no price'
		);
		expect( problems ).toContain(
			'Used for: Economy (short, simple questions).'
		);
		expect( problems ).toContain(
			'Warning: gpt-4o-mini will be shut down'
		);
		expect( container.textContent ).toContain(
			'The models have not been checked against the provider yet.'
		);

		expect( control( 'Daily limit (USD)' ).value ).toBe( '5.00' );
		expect( control( 'Daily cap per visitor (USD)' ).value ).toBe( '0.20' );
		expect( control( 'Editor' ).value ).toBe( '1.00' );
		const economy = control(
			'Economy (short, simple questions)'
		) as HTMLSelectElement;
		expect( economy.value ).toBe( 'gpt-5.4-nano' );
		expect(
			[ ...economy.options ].map( ( option ) => option.textContent )
		).toEqual( [
			'gpt-4o-mini (shuts down 2027-01-14)',
			'gpt-5.4-nano (no price)',
			'acme-1',
		] );

		const rows = [
			...container.querySelectorAll( '.vvc-budget__models tbody tr' ),
		].map( ( row ) => row.textContent ?? '' );
		expect( rows[ 0 ] ).toContain( 'in $0.15 · cached $0.075 · out $0.60' );
		expect( rows[ 1 ] ).toContain( 'No price' );
		expect( rows[ 3 ] ).toContain( 'Added' );
		// An added model has no shipped price to restore: it can only be removed.
		expect( rows[ 3 ] ).not.toContain( 'Edited' );
		expect( rows[ 3 ] ).not.toContain( 'Restore shipped prices' );
		expect( rows[ 3 ] ).toContain( 'Remove' );
	} );

	it( 'saves changed limits and role caps, and says so', async () => {
		const { api, saves } = fakeApi();
		await render( api );

		await type( 'Daily limit (USD)', '7.50' );
		await type( 'Subscriber', '0.05' );
		expect( container.textContent ).toContain( 'Unsaved changes' );
		await click( 'Save changes' );

		expect( saves ).toEqual( [
			{
				budget: {
					site_day_micros: 7_500_000,
					role_day_micros: { editor: 1_000_000, subscriber: 50_000 },
				},
			},
		] );
		expect( region( 'status' ) ).toContain( 'Budget and models saved.' );
		expect( control( 'Daily limit (USD)' ).value ).toBe( '7.50' );
		expect( container.textContent ).not.toContain( 'Unsaved changes' );
	} );

	it( 'explains a bad value, focuses it and sends nothing', async () => {
		const { api, saves } = fakeApi();
		await render( api );

		await type( 'Soft limit (% of each limit)', '150' );
		expect( container.textContent ).toContain(
			'Enter a number from 1 to 100.'
		);
		await click( 'Save changes' );

		expect( saves ).toEqual( [] );
		expect( region( 'alert' ) ).toContain( 'Some values need attention.' );
		const field = control( 'Soft limit (% of each limit)' );
		expect( field.getAttribute( 'aria-invalid' ) ).toBe( 'true' );
		expect( field.ownerDocument.activeElement ).toBe( field );
	} );

	it( 'edits a price in a dialog and saves it with the screen', async () => {
		const { api, saves } = fakeApi();
		await render( api );

		await click( 'Edit prices of gpt-4o-mini' );
		expect(
			document.querySelector( '.components-modal__header' )?.textContent
		).toContain( 'Prices of gpt-4o-mini' );
		await type( 'Input, per 1M tokens', '0.2' );
		await type( 'Cached input, per 1M tokens', '' );
		await click( 'Apply' );

		const row =
			container.querySelector( '.vvc-budget__models tbody tr' )
				?.textContent ?? '';
		expect( row ).toContain( 'Unsaved change' );
		expect( row ).toContain( 'in $0.20 · out $0.60' );
		await click( 'Save changes' );

		expect( saves ).toEqual( [
			{
				models: {
					'gpt-4o-mini': { price: { text_in: 0.2, text_out: 0.6 } },
				},
			},
		] );
	} );

	it( 'adds a model that a tier can then use', async () => {
		const { api, saves } = fakeApi();
		await render( api );

		await click( 'Add a model' );
		await type( 'Model id', 'acme-eye-2' );
		await type( 'Input, per 1M tokens', '1' );
		await type( 'Output, per 1M tokens', '4' );
		await click( 'Add' );
		await type( 'Vision (questions with an image)', 'acme-eye-2' );
		await click( 'Save changes' );

		expect( saves[ 0 ] ).toEqual( {
			models: {
				'acme-eye-2': {
					kind: 'chat',
					context: 128000,
					price: { text_in: 1, text_out: 4 },
					input: [ 'text', 'image' ],
				},
			},
			tiers: { vision: 'acme-eye-2' },
		} );
	} );

	it( 'refreshes the models and reports what it found', async () => {
		const fake = fakeApi();
		await render( fake.api );

		await click( 'Refresh models' );

		expect( fake.refreshes() ).toBe( 1 );
		expect( region( 'status' ) ).toContain(
			'Checked. 2 problems found, 1 of them stop visitors’ requests.'
		);
		expect( container.textContent ).toMatch(
			/Last checked .+: the provider listed 28 models\./
		);
	} );

	it( 'shows why a refresh failed', async () => {
		const { api } = fakeApi( {
			refresh: async () => {
				throw {
					code: 'vvc_upstream_auth',
					message:
						'The provider rejected the API key (HTTP 401 invalid_api_key).',
					data: { status: 502 },
				};
			},
		} );
		await render( api );

		await click( 'Refresh models' );

		expect( region( 'status' ) ).toContain(
			'The check failed: The provider rejected the API key'
		);
		expect( region( 'status' ) ).toContain(
			'Error code: vvc_upstream_auth'
		);
	} );

	it( 'says when there is nothing to save', async () => {
		const { api, saves } = fakeApi();
		await render( api );
		await click( 'Save changes' );
		expect( saves ).toEqual( [] );
		expect( region( 'status' ) ).toContain( 'Nothing has changed.' );
	} );
} );
