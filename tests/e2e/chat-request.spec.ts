/**
 * What the chat widget sends, read from the browser's own requests: the streamed question's
 * multipart fields and headers, and the photo's bytes after the browser scaled it. Chromium
 * only: Playwright over Firefox's WebDriver BiDi shows no multipart bodies (Firefox's photo
 * upload is checked in firefox-visitor.spec.ts from a copy made in the page).
 */
import { readFileSync } from 'node:fs';

import { expect, test } from '@playwright/test';

import {
	cameraPhoto,
	CHAT_ROUTE,
	jpegFacts,
	marker,
	multipartParts,
	openChat,
	script,
	SESSION_ROUTE,
	sha256,
	simRequests,
} from './chat-support';
import { watchPageHealth } from './support/page-health';
import { readStackEnv } from './support/stack-env';

const stack = readStackEnv();

test.use( { storageState: { cookies: [], origins: [] } } );

test( 'a typed question gets a streamed, formatted answer', async ( {
	page,
} ) => {
	const problems = watchPageHealth( page, stack.VVC_SITE_URL );
	const question = marker( 'stream' );
	const answer = `**Opening hours** for ${ question }: we open at nine and close at six, Monday to Saturday. See [our page](https://example.org/hours).`;
	await script( {
		match: { contains: question },
		reply: { content: answer },
	} );

	const sessions: string[] = [];
	page.on( 'request', ( request ) => {
		if ( request.url().includes( SESSION_ROUTE ) ) {
			sessions.push( request.method() );
		}
	} );
	const chat = await openChat( page );
	expect( sessions, 'no session before the visitor writes' ).toEqual( [] );

	const input = chat.getByLabel( 'Your question' );
	await input.fill( question );
	await expect.poll( () => sessions ).toEqual( [ 'POST' ] );

	// Record every text the answer shows while it streams.
	await page.evaluate( () => {
		const log = document.querySelector( '.vvc-chat__log' )!;
		const seen: string[] = [];
		( window as unknown as { vvcSeen: string[] } ).vvcSeen = seen;
		new MutationObserver( () => {
			const text =
				log.querySelector( '.vvc-chat__message--streaming' )
					?.textContent ?? '';
			if ( text && seen[ seen.length - 1 ] !== text ) {
				seen.push( text );
			}
		} ).observe( log, {
			subtree: true,
			childList: true,
			characterData: true,
		} );
	} );

	const [ request ] = await Promise.all( [
		page.waitForRequest( ( r ) => r.url().includes( CHAT_ROUTE ) ),
		input.press( 'Enter' ),
	] );
	const response = await request.response();
	const parts = multipartParts( request );
	expect( parts.find( ( p ) => p.name === 'stream' )?.data.toString() ).toBe(
		'1'
	);
	expect( parts.find( ( p ) => p.name === 'message' )?.data.toString() ).toBe(
		question
	);
	expect( request.headers()[ 'x-vvc-token' ] ).toBeTruthy();
	expect( request.headers()[ 'x-wp-nonce' ] ).toBeUndefined();
	expect( response?.headers()[ 'content-type' ] ).toContain(
		'text/event-stream'
	);

	const reply = chat.locator( '.vvc-chat__message--assistant' ).last();
	await expect( reply ).toContainText( `Opening hours for ${ question }` );
	await expect( reply.locator( 'strong' ) ).toHaveText( 'Opening hours' );
	await expect(
		reply.getByRole( 'link', { name: 'our page' } )
	).toHaveAttribute( 'rel', 'noopener nofollow ugc' );
	await expect( reply ).not.toHaveAttribute( 'aria-hidden', /.*/ );
	await expect( chat.getByRole( 'button', { name: 'Send' } ) ).toBeVisible();

	const upstream = await simRequests( question );
	expect( upstream ).toHaveLength( 1 );
	expect( upstream[ 0 ]?.stream ).toBe( true );
	expect(
		upstream[ 0 ]?.chunks_sent,
		'the answer was produced in pieces'
	).toBeGreaterThan( 3 );

	const seen = await page.evaluate(
		() => ( window as unknown as { vvcSeen: string[] } ).vvcSeen
	);
	test.info().annotations.push( {
		type: 'streamed states rendered',
		description: String( seen.length ),
	} );
	expect( problems.list ).toEqual( [] );
} );

test( 'a 4000x3000 photo with GPS is sent scaled to 1024 px, without EXIF', async ( {
	page,
} ) => {
	const photo = cameraPhoto();
	const source = jpegFacts( readFileSync( photo ) );
	expect( source ).toMatchObject( { width: 4000, height: 3000 } );
	expect( source.markers, 'the test photo carries EXIF' ).toContain( 0xffe1 );
	expect(
		readFileSync( photo ).includes( Buffer.from( 'Exif\0\0', 'latin1' ) )
	).toBe( true );

	const question = marker( 'photo' );
	// Passed through untouched: routing only makes Chromium hand the test the request body.
	await page.route( `**${ CHAT_ROUTE }**`, ( route ) => route.continue() );
	const chat = await openChat( page );
	const [ chooser ] = await Promise.all( [
		page.waitForEvent( 'filechooser' ),
		chat.getByRole( 'button', { name: 'Attach a photo' } ).click(),
	] );
	await chooser.setFiles( photo );
	const preview = chat.getByRole( 'img', { name: 'Photo to send' } );
	await expect( preview ).toBeVisible();

	await chat
		.getByLabel( 'Your question' )
		.fill( `${ question } what is this?` );
	const [ request ] = await Promise.all( [
		page.waitForRequest( ( r ) => r.url().includes( CHAT_ROUTE ) ),
		chat.getByRole( 'button', { name: 'Send' } ).click(),
	] );
	await expect( preview ).toHaveCount( 0 );
	await expect(
		chat.getByRole( 'img', { name: 'Your photo' } )
	).toBeVisible();

	const image = multipartParts( request ).find(
		( part ) => part.name === 'image'
	);
	expect( image?.type ).toBe( 'image/jpeg' );
	const sent = jpegFacts( image!.data );
	expect( { width: sent.width, height: sent.height } ).toEqual( {
		width: 1024,
		height: 768,
	} );
	expect( sent.markers, 'no APP1 (EXIF/XMP) segment' ).not.toContain(
		0xffe1
	);
	expect( image!.data.includes( Buffer.from( 'Exif', 'latin1' ) ) ).toBe(
		false
	);
	expect( image!.data.includes( Buffer.from( 'VVCTest', 'latin1' ) ) ).toBe(
		false
	);

	// The simulator's answer names the size it decoded; its log has the bytes' hash.
	const reply = chat.locator( '.vvc-chat__message--assistant' ).last();
	await expect( reply ).toContainText( '[image 1024x768]' );
	const upstream = await simRequests( question );
	expect( upstream ).toHaveLength( 1 );
	const media = upstream[ 0 ]?.media?.[ 0 ];
	expect( media ).toMatchObject( {
		kind: 'image',
		type: 'jpeg',
		width: 1024,
		height: 768,
	} );
	expect( Math.max( media!.width, media!.height ) ).toBeLessThanOrEqual(
		1024
	);
	expect(
		media!.sha256,
		'the simulator received exactly the EXIF-free bytes'
	).toBe( sha256( image!.data ) );
} );
