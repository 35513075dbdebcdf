/**
 * While the provider is down, the widget says so and offers what still works: a curated
 * question (answered from the FAQ without the provider), the site's search, and Try again.
 * Real stack; the simulator fails every request that carries this test's marker.
 */
import { randomBytes } from 'node:crypto';

import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

import { openChat, script, simRequests, typeQuestion } from './chat-support';
import { addCuratedEntry, deleteCuratedEntry } from './support/curated-faq';
import { watchPageHealth } from './support/page-health';
import { readStackEnv } from './support/stack-env';

const stack = readStackEnv();

test.use( { storageState: { cookies: [], origins: [] } } );

/**
 * Letters only: digits in a question read as an order number, which the FAQ never caches.
 */
function letterMarker(): string {
	return (
		'zqdown' +
		[ ...randomBytes( 10 ) ]
			.map( ( byte ) => String.fromCharCode( 97 + ( byte % 26 ) ) )
			.join( '' )
	);
}

test( 'while the provider is down, the widget offers a curated question that still gets answered', async ( {
	page,
} ) => {
	const m = letterMarker();
	const curated = `What are your opening hours ${ m }?`;
	const answer = `Nine to five, ${ m }.`;
	const id = addCuratedEntry( curated, answer );

	try {
		await script( {
			match: { contains: m },
			fault: { type: 'server_error' },
			times: 20,
		} );
		// The failed question is an expected error response; nothing else may go wrong.
		const problems = watchPageHealth( page, stack.VVC_SITE_URL, [
			/\/voice-vision-chat\/v1\/chat/,
			/status of 50\d/,
		] );
		const chat = await openChat( page );
		const input = chat.getByLabel( 'Your question' );
		await typeQuestion( chat, `Opening hours ${ m } on Sunday?` );
		await input.press( 'Enter' );

		const notice = chat.locator( '.vvc-chat__message--notice' );
		await expect( notice ).toContainText( 'could not answer just now', {
			timeout: 20_000,
		} );
		await expect(
			notice.getByRole( 'button', { name: 'Try again' } )
		).toBeVisible();
		await expect(
			notice.getByRole( 'link', { name: 'Search this site' } )
		).toHaveAttribute( 'href', /[?&]s=Opening/ );
		await chat.screenshot( { path: 'test-results/faq-provider-down.png' } );
		const axe = await new AxeBuilder( { page } )
			.include( '.wp-block-voice-vision-chat-chat' )
			.analyze();
		expect(
			axe.violations
				.filter(
					( v ) => v.impact === 'serious' || v.impact === 'critical'
				)
				.map( ( v ) => v.id ),
			'axe: serious or critical problems in the notice'
		).toEqual( [] );
		const failed = ( await simRequests( m ) ).filter(
			( entry ) => entry.path === '/v1/chat/completions'
		).length;
		expect( failed, 'the provider was asked' ).toBeGreaterThan( 0 );

		// The offered question is answered from the FAQ: the provider is not asked again.
		await notice.getByRole( 'button', { name: curated } ).click();
		await expect(
			chat.locator( '.vvc-chat__message--assistant' ).last()
		).toContainText( answer );
		await expect( input ).toBeFocused();
		expect(
			( await simRequests( m ) ).filter(
				( entry ) => entry.path === '/v1/chat/completions'
			).length
		).toBe( failed );
		expect( problems.list ).toEqual( [] );
	} finally {
		deleteCuratedEntry( id );
	}
} );
