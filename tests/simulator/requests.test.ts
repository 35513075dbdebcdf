// @vitest-environment node
/**
 * Request validation: what the spec (and OpenAI) accepts passes, what it refuses gets a 400
 * in OpenAI's error shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './server';
import {
	authHeaders,
	isErrorShape,
	postJson,
	scratch,
	speechWav,
	type ErrorShape,
} from './test-helpers';

let sim: Simulator;
const fx = scratch();
let wav: Buffer;

beforeAll( async () => {
	sim = await startSimulator( { port: 0 } );
	wav = speechWav( fx.dir, 'Hello from a test.' ).bytes;
} );
afterAll( async () => {
	await sim.close();
	fx.cleanup();
} );

const chatUrl = (): string => `${ sim.baseURL }/chat/completions`;

async function expectRefused(
	body: unknown,
	status = 400
): Promise< ErrorShape[ 'error' ] > {
	const r = await postJson( chatUrl(), body );
	const json: unknown = await r.json();
	expect( r.status, JSON.stringify( json ) ).toBe( status );
	expect( isErrorShape( json ) ).toBe( true );
	const err = ( json as ErrorShape ).error;
	// Every error body the simulator sends must itself match the spec's ErrorResponse.
	expect( sim.spec.validateComponent( 'ErrorResponse', json ).ok ).toBe(
		true
	);
	return err;
}

describe( 'chat request validation', () => {
	it( 'accepts a valid request', async () => {
		const r = await postJson( chatUrl(), {
			model: 'gpt-4o',
			messages: [
				{ role: 'system', content: 'Be brief.' },
				{ role: 'user', content: 'Hi' },
			],
		} );
		expect( r.status ).toBe( 200 );
		const last = sim.state.requests.at( -1 );
		expect( last?.validation.ok ).toBe( true );
	} );

	it( 'refuses image_url given as a string', async () => {
		const err = await expectRefused( {
			model: 'gpt-4o',
			messages: [
				{
					role: 'user',
					content: [
						{
							type: 'image_url',
							image_url: 'data:image/png;base64,iVBORw0KGgo=',
						},
					],
				},
			],
		} );
		expect( err.type ).toBe( 'invalid_request_error' );
		expect( err.param ).toBe( 'messages[0].content[0].image_url' );
		expect( err.code ).toBe( 'invalid_type' );
	} );

	it( 'refuses input_audio in webm', async () => {
		const err = await expectRefused( {
			model: 'gpt-audio-mini',
			messages: [
				{
					role: 'user',
					content: [
						{
							type: 'input_audio',
							input_audio: {
								data: wav.toString( 'base64' ),
								format: 'webm',
							},
						},
					],
				},
			],
		} );
		expect( err.param ).toBe( 'messages[0].content[0].input_audio.format' );
		expect( err.code ).toBe( 'invalid_value' );
		expect( err.message ).toContain( "'wav'" );
	} );

	it( 'refuses a missing messages array', async () => {
		const err = await expectRefused( { model: 'gpt-4o' } );
		expect( err.param ).toBe( 'messages' );
		expect( err.code ).toBe( 'missing_required_parameter' );
	} );

	it( 'refuses values outside the ranges the spec gives', async () => {
		expect(
			(
				await expectRefused( {
					model: 'gpt-4o',
					messages: [ { role: 'user', content: 'x' } ],
					n: 0,
				} )
			).param
		).toBe( 'n' );
		expect(
			(
				await expectRefused( {
					model: 'gpt-4o',
					messages: [ { role: 'user', content: 'x' } ],
					temperature: 3,
				} )
			).code
		).toBe( 'decimal_above_max_value' );
		expect(
			(
				await expectRefused( {
					model: 'gpt-4o',
					messages: [ { role: 'user', content: 'x' } ],
					max_completion_tokens: 'ten',
				} )
			).code
		).toBe( 'invalid_type' );
		expect(
			( await expectRefused( { model: 'gpt-4o', messages: [] } ) ).code
		).toBe( 'array_below_min_length' );
	} );

	it( 'refuses unknown parameters, as OpenAI does', async () => {
		const err = await expectRefused( {
			model: 'gpt-4o',
			messages: [ { role: 'user', content: 'x' } ],
			max_completion_token: 5,
		} );
		expect( err.code ).toBe( 'unknown_parameter' );
		expect( err.message ).toContain( 'max_completion_token' );
	} );

	it( 'refuses max_tokens and a non-default temperature on gpt-5 models', async () => {
		expect(
			(
				await expectRefused( {
					model: 'gpt-5-mini',
					messages: [ { role: 'user', content: 'x' } ],
					max_tokens: 10,
				} )
			).code
		).toBe( 'unsupported_parameter' );
		expect(
			(
				await expectRefused( {
					model: 'gpt-5-mini',
					messages: [ { role: 'user', content: 'x' } ],
					temperature: 0.2,
				} )
			).code
		).toBe( 'unsupported_value' );
	} );

	it( 'refuses streamed audio output in anything but pcm16', async () => {
		const err = await expectRefused( {
			model: 'gpt-audio-mini',
			modalities: [ 'text', 'audio' ],
			audio: { voice: 'alloy', format: 'mp3' },
			stream: true,
			messages: [ { role: 'user', content: 'Hi' } ],
		} );
		expect( err.param ).toBe( 'audio.format' );
		expect( err.message ).toContain( 'pcm16' );
	} );

	it( 'refuses images on audio chat models and audio on text models', async () => {
		const png =
			'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
		const e1 = await expectRefused( {
			model: 'gpt-audio-mini',
			messages: [
				{
					role: 'user',
					content: [ { type: 'image_url', image_url: { url: png } } ],
				},
			],
		} );
		expect( e1.code ).toBe( 'invalid_value' );
		const e2 = await expectRefused( {
			model: 'gpt-4o',
			messages: [
				{
					role: 'user',
					content: [
						{
							type: 'input_audio',
							input_audio: {
								data: wav.toString( 'base64' ),
								format: 'wav',
							},
						},
					],
				},
			],
		} );
		expect( e2.code ).toBe( 'invalid_value' );
	} );

	it( 'refuses bytes that are not the declared audio or image type', async () => {
		const e1 = await expectRefused( {
			model: 'gpt-audio-mini',
			messages: [
				{
					role: 'user',
					content: [
						{
							type: 'input_audio',
							input_audio: {
								data: wav.toString( 'base64' ),
								format: 'mp3',
							},
						},
					],
				},
			],
		} );
		expect( e1.message ).toContain( 'not of valid mp3 format' );
		const e2 = await expectRefused( {
			model: 'gpt-4o',
			messages: [
				{
					role: 'user',
					content: [
						{
							type: 'image_url',
							image_url: {
								url: `data:image/png;base64,${ Buffer.from( 'not a png at all' ).toString( 'base64' ) }`,
							},
						},
					],
				},
			],
		} );
		expect( e2.code ).toBe( 'invalid_image' );
	} );

	it( 'answers 404 model_not_found for unknown and shut-down models', async () => {
		expect(
			(
				await expectRefused(
					{
						model: 'gpt-9',
						messages: [ { role: 'user', content: 'x' } ],
					},
					404
				)
			).code
		).toBe( 'model_not_found' );
		expect(
			(
				await expectRefused(
					{
						model: 'gpt-4o-audio-preview',
						messages: [ { role: 'user', content: 'x' } ],
					},
					404
				)
			).code
		).toBe( 'model_not_found' );
	} );

	it( 'refuses a body that is not JSON', async () => {
		const err = await expectRefused( '{"model": "gpt-4o", ' );
		expect( err.message ).toContain( 'could not parse the JSON body' );
	} );
} );

describe( 'auth and routing', () => {
	it( 'requires a bearer key', async () => {
		const r = await fetch( `${ sim.baseURL }/models` );
		expect( r.status ).toBe( 401 );
		expect( isErrorShape( await r.json() ) ).toBe( true );
	} );

	it( 'answers 401 invalid_api_key for keys configured as invalid, without echoing the key', async () => {
		const r = await fetch( `${ sim.baseURL }/models`, {
			headers: {
				authorization: 'Bearer sk-invalid-abcdefghijklmnop1234',
			},
		} );
		expect( r.status ).toBe( 401 );
		const body = ( await r.json() ) as ErrorShape;
		expect( body.error.code ).toBe( 'invalid_api_key' );
		expect( body.error.message ).not.toContain( 'abcdefghijklmnop' );
	} );

	it( 'redacts the key in the request log', async () => {
		await fetch( `${ sim.baseURL }/models`, { headers: authHeaders() } );
		const log = ( await (
			await fetch( `${ sim.url }/__sim/requests` )
		).json() ) as { data: Array< { headers: Record< string, string > } > };
		const auth = log.data.at( -1 )?.headers.authorization;
		expect( auth ).toBe( 'Bearer …0000' );
	} );

	it( 'answers 404 Invalid URL for unknown routes', async () => {
		const r = await fetch( `${ sim.baseURL }/completions/nope`, {
			method: 'POST',
			headers: authHeaders(),
		} );
		expect( r.status ).toBe( 404 );
		expect( ( ( await r.json() ) as ErrorShape ).error.message ).toContain(
			'Invalid URL'
		);
	} );
} );

describe( 'other endpoints refuse what the spec refuses', () => {
	it( 'speech: input over 4096 characters, unknown voice, bad speed', async () => {
		const url = `${ sim.baseURL }/audio/speech`;
		const long = await postJson( url, {
			model: 'gpt-4o-mini-tts',
			voice: 'alloy',
			input: 'a'.repeat( 4097 ),
		} );
		expect( long.status ).toBe( 400 );
		expect( ( ( await long.json() ) as ErrorShape ).error.param ).toBe(
			'input'
		);
		const voice = await postJson( url, {
			model: 'gpt-4o-mini-tts',
			voice: 'bob',
			input: 'hi',
		} );
		expect( voice.status ).toBe( 400 );
		const speed = await postJson( url, {
			model: 'gpt-4o-mini-tts',
			voice: 'alloy',
			input: 'hi',
			speed: 5,
		} );
		expect( speed.status ).toBe( 400 );
	} );

	it( 'transcription: a gpt-4o model with verbose_json, a missing file', async () => {
		const form = new FormData();
		form.append( 'model', 'gpt-4o-transcribe' );
		form.append( 'response_format', 'verbose_json' );
		form.append(
			'file',
			new Blob( [ new Uint8Array( wav ) ], { type: 'audio/wav' } ),
			'a.wav'
		);
		const r = await fetch( `${ sim.baseURL }/audio/transcriptions`, {
			method: 'POST',
			headers: authHeaders(),
			body: form,
		} );
		expect( r.status ).toBe( 400 );
		expect( ( ( await r.json() ) as ErrorShape ).error.param ).toBe(
			'response_format'
		);
		const noFile = new FormData();
		noFile.append( 'model', 'whisper-1' );
		const r2 = await fetch( `${ sim.baseURL }/audio/transcriptions`, {
			method: 'POST',
			headers: authHeaders(),
			body: noFile,
		} );
		expect( r2.status ).toBe( 400 );
		expect( ( ( await r2.json() ) as ErrorShape ).error.code ).toBe(
			'missing_required_parameter'
		);
	} );

	it( 'client secrets: expiry outside 10..7200 seconds', async () => {
		const r = await postJson( `${ sim.baseURL }/realtime/client_secrets`, {
			expires_after: { anchor: 'created_at', seconds: 5 },
			session: { type: 'realtime', model: 'gpt-realtime' },
		} );
		expect( r.status ).toBe( 400 );
	} );

	it( 'control API refuses typos in scripts', async () => {
		const r = await postJson(
			`${ sim.url }/__sim/script`,
			{ fault: { type: 'rate-limit' } },
			{}
		);
		expect( r.status ).toBe( 400 );
		const r2 = await postJson(
			`${ sim.url }/__sim/script`,
			{ reply: { contnet: 'x' } },
			{}
		);
		expect( r2.status ).toBe( 400 );
	} );
} );
