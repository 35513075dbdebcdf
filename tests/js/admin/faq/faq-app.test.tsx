// @vitest-environment jsdom
/**
 * The FAQ screen in a DOM with a fake REST API: what the admin sees, what is sent, where
 * focus goes.
 */
import { afterEach, describe, expect, it } from 'vitest';

import {
	parseEntry,
	parseOverview,
	type FaqApi,
} from '../../../../src/admin/faq/api';
import { FaqApp } from '../../../../src/admin/faq/faq-app';
import type { FaqSettingsUpdate } from '../../../../src/admin/faq/types';
import {
	click,
	control,
	dialog,
	focused,
	mount,
	region,
	submit,
	type,
	type Mounted,
} from '../shared/dom';
import { ENTRY_ID, RETURN_HASH, entryBody, overviewBody } from './fixtures';

interface Calls {
	loads: number;
	promotes: unknown[][];
	updates: unknown[][];
	deletes: string[];
	purges: boolean[];
	settings: FaqSettingsUpdate[];
}

function fakeApi( overrides: Partial< FaqApi > = {}, body = overviewBody() ) {
	const calls: Calls = {
		loads: 0,
		promotes: [],
		updates: [],
		deletes: [],
		purges: [],
		settings: [],
	};
	const api: FaqApi = {
		load: async () => {
			calls.loads++;
			return parseOverview( body );
		},
		saveSettings: async ( update ) => {
			calls.settings.push( update );
			const settings = body.settings as Record< string, unknown >;
			return parseOverview( {
				...body,
				settings: {
					...settings,
					...( update.ttl ? { ttl: update.ttl } : {} ),
				},
			} );
		},
		createEntry: async ( questions, answer ) =>
			parseEntry( entryBody( { questions, answer } ) ),
		updateEntry: async ( id, questions, answer ) => {
			calls.updates.push( [ id, questions, answer ] );
			return parseEntry( entryBody( { questions, answer } ) );
		},
		deleteEntry: async ( id ) => {
			calls.deletes.push( id );
			return parseEntry( entryBody() );
		},
		promote: async ( hash, answer, questions ) => {
			calls.promotes.push( [ hash, answer, questions ] );
			return parseEntry( entryBody( { answer } ) );
		},
		importCsv: async () => ( { created: 0, updated: 0, errors: [] } ),
		purge: async ( resetStats ) => {
			calls.purges.push( resetStats );
			return { version: 8, rowsDeleted: 3 };
		},
		...overrides,
	};
	return { api, calls };
}

let screen: Mounted | null = null;

afterEach( () => {
	screen?.unmount();
	screen = null;
} );

async function render( api: FaqApi ) {
	screen = await mount(
		<FaqApp
			api={ api }
			exportUrl="/wp-json/voice-vision-chat/v1/admin/faq/export?_wpnonce=abc"
			settingsUrl="/wp-admin/options-general.php?page=voice-vision-chat"
			locale="en-US"
		/>
	);
	return screen.container;
}

function inDialog(): HTMLElement {
	const open = dialog();
	if ( ! open ) {
		throw new Error( 'No dialog is open' );
	}
	return open;
}

describe( 'FaqApp', () => {
	it( 'shows the counts, hit rates, curated entries and what is stored', async () => {
		const container = await render( fakeApi().api );
		const text = container.textContent ?? '';

		expect( text ).toContain(
			'Questions are stored only as normalized text (no capitals, punctuation or greetings) and counts.'
		);
		expect( text ).toContain( 'Hit rate25%' );
		const rows = [
			...container.querySelectorAll( '.vvc-faq__table tbody tr' ),
		];
		expect( rows.map( ( row ) => row.textContent ) ).toEqual( [
			expect.stringMatching( /^what return policy120%.*Write answer$/ ),
			expect.stringMatching( /^opening hours989%.*Edit answer$/ ),
		] );
		expect(
			container.querySelector( '.vvc-faq__entries' )?.textContent
		).toContain( 'Nine to five, **Monday to Friday**.' );
		expect(
			container.querySelector( 'a[href$="_wpnonce=abc"]' )?.textContent
		).toBe( 'Download CSV' );
		expect( control( 'Keep answers for' ).value ).toBe( '1' );
		expect( control( 'Unit' ).value ).toBe( 'days' );
	} );

	it( 'turns an asked question into an entry with the admin’s answer', async () => {
		const { api, calls } = fakeApi();
		await render( api );

		await click( 'Write answer to “what return policy”' );
		const editor = inDialog();
		expect( editor.textContent ).toContain( 'Answer an asked question' );
		expect(
			editor.querySelector( '.vvc-faq__asked-text' )?.textContent
		).toBe( 'what return policy' );

		await submit( 'Save entry' );
		await new Promise( ( resolve ) => setTimeout( resolve, 5 ) );
		expect( calls.promotes ).toEqual( [] );
		expect( control( 'Answer' ).getAttribute( 'aria-invalid' ) ).toBe(
			'true'
		);
		expect( focused() ).toBe( control( 'Answer' ) );
		expect( inDialog().textContent ).toContain( 'Write the answer.' );

		await type( 'Answer', 'Thirty days, unopened.' );
		await type(
			'Other ways to ask it (one per line, optional)',
			'Can I return something?'
		);
		await submit( 'Save entry' );

		expect( calls.promotes ).toEqual( [
			[
				RETURN_HASH,
				'Thirty days, unopened.',
				[ 'Can I return something?' ],
			],
		] );
		expect( dialog() ).toBeNull();
		expect( region( 'status' ) ).toContain(
			'Entry added. Visitors asking one of its questions now get this answer.'
		);
		expect( calls.loads ).toBe( 2 );
		expect( focused()?.id ).toBe( 'vvc-faq-entries' );
	} );

	it( 'keeps the dialog and what was typed when the server refuses, with its reason', async () => {
		const { api } = fakeApi( {
			updateEntry: () =>
				Promise.reject( {
					code: 'vvc_faq_duplicate',
					message:
						'The question "Parking?" already belongs to another entry.',
					data: { status: 409 },
				} ),
		} );
		await render( api );

		await click( 'Edit answer to “opening hours”' );
		expect( control( 'Questions (one per line)' ).value ).toBe(
			'When are you open?\nopening hours'
		);
		await type( 'Questions (one per line)', 'Parking?' );
		await submit( 'Save entry' );

		expect( dialog() ).not.toBeNull();
		expect( region( 'alert' ) ).toContain(
			'The entry was not saved: The question "Parking?" already belongs to another entry.'
		);
		expect( region( 'alert' ) ).toContain(
			'Error code: vvc_faq_duplicate'
		);
		expect( control( 'Questions (one per line)' ).value ).toBe(
			'Parking?'
		);
	} );

	it( 'deletes an entry only after confirmation', async () => {
		const { api, calls } = fakeApi();
		await render( api );

		await click( 'Delete “When are you open?”' );
		expect( inDialog().textContent ).toContain( 'Delete this entry?' );
		await click( 'Cancel', inDialog() );
		expect( calls.deletes ).toEqual( [] );

		await click( 'Delete “When are you open?”' );
		await click( 'Delete entry', inDialog() );
		expect( calls.deletes ).toEqual( [ ENTRY_ID ] );
		expect( region( 'status' ) ).toContain( 'Entry deleted.' );
		expect( focused()?.id ).toBe( 'vvc-faq-entries' );
	} );

	it( 'purges after confirmation, resetting the statistics when asked', async () => {
		const { api, calls } = fakeApi();
		await render( api );

		await click( 'Purge cache' );
		const confirm = inDialog();
		expect( confirm.textContent ).toContain( 'Purge the FAQ cache?' );
		const reset = control( 'Also reset the question statistics' );
		await click( 'Purge cache', confirm );
		expect( calls.purges ).toEqual( [ false ] );
		expect( region( 'status' ) ).toContain(
			'The cache was emptied. Curated answers are kept.'
		);
		expect( reset.isConnected ).toBe( false );

		await click( 'Purge cache' );
		(
			control( 'Also reset the question statistics' ) as HTMLInputElement
		 ).click();
		await click( 'Purge cache', inDialog() );
		expect( calls.purges ).toEqual( [ false, true ] );
		expect( region( 'status' ) ).toContain( 'Cache generation 8.' );
	} );

	it( 'saves only the changed settings, and refuses out-of-range values first', async () => {
		const { api, calls } = fakeApi();
		await render( api );

		await type( 'Cache an answer after this many asks', '25' );
		await submit( 'Save FAQ settings' );
		await new Promise( ( resolve ) => setTimeout( resolve, 5 ) );
		expect( calls.settings ).toEqual( [] );
		expect( region( 'alert' ) ).toContain( 'Some values need attention.' );
		expect( focused() ).toBe(
			control( 'Cache an answer after this many asks' )
		);

		await type( 'Cache an answer after this many asks', '2' );
		await type( 'Keep answers for', '6' );
		await type( 'Unit', 'hours' );
		await submit( 'Save FAQ settings' );
		expect( calls.settings ).toEqual( [ { ttl: 21600 } ] );
		expect( region( 'status' ) ).toContain( 'FAQ settings saved.' );
		expect( control( 'Keep answers for' ).value ).toBe( '6' );
		expect( control( 'Unit' ).value ).toBe( 'hours' );
	} );

	it( 'says what is empty, and that the FAQ is off', async () => {
		const body = overviewBody( {
			stats: { asks: 0, hits: 0, hit_rate: 0, since: 0, questions: [] },
			entries: [],
		} );
		( body.settings as Record< string, unknown > ).enabled = false;
		( body.settings as Record< string, unknown > ).log_transcripts = true;
		const container = await render( fakeApi( {}, body ).api );
		const text = container.textContent ?? '';

		expect( text ).toContain( 'No questions counted yet.' );
		expect( text ).toContain( 'No curated answers yet.' );
		expect( text ).toContain( 'The FAQ is off' );
		expect( text ).toContain( 'Transcript logging is on' );
	} );

	it( 'explains a failed load and tries again', async () => {
		let fail = true;
		const { api, calls } = fakeApi();
		const load = api.load;
		api.load = () =>
			fail
				? Promise.reject( {
						code: 'rest_forbidden',
						message: 'Sorry, you are not allowed to do that.',
						data: { status: 403 },
					} )
				: load();
		await render( api );

		expect( region( 'alert' ) ).toContain(
			'The FAQ could not be loaded: Sorry, you are not allowed to do that.'
		);
		fail = false;
		await click( 'Try again' );
		expect( calls.loads ).toBe( 1 );
		expect( screen?.container.textContent ).toContain(
			'Most asked questions'
		);
	} );
} );
