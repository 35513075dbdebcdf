// @vitest-environment node
/**
 * Every response the simulator sends validates against the spec's response schema: JSON
 * bodies, each SSE chunk, error bodies. The server checks this too (and answers 500 when it
 * fails); here it is checked independently, from the bytes on the wire.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, type Reply } from './deliver';
import { simLog } from './log';
import type { RequestRecord } from './state';
import { startSimulator, type Simulator } from './server';
import { formatAjvErrors, type ValidationResult } from './spec';
import {
	authHeaders,
	dataUrl,
	postJson,
	scratch,
	script,
	speechWav,
	sseData,
	testPng,
} from './test-helpers';

let sim: Simulator;
const fx = scratch();
let wav: Buffer;
let png: Buffer;

beforeAll( async () => {
	sim = await startSimulator( { port: 0 } );
	wav = speechWav( fx.dir, 'Validate me, please.' ).bytes;
	png = testPng( fx.dir, 64, 48 );
} );
afterAll( async () => {
	await sim.close();
	fx.cleanup();
} );

function expectValid( r: ValidationResult ): void {
	expect( r.ok, r.ok ? '' : formatAjvErrors( r.errors ) ).toBe( true );
}

async function streamChunks( body: unknown ): Promise< string[] > {
	const r = await postJson( `${ sim.baseURL }/chat/completions`, body );
	expect( r.status ).toBe( 200 );
	expect( r.headers.get( 'content-type' ) ).toContain( 'text/event-stream' );
	return sseData( await r.text() );
}

describe( 'chat completions responses', () => {
	it( 'plain JSON answer', async () => {
		const r = await postJson( `${ sim.baseURL }/chat/completions`, {
			model: 'gpt-4o',
			messages: [
				{
					role: 'user',
					content: [
						{ type: 'text', text: 'What is this?' },
						{
							type: 'image_url',
							image_url: {
								url: dataUrl( 'image/png', png ),
								detail: 'low',
							},
						},
					],
				},
			],
		} );
		expect( r.status ).toBe( 200 );
		const body: unknown = await r.json();
		expectValid(
			sim.spec.validateResponse(
				'createChatCompletion',
				200,
				'application/json',
				body
			)
		);
		expect( r.headers.get( 'x-request-id' ) ).toMatch( /^req_/ );
	} );

	it( 'every stream chunk, including the usage chunk', async () => {
		const chunks = await streamChunks( {
			model: 'gpt-4.1-mini',
			stream: true,
			stream_options: { include_usage: true },
			messages: [
				{ role: 'user', content: 'Stream a longer answer, please.' },
			],
		} );
		expect( chunks.at( -1 ) ).toBe( '[DONE]' );
		const events = chunks
			.slice( 0, -1 )
			.map(
				( c ) =>
					JSON.parse( c ) as { choices: unknown[]; usage?: unknown }
			);
		for ( const ev of events ) {
			expectValid(
				sim.spec.validateResponse(
					'createChatCompletion',
					200,
					'text/event-stream',
					ev
				)
			);
		}
		const last = events.at( -1 );
		expect( last?.choices ).toEqual( [] );
		expect( last?.usage ).toBeTruthy();
	} );

	it( 'tool calls, plain and streamed', async () => {
		const tools = [
			{
				type: 'function',
				function: {
					name: 'lookup_faq',
					description: 'Search the FAQ',
					parameters: {
						type: 'object',
						properties: { q: { type: 'string' } },
						required: [ 'q' ],
					},
					strict: true,
				},
			},
		];
		await script( sim.url, {
			reply: {
				tool_calls: [
					{ name: 'lookup_faq', arguments: { q: 'opening hours' } },
				],
			},
			times: 2,
		} );
		const r = await postJson( `${ sim.baseURL }/chat/completions`, {
			model: 'gpt-4o-mini',
			tools,
			messages: [ { role: 'user', content: 'When are you open?' } ],
		} );
		const body = ( await r.json() ) as {
			choices: Array< {
				finish_reason: string;
				message: {
					tool_calls?: Array< { function: { arguments: string } } >;
				};
			} >;
		};
		expectValid(
			sim.spec.validateResponse(
				'createChatCompletion',
				200,
				'application/json',
				body
			)
		);
		expect( body.choices[ 0 ]?.finish_reason ).toBe( 'tool_calls' );
		expect(
			JSON.parse(
				body.choices[ 0 ]?.message.tool_calls?.[ 0 ]?.function
					.arguments ?? ''
			)
		).toEqual( { q: 'opening hours' } );
		const chunks = await streamChunks( {
			model: 'gpt-4o-mini',
			tools,
			stream: true,
			messages: [ { role: 'user', content: 'When are you open?' } ],
		} );
		for ( const c of chunks.slice( 0, -1 ) ) {
			expectValid(
				sim.spec.validateResponse(
					'createChatCompletion',
					200,
					'text/event-stream',
					JSON.parse( c )
				)
			);
		}
	} );

	it( 'audio in and audio out, plain and streamed (pcm16)', async () => {
		const input = {
			type: 'input_audio',
			input_audio: { data: wav.toString( 'base64' ), format: 'wav' },
		};
		const r = await postJson( `${ sim.baseURL }/chat/completions`, {
			model: 'gpt-audio-mini',
			modalities: [ 'text', 'audio' ],
			audio: { voice: 'marin', format: 'wav' },
			messages: [ { role: 'user', content: [ input ] } ],
		} );
		expect( r.status ).toBe( 200 );
		expectValid(
			sim.spec.validateResponse(
				'createChatCompletion',
				200,
				'application/json',
				await r.json()
			)
		);
		const chunks = await streamChunks( {
			model: 'gpt-audio-mini',
			modalities: [ 'text', 'audio' ],
			audio: { voice: 'marin', format: 'pcm16' },
			stream: true,
			stream_options: { include_usage: true },
			messages: [ { role: 'user', content: [ input ] } ],
		} );
		for ( const c of chunks.slice( 0, -1 ) ) {
			expectValid(
				sim.spec.validateResponse(
					'createChatCompletion',
					200,
					'text/event-stream',
					JSON.parse( c )
				)
			);
		}
	} );

	it( 'error bodies', async () => {
		const r = await postJson( `${ sim.baseURL }/chat/completions`, {
			model: 'nope',
			messages: [ { role: 'user', content: 'x' } ],
		} );
		expectValid(
			sim.spec.validateComponent( 'ErrorResponse', await r.json() )
		);
	} );
} );

describe( 'other endpoints', () => {
	it( 'models list and one model', async () => {
		const list = await (
			await fetch( `${ sim.baseURL }/models`, { headers: authHeaders() } )
		).json();
		expectValid(
			sim.spec.validateResponse(
				'listModels',
				200,
				'application/json',
				list
			)
		);
		const one = await (
			await fetch( `${ sim.baseURL }/models/gpt-4o-mini`, {
				headers: authHeaders(),
			} )
		).json();
		expectValid(
			sim.spec.validateResponse(
				'retrieveModel',
				200,
				'application/json',
				one
			)
		);
	} );

	it( 'transcriptions: json, verbose_json, stream events', async () => {
		const send = async (
			fields: Record< string, string >
		): Promise< Response > => {
			const form = new FormData();
			for ( const [ k, v ] of Object.entries( fields ) ) {
				form.append( k, v );
			}
			form.append(
				'file',
				new Blob( [ new Uint8Array( wav ) ], { type: 'audio/wav' } ),
				'voice.wav'
			);
			return fetch( `${ sim.baseURL }/audio/transcriptions`, {
				method: 'POST',
				headers: authHeaders(),
				body: form,
			} );
		};
		const json = await (
			await send( { model: 'gpt-4o-mini-transcribe' } )
		).json();
		expectValid(
			sim.spec.validateResponse(
				'createTranscription',
				200,
				'application/json',
				json
			)
		);
		const verbose = await (
			await send( {
				model: 'whisper-1',
				response_format: 'verbose_json',
			} )
		).json();
		expectValid(
			sim.spec.validateComponent(
				'CreateTranscriptionResponseVerboseJson',
				verbose
			)
		);
		const stream = await send( {
			model: 'gpt-4o-transcribe',
			stream: 'true',
		} );
		const events = sseData( await stream.text() ).map(
			( d ) => JSON.parse( d ) as { type: string }
		);
		expect( events.at( -1 )?.type ).toBe( 'transcript.text.done' );
		for ( const ev of events ) {
			expectValid(
				sim.spec.validateResponse(
					'createTranscription',
					200,
					'text/event-stream',
					ev
				)
			);
		}
	} );

	it( 'speech SSE events', async () => {
		const r = await postJson( `${ sim.baseURL }/audio/speech`, {
			model: 'gpt-4o-mini-tts',
			voice: 'coral',
			input: 'Hello there.',
			stream_format: 'sse',
		} );
		const events = sseData( await r.text() ).map(
			( d ) => JSON.parse( d ) as { type: string }
		);
		expect( events.at( -1 )?.type ).toBe( 'speech.audio.done' );
		for ( const ev of events ) {
			expectValid(
				sim.spec.validateResponse(
					'createSpeech',
					200,
					'text/event-stream',
					ev
				)
			);
		}
	} );

	it( 'moderation, text and image input', async () => {
		const a = await (
			await postJson( `${ sim.baseURL }/moderations`, {
				model: 'omni-moderation-latest',
				input: 'I will kill the lights',
			} )
		).json();
		expectValid(
			sim.spec.validateResponse(
				'createModeration',
				200,
				'application/json',
				a
			)
		);
		const b = await (
			await postJson( `${ sim.baseURL }/moderations`, {
				input: [
					{ type: 'text', text: 'hello' },
					{
						type: 'image_url',
						image_url: { url: dataUrl( 'image/png', png ) },
					},
				],
			} )
		).json();
		expectValid(
			sim.spec.validateResponse(
				'createModeration',
				200,
				'application/json',
				b
			)
		);
	} );

	it( 'realtime client secret', async () => {
		const r = await postJson( `${ sim.baseURL }/realtime/client_secrets`, {
			expires_after: { anchor: 'created_at', seconds: 600 },
			session: {
				type: 'realtime',
				model: 'gpt-realtime-mini',
				instructions: 'Be kind.',
				audio: { output: { voice: 'marin' } },
			},
		} );
		const body = ( await r.json() ) as { value: string };
		expectValid(
			sim.spec.validateResponse(
				'create-realtime-client-secret',
				200,
				'application/json',
				body
			)
		);
		expect( body.value ).toMatch( /^ek_/ );
	} );
} );

describe( 'the server guards its own output', () => {
	it( 'a reply that breaks the spec is sent as a loud 500 simulator_response_invalid', async () => {
		const broken: Reply = {
			kind: 'json',
			status: 200,
			body: { object: 'list', data: [ { id: 1 } ] },
			schema: { op: 'listModels' },
		};
		const errors: unknown[] = [];
		const origError = simLog.error;
		simLog.error = ( ...args: unknown[] ) => errors.push( args );
		const server = createServer( ( _req, res ) => {
			const record: RequestRecord = {
				id: 'x',
				time: '',
				method: 'GET',
				path: '/v1/models',
				headers: {},
				media: [],
				validation: { ok: true },
			};
			void deliver(
				{
					res,
					spec: sim.spec,
					record,
					latency: { ttfb_ms: 0, chunk_ms: 0, chunk_chars: 16 },
					requestId: 'req_x',
					startedAt: 0,
					signal: new AbortController().signal,
				},
				broken
			);
		} );
		await new Promise< void >( ( resolve ) =>
			server.listen( 0, '127.0.0.1', resolve )
		);
		try {
			const r = await fetch(
				`http://127.0.0.1:${ ( server.address() as AddressInfo ).port }/`
			);
			expect( r.status ).toBe( 500 );
			const body = ( await r.json() ) as { error: { code: string } };
			expect( body.error.code ).toBe( 'simulator_response_invalid' );
			expect( errors.length ).toBeGreaterThan( 0 );
		} finally {
			simLog.error = origError;
			await new Promise( ( resolve ) => server.close( resolve ) );
		}
	} );
} );
