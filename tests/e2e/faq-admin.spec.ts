/**
 * Settings > Chat FAQ in a real browser against the running stack: a visitor's question is
 * counted, the admin answers it with one click, the next visitor gets that answer without a
 * model call (the simulator's log proves it), the entry is edited, exported, deleted and
 * imported back; the cache is purged; and the screen passes axe.
 *
 * Visitors are plain HTTP clients without cookies (POST /session, then POST /chat). Every
 * question carries a marker no other test uses, so the simulator's shared log is read only
 * for this test's requests, and every entry this file creates is deleted at the end.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect, test, type Page } from '@playwright/test';

import { simRequests } from './chat-support';
import { rest, seriousViolations, stubGravatar } from './support/admin-stack';
import { watchPageHealth } from './support/page-health';
import { readStackEnv } from './support/stack-env';

const stack = readStackEnv();
const API = `${ stack.VVC_SITE_URL }/wp-json/voice-vision-chat/v1`;
const SCREEN = '/wp-admin/options-general.php?page=vvc-faq';
const FAQ_ROUTE = '/voice-vision-chat/v1/admin/faq';

interface Overview {
	settings: { enabled: boolean; min_asks: number };
	cache: { version: number };
	entries: Array< { id: string; questions: string[]; answer: string } >;
}

interface ChatAnswer {
	status: number;
	reply: string;
	source: string;
	code: string;
}

/**
 * A marker unique to one run that survives normalization and is not mistaken for personal
 * data: lower-case letters only (digits could read as an order number, and questions with
 * personal data are neither counted nor cached while transcript logging is off).
 *
 * @param name What the test is about.
 */
function faqMarker( name: string ): string {
	const letters = [ ...randomBytes( 10 ) ]
		.map( ( byte ) => String.fromCharCode( 97 + ( byte % 26 ) ) )
		.join( '' );
	return `zq${ name }${ letters }`;
}

/**
 * One visitor's question: a new session (so a new conversation), then POST /chat.
 *
 * @param message The question.
 */
async function ask( message: string ): Promise< ChatAnswer > {
	const session = await fetch( `${ API }/session`, { method: 'POST' } );
	const { token } = ( await session.json() ) as { token?: string };
	expect( session.status, 'POST /session' ).toBe( 200 );
	const response = await fetch( `${ API }/chat`, {
		method: 'POST',
		headers: {
			'Content-Type': 'application/json',
			'X-VVC-Token': token ?? '',
		},
		body: JSON.stringify( { message } ),
	} );
	const body = ( await response.json() ) as Partial< ChatAnswer >;
	return {
		status: response.status,
		reply: body.reply ?? '',
		source: body.source ?? '',
		code: body.code ?? '',
	};
}

/**
 * Chat requests the simulator received for a marker.
 *
 * @param marker The test's marker.
 */
async function upstreamCalls( marker: string ): Promise< number > {
	return ( await simRequests( marker ) ).filter(
		( entry ) => entry.path === '/v1/chat/completions'
	).length;
}

async function openFaq( page: Page ) {
	await page.goto( SCREEN );
	await expect(
		page.getByRole( 'heading', { name: 'Most asked questions' } )
	).toBeVisible();
}

/**
 * Deletes every curated entry whose questions or answer contain the marker.
 *
 * @param page   An admin screen (for the REST nonce).
 * @param marker The test's marker.
 */
async function removeEntries( page: Page, marker: string ) {
	const overview = await rest< Overview >( page, FAQ_ROUTE );
	for ( const entry of overview.entries ) {
		if ( JSON.stringify( entry ).includes( marker ) ) {
			await page.evaluate( async ( id ) => {
				const { apiFetch } = (
					window as unknown as {
						wp: {
							apiFetch: ( options: {
								path: string;
								method: string;
							} ) => Promise< unknown >;
						};
					}
				 ).wp;
				await apiFetch( {
					path: `/voice-vision-chat/v1/admin/faq/entries/${ id }`,
					method: 'DELETE',
				} );
			}, entry.id );
		}
	}
}

/**
 * The header and the records of a CSV export that contain the marker (quoted cells may
 * hold line breaks, so records are split outside quotes only).
 *
 * @param csv    The exported text.
 * @param marker The test's marker.
 */
function onlyMarked( csv: string, marker: string ): string {
	const records: string[] = [];
	let current = '';
	let quoted = false;
	for ( const char of csv ) {
		if ( char === '"' ) {
			quoted = ! quoted;
		}
		if ( char === '\n' && ! quoted ) {
			records.push( current );
			current = '';
		} else {
			current += char;
		}
	}
	const [ header = '', ...rows ] = records;
	return (
		[ header, ...rows.filter( ( row ) => row.includes( marker ) ) ].join(
			'\n'
		) + '\n'
	);
}

test.beforeEach( async ( { page } ) => {
	await stubGravatar( page );
} );

test( 'an asked question becomes a curated answer that visitors get without a model call; edit, export, delete, import', async ( {
	page,
} ) => {
	test.setTimeout( 120_000 );
	const marker = faqMarker( 'promote' );
	const question = `Do you gift wrap ${ marker } parcels?`;
	const problems = watchPageHealth( page, stack.VVC_SITE_URL );
	await openFaq( page );
	try {
		const before = await rest< Overview >( page, FAQ_ROUTE );
		expect( before.settings.enabled, 'the FAQ is on' ).toBe( true );

		// A visitor asks; the model (the simulator) answers, and the question is counted.
		const first = await ask( question );
		expect( first.status, first.code ).toBe( 200 );
		expect( first.source ).not.toBe( 'faq' );
		expect( await upstreamCalls( marker ) ).toBe( 1 );

		// The admin finds it and answers it with one click.
		await page.reload();
		await page.getByLabel( 'Filter questions' ).fill( marker );
		const row = page
			.locator( '.vvc-faq__table tbody tr' )
			.filter( { hasText: marker } );
		await expect( row ).toHaveCount( 1 );
		await expect( row ).toContainText( /gift wrap .*parcels/ );
		await row.getByRole( 'button', { name: /^Write answer to/ } ).click();
		const editor = page.getByRole( 'dialog', {
			name: 'Answer an asked question',
		} );
		await expect( editor ).toBeVisible();
		await expect( editor.locator( '.vvc-faq__asked-text' ) ).toContainText(
			marker
		);
		const answer = `Curated ${ marker }: we gift wrap every parcel for free.`;
		await editor.getByLabel( 'Answer', { exact: true } ).fill( answer );
		await editor
			.getByLabel( 'Other ways to ask it (one per line, optional)' )
			.fill( `Can you wrap ${ marker } presents?` );
		await editor.getByRole( 'button', { name: 'Save entry' } ).click();
		await expect( editor ).toBeHidden();
		await expect(
			page.getByRole( 'status' ).filter( { hasText: 'Entry added.' } )
		).toBeVisible();
		await expect(
			page.getByRole( 'heading', { name: 'Curated answers' } )
		).toBeFocused();
		const entry = page
			.locator( '.vvc-faq__entry' )
			.filter( { hasText: answer } );
		await expect( entry ).toHaveCount( 1 );
		await expect(
			row.getByRole( 'button', { name: /^Edit answer to/ } )
		).toBeVisible();

		// The next visitors get the curated answer, in both wordings, with no model call.
		for ( const wording of [
			question,
			`can you WRAP ${ marker } presents`,
		] ) {
			const got = await ask( wording );
			expect( got.status, got.code ).toBe( 200 );
			expect( got.reply ).toBe( answer );
			expect( got.source ).toBe( 'faq' );
		}
		expect( await upstreamCalls( marker ) ).toBe( 1 );

		// Edit the answer.
		await entry.getByRole( 'button', { name: /^Edit “/ } ).click();
		const edit = page.getByRole( 'dialog', { name: 'Edit FAQ entry' } );
		const edited = `Edited ${ marker }: gift wrap is free, ribbons cost extra.`;
		await edit.getByLabel( 'Answer', { exact: true } ).fill( edited );
		await edit.getByRole( 'button', { name: 'Save entry' } ).click();
		await expect(
			page.getByRole( 'status' ).filter( { hasText: 'Entry saved.' } )
		).toBeVisible();
		expect( ( await ask( question ) ).reply ).toBe( edited );
		expect( await upstreamCalls( marker ) ).toBe( 1 );

		// Export: the download holds the entry.
		const [ download ] = await Promise.all( [
			page.waitForEvent( 'download' ),
			page.getByRole( 'link', { name: 'Download CSV' } ).click(),
		] );
		expect( download.suggestedFilename() ).toMatch(
			/^chat-faq-\d{4}-\d{2}-\d{2}\.csv$/
		);
		const exported = readFileSync(
			( await download.path() ) ?? '',
			'utf8'
		);
		expect( exported.startsWith( '\uFEFFid,questions,answer' ) ).toBe(
			true
		);
		expect( exported ).toContain( edited );
		const ids = ( await rest< Overview >( page, FAQ_ROUTE ) ).entries
			.filter( ( item ) => item.answer === edited )
			.map( ( item ) => item.id );
		expect( ids ).toHaveLength( 1 );

		// Delete, after confirming.
		await page
			.locator( '.vvc-faq__entry' )
			.filter( { hasText: edited } )
			.getByRole( 'button', { name: /^Delete “/ } )
			.click();
		const confirm = page.getByRole( 'dialog', {
			name: 'Delete this entry?',
		} );
		await confirm.getByRole( 'button', { name: 'Delete entry' } ).click();
		await expect(
			page.getByRole( 'status' ).filter( { hasText: 'Entry deleted.' } )
		).toBeVisible();
		await expect(
			page.locator( '.vvc-faq__entry' ).filter( { hasText: marker } )
		).toHaveCount( 0 );

		// Import this entry's row back: the same id, the same answer, served again.
		const file = join( tmpdir(), `${ marker }.csv` );
		writeFileSync( file, onlyMarked( exported, marker ) );
		await page.getByLabel( 'CSV file to import' ).setInputFiles( file );
		await page
			.getByRole( 'button', { name: 'Import', exact: true } )
			.click();
		await expect(
			page
				.getByRole( 'status' )
				.filter( { hasText: 'Imported: 1 new, 0 updated.' } )
		).toBeVisible();
		await expect(
			page.locator( '.vvc-faq__entry' ).filter( { hasText: edited } )
		).toHaveCount( 1 );
		const after = await rest< Overview >( page, FAQ_ROUTE );
		expect(
			after.entries.filter( ( item ) => item.answer === edited )
		).toEqual( [ expect.objectContaining( { id: ids[ 0 ] } ) ] );
		const again = await ask( `Can you wrap ${ marker } presents?` );
		expect( again.reply ).toBe( edited );
		expect( await upstreamCalls( marker ) ).toBe( 1 );
		expect( problems.list ).toEqual( [] );
	} finally {
		await removeEntries( page, marker );
	}
} );

test( 'Purge cache forgets cached model answers after a confirmation', async ( {
	page,
} ) => {
	test.setTimeout( 120_000 );
	const marker = faqMarker( 'purge' );
	const question = `How deep is the ${ marker } pond?`;
	await openFaq( page );
	const overview = await rest< Overview >( page, FAQ_ROUTE );
	expect( overview.settings.enabled, 'the FAQ is on' ).toBe( true );
	const asks = overview.settings.min_asks;

	// Asked as often as the site's setting wants, the model's answer is stored...
	for ( let i = 0; i < asks; i++ ) {
		const got = await ask( question );
		expect( got.status, got.code ).toBe( 200 );
		expect( got.source ).not.toBe( 'faq' );
	}
	expect( await upstreamCalls( marker ) ).toBe( asks );
	// ...and the next visitor gets it from the cache.
	const cached = await ask( question );
	expect( cached.source ).toBe( 'faq' );
	expect( await upstreamCalls( marker ) ).toBe( asks );

	await page.getByRole( 'button', { name: 'Purge cache' } ).click();
	const confirm = page.getByRole( 'dialog', {
		name: 'Purge the FAQ cache?',
	} );
	await expect(
		confirm.getByLabel( 'Also reset the question statistics' )
	).not.toBeChecked();
	await confirm.getByRole( 'button', { name: 'Purge cache' } ).click();
	await expect( confirm ).toBeHidden();
	await expect(
		page.getByRole( 'status' ).filter( {
			hasText: 'The cache was emptied. Curated answers are kept.',
		} )
	).toBeVisible();
	await expect(
		page.getByRole( 'button', { name: 'Purge cache' } )
	).toBeFocused();
	expect(
		( await rest< Overview >( page, FAQ_ROUTE ) ).cache.version
	).toBeGreaterThan( overview.cache.version );

	// The stored answer is gone: the model is asked again.
	const fresh = await ask( question );
	expect( fresh.status, fresh.code ).toBe( 200 );
	expect( fresh.source ).not.toBe( 'faq' );
	expect( await upstreamCalls( marker ) ).toBe( asks + 1 );
} );

test( 'axe finds no serious or critical accessibility problems, with and without the editor', async ( {
	page,
} ) => {
	await openFaq( page );
	expect( await seriousViolations( page ) ).toEqual( [] );
	await page.evaluate( () => window.scrollTo( 0, 0 ) );
	await page.screenshot( {
		path: 'test-results/faq-admin.png',
		fullPage: true,
	} );

	await page.getByRole( 'button', { name: 'Add entry' } ).click();
	const editor = page.getByRole( 'dialog', { name: 'New FAQ entry' } );
	await expect( editor ).toBeVisible();
	await editor.getByRole( 'button', { name: 'Save entry' } ).click();
	await expect(
		editor.getByLabel( 'Answer', { exact: true } )
	).toHaveAttribute( 'aria-invalid', 'true' );
	expect( await seriousViolations( page ) ).toEqual( [] );
	await page.screenshot( { path: 'test-results/faq-admin-editor.png' } );
	await page.keyboard.press( 'Escape' );
	await expect( editor ).toBeHidden();
	await expect(
		page.getByRole( 'button', { name: 'Add entry' } )
	).toBeFocused();
} );
