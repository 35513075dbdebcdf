/**
 * Collects what a person would notice as broken: console errors, uncaught exceptions and
 * failed requests to the site itself.
 */
import type { Page } from '@playwright/test';

export type PageProblems = { list: string[] };

export function watchPageHealth(
	page: Page,
	siteUrl: string,
	allow: RegExp[] = []
): PageProblems {
	const origin = new URL( siteUrl ).origin;
	const problems: PageProblems = { list: [] };
	const allowed = ( text: string ) => allow.some( ( re ) => re.test( text ) );

	page.on( 'console', ( message ) => {
		if ( message.type() === 'error' && ! allowed( message.text() ) ) {
			problems.list.push( `console: ${ message.text() }` );
		}
	} );
	page.on( 'pageerror', ( error ) =>
		problems.list.push( `exception: ${ error.message }` )
	);
	page.on( 'requestfailed', ( request ) => {
		if (
			request.url().startsWith( origin ) &&
			! allowed( request.url() )
		) {
			problems.list.push(
				`request failed: ${ request.url() } ${
					request.failure()?.errorText ?? ''
				}`
			);
		}
	} );
	page.on( 'response', ( response ) => {
		if (
			response.url().startsWith( origin ) &&
			response.status() >= 400 &&
			! allowed( response.url() )
		) {
			problems.list.push(
				`HTTP ${ response.status() }: ${ response.url() }`
			);
		}
	} );
	return problems;
}
