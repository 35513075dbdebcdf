/**
 * Dashboard > Chat usage in a real browser against the running stack, with usage rows
 * seeded through the plugin's repository (tagged with a marker, removed afterwards).
 */
import { readFileSync } from 'node:fs';

import { expect, test, type Page } from '@playwright/test';

import {
	removeUsage,
	seedUsage,
	seriousViolations,
	stubGravatar,
	usageMarker,
} from './support/admin-stack';
import { watchPageHealth } from './support/page-health';
import { readStackEnv } from './support/stack-env';

const stack = readStackEnv();
const SCREEN = '/wp-admin/index.php?page=vvc-usage';
const marker = usageMarker();

test.beforeAll( () => {
	expect( seedUsage( marker ) ).toHaveLength( 12 );
} );

test.afterAll( () => {
	removeUsage( marker );
} );

test.beforeEach( async ( { page } ) => {
	await stubGravatar( page );
} );

async function openDashboard( page: Page ) {
	await page.goto( SCREEN );
	await expect(
		page.getByRole( 'heading', { level: 2, name: 'Cost per day by tier' } )
	).toBeVisible();
	// The usage log comes with DataViews, loaded after the page.
	await expect(
		page.locator( '.vvc-dashboard__log table tbody tr' ).first()
	).toBeVisible( { timeout: 20_000 } );
}

test( 'the dashboard shows cost per day, limits, models, errors and the log, with no errors', async ( {
	page,
} ) => {
	const problems = watchPageHealth( page, stack.VVC_SITE_URL );

	await openDashboard( page );

	await expect(
		page.getByRole( 'heading', { level: 1, name: 'Chat usage and costs' } )
	).toBeVisible();
	await expect(
		page.getByRole( 'link', { name: 'Chat usage', exact: true } )
	).toHaveAttribute( 'aria-current', 'page' );

	const chart = page.getByRole( 'img', { name: 'Cost per day by tier' } );
	await expect( chart ).toBeVisible();
	// The seeded rows cost something on at least 8 of the last 10 days.
	expect(
		await chart
			.locator( '.vvc-chart__bar rect:not([fill="transparent"])' )
			.count()
	).toBeGreaterThanOrEqual( 8 );
	await expect( page.locator( '.vvc-dashboard__legend' ) ).toContainText(
		'Long context'
	);

	const meters = page.getByRole( 'meter' );
	await expect( meters.first() ).toBeVisible();
	expect( await meters.count() ).toBeGreaterThanOrEqual( 1 );
	await expect(
		page.getByRole( 'meter', { name: /Daily limit/ } )
	).toHaveAttribute(
		'aria-valuetext',
		/^\$[\d.,]+ of \$[\d.,]+ \(\d+(\.\d)?%\)$/
	);

	await expect( page.locator( '.vvc-dashboard__totals' ) ).toContainText(
		'Cache hits'
	);
	await expect(
		page.getByRole( 'row', { name: /gpt-4\.1-mini/ } ).first()
	).toBeVisible();
	await expect(
		page
			.locator( '.vvc-dashboard__card' )
			.filter( { hasText: 'Recent errors' } )
	).toContainText( 'vvc_rate_limited' );

	// The numbers behind the chart, for anyone who wants them.
	await page.getByText( 'Show the numbers as a table' ).click();
	await expect(
		page.getByRole( 'table', { name: 'Cost per day by tier (US dollars)' } )
	).toBeVisible();

	await page.waitForLoadState( 'load' );
	// From the top, so WordPress's fixed toolbar and menu are not drawn mid-page.
	await page.evaluate( () => window.scrollTo( 0, 0 ) );
	await page.screenshot( {
		path: 'test-results/dashboard-usage.png',
		fullPage: true,
	} );
	expect( problems.list ).toEqual( [] );
} );

test( 'the usage log filters on the server and the dashboard fits a 320 px screen', async ( {
	page,
} ) => {
	await openDashboard( page );
	const log = page.locator( '.vvc-dashboard__log' );
	const requested = page.waitForRequest(
		( request ) =>
			decodeURIComponent( request.url() ).includes( 'admin/usage/log' ) &&
			request.url().includes( 'tier=long_context' )
	);

	await page.getByRole( 'button', { name: 'Add filter' } ).click();
	await page.getByRole( 'menuitem', { name: 'Tier' } ).click();
	await page.getByRole( 'option', { name: 'Long context' } ).click();
	await page.keyboard.press( 'Escape' );

	expect( ( await requested ).url() ).toContain( 'tier=long_context' );
	await expect( log.locator( 'tbody tr' ).first() ).toContainText(
		'Long context'
	);
	const tiers = await log
		.locator( 'tbody tr' )
		.evaluateAll( ( rows ) =>
			rows.map( ( row ) => row.textContent ?? '' )
		);
	expect( tiers.length ).toBeGreaterThan( 0 );
	for ( const row of tiers ) {
		expect( row ).toContain( 'Long context' );
	}
	await expect(
		page.getByRole( 'link', { name: 'Download CSV' } )
	).toHaveAttribute( 'href', /tier=long_context/ );

	await page.setViewportSize( { width: 320, height: 800 } );
	await page.reload();
	await expect(
		page.getByRole( 'img', { name: 'Cost per day by tier' } )
	).toBeVisible();
	await expect(
		page.locator( '.vvc-dashboard__log table tbody tr' ).first()
	).toBeVisible( { timeout: 20_000 } );
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - window.innerWidth
	);
	expect( overflow ).toBeLessThanOrEqual( 0 );
	await page.screenshot( {
		path: 'test-results/dashboard-usage-320.png',
		fullPage: true,
	} );
} );

test( 'the CSV export downloads every seeded row, formula-safe', async ( {
	page,
} ) => {
	await openDashboard( page );

	const download = page.waitForEvent( 'download' );
	await page.getByRole( 'link', { name: 'Download CSV' } ).click();
	const file = await download;

	expect( file.suggestedFilename() ).toMatch(
		/^vvc-usage-\d{4}-\d\d-\d\d-\d{6}\.csv$/
	);
	const path = await file.path();
	const lines = readFileSync( path, 'utf8' ).trim().split( '\n' );
	const header = lines[ 0 ]?.split( ',' ) ?? [];
	expect( header.slice( 0, 3 ) ).toEqual( [
		'id',
		'created_at',
		'visitor_hash',
	] );
	expect( header ).toContain( 'cost_micros' );
	const seeded = lines.filter( ( line ) => line.includes( marker ) );
	expect( seeded ).toHaveLength( 12 );
	const cost = header.indexOf( 'cost_micros' );
	const costs = seeded
		.map( ( line ) => Number( line.split( ',' )[ cost ] ) )
		.sort( ( a, b ) => a - b );
	expect( costs ).toEqual( [
		0, 0, 0, 800, 900, 1200, 5400, 6100, 7200, 18000, 26000, 41000,
	] );
	expect(
		seeded.some( ( line ) => line.includes( 'vvc_upstream_error' ) )
	).toBe( true );
} );

test( 'axe finds no serious or critical accessibility problems', async ( {
	page,
} ) => {
	await openDashboard( page );
	await page.getByText( 'Show the numbers as a table' ).click();

	expect( await seriousViolations( page ) ).toEqual( [] );
} );
