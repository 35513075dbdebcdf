/**
 * Settings > Chat budget in a real browser against the running stack (WordPress and the
 * OpenAI simulator). Every test that changes the cost options puts back what was stored.
 */
import { expect, test, type Page } from '@playwright/test';

import {
	rest,
	restoreCostOptions,
	seriousViolations,
	snapshotCostOptions,
	stubGravatar,
} from './support/admin-stack';
import { watchPageHealth } from './support/page-health';
import { readStackEnv } from './support/stack-env';

const stack = readStackEnv();
const SCREEN = '/wp-admin/options-general.php?page=vvc-budget';
const BUDGET_ROUTE = '/voice-vision-chat/v1/admin/budget';

interface BudgetBody {
	budget: { site_day_micros: number };
	models: Array< {
		id: string;
		price: Record< string, number > | null;
		provider: string;
	} >;
	problems: Array< { model: string; code: string; message: string } >;
}

let snapshot = '';

test.beforeEach( async ( { page } ) => {
	snapshot = snapshotCostOptions();
	await stubGravatar( page );
} );

test.afterEach( () => {
	restoreCostOptions( snapshot );
} );

async function openBudget( page: Page ) {
	await page.goto( SCREEN );
	await expect( page.getByLabel( 'Daily limit (USD)' ) ).toBeVisible();
}

function modelRow( page: Page, id: string ) {
	return page.locator( '.vvc-budget__models tbody tr' ).filter( {
		has: page.getByRole( 'rowheader', {
			name: new RegExp( `^${ id.replace( /\./g, '\\.' ) }(\\s|$)` ),
		} ),
	} );
}

test( 'an edited price and daily limit are saved and still there after a reload', async ( {
	page,
} ) => {
	const problems = watchPageHealth( page, stack.VVC_SITE_URL );
	await openBudget( page );
	const before = await rest< BudgetBody >( page, BUDGET_ROUTE );
	const limit = before.budget.site_day_micros === 6_250_000 ? '6.75' : '6.25';

	await page.getByLabel( 'Daily limit (USD)' ).fill( limit );
	await page
		.getByRole( 'button', {
			name: 'Edit prices of gpt-4o-mini',
			exact: true,
		} )
		.click();
	const dialog = page.getByRole( 'dialog', {
		name: 'Prices of gpt-4o-mini',
	} );
	await expect( dialog ).toBeVisible();
	await dialog
		.getByLabel( 'Input, per 1M tokens', { exact: true } )
		.fill( '0.19' );
	await dialog.getByRole( 'button', { name: 'Apply' } ).click();
	await expect( dialog ).toBeHidden();
	await expect( modelRow( page, 'gpt-4o-mini' ) ).toContainText(
		'Unsaved change'
	);
	await expect(
		page.getByText( 'Unsaved changes', { exact: true } )
	).toBeVisible();

	await page.getByRole( 'button', { name: 'Save changes' } ).click();
	await expect(
		page
			.getByRole( 'status' )
			.filter( { hasText: 'Budget and models saved.' } )
	).toBeVisible();

	await page.reload();
	await expect( page.getByLabel( 'Daily limit (USD)' ) ).toHaveValue( limit );
	await expect( modelRow( page, 'gpt-4o-mini' ) ).toContainText( 'in $0.19' );
	await expect( modelRow( page, 'gpt-4o-mini' ) ).toContainText( 'Edited' );
	const after = await rest< BudgetBody >( page, BUDGET_ROUTE );
	expect( after.budget.site_day_micros ).toBe( Number( limit ) * 1_000_000 );
	expect(
		after.models.find( ( model ) => model.id === 'gpt-4o-mini' )?.price
	).toMatchObject( { text_in: 0.19 } );
	expect( problems.list ).toEqual( [] );
} );

test( 'Refresh models flags a shutdown date and a model the provider does not know, on the screen, the dashboard and Site Health', async ( {
	page,
} ) => {
	const ghost = `vvc-e2e-ghost-${ Date.now().toString( 36 ) }`;
	await openBudget( page );
	await rest( page, BUDGET_ROUTE, {
		models: {
			[ ghost ]: { kind: 'chat', price: { text_in: 1, text_out: 2 } },
		},
		tiers: { standard: 'gpt-4o-mini', economy: ghost },
	} );
	await page.reload();
	await expect( page.getByLabel( 'Standard', { exact: true } ) ).toHaveValue(
		'gpt-4o-mini'
	);

	await page.getByRole( 'button', { name: 'Refresh models' } ).click();

	await expect(
		page
			.getByRole( 'status' )
			.filter( { hasText: /Checked\. \d+ problems found/ } )
	).toBeVisible();
	await expect(
		page.getByText( /^Last checked .+: the provider listed \d+ models\.$/ )
	).toBeVisible();
	const list = page.locator( '.vvc-budget__problems' );
	await expect( list ).toContainText(
		'gpt-4o-mini will be shut down by the provider on January 14, 2027. Choose a newer model before then. Used for: Standard.'
	);
	await expect( list ).toContainText(
		`${ ghost } is not in the provider’s list of models.`
	);
	await expect( modelRow( page, ghost ) ).toContainText( 'Not listed' );
	await expect( modelRow( page, 'gpt-4o-mini' ) ).toContainText( 'Listed' );
	await page.evaluate( () => window.scrollTo( 0, 0 ) );
	await page.screenshot( {
		path: 'test-results/dashboard-budget.png',
		fullPage: true,
	} );

	// The same warning, before anyone opens this screen: on the Dashboard...
	await page.goto( '/wp-admin/index.php' );
	const notice = page.locator( '.vvc-model-notice' );
	await expect( notice ).toContainText(
		`${ ghost } is not in the provider’s list`
	);
	await expect( notice ).toContainText( 'gpt-4o-mini will be shut down' );
	await expect(
		notice.getByRole( 'link', { name: 'Review models and prices' } )
	).toHaveAttribute( 'href', /options-general\.php\?page=vvc-budget$/ );

	// ...and in Site Health.
	await page.goto( '/wp-admin/site-health.php' );
	const result = page.locator( '.health-check-accordion-trigger' ).filter( {
		hasText: 'Some of the AI chat’s models cannot answer visitors',
	} );
	await expect( result ).toBeVisible( { timeout: 30_000 } );
	await result.click();
	await expect(
		page
			.locator( '.health-check-accordion-panel' )
			.filter( { hasText: ghost } )
	).toBeVisible();
} );

test( 'axe finds no serious or critical accessibility problems, with and without the price dialog', async ( {
	page,
} ) => {
	await openBudget( page );
	expect( await seriousViolations( page ) ).toEqual( [] );

	await page
		.getByRole( 'button', {
			name: 'Edit prices of gpt-4o-mini',
			exact: true,
		} )
		.click();
	await expect(
		page.getByRole( 'dialog', { name: 'Prices of gpt-4o-mini' } )
	).toBeVisible();
	expect( await seriousViolations( page ) ).toEqual( [] );
	await page.screenshot( {
		path: 'test-results/dashboard-budget-dialog.png',
	} );
} );
