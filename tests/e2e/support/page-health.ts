/**
 * Collects what a person would notice as broken: console errors, uncaught exceptions and
 * failed requests to the site itself.
 */
import type { Page, Request } from '@playwright/test';

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
	page.on( 'requestfailed', async ( request ) => {
		if (
			! request.url().startsWith( origin ) ||
			allowed( request.url() ) ||
			( await finishedStreamReportedAborted( request ) )
		) {
			// Printed, so full runs show whether this case still happens at all.
			process.stdout.write(
				`page-health: set aside ERR_ABORTED of an answered event stream ${ request.url() }\n`
			);
			return;
		}
		problems.list.push(
			`request failed: ${ request.url() } ${
				request.failure()?.errorText ?? ''
			}`
		);
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

/**
 * Chromium now and then reports net::ERR_ABORTED for an event stream that was answered in
 * full: seen twice in full runs on the first streamed chat answer, with nginx logging a
 * complete 200 and the widget showing the whole answer and its end event. The likely cause:
 * the response stayed open a few milliseconds after the end event (measured 2-10 ms), and a
 * test that moved on in that window aborted it; Sse_Writer::close() now ends the response
 * first (2.8 ms median left). Until full runs show it gone, this case stays set aside. A
 * stream the visitor or the page really cut is tested where it matters (the Stop test);
 * other failures, and aborts of anything that is not an answered chat stream, still count
 * (a check on the response alone once let an offline Gravatar image through in Firefox).
 * @param request
 */
async function finishedStreamReportedAborted(
	request: Request
): Promise< boolean > {
	if (
		request.failure()?.errorText !== 'net::ERR_ABORTED' ||
		! request.url().includes( '/voice-vision-chat/v1/chat' )
	) {
		return false;
	}
	const response = await request.response().catch( () => null );
	return (
		response !== null &&
		response.ok() &&
		( response.headers()[ 'content-type' ] ?? '' ).includes(
			'text/event-stream'
		)
	);
}
