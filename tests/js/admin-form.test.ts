import { describe, expect, it } from 'vitest';

import {
	buildUpdate,
	bytesToMegabytes,
	changedFields,
	initialFormState,
	isDirty,
	megabytesToBytes,
	NUMBER_LIMITS,
	parseBoundedNumber,
	validateApiKey,
	validateBaseUrl,
	validateForm,
	validateModelId,
} from '../../src/admin/settings/form';
import type {
	ChatSettings,
	FormState,
	FormValues,
} from '../../src/admin/settings/types';

import { VOICE_SETTINGS } from './admin-fixtures';

function settings( overrides: Partial< ChatSettings > = {} ): ChatSettings {
	return {
		base_url: 'https://api.openai.com/v1',
		organization: '',
		project: '',
		text_model: 'gpt-5.4-mini',
		image_model: 'gpt-5.4-mini',
		system_prompt: 'You are a helpful assistant.',
		max_completion_tokens: 800,
		history_turns: 10,
		turn_max_chars: 4000,
		image_max_side: 1024,
		image_max_bytes: 5242880,
		image_detail: 'auto',
		key_choice: 'auto',
		enabled: true,
		log_transcripts: false,
		...VOICE_SETTINGS,
		...overrides,
	};
}

function edit(
	saved: ChatSettings,
	values: Partial< FormValues >,
	rest: Partial< Omit< FormState, 'values' > > = {}
): FormState {
	const form = initialFormState( saved );
	return { ...form, ...rest, values: { ...form.values, ...values } };
}

describe( 'parseBoundedNumber', () => {
	const tokens = NUMBER_LIMITS.max_completion_tokens;

	it( 'accepts whole numbers inside the range, including both ends', () => {
		expect( parseBoundedNumber( '16', tokens ) ).toEqual( {
			ok: true,
			value: 16,
		} );
		expect( parseBoundedNumber( ' 4000 ', tokens ) ).toEqual( {
			ok: true,
			value: 4000,
		} );
	} );

	it.each( [
		[ '', 'Enter a number.' ],
		[ 'abc', 'Enter digits only.' ],
		[ '1e3', 'Enter digits only.' ],
		[ '-', 'Enter digits only.' ],
		[ '12.5', 'Enter a whole number.' ],
		[ '15', 'Enter a number from 16 to 4000.' ],
		[ '4001', 'Enter a number from 16 to 4000.' ],
	] )( 'refuses %j with a reason', ( raw, error ) => {
		expect( parseBoundedNumber( raw, tokens ) ).toEqual( {
			ok: false,
			error,
		} );
	} );

	it( 'takes decimals, with a comma or a point, where allowed', () => {
		const mb = NUMBER_LIMITS.image_max_mb;
		expect( parseBoundedNumber( '2,5', mb ) ).toEqual( {
			ok: true,
			value: 2.5,
		} );
		expect( parseBoundedNumber( '0.05', mb ).ok ).toBe( false );
	} );

	it( 'allows zero earlier turns', () => {
		expect(
			parseBoundedNumber( '0', NUMBER_LIMITS.history_turns )
		).toEqual( { ok: true, value: 0 } );
	} );
} );

describe( 'megabytes', () => {
	it( 'shows bytes as MB without noise', () => {
		expect( bytesToMegabytes( 5242880 ) ).toBe( '5' );
		expect( bytesToMegabytes( 1572864 ) ).toBe( '1.5' );
		expect( bytesToMegabytes( 3000000 ) ).toBe( '2.86' );
	} );

	it( 'converts MB back to whole bytes', () => {
		expect( megabytesToBytes( 5 ) ).toBe( 5242880 );
		expect( megabytesToBytes( 0.1 ) ).toBe( 104858 );
	} );

	it( 'keeps the MB range inside the server’s byte range', () => {
		const { min, max } = NUMBER_LIMITS.image_max_mb;
		expect( megabytesToBytes( min ) ).toBeGreaterThanOrEqual( 102400 );
		expect( megabytesToBytes( max ) ).toBeLessThanOrEqual( 20971520 );
	} );
} );

describe( 'field validators', () => {
	it.each( [
		'https://api.openai.com/v1',
		'http://127.0.0.1:4010/v1',
		'https://my-resource.openai.azure.com/openai/v1',
	] )( 'accepts the base URL %s', ( url ) => {
		expect( validateBaseUrl( url ) ).toBeNull();
	} );

	it.each( [
		'',
		'api.openai.com/v1',
		'ftp://example.com',
		'javascript:alert(1)',
	] )( 'refuses the base URL %j', ( url ) => {
		expect( validateBaseUrl( url ) ).toEqual( expect.any( String ) );
	} );

	it( 'checks model ids against the server’s pattern', () => {
		expect( validateModelId( 'gpt-5.4-mini' ) ).toBeNull();
		expect( validateModelId( 'meta-llama/Llama-3.1:8b' ) ).toBeNull();
		expect( validateModelId( '' ) ).toBe( 'Enter a model id.' );
		expect( validateModelId( 'gpt 5' ) ).toMatch( /letters, digits/ );
		expect( validateModelId( 'x'.repeat( 101 ) ) ).toMatch(
			/letters, digits/
		);
	} );

	it( 'lets an empty key field through and refuses keys that cannot be a header', () => {
		expect( validateApiKey( '' ) ).toBeNull();
		expect( validateApiKey( '  sk-proj-abc123  ' ) ).toBeNull();
		expect( validateApiKey( 'sk-abc def' ) ).toMatch( /no spaces/ );
		expect( validateApiKey( 'sk-ключ' ) ).toMatch( /no spaces/ );
		expect( validateApiKey( 'k'.repeat( 513 ) ) ).toMatch( /too long/ );
	} );
} );

describe( 'validateForm', () => {
	it( 'finds nothing wrong with the saved settings', () => {
		expect( validateForm( initialFormState( settings() ) ) ).toEqual( {} );
	} );

	it( 'names every invalid field', () => {
		const form = edit(
			settings(),
			{
				base_url: 'not a url',
				organization: 'org with spaces',
				text_model: '',
				max_completion_tokens: '5',
				image_max_side: '3000',
				image_max_mb: 'lots',
			},
			{ newApiKey: 'two words' }
		);
		expect( Object.keys( validateForm( form ) ).sort() ).toEqual( [
			'base_url',
			'image_max_mb',
			'image_max_side',
			'max_completion_tokens',
			'newApiKey',
			'organization',
			'text_model',
		] );
	} );

	it( 'allows an empty system prompt (the server restores its default) but not an endless one', () => {
		expect(
			validateForm( edit( settings(), { system_prompt: '' } ) )
		).toEqual( {} );
		expect(
			validateForm(
				edit( settings(), { system_prompt: 'x'.repeat( 20001 ) } )
			).system_prompt
		).toMatch( /at most 20000/ );
	} );
} );

describe( 'voice settings', () => {
	it( 'shows the byte cap in MB and the numbers as typed', () => {
		const { values } = initialFormState( settings() );
		expect( values ).toMatchObject( {
			voice_pipeline: 'auto',
			voice: 'marin',
			speech_speed: '1',
			voice_max_seconds: '60',
			voice_max_mb: '4',
		} );
	} );

	it( 'names each invalid voice field with the server’s limits', () => {
		const errors = validateForm(
			edit( settings(), {
				audio_model: 'gpt audio',
				transcribe_model: '',
				speech_model: 'gpt-4o-mini-tts',
				speech_speed: '5',
				voice_max_seconds: '2',
				voice_max_mb: '0.1',
				speech_instructions: 'x'.repeat( 4097 ),
				voice_consent_text: 'y'.repeat( 2001 ),
			} )
		);
		expect( Object.keys( errors ).sort() ).toEqual( [
			'audio_model',
			'speech_instructions',
			'speech_speed',
			'transcribe_model',
			'voice_consent_text',
			'voice_max_mb',
			'voice_max_seconds',
		] );
		expect( errors.speech_speed ).toMatch( /0\.25 to 4/ );
		expect( errors.voice_max_seconds ).toMatch( /5 to 180/ );
		expect( errors.speech_instructions ).toMatch( /at most 4096/ );
		expect( errors.voice_consent_text ).toMatch( /at most 2000/ );
	} );

	it( 'accepts both ends of each range and an empty consent notice (the server restores its default)', () => {
		expect(
			validateForm(
				edit( settings(), {
					speech_speed: '0,25',
					voice_max_seconds: '180',
					voice_max_mb: '25',
					voice_consent_text: '',
				} )
			)
		).toEqual( {} );
	} );

	it( 'keeps the MB range inside the server’s byte range', () => {
		expect(
			megabytesToBytes( NUMBER_LIMITS.voice_max_mb.min )
		).toBeGreaterThanOrEqual( 262144 );
		expect(
			megabytesToBytes( NUMBER_LIMITS.voice_max_mb.max )
		).toBeLessThanOrEqual( 26214400 );
	} );

	it( 'sends changed voice settings in the server’s types', () => {
		const saved = settings();
		expect(
			buildUpdate(
				saved,
				edit( saved, {
					voice_pipeline: 'chained',
					audio_model: ' gpt-audio-mini ',
					transcribe_model: 'gpt-4o-transcribe',
					speech_model: 'tts-1',
					voice: 'coral',
					speech_speed: '1,5',
					speech_instructions: 'Warm and calm.',
					voice_max_seconds: '30',
					voice_max_mb: '2',
					voice_consent_text: 'Recordings go to OpenAI.',
				} )
			)
		).toEqual( {
			voice_pipeline: 'chained',
			audio_model: 'gpt-audio-mini',
			transcribe_model: 'gpt-4o-transcribe',
			speech_model: 'tts-1',
			voice: 'coral',
			speech_speed: 1.5,
			speech_instructions: 'Warm and calm.',
			voice_max_seconds: 30,
			voice_max_bytes: 2097152,
			voice_consent_text: 'Recordings go to OpenAI.',
		} );
	} );
} );

describe( 'changes', () => {
	it( 'a fresh form is clean', () => {
		const saved = settings();
		const form = initialFormState( saved );
		expect( changedFields( saved, form ) ).toEqual( [] );
		expect( isDirty( saved, form ) ).toBe( false );
		expect( buildUpdate( saved, form ) ).toEqual( {} );
	} );

	it( 'a typed key or a pending removal makes the form dirty', () => {
		const saved = settings();
		expect(
			isDirty( saved, edit( saved, {}, { newApiKey: 'sk-1' } ) )
		).toBe( true );
		expect(
			isDirty( saved, edit( saved, {}, { deleteApiKey: true } ) )
		).toBe( true );
	} );

	it( 'typing a value back to what it was is not a change', () => {
		const saved = settings();
		expect(
			isDirty( saved, edit( saved, { max_completion_tokens: '800' } ) )
		).toBe( false );
	} );

	it( 'sends only changed settings, converted to the server’s types', () => {
		const saved = settings();
		const form = edit( saved, {
			system_prompt: '  Answer in French.  ',
			max_completion_tokens: '1200',
			history_turns: '0',
			image_max_mb: '2.5',
			image_detail: 'low',
			text_model: ' gpt-5.5 ',
			enabled: false,
			log_transcripts: true,
		} );
		expect( buildUpdate( saved, form ) ).toEqual( {
			system_prompt: '  Answer in French.  ',
			max_completion_tokens: 1200,
			history_turns: 0,
			image_max_bytes: 2621440,
			image_detail: 'low',
			text_model: 'gpt-5.5',
			enabled: false,
			log_transcripts: true,
		} );
	} );

	it( 'leaves an untouched byte cap alone even when MB cannot show it exactly', () => {
		const saved = settings( { image_max_bytes: 3000000 } );
		const form = edit( saved, { history_turns: '4' } );
		expect( buildUpdate( saved, form ) ).toEqual( { history_turns: 4 } );
	} );

	it( 'sends a new key trimmed, and prefers it over a pending removal', () => {
		const saved = settings();
		expect(
			buildUpdate(
				saved,
				edit(
					saved,
					{ key_choice: 'plugin' },
					{ newApiKey: ' sk-proj-new1234 ', deleteApiKey: true }
				)
			)
		).toEqual( { key_choice: 'plugin', api_key: 'sk-proj-new1234' } );
		expect(
			buildUpdate( saved, edit( saved, {}, { deleteApiKey: true } ) )
		).toEqual( { delete_api_key: true } );
	} );
} );
