import { describe, expect, it } from 'vitest';

import {
	createSettingsApi,
	normalizeError,
	parseConnectionResult,
	parseSettingsPayload,
	SETTINGS_PATH,
	TEST_CONNECTION_PATH,
	type Fetcher,
} from '../../src/admin/settings/api';

import { settingsBody, VOICE_SETTINGS } from './admin-fixtures';

describe( 'parseSettingsPayload', () => {
	it( 'types a well-formed answer and drops what the screen does not use', () => {
		const payload = parseSettingsPayload( settingsBody() );
		expect( payload.settings.max_completion_tokens ).toBe( 800 );
		expect( payload.settings ).not.toHaveProperty( 'version' );
		expect( payload.apiKey ).toEqual( {
			source: 'constant',
			last4: 'a1b2',
			configured: true,
			pluginKey: false,
		} );
		expect( payload.simulator ).toBe( true );
		expect( payload.baseUrlLocked ).toBe( true );
		expect( payload.settings ).toMatchObject( VOICE_SETTINGS );
	} );

	it.each( [
		[ 'a missing settings object', { settings: null } ],
		[
			'an unknown key source',
			{ api_key: { source: 'x', last4: '', configured: false } },
		],
		[
			'a number sent as text',
			{
				settings: {
					...( settingsBody().settings as object ),
					history_turns: '10',
				},
			},
		],
		[
			'an unknown voice',
			{
				settings: {
					...( settingsBody().settings as object ),
					voice: 'fable',
				},
			},
		],
		[
			'an unknown voice pipeline',
			{
				settings: {
					...( settingsBody().settings as object ),
					voice_pipeline: 'realtime',
				},
			},
		],
		[
			'a missing consent notice',
			{
				settings: {
					...( settingsBody().settings as object ),
					voice_consent_text: null,
				},
			},
		],
		[
			'an unknown image detail',
			{
				settings: {
					...( settingsBody().settings as object ),
					image_detail: 'ultra',
				},
			},
		],
	] )( 'refuses %s with vvc_bad_response', ( _name, overrides ) => {
		expect( () =>
			parseSettingsPayload( settingsBody( overrides ) )
		).toThrow( expect.objectContaining( { code: 'vvc_bad_response' } ) );
	} );
} );

describe( 'parseConnectionResult', () => {
	it( 'reads the model count and base URL', () => {
		expect(
			parseConnectionResult( {
				ok: true,
				models: 42,
				base_url: 'http://127.0.0.1:4010/v1',
				simulator: true,
			} )
		).toEqual( {
			models: 42,
			baseUrl: 'http://127.0.0.1:4010/v1',
			simulator: true,
			missingModels: [],
		} );
	} );

	it( 'keeps the configured models the provider did not list', () => {
		expect(
			parseConnectionResult( {
				ok: true,
				models: 2,
				base_url: 'https://api.openai.com/v1',
				simulator: false,
				missing_models: [ 'gpt-5.4-mni', 7 ],
			} ).missingModels
		).toEqual( [ 'gpt-5.4-mni' ] );
	} );

	it( 'refuses an answer that is not a success', () => {
		expect( () => parseConnectionResult( { ok: false } ) ).toThrow(
			expect.objectContaining( { code: 'vvc_bad_response' } )
		);
	} );
} );

describe( 'normalizeError', () => {
	it( 'keeps a WordPress REST error’s code, message and status', () => {
		expect(
			normalizeError( {
				code: 'vvc_upstream_auth',
				message:
					'The provider rejected the API key (401 invalid_api_key).',
				data: { status: 502 },
			} )
		).toEqual( {
			code: 'vvc_upstream_auth',
			message: 'The provider rejected the API key (401 invalid_api_key).',
			status: 502,
		} );
	} );

	it( 'handles api-fetch’s offline error, thrown Errors and junk', () => {
		expect(
			normalizeError( {
				code: 'fetch_error',
				message: 'You are probably offline.',
			} )
		).toEqual( {
			code: 'fetch_error',
			message: 'You are probably offline.',
			status: null,
		} );
		expect( normalizeError( new TypeError( 'boom' ) ) ).toEqual( {
			code: 'vvc_unknown',
			message: 'boom',
			status: null,
		} );
		expect( normalizeError( 'weird' ).code ).toBe( 'vvc_unknown' );
		expect( normalizeError( {} ).message ).toMatch(
			/without an explanation/
		);
	} );
} );

describe( 'createSettingsApi', () => {
	it( 'calls the contract’s routes with the right methods and body', async () => {
		const calls: Parameters< Fetcher >[ 0 ][] = [];
		const fetcher: Fetcher = async ( options ) => {
			calls.push( options );
			if ( options.path === TEST_CONNECTION_PATH ) {
				return { ok: true, models: 3, base_url: 'x', simulator: false };
			}
			return settingsBody();
		};
		const api = createSettingsApi( fetcher );

		await api.load();
		await api.save( { history_turns: 3, api_key: 'sk-new' } );
		const result = await api.testConnection();

		expect( calls ).toEqual( [
			{ path: SETTINGS_PATH },
			{
				path: SETTINGS_PATH,
				method: 'POST',
				data: { history_turns: 3, api_key: 'sk-new' },
			},
			{ path: TEST_CONNECTION_PATH, method: 'POST' },
		] );
		expect( SETTINGS_PATH ).toBe( '/voice-vision-chat/v1/admin/settings' );
		expect( TEST_CONNECTION_PATH ).toBe(
			'/voice-vision-chat/v1/admin/test-connection'
		);
		expect( result.models ).toBe( 3 );
	} );
} );
