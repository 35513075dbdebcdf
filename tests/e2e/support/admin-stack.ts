/**
 * Helpers for the admin screens' browser tests (settings, budget, usage, FAQ): seeding usage
 * rows and saving and restoring the cost options inside the running site (tests/stack/wp-php),
 * REST calls from inside an admin page, and axe checks that leave out WordPress's own chrome.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

const REPO = resolve( __dirname, '../../..' );

function wpPhp( script: string, args: string[] ): string {
	return execFileSync(
		resolve( REPO, 'tests/stack/wp-php' ),
		[ '-f', resolve( REPO, script ), ...args ],
		{ encoding: 'utf8' }
	);
}

/** A marker unique to one run, for usage rows (kept in their route_reasons). */
export function usageMarker(): string {
	return `vvc-e2e-${ Date.now().toString( 36 ) }-${ Math.random()
		.toString( 36 )
		.slice( 2, 8 ) }`;
}

/**
 * Adds the seed rows (12 over the last 10 days) tagged with the marker.
 * @param marker
 */
export function seedUsage( marker: string ): number[] {
	const out = JSON.parse(
		wpPhp( 'tests/e2e/support/usage-seed.php', [ 'insert', marker ] )
	) as { ids: number[] };
	return out.ids;
}

/**
 * Removes the rows tagged with the marker.
 * @param marker
 */
export function removeUsage( marker: string ): void {
	wpPhp( 'tests/e2e/support/usage-seed.php', [ 'delete', marker ] );
}

/** The cost options as stored now (to put back after the test). */
export function snapshotCostOptions(): string {
	return wpPhp( 'tests/e2e/support/option-snapshot.php', [ 'get' ] );
}

/**
 * Puts the cost options back.
 *
 * @param snapshot What snapshotCostOptions() returned.
 */
export function restoreCostOptions( snapshot: string ): void {
	wpPhp( 'tests/e2e/support/option-snapshot.php', [ 'set', snapshot ] );
}

/**
 * The machine is offline: serve a blank image for the admin bar's Gravatar.
 *
 * @param page Page.
 */
export async function stubGravatar( page: Page ) {
	const blankGif = Buffer.from(
		'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7',
		'base64'
	);
	await page.route( /^https:\/\/(secure\.)?gravatar\.com\//, ( route ) =>
		route.fulfill( {
			status: 200,
			contentType: 'image/gif',
			body: blankGif,
		} )
	);
}

/**
 * Serious and critical axe violations on the page, WordPress's own menu and toolbar left
 * out: they are core's, the same on every screen (core's "Collapse Menu" button fails
 * label-content-name-mismatch).
 *
 * @param page Page.
 */
export async function seriousViolations( page: Page ) {
	const results = await new AxeBuilder( { page } )
		.exclude( '#adminmenumain' )
		.exclude( '#wpadminbar' )
		.withTags( [
			'wcag2a',
			'wcag2aa',
			'wcag21a',
			'wcag21aa',
			'best-practice',
		] )
		.analyze();
	return results.violations
		.filter( ( v ) => v.impact === 'serious' || v.impact === 'critical' )
		.map( ( v ) => ( {
			id: v.id,
			impact: v.impact,
			targets: v.nodes.map( ( node ) => node.target.join( ' ' ) ),
		} ) );
}

type ApiFetch = ( options: {
	path: string;
	method?: string;
	data?: Record< string, unknown >;
} ) => Promise< unknown >;

/**
 * Calls a REST route from inside the page, with the admin's cookie and nonce.
 *
 * @param page Page (an admin screen that loads wp-api-fetch).
 * @param path Route path.
 * @param data POST body; GET when absent.
 */
export async function rest< T >(
	page: Page,
	path: string,
	data?: Record< string, unknown >
): Promise< T > {
	return ( await page.evaluate(
		( [ route, body ] ) => {
			const { apiFetch } = (
				window as unknown as { wp: { apiFetch: ApiFetch } }
			 ).wp;
			return apiFetch(
				body
					? { path: route, method: 'POST', data: body }
					: { path: route }
			);
		},
		[ path, data ] as const
	) ) as T;
}
