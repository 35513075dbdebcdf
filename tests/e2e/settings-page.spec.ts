/**
 * Settings > Voice & Vision Chat in a real browser against the running stack (WordPress +
 * the OpenAI simulator), logged in as the admin.
 *
 * The stack is shared with other test runs, so every test that changes a setting puts it
 * back, through the same REST route the page uses.
 */
import { expect, test, type Page, type Response } from '@playwright/test';

import { rest, seriousViolations, stubGravatar } from './support/admin-stack';
import { watchPageHealth } from './support/page-health';
import { readStackEnv } from './support/stack-env';

const stack = readStackEnv();
const SCREEN = '/wp-admin/options-general.php?page=voice-vision-chat';
const SETTINGS_ROUTE = '/voice-vision-chat/v1/admin/settings';
const SIMULATOR_API = `${ stack.VVC_SIM_URL ?? 'http://127.0.0.1:4010' }/v1`;

interface SettingsBody {
	settings: Record< string, unknown > & {
		system_prompt: string;
		history_turns: number;
		key_choice: string;
	};
	api_key: {
		source: string;
		last4: string;
		configured: boolean;
		plugin_key: boolean;
	};
}

async function openSettings( page: Page ) {
	await page.goto( SCREEN );
	await expect( page.getByLabel( 'System prompt' ) ).toBeVisible();
}

test.beforeEach( async ( { page } ) => {
	await stubGravatar( page );
} );

test( 'the settings page loads with no errors and works on a 320 px screen', async ( {
	page,
} ) => {
	const problems = watchPageHealth( page, stack.VVC_SITE_URL );

	await openSettings( page );

	await expect(
		page.getByRole( 'heading', {
			level: 1,
			name: 'Voice & Vision Chat settings',
		} )
	).toBeVisible();
	await expect(
		page.getByText(
			'This site is connected to the local OpenAI simulator, not OpenAI.',
			{ exact: true }
		)
	).toBeVisible();
	await expect(
		page.getByText( /^Key saved, ending in ••••/ )
	).toBeVisible();
	await expect( page.getByLabel( 'API base URL' ) ).toHaveValue(
		SIMULATOR_API
	);
	await expect(
		page.getByRole( 'link', { name: 'Voice & Vision Chat', exact: true } )
	).toHaveAttribute( 'aria-current', 'page' );

	await page.setViewportSize( { width: 320, height: 700 } );
	await page.reload();
	await expect( page.getByLabel( 'System prompt' ) ).toBeVisible();
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - window.innerWidth
	);
	expect( overflow ).toBeLessThanOrEqual( 0 );
	const save = page.getByRole( 'button', { name: 'Save settings' } );
	await save.scrollIntoViewIfNeeded();
	const box = await save.boundingBox();
	expect( box && box.x >= 0 && box.x + box.width <= 320 ).toBe( true );

	await page.waitForLoadState( 'load' );
	expect( problems.list ).toEqual( [] );
} );

test( 'the plugins list links to the settings page', async ( { page } ) => {
	await page.goto( '/wp-admin/plugins.php' );
	await page
		.locator( 'tr[data-slug="voice-vision-chat"]' )
		.getByRole( 'link', { name: 'Settings' } )
		.click();
	await expect( page ).toHaveURL(
		/options-general\.php\?page=voice-vision-chat/
	);
	await expect( page.getByLabel( 'System prompt' ) ).toBeVisible();
} );

test( 'a changed system prompt and number are saved and still there after a reload', async ( {
	page,
} ) => {
	await openSettings( page );
	const before = await rest< SettingsBody >( page, SETTINGS_ROUTE );
	const prompt = `You answer questions about the e2e test site. Marker ${ Date.now() }.`;
	const turns = before.settings.history_turns === 7 ? 6 : 7;

	try {
		await page.getByLabel( 'System prompt' ).fill( prompt );
		await page
			.getByLabel( 'Earlier messages sent with each question' )
			.fill( String( turns ) );
		await expect(
			page.getByText( 'Unsaved changes', { exact: true } )
		).toBeVisible();
		await page.getByRole( 'button', { name: 'Save settings' } ).click();
		await expect(
			page.getByRole( 'status' ).filter( { hasText: 'Settings saved.' } )
		).toBeVisible();

		await page.reload();
		await expect( page.getByLabel( 'System prompt' ) ).toHaveValue(
			prompt
		);
		await expect(
			page.getByLabel( 'Earlier messages sent with each question' )
		).toHaveValue( String( turns ) );
	} finally {
		await rest< SettingsBody >( page, SETTINGS_ROUTE, {
			system_prompt: before.settings.system_prompt,
			history_turns: before.settings.history_turns,
		} );
	}
} );

test( 'an invalid number is explained and not saved', async ( { page } ) => {
	await openSettings( page );
	const posts: string[] = [];
	page.on( 'request', ( request ) => {
		if (
			request.method() === 'POST' &&
			request.url().includes( 'admin%2Fsettings' )
		) {
			posts.push( request.url() );
		}
	} );
	const field = page.getByLabel( 'Maximum answer length (tokens)' );

	await field.fill( '99999' );
	await page.getByRole( 'button', { name: 'Save settings' } ).click();

	await expect(
		page
			.getByRole( 'alert' )
			.filter( { hasText: 'Some settings need attention' } )
	).toBeVisible();
	await expect( field ).toHaveAttribute( 'aria-invalid', 'true' );
	await expect( field ).toBeFocused();
	await expect(
		page.getByText( 'Enter a number from 16 to 4000.' )
	).toBeVisible();
	expect( posts ).toEqual( [] );
} );

test( 'a new API key is stored, the field is cleared, and only its last four characters ever reach the browser', async ( {
	page,
} ) => {
	const suffix = Math.random().toString( 36 ).slice( 2, 6 ).toUpperCase();
	const key = `sk-vvc-e2e-${ Date.now() }-secret-${ suffix }`;
	const bodies: Promise< string >[] = [];
	const origin = new URL( stack.VVC_SITE_URL ).origin;
	page.on( 'response', ( response: Response ) => {
		if ( response.url().startsWith( origin ) ) {
			bodies.push( response.text().catch( () => '' ) );
		}
	} );

	await openSettings( page );
	const before = await rest< SettingsBody >( page, SETTINGS_ROUTE );

	try {
		// Auto would keep using the server's OPENAI_API_KEY; the plugin's own key is what is tested.
		await page.getByLabel( 'Key to use' ).selectOption( 'plugin' );
		await page.getByLabel( 'API key', { exact: true } ).fill( key );
		await page.getByRole( 'button', { name: 'Save settings' } ).click();
		await expect(
			page.getByRole( 'status' ).filter( { hasText: 'Settings saved.' } )
		).toBeVisible();

		const status = `Key saved, ending in ••••${ suffix } (source: this plugin).`;
		await expect( page.getByText( status ) ).toBeVisible();
		await expect( page.getByLabel( 'New API key' ) ).toHaveValue( '' );
		expect( await page.content() ).not.toContain( key );

		await page.reload();
		await expect( page.getByText( status ) ).toBeVisible();
		await expect( page.getByLabel( 'New API key' ) ).toHaveValue( '' );
		expect( await page.content() ).not.toContain( key );
		expect( await page.content() ).not.toContain( key.slice( 0, -4 ) );

		const received = await Promise.all( bodies );
		expect( received.length ).toBeGreaterThan( 3 );
		for ( const body of received ) {
			expect( body ).not.toContain( key.slice( 0, -4 ) );
		}
	} finally {
		await rest< SettingsBody >( page, SETTINGS_ROUTE, {
			key_choice: before.settings.key_choice,
			delete_api_key: true,
		} );
	}
	const after = await rest< SettingsBody >( page, SETTINGS_ROUTE );
	expect( after.api_key.source ).toBe( before.api_key.source );
	expect( after.api_key.plugin_key ).toBe( false );
} );

test( 'Test connection succeeds against the simulator', async ( { page } ) => {
	await openSettings( page );

	await page.getByRole( 'button', { name: 'Test connection' } ).click();

	const result = page.locator( '.vvc-settings__test-result' );
	await expect( result ).toHaveAttribute( 'role', 'alert' );
	await expect( result ).toContainText(
		new RegExp(
			`Connection works: ${ SIMULATOR_API.replace( /\./g, '\\.' ) } lists [1-9]\\d* models?\\.`
		)
	);
	await expect(
		result.locator( '.components-notice.is-success' )
	).toBeVisible();
} );

test( 'Test connection shows clearly why a rejected key fails', async ( {
	page,
} ) => {
	await openSettings( page );
	const before = await rest< SettingsBody >( page, SETTINGS_ROUTE );
	const result = page.locator( '.vvc-settings__test-result' );

	try {
		await page.getByLabel( 'Key to use' ).selectOption( 'plugin' );
		await page
			.getByLabel( 'API key', { exact: true } )
			.fill( `sk-invalid-e2e-${ Date.now() }` );
		await page.getByRole( 'button', { name: 'Save settings' } ).click();
		await expect(
			page.getByRole( 'status' ).filter( { hasText: 'Settings saved.' } )
		).toBeVisible();

		await page.getByRole( 'button', { name: 'Test connection' } ).click();

		await expect( result ).toContainText( /^.*Connection failed: .+/ );
		await expect( result ).toContainText( '401' );
		await expect( result ).toContainText( 'Error code: vvc_upstream_auth' );
		await expect(
			result.locator( '.components-notice.is-error' )
		).toBeVisible();
		await expect( result ).not.toContainText( 'sk-invalid-e2e' );
	} finally {
		// Put the site back at once: other runs share this stack and need a working key.
		await rest< SettingsBody >( page, SETTINGS_ROUTE, {
			key_choice: before.settings.key_choice,
			delete_api_key: true,
		} );
	}

	await page.reload();
	await page.getByRole( 'button', { name: 'Test connection' } ).click();
	await expect( result ).toContainText( 'Connection works' );
} );

test( 'leaving with unsaved changes asks first', async ( { page } ) => {
	await openSettings( page );
	await page
		.getByLabel( 'Project ID (optional)' )
		.pressSequentially( 'proj' );

	const dialog = page.waitForEvent( 'dialog' );
	await page.close( { runBeforeUnload: true } );
	const shown = await dialog;

	expect( shown.type() ).toBe( 'beforeunload' );
	await shown.accept();
} );

test( 'axe finds no serious or critical accessibility problems', async ( {
	page,
} ) => {
	await openSettings( page );
	// Also check the screen with a notice showing.
	await page.getByRole( 'button', { name: 'Test connection' } ).click();
	await expect( page.locator( '.vvc-settings__test-result' ) ).toContainText(
		'Connection works'
	);

	// The admin menu and toolbar are WordPress core's, the same on every screen (core's
	// "Collapse Menu" button fails label-content-name-mismatch); everything else is checked.
	expect( await seriousViolations( page ) ).toEqual( [] );
} );
