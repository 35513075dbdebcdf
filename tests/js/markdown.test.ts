// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';

import { renderMarkdown } from '../../src/lib/markdown';

/**
 * Renders into the page, as the widget does, and returns the container.
 * @param markdown
 */
function mount( markdown: string ): HTMLElement {
	const container = document.createElement( 'div' );
	container.innerHTML = renderMarkdown( markdown );
	document.body.appendChild( container );
	return container;
}

function everyAttribute( root: Element ): string[] {
	return [ root, ...root.querySelectorAll( '*' ) ].flatMap( ( element ) =>
		[ ...element.attributes ].map(
			( attr ) => `${ attr.name }=${ attr.value }`
		)
	);
}

const HOSTILE = [
	'<img src=x onerror="window.__pwned=1">',
	'<script>window.__pwned=1</script>',
	'<svg><script>window.__pwned=1</script></svg>',
	'<svg/onload=window.__pwned=1>',
	'<iframe src="javascript:window.__pwned=1"></iframe>',
	'<a href="javascript:window.__pwned=1">click</a>',
	'<style>body{display:none}</style>',
	'<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1>',
	'<noscript><p title="</noscript><img src=x onerror=window.__pwned=1>">',
	'<<img src=x onerror=window.__pwned=1>>',
	'<details open ontoggle=window.__pwned=1>',
	'<form><button formaction=javascript:window.__pwned=1>go</button></form>',
];

describe( 'renderMarkdown', () => {
	afterEach( () => {
		document.body.innerHTML = '';
		delete ( window as unknown as { __pwned?: number } ).__pwned;
	} );

	it( 'renders everyday Markdown', () => {
		const root = mount(
			'**Bold** and *italic*, `code`.\n\n- one\n- two\n\n1. first\n\n> quoted'
		);
		expect( root.querySelector( 'strong' )?.textContent ).toBe( 'Bold' );
		expect( root.querySelector( 'em' )?.textContent ).toBe( 'italic' );
		expect( root.querySelector( 'code' )?.textContent ).toBe( 'code' );
		expect( root.querySelectorAll( 'ul li' ) ).toHaveLength( 2 );
		expect( root.querySelector( 'ol li' )?.textContent ).toBe( 'first' );
		expect( root.querySelector( 'blockquote' )?.textContent?.trim() ).toBe(
			'quoted'
		);
	} );

	it( 'keeps code blocks as readable text, markup included', () => {
		const root = mount( '```html\n<b onclick="x()">hi</b>\n```' );
		const code = root.querySelector( 'pre > code' );
		expect( code?.textContent ).toBe( '<b onclick="x()">hi</b>\n' );
		expect( code?.children ).toHaveLength( 0 );
		expect( code?.hasAttribute( 'class' ) ).toBe( false );
	} );

	it.each( HOSTILE )( 'leaves %s inert', ( payload ) => {
		const alert = vi
			.spyOn( window, 'alert' )
			.mockImplementation( () => undefined );
		const root = mount( `Answer: ${ payload } end\n\n${ payload }` );

		expect(
			( window as unknown as { __pwned?: number } ).__pwned
		).toBeUndefined();
		expect( alert ).not.toHaveBeenCalled();
		expect(
			root.querySelectorAll(
				'script, img, svg, iframe, style, form, button, details, math, noscript'
			)
		).toHaveLength( 0 );
		for ( const attribute of everyAttribute( root ) ) {
			expect( attribute ).not.toMatch( /^on|javascript:/i );
		}
		alert.mockRestore();
	} );

	it( 'shows raw HTML as text rather than dropping it silently', () => {
		const root = mount( 'Use <img src=x onerror=alert(1)> carefully' );
		expect( root.textContent ).toContain( '<img src=x onerror=alert(1)>' );
		expect( root.querySelector( 'img' ) ).toBeNull();
	} );

	it.each( [
		'[click](javascript:window.__pwned=1)',
		'[click](JaVaScRiPt:window.__pwned=1)',
		'[click](java&#x09;script:window.__pwned=1)',
		'[click](&#106;avascript:window.__pwned=1)',
		'[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
		'[click](vbscript:msgbox)',
		'[click](/relative/path)',
		'[click](mailto:someone@example.test)',
		'[click]: javascript:alert(1)\n\n[click]',
		'<javascript:alert(1)>',
	] )( 'gives %s no href', ( markdown ) => {
		const root = mount( markdown );
		for ( const link of root.querySelectorAll( 'a' ) ) {
			expect( link.hasAttribute( 'href' ) ).toBe( false );
		}
		// The text may still read "javascript:…"; no attribute may carry it.
		for ( const attribute of everyAttribute( root ) ) {
			expect( attribute ).not.toMatch( /javascript:|data:|vbscript:/i );
		}
	} );

	it( 'keeps http and https links, opened safely', () => {
		const root = mount(
			'See [the docs](https://example.test/docs "Docs") or http://example.test/plain'
		);
		const links = [ ...root.querySelectorAll( 'a' ) ];
		expect( links.map( ( link ) => link.getAttribute( 'href' ) ) ).toEqual(
			[ 'https://example.test/docs', 'http://example.test/plain' ]
		);
		for ( const link of links ) {
			expect( link.getAttribute( 'rel' ) ).toBe(
				'noopener nofollow ugc'
			);
			expect( link.getAttribute( 'target' ) ).toBe( '_blank' );
		}
		expect( links[ 0 ]?.getAttribute( 'title' ) ).toBe( 'Docs' );
	} );

	it( 'turns images into links instead of loading them', () => {
		const root = mount(
			'![chart](https://tracker.example.test/pixel.png?q=secret)'
		);
		expect( root.querySelector( 'img' ) ).toBeNull();
		const link = root.querySelector( 'a' );
		expect( link?.textContent ).toBe( 'chart' );
		expect( link?.getAttribute( 'rel' ) ).toBe( 'noopener nofollow ugc' );
	} );

	it( 'shows headings as bold lines, outside the page outline', () => {
		const root = mount( '# Title\n\ntext' );
		expect( root.querySelector( 'h1, h2, h3, h4, h5, h6' ) ).toBeNull();
		expect(
			root.querySelector( '.vvc-chat__heading strong' )?.textContent
		).toBe( 'Title' );
	} );

	it( 'drops class names that are not the plugin’s own', () => {
		const root = mount( '<p class="wp-admin-bar x">hi</p>' );
		expect(
			root.querySelector( '[class]:not(.vvc-chat__heading)' )
		).toBeNull();
	} );
} );
