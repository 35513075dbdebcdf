/**
 * A visitor's conversation with the chat widget on the real stack: WordPress, the plugin's
 * proxy and the OpenAI simulator scripted per test with a unique marker. Runs in Chromium
 * and in Firefox; what the widget uploads is read from the requests in chat-request.spec.ts.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

import {
	cameraPhoto,
	CHAT_ROUTE,
	marker,
	openChat,
	script,
	simRequests,
	typeQuestion,
} from './chat-support';

test.use( { storageState: { cookies: [], origins: [] } } );

test( 'an answer with HTML and javascript: links stays inert', async ( {
	page,
} ) => {
	const question = marker( 'xss' );
	const hostile = [
		`Answer for ${ question }.`,
		'<img src=x onerror="window.vvcPwned=1;alert(1)">',
		'<script>window.vvcPwned=2</script>',
		'<svg onload="window.vvcPwned=3"></svg>',
		'[click me](javascript:window.vvcPwned=4) and [data link](data:text/html,<script>alert(1)</script>)',
		'<a href="javascript:window.vvcPwned=5">raw link</a>',
		'[safe link](https://example.org/)',
	].join( '\n\n' );
	await script( {
		match: { contains: question },
		reply: { content: hostile },
	} );
	const dialogs: string[] = [];
	page.on( 'dialog', async ( dialog ) => {
		dialogs.push( dialog.message() );
		await dialog.dismiss();
	} );

	const chat = await openChat( page );
	await typeQuestion( chat, question );
	await chat.getByLabel( 'Your question' ).press( 'Enter' );
	const reply = chat.locator( '.vvc-chat__message--assistant' ).last();
	await expect( reply ).toContainText( `Answer for ${ question }` );
	await expect( reply.getByText( 'safe link' ) ).toBeVisible();

	// Raw HTML is shown as text, never as elements.
	await expect( reply ).toContainText( '<img src=x onerror=' );
	await expect( reply.locator( 'img, script, svg, iframe' ) ).toHaveCount(
		0
	);
	const hrefs = await reply
		.locator( 'a' )
		.evaluateAll( ( links ) =>
			links.map( ( a ) => a.getAttribute( 'href' ) )
		);
	expect( hrefs.filter( ( href ) => href !== null ) ).toEqual( [
		'https://example.org/',
	] );
	const handlers = await reply.evaluate( ( root ) =>
		[ ...root.querySelectorAll( '*' ) ]
			.flatMap( ( el ) => [ ...el.attributes ].map( ( a ) => a.name ) )
			.filter( ( name ) => name.startsWith( 'on' ) )
	);
	expect( handlers ).toEqual( [] );

	// Clicking the neutralised link does nothing.
	const url = page.url();
	await reply.getByText( 'click me' ).click();
	await page.waitForTimeout( 300 );
	expect( page.url() ).toBe( url );
	expect(
		await page.evaluate(
			() => ( window as unknown as { vvcPwned?: number } ).vvcPwned
		)
	).toBeUndefined();
	expect( dialogs ).toEqual( [] );
} );

test( 'a photo can be removed; HEIC the browser cannot read and non-photos are refused', async ( {
	page,
} ) => {
	const chat = await openChat( page );
	const attach = chat.getByRole( 'button', { name: 'Attach a photo' } );
	// Straight into the file input: the button's file chooser is used in the tests around.
	const files = chat.locator( 'input[type="file"]' );
	// An iPhone HEIC header: neither Chromium nor Firefox decodes HEIC, so the visitor is told
	// what to do.
	const heicHeader = Buffer.alloc( 64 );
	heicHeader.writeUInt32BE( 24, 0 );
	heicHeader.write( 'ftypheic\0\0\0\0mif1heic', 4, 'latin1' );
	await files.setInputFiles( {
		name: 'IMG_0001.HEIC',
		mimeType: 'image/heic',
		buffer: heicHeader,
	} );
	await expect( chat.getByRole( 'alert' ) ).toHaveText(
		/cannot open HEIC photos/
	);

	await files.setInputFiles( {
		name: 'fake.png',
		mimeType: 'image/png',
		buffer: Buffer.from( '<?php echo "not an image"; ?>' ),
	} );
	await expect( chat.getByRole( 'alert' ) ).toHaveText( /not a photo/ );
	await expect(
		chat.getByRole( 'img', { name: 'Photo to send' } )
	).toHaveCount( 0 );

	await files.setInputFiles( cameraPhoto() );
	await expect(
		chat.getByRole( 'img', { name: 'Photo to send' } )
	).toBeVisible();
	await expect( chat.getByRole( 'alert' ) ).toHaveCount( 0 );
	await chat.getByRole( 'button', { name: 'Remove photo' } ).click();
	await expect(
		chat.getByRole( 'img', { name: 'Photo to send' } )
	).toHaveCount( 0 );
	await expect( attach ).toBeFocused();
} );

test( 'a whole conversation works from the keyboard alone', async ( {
	page,
} ) => {
	const first = marker( 'keys-1' );
	const second = marker( 'keys-2' );
	await page.goto( '/chat-demo/' );
	const chat = page.locator( '.wp-block-voice-vision-chat-chat' );
	const input = chat.getByLabel( 'Your question' );

	// Tab from the top of the page until the question box has focus.
	for (
		let i = 0;
		i < 40 &&
		! ( await input.evaluate(
			( el ) => el === el.ownerDocument.activeElement
		) );
		i++
	) {
		await page.keyboard.press( 'Tab' );
	}
	await expect( input ).toBeFocused();
	await expect( chat ).toHaveAttribute( 'data-vvc-state', 'live' );
	await expect( input ).toBeFocused();

	await page.keyboard.type( `${ first } line one` );
	await page.keyboard.press( 'Shift+Enter' );
	await page.keyboard.type( 'line two' );
	await expect( input ).toHaveValue( `${ first } line one\nline two` );
	await page.keyboard.press( 'Enter' );
	await expect(
		chat.locator( '.vvc-chat__message--assistant' ).last()
	).toContainText( `Simulated answer to: ${ first }` );
	await expect( input ).toBeFocused();

	await page.keyboard.type( second );
	await page.keyboard.press( 'Enter' );
	await expect(
		chat.locator( '.vvc-chat__message--assistant' ).last()
	).toContainText( second );
	const upstream = await simRequests( second );
	const messages = (
		upstream[ 0 ]?.body as { messages: Array< { role: string } > }
	 ).messages;
	expect(
		messages.map( ( m ) => m.role ),
		'the first exchange went along as history'
	).toEqual( [ 'system', 'user', 'assistant', 'user' ] );

	// Back to "New conversation" (before the log and the attach button), with a visible focus ring.
	const newConversation = chat.getByRole( 'button', {
		name: 'New conversation',
	} );
	for (
		let i = 0;
		i < 6 &&
		! ( await newConversation.evaluate(
			( el ) => el === el.ownerDocument.activeElement
		) );
		i++
	) {
		await page.keyboard.press( 'Shift+Tab' );
	}
	await expect( newConversation ).toBeFocused();
	const outline = await newConversation.evaluate(
		( el ) => getComputedStyle( el ).outlineStyle
	);
	expect( outline ).not.toBe( 'none' );
	await page.keyboard.press( 'Enter' );
	await expect( chat.locator( '.vvc-chat__message' ) ).toHaveCount( 1 );
	await expect( input ).toBeFocused();
} );

test( 'a broken answer is explained and can be tried again', async ( {
	page,
} ) => {
	const question = marker( 'retry' );
	await script(
		{
			match: { contains: question },
			fault: { type: 'cut_stream', after_chunks: 2 },
		},
		{
			match: { contains: question },
			reply: { content: `Second try for ${ question } worked.` },
		}
	);
	const chat = await openChat( page );
	await typeQuestion( chat, question );
	await chat.getByLabel( 'Your question' ).press( 'Enter' );

	const reply = chat.locator( '.vvc-chat__message--assistant' ).last();
	await expect( reply ).toContainText( 'could not answer just now' );
	await reply.getByRole( 'button', { name: 'Try again' } ).click();
	await expect(
		chat.locator( '.vvc-chat__message--assistant' ).last()
	).toContainText( `Second try for ${ question } worked.` );
	await expect(
		chat.getByRole( 'button', { name: 'Try again' } )
	).toHaveCount( 0 );
} );

test( 'Stop aborts the request and the visitor can go on', async ( {
	page,
} ) => {
	const slow = marker( 'stop' );
	await script( {
		match: { contains: slow },
		fault: { type: 'timeout', ms: 8000 },
	} );
	const chat = await openChat( page );
	const input = chat.getByLabel( 'Your question' );
	await typeQuestion( chat, slow );
	const aborted = page.waitForEvent( 'requestfailed', ( r ) =>
		r.url().includes( CHAT_ROUTE )
	);
	await input.press( 'Enter' );
	await expect( chat.locator( '.vvc-chat__typing' ) ).toBeVisible();
	await chat.getByRole( 'button', { name: 'Stop' } ).click();

	// Chromium's and Firefox's names for a request the page aborted.
	expect( ( await aborted ).failure()?.errorText ).toMatch(
		/^(net::ERR_ABORTED|NS_BINDING_ABORTED)$/
	);
	await expect(
		chat.locator( '.vvc-chat__message--assistant' ).last()
	).toContainText( '(Stopped)' );
	await expect( chat.getByRole( 'button', { name: 'Send' } ) ).toBeFocused();

	const next = marker( 'after-stop' );
	await typeQuestion( chat, next );
	await input.press( 'Enter' );
	await expect(
		chat.locator( '.vvc-chat__message--assistant' ).last()
	).toContainText( next );
} );

test( 'axe finds no serious or critical problem in the widget', async ( {
	page,
} ) => {
	const question = marker( 'axe' );
	await script( {
		match: { contains: question },
		reply: {
			content: `A list for ${ question }:\n\n- one\n- two\n\n\`\`\`\ncode\n\`\`\`\n\n[a link](https://example.org/)`,
		},
	} );
	const chat = await openChat( page );
	await typeQuestion( chat, question );
	await chat.getByLabel( 'Your question' ).press( 'Enter' );
	await expect(
		chat.locator( '.vvc-chat__message--assistant' ).last()
	).toContainText( 'A list for' );
	const [ chooser ] = await Promise.all( [
		page.waitForEvent( 'filechooser' ),
		chat.getByRole( 'button', { name: 'Attach a photo' } ).click(),
	] );
	await chooser.setFiles( cameraPhoto() );
	await expect(
		chat.getByRole( 'img', { name: 'Photo to send' } )
	).toBeVisible();

	const results = await new AxeBuilder( { page } )
		.include( '.wp-block-voice-vision-chat-chat' )
		.analyze();
	const serious = results.violations.filter(
		( v ) => v.impact === 'serious' || v.impact === 'critical'
	);
	expect(
		serious.map(
			( v ) =>
				`${ v.id }: ${ v.nodes.map( ( n ) => n.target.join( ' ' ) ).join( ', ' ) }`
		)
	).toEqual( [] );
} );
