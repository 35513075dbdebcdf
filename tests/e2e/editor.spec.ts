/**
 * An editor inserts the block from the inserter, sees its preview follow the block's
 * settings, publishes, and the published page renders it.
 */
import { expect, test } from '@playwright/test';

declare global {
	interface Window {
		// Only what this test uses of the editor's global.
		wp: {
			data: {
				dispatch: ( store: string ) => {
					set: (
						scope: string,
						name: string,
						value: unknown
					) => void;
				};
				select: ( store: string ) => {
					getCurrentPostId: () => number;
				};
			};
		};
		wpApiSettings: { nonce: string };
	}
}

test( 'the chat block inserts in the editor and saves', async ( { page } ) => {
	await page.goto( '/wp-admin/post-new.php?post_type=page' );

	const canvas = page.frameLocator( 'iframe[name="editor-canvas"]' );
	await expect( canvas.locator( 'body' ) ).toBeVisible( { timeout: 30_000 } );
	// First-visit dialogs (welcome guide, starter patterns) are not what this test is about.
	await page.waitForFunction( () => Boolean( window.wp?.data ) );
	await page.evaluate( () => {
		const preferences = window.wp.data.dispatch( 'core/preferences' );
		preferences.set( 'core/edit-post', 'welcomeGuide', false );
		preferences.set( 'core', 'enableChoosePatternModal', false );
	} );
	// They open a moment after the editor loads, so close them until none shows for a while.
	const dialog = page.getByRole( 'dialog' );
	await expect( async () => {
		if ( await dialog.isVisible() ) {
			await dialog
				.getByRole( 'button', { name: /close/i } )
				.first()
				.click();
		}
		await page.waitForTimeout( 1500 );
		await expect( dialog ).toBeHidden( { timeout: 100 } );
	} ).toPass( { timeout: 20_000 } );

	await canvas
		.getByRole( 'textbox', { name: /add title/i } )
		.fill( 'Chat from the editor test' );

	await page
		.getByRole( 'button', { name: /block inserter/i } )
		.first()
		.click();
	await page
		.getByRole( 'searchbox', { name: /search/i } )
		.fill( 'Voice & Vision Chat' );
	await page
		.getByRole( 'option', { name: /voice & vision chat/i } )
		.first()
		.click();

	const preview = canvas.locator( '.wp-block-voice-vision-chat-chat' );
	await expect( preview ).toBeVisible();
	await expect( preview.getByRole( 'heading' ) ).toHaveText(
		'Ask us anything'
	);
	// The preview's composer follows the block's settings, as the page's shell does.
	const mic = preview.getByRole( 'button', { name: 'Ask by voice' } );
	await expect( mic ).toBeVisible();
	await expect(
		preview.getByRole( 'button', { name: 'Attach a photo' } )
	).toBeVisible();
	await page
		.getByRole( 'checkbox', { name: 'Allow voice questions' } )
		.uncheck();
	await expect( mic ).toHaveCount( 0 );

	await page
		.getByRole( 'region', { name: /editor top bar/i } )
		.getByRole( 'button', { name: 'Publish', exact: true } )
		.click();
	await page
		.getByRole( 'region', { name: /editor publish/i } )
		.getByRole( 'button', { name: 'Publish', exact: true } )
		.click();
	await expect(
		page.getByText( /is now live|page published/i ).first()
	).toBeVisible();

	const link = await page
		.getByRole( 'region', { name: /editor publish/i } )
		.getByRole( 'link', { name: /view page/i } )
		.first()
		.getAttribute( 'href' );
	expect( link ).toBeTruthy();
	const { pageId, nonce } = await page.evaluate( () => ( {
		pageId: window.wp.data.select( 'core/editor' ).getCurrentPostId(),
		nonce: window.wpApiSettings.nonce,
	} ) );
	try {
		await page.goto( link! );
		const shell = page.locator( '.wp-block-voice-vision-chat-chat' );
		await expect( shell ).toBeVisible();
		await expect(
			shell.getByRole( 'button', { name: 'Attach a photo' } )
		).toBeVisible();
		await expect( shell.locator( '.vvc-chat__mic' ) ).toHaveCount( 0 );
	} finally {
		// The page would otherwise pile up in the demo site's menu, run after run.
		await page.request.delete(
			`/wp-json/wp/v2/pages/${ pageId }?force=true`,
			{ headers: { 'X-WP-Nonce': nonce } }
		);
	}
} );
