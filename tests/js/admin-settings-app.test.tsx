// @vitest-environment jsdom
/**
 * The settings screen rendered in a DOM with a fake REST API: what the admin sees and what
 * the screen sends.
 */
import { createRoot } from '@wordpress/element';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
	createSettingsApi,
	SETTINGS_PATH,
	TEST_CONNECTION_PATH,
	type Fetcher,
} from '../../src/admin/settings/api';
import { SettingsApp } from '../../src/admin/settings/settings-app';
import { settingsBody } from './admin-fixtures';

declare global {
	var IS_REACT_ACT_ENVIRONMENT: boolean;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

type Call = Parameters< Fetcher >[ 0 ];
type Handler = ( call: Call ) => unknown;

/**
 * A fake api-fetch: records calls, answers from handlers, rejects like api-fetch does.
 * @param handlers
 */
function fakeServer( handlers: Partial< Record< string, Handler > > = {} ) {
	const calls: Call[] = [];
	const fetcher: Fetcher = async ( call ) => {
		calls.push( call );
		const handler = handlers[ `${ call.method ?? 'GET' } ${ call.path }` ];
		if ( ! handler ) {
			return settingsBody();
		}
		return handler( call );
	};
	return { calls, api: createSettingsApi( fetcher ) };
}

let container: HTMLDivElement;
let root: ReturnType< typeof createRoot >;

beforeEach( () => {
	container = document.createElement( 'div' );
	document.body.appendChild( container );
	root = createRoot( container );
} );

afterEach( () => {
	act( () => root.unmount() );
	container.remove();
} );

async function render( server: ReturnType< typeof fakeServer > ) {
	await act( async () => {
		root.render( <SettingsApp api={ server.api } /> );
	} );
}

/** Lets pending promises (fake requests) settle and React re-render. */
async function settle() {
	await act( async () => {
		await new Promise( ( resolve ) => setTimeout( resolve, 0 ) );
	} );
}

function control( label: string ): HTMLInputElement {
	const labelElement = [ ...container.querySelectorAll( 'label' ) ].find(
		( element ) => element.textContent === label
	);
	if ( ! labelElement ) {
		throw new Error( `No control labelled ${ label }` );
	}
	const element = document.getElementById( labelElement.htmlFor );
	if ( ! element ) {
		throw new Error( `Label ${ label } points nowhere` );
	}
	return element as HTMLInputElement;
}

async function type( label: string, value: string ) {
	const element = control( label );
	const prototype = Object.getPrototypeOf( element ) as object;
	const setter = Object.getOwnPropertyDescriptor( prototype, 'value' )?.set;
	await act( async () => {
		setter?.call( element, value );
		element.dispatchEvent( new Event( 'input', { bubbles: true } ) );
		element.dispatchEvent( new Event( 'change', { bubbles: true } ) );
	} );
}

function button( name: string ): HTMLButtonElement {
	const found = [ ...container.querySelectorAll( 'button' ) ].find(
		( element ) => element.textContent === name
	);
	if ( ! found ) {
		throw new Error( `No button ${ name }` );
	}
	return found;
}

async function click( name: string ) {
	await act( async () => {
		button( name ).click();
	} );
	await settle();
}

function region( role: 'alert' | 'status' ): string {
	return [ ...container.querySelectorAll( `[role="${ role }"]` ) ]
		.map( ( element ) => element.textContent ?? '' )
		.join( ' ' );
}

describe( 'SettingsApp', () => {
	it( 'shows the saved settings, the key’s last four characters and where it comes from', async () => {
		const server = fakeServer();
		await render( server );
		await settle();

		expect( container.textContent ).toContain(
			'Key saved, ending in ••••a1b2 (source: constant).'
		);
		expect( container.textContent ).toContain(
			'set on the server (OPENAI_API_KEY) and cannot be changed here'
		);
		expect( container.textContent ).toContain(
			'This site is connected to the local OpenAI simulator, not OpenAI.'
		);
		expect( control( 'API key' ).type ).toBe( 'password' );
		expect( control( 'API key' ).value ).toBe( '' );
		expect( control( 'System prompt' ).value ).toBe( 'Be brief.' );
		expect( control( 'Largest photo upload (MB)' ).value ).toBe( '5' );
		expect( control( 'API base URL' ).readOnly ).toBe( true );
		expect( server.calls ).toEqual( [ { path: SETTINGS_PATH } ] );
	} );

	it( 'gives every input, textarea and select a label', async () => {
		await render( fakeServer() );
		await settle();

		const fields = container.querySelectorAll( 'input, textarea, select' );
		expect( fields.length ).toBeGreaterThanOrEqual( 14 );
		for ( const field of fields ) {
			expect(
				container.querySelector( `label[for="${ field.id }"]` ),
				field.outerHTML
			).not.toBeNull();
		}
	} );

	it( 'saves only what changed and shows that it worked', async () => {
		const server = fakeServer( {
			[ `POST ${ SETTINGS_PATH }` ]: () =>
				settingsBody( {
					settings: {
						...( settingsBody().settings as object ),
						system_prompt: 'Answer in French.',
						history_turns: 4,
					},
				} ),
		} );
		await render( server );
		await settle();

		await type( 'System prompt', 'Answer in French.' );
		await type( 'Earlier messages sent with each question', '4' );
		expect( container.textContent ).toContain( 'Unsaved changes' );
		await click( 'Save settings' );

		expect( server.calls[ 1 ] ).toEqual( {
			path: SETTINGS_PATH,
			method: 'POST',
			data: { system_prompt: 'Answer in French.', history_turns: 4 },
		} );
		expect( region( 'status' ) ).toContain( 'Settings saved.' );
		expect( container.textContent ).not.toContain( 'Unsaved changes' );
		expect( control( 'System prompt' ).value ).toBe( 'Answer in French.' );
	} );

	it( 'edits the voice settings and saves them in the server’s types', async () => {
		const server = fakeServer( {
			[ `POST ${ SETTINGS_PATH }` ]: ( call ) =>
				settingsBody( {
					settings: {
						...( settingsBody().settings as object ),
						...call.data,
					},
				} ),
		} );
		await render( server );
		await settle();

		expect( control( 'How voice questions are answered' ).value ).toBe(
			'auto'
		);
		expect( control( 'Voice' ).value ).toBe( 'marin' );
		expect( control( 'Audio model (native)' ).value ).toBe(
			'gpt-audio-1.5'
		);
		expect( control( 'Largest voice upload (MB)' ).value ).toBe( '4' );
		expect(
			control( 'Notice before the first recording' ).value
		).toContain( 'your recording is sent to our AI provider' );

		await type( 'How voice questions are answered', 'chained' );
		await type( 'Voice', 'coral' );
		await type( 'Speaking speed (chained)', '1.25' );
		await type( 'Tone of voice (chained)', 'Warm and calm.' );
		await type( 'Longest voice question (seconds)', '30' );
		await click( 'Save settings' );

		expect( server.calls[ 1 ] ).toEqual( {
			path: SETTINGS_PATH,
			method: 'POST',
			data: {
				voice_pipeline: 'chained',
				voice: 'coral',
				speech_speed: 1.25,
				speech_instructions: 'Warm and calm.',
				voice_max_seconds: 30,
			},
		} );
		expect( region( 'status' ) ).toContain( 'Settings saved.' );
		expect( control( 'Longest voice question (seconds)' ).value ).toBe(
			'30'
		);
	} );

	it( 'refuses a transcription model id that cannot be one', async () => {
		const server = fakeServer();
		await render( server );
		await settle();

		await type( 'Transcription model', 'whisper 1' );
		await click( 'Save settings' );

		expect( server.calls ).toHaveLength( 1 );
		const field = control( 'Transcription model' );
		expect( field.getAttribute( 'aria-invalid' ) ).toBe( 'true' );
		expect( container.textContent ).toContain(
			'A model id has only letters, digits'
		);
	} );

	it( 'sends a new key once, then clears the field and shows only its last four characters', async () => {
		const server = fakeServer( {
			[ `POST ${ SETTINGS_PATH }` ]: () =>
				settingsBody( {
					settings: {
						...( settingsBody().settings as object ),
						key_choice: 'plugin',
					},
					api_key: {
						source: 'plugin',
						last4: '9876',
						configured: true,
						plugin_key: true,
					},
				} ),
		} );
		await render( server );
		await settle();

		await type( 'Key to use', 'plugin' );
		await type( 'API key', 'sk-proj-secret-9876' );
		await click( 'Save settings' );

		expect( server.calls[ 1 ]?.data ).toEqual( {
			key_choice: 'plugin',
			api_key: 'sk-proj-secret-9876',
		} );
		expect( control( 'New API key' ).value ).toBe( '' );
		expect( container.textContent ).toContain(
			'Key saved, ending in ••••9876 (source: this plugin).'
		);
		expect( container.innerHTML ).not.toContain( 'sk-proj-secret' );
		expect( button( 'Remove saved key' ) ).toBeTruthy();
	} );

	it( 'removes the plugin’s key only on save, and can be undone before', async () => {
		const server = fakeServer( {
			[ `GET ${ SETTINGS_PATH }` ]: () =>
				settingsBody( {
					api_key: {
						source: 'plugin',
						last4: '4321',
						configured: true,
						plugin_key: true,
					},
				} ),
		} );
		await render( server );
		await settle();

		await click( 'Remove saved key' );
		expect( container.textContent ).toContain(
			'The saved key will be removed when you save the settings.'
		);
		await click( 'Keep the saved key' );
		expect( container.textContent ).not.toContain( 'Unsaved changes' );

		await click( 'Remove saved key' );
		await click( 'Save settings' );
		expect( server.calls[ 1 ]?.data ).toEqual( { delete_api_key: true } );
	} );

	it( 'refuses to save invalid numbers, says why and focuses the field', async () => {
		const server = fakeServer();
		await render( server );
		await settle();

		await type( 'Maximum answer length (tokens)', '99999' );
		expect( container.textContent ).toContain(
			'Enter a number from 16 to 4000.'
		);
		await click( 'Save settings' );

		expect( server.calls ).toHaveLength( 1 );
		expect( region( 'alert' ) ).toContain( 'Some settings need attention' );
		const field = control( 'Maximum answer length (tokens)' );
		expect( field.getAttribute( 'aria-invalid' ) ).toBe( 'true' );
		expect( field.ownerDocument.activeElement ).toBe( field );
	} );

	it( 'shows the server’s reason when a save fails', async () => {
		const server = fakeServer( {
			[ `POST ${ SETTINGS_PATH }` ]: () =>
				Promise.reject( {
					code: 'rest_invalid_param',
					message: 'Invalid parameter(s): text_model',
					data: { status: 400 },
				} ),
		} );
		await render( server );
		await settle();

		await type( 'Text model', 'gpt-5.5' );
		await click( 'Save settings' );

		expect( region( 'alert' ) ).toContain(
			'The settings were not saved: Invalid parameter(s): text_model'
		);
		expect( container.textContent ).toContain( 'Unsaved changes' );
	} );

	it( 'reports a working connection with the model count', async () => {
		const server = fakeServer( {
			[ `POST ${ TEST_CONNECTION_PATH }` ]: () => ( {
				ok: true,
				models: 12,
				base_url: 'http://127.0.0.1:4010/v1',
				simulator: true,
			} ),
		} );
		await render( server );
		await settle();

		await click( 'Test connection' );

		expect( region( 'alert' ) ).toContain(
			'Connection works: http://127.0.0.1:4010/v1 lists 12 models.'
		);
	} );

	it( 'warns when the provider does not list a configured model', async () => {
		const server = fakeServer( {
			[ `POST ${ TEST_CONNECTION_PATH }` ]: () => ( {
				ok: true,
				models: 1,
				base_url: 'https://api.openai.com/v1',
				simulator: false,
				missing_models: [ 'gpt-5.4-mni' ],
			} ),
		} );
		await render( server );
		await settle();

		await click( 'Test connection' );

		expect( region( 'alert' ) ).toContain(
			'It does not list these configured models: gpt-5.4-mni.'
		);
		expect(
			container.querySelector( '.vvc-settings__test-result .is-warning' )
		).not.toBeNull();
	} );

	it( 'reports a failed connection with the precise reason and code, in an alert', async () => {
		const server = fakeServer( {
			[ `POST ${ TEST_CONNECTION_PATH }` ]: () =>
				Promise.reject( {
					code: 'vvc_upstream_auth',
					message:
						'The provider rejected the API key (401 invalid_api_key).',
					data: { status: 502 },
				} ),
		} );
		await render( server );
		await settle();

		await click( 'Test connection' );

		const alert = region( 'alert' );
		expect( alert ).toContain(
			'Connection failed: The provider rejected the API key (401 invalid_api_key).'
		);
		expect( alert ).toContain( 'Error code: vvc_upstream_auth' );
	} );

	it( 'says the test uses saved settings while there are unsaved changes', async () => {
		await render( fakeServer() );
		await settle();

		await type( 'Project ID (optional)', 'proj_abc' );

		expect( container.textContent ).toContain(
			'The test uses the saved settings'
		);
	} );

	it( 'asks before leaving with unsaved changes, and not otherwise', async () => {
		await render( fakeServer() );
		await settle();

		const leave = () => {
			const event = new Event( 'beforeunload', { cancelable: true } );
			window.dispatchEvent( event );
			return event.defaultPrevented;
		};
		expect( leave() ).toBe( false );
		await type( 'Text model', 'gpt-5.5' );
		expect( leave() ).toBe( true );
		await type( 'Text model', 'gpt-5.4-mini' );
		expect( leave() ).toBe( false );
	} );

	it( 'explains a failed load and retries', async () => {
		let attempts = 0;
		const server = fakeServer( {
			[ `GET ${ SETTINGS_PATH }` ]: () => {
				attempts++;
				return attempts === 1
					? Promise.reject( {
							code: 'vvc_forbidden',
							message:
								'Sorry, you are not allowed to manage the chat settings.',
							data: { status: 403 },
						} )
					: settingsBody();
			},
		} );
		await render( server );
		await settle();

		expect( region( 'alert' ) ).toContain(
			'The settings could not be loaded: Sorry, you are not allowed to manage the chat settings.'
		);
		await click( 'Try again' );
		expect( control( 'System prompt' ).value ).toBe( 'Be brief.' );
	} );
} );
