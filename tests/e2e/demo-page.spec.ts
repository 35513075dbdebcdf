/**
 * The published demo page shows the chat block, its script runs, and nothing on the page fails.
 */
import { expect, test } from '@playwright/test';

import { watchPageHealth } from './support/page-health';
import { readStackEnv } from './support/stack-env';

const stack = readStackEnv();

test.use( { storageState: { cookies: [], origins: [] } } );

test( 'a visitor sees the chat shell on the demo page with no errors', async ( {
	page,
} ) => {
	const problems = watchPageHealth( page, stack.VVC_SITE_URL );

	await page.goto( '/chat-demo/' );

	const chat = page.locator( '.wp-block-voice-vision-chat-chat' );
	await expect( chat ).toBeVisible();
	await expect( chat.getByRole( 'heading' ) ).toHaveText( 'Ask us anything' );
	await expect( chat.getByLabel( 'Your question' ) ).toBeVisible();
	await expect( chat.getByRole( 'log' ) ).toHaveAttribute(
		'aria-live',
		'polite'
	);
	// Set by view.ts: proves the front-end script was served and ran.
	await expect( chat ).toHaveAttribute( 'data-vvc-state', 'ready' );

	const box = await chat.boundingBox();
	expect( box?.height ).toBeGreaterThan( 200 );

	await page.waitForLoadState( 'load' );
	expect( problems.list ).toEqual( [] );
} );

test( 'pages without the block load none of its assets', async ( { page } ) => {
	const requested: string[] = [];
	page.on( 'request', ( request ) => requested.push( request.url() ) );

	await page.goto( '/' );
	await page.waitForLoadState( 'load' );

	expect(
		requested.filter( ( url ) => url.includes( 'voice-vision-chat' ) )
	).toEqual( [] );
} );
