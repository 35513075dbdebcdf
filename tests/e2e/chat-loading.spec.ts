/**
 * What the chat costs a visitor: nothing on pages without the block, only the small loader
 * before the visitor touches it, the widget after; no layout shift when it mounts; and the
 * same HTML for every visitor (full-page caches).
 */
import { gzipSync } from 'node:zlib';

import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';

import { DEMO_PAGE } from './chat-support';
import { watchPageHealth } from './support/page-health';
import { readStackEnv } from './support/stack-env';

const stack = readStackEnv();
const PLUGIN_PATH = '/wp-content/plugins/voice-vision-chat/';
/** Scripts the widget brings along; none of them may load before the visitor interacts. */
const WIDGET_SCRIPTS = [
	'chat/widget.js',
	// The Markdown renderer, fetched by the widget as it mounts.
	'chat/markdown.js',
	'vendor/react.',
	'vendor/react-dom.',
	'dist/element.',
	'dist/api-fetch.',
	'dist/i18n.',
];

function scriptUrls( page: Page ): string[] {
	const urls: string[] = [];
	page.on( 'request', ( request ) => {
		if ( request.resourceType() === 'script' ) {
			urls.push( request.url() );
		}
	} );
	return urls;
}

test.describe( 'as a visitor', () => {
	test.use( { storageState: { cookies: [], origins: [] } } );

	test( 'pages without the block carry no plugin script, style or boot data', async ( {
		page,
	} ) => {
		const requested: string[] = [];
		page.on( 'request', ( request ) => requested.push( request.url() ) );
		const response = await page.goto( '/' );
		await page.waitForLoadState( 'load' );
		const html = ( await response?.text() ) ?? '';

		expect(
			requested.filter( ( url ) => url.includes( 'voice-vision-chat' ) )
		).toEqual( [] );
		expect( html ).not.toContain( 'voice-vision-chat' );
		expect( html ).not.toContain( 'vvcChatBoot' );
		expect( html ).not.toContain( 'vvc-chat' );
	} );

	test( 'only the loader runs before interaction, within 6 KB gzip; the widget loads on focus', async ( {
		page,
	} ) => {
		const problems = watchPageHealth( page, stack.VVC_SITE_URL );
		const scripts = scriptUrls( page );
		const response = await page.goto( DEMO_PAGE );
		await page.waitForLoadState( 'load' );
		await page.waitForTimeout( 500 );
		const html = ( await response?.text() ) ?? '';

		const before = scripts.filter( ( url ) => url.includes( PLUGIN_PATH ) );
		expect( before ).toHaveLength( 1 );
		expect( before[ 0 ] ).toContain( 'build/blocks/chat/view.js' );
		for ( const name of WIDGET_SCRIPTS ) {
			expect(
				scripts.filter( ( url ) => url.includes( name ) ),
				`${ name } waits for the visitor`
			).toEqual( [] );
		}

		// Script the page carries for the chat before any interaction: the loader and its boot object.
		const loader = await ( await page.request.get( before[ 0 ]! ) ).body();
		const boot =
			html.match(
				/<script[^>]*>\s*window\.vvcChatBoot = [\s\S]*?<\/script>/
			)?.[ 0 ] ?? '';
		expect( boot ).not.toBe( '' );
		const gzipped = gzipSync( loader ).length + gzipSync( boot ).length;
		test.info().annotations.push( {
			type: 'script before interaction (gzip bytes)',
			description: String( gzipped ),
		} );
		expect( gzipped ).toBeLessThanOrEqual( 6 * 1024 );
		// The block's CSS is inlined by WordPress (small styles are), so there is no request for it.

		const chat = page.locator( '.wp-block-voice-vision-chat-chat' );
		await expect( chat ).toHaveAttribute( 'data-vvc-state', 'ready' );
		await chat.getByLabel( 'Your question' ).focus();
		await expect( chat ).toHaveAttribute( 'data-vvc-state', 'live' );
		for ( const name of WIDGET_SCRIPTS ) {
			await expect
				.poll(
					() => scripts.filter( ( url ) => url.includes( name ) ),
					{ message: `${ name } loaded once` }
				)
				.toHaveLength( 1 );
		}
		// Each script once on the page, with WordPress's own ids, so nothing loads twice later.
		const ids = await page
			.locator( 'script[src]' )
			.evaluateAll( ( elements ) => elements.map( ( el ) => el.id ) );
		expect( ids ).toContain( 'vvc-chat-widget-js' );
		expect( ids ).toContain( 'wp-element-js' );
		expect( new Set( ids ).size ).toBe( ids.length );
		await expect( chat.getByLabel( 'Your question' ) ).toBeFocused();
		expect( problems.list ).toEqual( [] );
	} );

	test( 'the widget mounts on the shell without moving anything', async ( {
		page,
	} ) => {
		await page.goto( DEMO_PAGE );
		await page.waitForLoadState( 'load' );
		await page.evaluate( () => {
			const win = window as unknown as {
				vvcShifts: Array< { value: number; recent: boolean } >;
			};
			win.vvcShifts = [];
			new PerformanceObserver( ( list ) => {
				for ( const entry of list.getEntries() as Array<
					PerformanceEntry & {
						value: number;
						hadRecentInput: boolean;
					}
				> ) {
					win.vvcShifts.push( {
						value: entry.value,
						recent: entry.hadRecentInput,
					} );
				}
			} ).observe( { type: 'layout-shift', buffered: false } );
		} );
		const chat = page.locator( '.wp-block-voice-vision-chat-chat' );
		const boxes = () =>
			chat.evaluate( ( root ) =>
				[
					root,
					...root.querySelectorAll(
						'h2, .vvc-chat__log, .vvc-chat__log p, textarea, button'
					),
				].map( ( el ) => {
					const box = el.getBoundingClientRect();
					return `${ el.tagName }.${ el.className } ${ Math.round( box.x ) },${ Math.round( box.y ) } ${ Math.round( box.width ) }x${ Math.round( box.height ) }`;
				} )
			);
		const shell = await boxes();
		// The demo block allows voice: the shell reserves the microphone's place.
		expect(
			shell.filter( ( box ) => box.startsWith( 'BUTTON.vvc-chat__mic ' ) )
		).toHaveLength( 1 );

		// A programmatic focus: not "recent input", so any shift would count in full.
		await chat.getByLabel( 'Your question' ).focus();
		await expect( chat ).toHaveAttribute( 'data-vvc-state', 'live' );
		await page.waitForTimeout( 500 );

		expect( await boxes() ).toEqual( shell );
		// The box compared is the widget's own microphone, not the shell's left behind.
		await expect( chat.locator( '.vvc-chat__mic' ) ).toHaveAttribute(
			'aria-pressed',
			'false'
		);
		const shifts = await page.evaluate(
			() =>
				(
					window as unknown as {
						vvcShifts: Array< { value: number } >;
					}
				 ).vvcShifts
		);
		const total = shifts.reduce( ( sum, shift ) => sum + shift.value, 0 );
		test.info().annotations.push( {
			type: 'layout shift while mounting',
			description: total.toFixed( 4 ),
		} );
		expect( total ).toBeLessThan( 0.001 );
	} );
} );

test( 'the page HTML is the same for an admin and a visitor, with no nonce', async ( {
	page,
	browser,
} ) => {
	// Logged in (the project's stored admin session): the REST nonce WordPress would use.
	const nonce = await (
		await page.request.get( '/wp-admin/admin-ajax.php?action=rest-nonce' )
	).text();
	expect( nonce ).toMatch( /^[0-9a-f]{10}$/ );
	const adminHtml = await ( await page.request.get( DEMO_PAGE ) ).text();

	const visitor = await browser.newContext( {
		storageState: { cookies: [], origins: [] },
	} );
	const visitorHtml = await (
		await visitor.request.get( `${ stack.VVC_SITE_URL }${ DEMO_PAGE }` )
	).text();
	await visitor.close();

	const chatParts = ( html: string ) => {
		const section =
			html.match(
				/<section[^>]*wp-block-voice-vision-chat-chat[\s\S]*?<\/section>/
			)?.[ 0 ] ?? '';
		const boot =
			html.match(
				/<script[^>]*>\s*window\.vvcChatBoot = [\s\S]*?<\/script>/
			)?.[ 0 ] ?? '';
		return {
			section: section.replace( /vvc-chat-input-\d+/g, 'ID' ),
			boot,
		};
	};
	const admin = chatParts( adminHtml );
	const guest = chatParts( visitorHtml );
	expect( admin.section ).not.toBe( '' );
	expect( admin.boot ).not.toBe( '' );
	expect( admin ).toEqual( guest );
	for ( const part of [ admin.section, admin.boot ] ) {
		expect( part ).not.toContain( nonce );
		expect( part ).not.toMatch( /nonce/i );
	}
	expect( visitorHtml ).not.toContain( nonce );
} );
