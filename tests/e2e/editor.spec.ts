/**
 * An editor inserts the block from the inserter, sees its preview, publishes, and the
 * published page renders it.
 */
import { expect, test } from '@playwright/test';

test( 'the chat block inserts in the editor and saves', async ( { page } ) => {
	await page.goto( '/wp-admin/post-new.php?post_type=page' );

	// The welcome guide shows on a first visit; close it when it is there.
	const canvas = page.frameLocator( 'iframe[name="editor-canvas"]' );
	await expect( canvas.locator( 'body' ) ).toBeVisible( { timeout: 30_000 } );
	const guide = page.getByRole( 'dialog', { name: /welcome/i } );
	if ( await guide.isVisible().catch( () => false ) ) {
		await guide.getByRole( 'button', { name: /close/i } ).click();
	}

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
	await page.goto( link! );
	await expect(
		page.locator( '.wp-block-voice-vision-chat-chat' )
	).toBeVisible();
} );
