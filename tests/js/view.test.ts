// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { Boot, WidgetApi } from '../../src/lib/boot';

// The loader keeps page-wide state (one download per page): a fresh copy for each test.
let view: typeof import( '../../src/blocks/chat/view' );
const prepareShells = ( root: ParentNode ) => view.prepareShells( root );
const loadScripts: typeof view.loadScripts = ( ...args ) =>
	view.loadScripts( ...args );
const loadWidget = ( doc: Document ) => view.loadWidget( doc );

function shell(): string {
	return `<section class="wp-block-voice-vision-chat-chat">
		<div class="vvc-chat__log" role="log"><p>Hello</p></div>
		<form action="#"><textarea></textarea>
		<button type="button" class="vvc-chat__attach"><span>Attach</span></button>
		<button type="submit">Send</button></form>
	</section>`;
}

/** What the inline scripts ran, in order (they run in the page, so they write to it). */
const ran = () => document.body.dataset.ran?.trim().split( ' ' ) ?? [];

const config = {
	restRoot: 'http://localhost:3000/wp-json/',
	imageMaxSide: 1024,
	historyTurns: 10,
	turnMaxChars: 4000,
};

function scriptLoaded( handle: string ) {
	const script = document.getElementById( handle + '-js' );
	expect( script, `${ handle } was added` ).not.toBeNull();
	script!.dispatchEvent( new Event( 'load' ) );
}

const tick = () => new Promise( ( resolve ) => setTimeout( resolve, 0 ) );

beforeEach( async () => {
	document.head.innerHTML = '';
	document.body.innerHTML = '';
	delete document.body.dataset.ran;
	vi.resetModules();
	view = await import( '../../src/blocks/chat/view' );
} );

afterEach( () => {
	delete window.vvcChatBoot;
	delete window.vvcChatWidget;
} );

describe( 'prepareShells', () => {
	it( 'marks every chat shell on the page as ready', () => {
		document.body.innerHTML =
			shell() + '<div class="other"></div>' + shell();

		expect( prepareShells( document ) ).toBe( 2 );
		const states = [
			...document.querySelectorAll< HTMLElement >(
				'.wp-block-voice-vision-chat-chat'
			),
		].map( ( el ) => el.dataset.vvcState );
		expect( states ).toEqual( [ 'ready', 'ready' ] );
	} );

	it( 'keeps the shell form from submitting the page', () => {
		document.body.innerHTML = shell();
		prepareShells( document );

		const form = document.querySelector( 'form' )!;
		const event = new Event( 'submit', {
			cancelable: true,
			bubbles: true,
		} );
		form.dispatchEvent( event );
		expect( event.defaultPrevented ).toBe( true );
	} );
} );

describe( 'loadScripts', () => {
	it( 'skips scripts on the page and runs the rest in order with their inline code', async () => {
		document.head.innerHTML = '<script id="react-js"></script>';
		const done = loadScripts( document, [
			{ handle: 'react', src: '/react.js' },
			{
				handle: 'wp-i18n',
				src: '/i18n.js',
				before: 'document.body.dataset.ran = "i18n-before";',
				after: 'document.body.dataset.ran += " i18n-after";',
			},
			{
				handle: 'vvc-chat-widget',
				src: '/widget.js',
				before: 'document.body.dataset.ran += " widget-translations";',
			},
		] );

		// Both missing downloads start at once; react is not downloaded again.
		const preloads = [
			...document.querySelectorAll< HTMLLinkElement >(
				'link[rel="preload"]'
			),
		].map( ( link ) => new URL( link.href ).pathname );
		expect( preloads ).toEqual( [ '/i18n.js', '/widget.js' ] );
		expect(
			document.querySelectorAll( 'script[src$="react.js"]' )
		).toHaveLength( 0 );

		// The widget runs only after i18n has run.
		expect( document.getElementById( 'vvc-chat-widget-js' ) ).toBeNull();
		expect( ran() ).toEqual( [ 'i18n-before' ] );
		scriptLoaded( 'wp-i18n' );
		await tick();
		expect( ran() ).toEqual( [
			'i18n-before',
			'i18n-after',
			'widget-translations',
		] );
		scriptLoaded( 'vvc-chat-widget' );
		await done;
		expect(
			document
				.getElementById( 'vvc-chat-widget-js' )
				?.getAttribute( 'src' )
		).toBe( '/widget.js' );
	} );
} );

describe( 'loadWidget', () => {
	function boot(): Boot {
		return {
			scripts: [ { handle: 'vvc-chat-widget', src: '/widget.js' } ],
			config,
			loadError: 'The chat could not load.',
		};
	}

	it( 'loads on the first interaction and hands over what the visitor did', async () => {
		document.body.innerHTML = shell();
		window.vvcChatBoot = boot();
		prepareShells( document );
		const section = document.querySelector< HTMLElement >( 'section' )!;
		const textarea = document.querySelector( 'textarea' )!;

		textarea.focus();
		expect( section.dataset.vvcState ).toBe( 'loading' );
		expect( section.getAttribute( 'aria-busy' ) ).toBe( 'true' );
		textarea.value = 'Early question';
		const enter = new KeyboardEvent( 'keydown', {
			key: 'Enter',
			bubbles: true,
			cancelable: true,
		} );
		textarea.dispatchEvent( enter );
		expect( enter.defaultPrevented ).toBe( true );

		const mount = vi.fn< WidgetApi[ 'mount' ] >();
		window.vvcChatWidget = { mount };
		scriptLoaded( 'vvc-chat-widget' );
		await loadWidget( document );

		expect( mount ).toHaveBeenCalledTimes( 1 );
		expect( mount ).toHaveBeenCalledWith(
			section,
			expect.objectContaining( {
				text: 'Early question',
				focused: true,
				submit: true,
				attach: false,
			} ),
			config
		);
		expect( section.dataset.vvcState ).toBe( 'live' );
		expect( section.hasAttribute( 'aria-busy' ) ).toBe( false );

		// The loader's listeners are gone: the widget owns the shell now.
		textarea.dispatchEvent( new Event( 'focusin', { bubbles: true } ) );
		await tick();
		expect( mount ).toHaveBeenCalledTimes( 1 );
	} );

	it( "gives the widget's microphone the focus when the visitor reached for the shell's", async () => {
		document.body.innerHTML = shell().replace(
			'<button type="submit">',
			'<button type="button" class="vvc-chat__mic" aria-label="Ask by voice"></button><button type="submit">'
		);
		window.vvcChatBoot = boot();
		prepareShells( document );
		const section = document.querySelector< HTMLElement >( 'section' )!;
		const shellMic =
			section.querySelector< HTMLButtonElement >( '.vvc-chat__mic' )!;

		shellMic.focus();
		expect( section.dataset.vvcState ).toBe( 'loading' );
		// Like React: the shell's children make way for the widget's, a little later.
		const mount = vi.fn< WidgetApi[ 'mount' ] >( ( root ) => {
			setTimeout( () => {
				root.innerHTML =
					'<form><textarea></textarea><button type="button" class="vvc-chat__mic">Ask by voice</button></form>';
			}, 20 );
		} );
		window.vvcChatWidget = { mount };
		scriptLoaded( 'vvc-chat-widget' );
		await loadWidget( document );
		expect( mount ).toHaveBeenCalledWith(
			section,
			expect.objectContaining( { focused: false } ),
			config
		);

		await vi.waitFor( () => {
			const widgetMic = section.querySelector( '.vvc-chat__mic' );
			expect( widgetMic ).not.toBe( shellMic );
			expect( section.ownerDocument.activeElement ).toBe( widgetMic );
		} );
	} );

	it( 'says so when the download fails, and tries again on the next interaction', async () => {
		document.body.innerHTML = shell();
		window.vvcChatBoot = boot();
		prepareShells( document );
		const section = document.querySelector< HTMLElement >( 'section' )!;

		section
			.querySelector( '.vvc-chat__attach span' )!
			.dispatchEvent( new MouseEvent( 'click', { bubbles: true } ) );
		const first = loadWidget( document );
		document
			.getElementById( 'vvc-chat-widget-js' )!
			.dispatchEvent( new Event( 'error' ) );
		await first;
		expect( section.dataset.vvcState ).toBe( 'error' );
		expect(
			section.querySelector( '[role="log"]' )?.textContent
		).toContain( 'The chat could not load.' );
		expect( document.getElementById( 'vvc-chat-widget-js' ) ).toBeNull();

		const mount = vi.fn< WidgetApi[ 'mount' ] >();
		section.dispatchEvent( new Event( 'pointerdown', { bubbles: true } ) );
		expect( section.querySelector( '.vvc-chat__load-error' ) ).toBeNull();
		window.vvcChatWidget = { mount };
		scriptLoaded( 'vvc-chat-widget' );
		await loadWidget( document );
		expect( mount ).toHaveBeenCalledWith(
			section,
			expect.objectContaining( { attach: true, submit: false } ),
			config
		);
	} );
} );
