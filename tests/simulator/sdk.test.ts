// @vitest-environment node
/**
 * The official `openai` SDK (7.x) against the simulator: if the SDK parses everything, code
 * written with it here will parse OpenAI's real answers too.
 */
import OpenAI, { toFile } from 'openai';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './server';
import {
	KEY,
	decodedSeconds,
	ffmpegConvert,
	probe,
	scratch,
	script,
	speechWav,
} from './test-helpers';

let sim: Simulator;
let client: OpenAI;
const fx = scratch();
let speech: { path: string; bytes: Buffer; duration: number };

beforeAll( async () => {
	sim = await startSimulator( { port: 0 } );
	client = new OpenAI( { apiKey: KEY, baseURL: sim.baseURL, maxRetries: 0 } );
	speech = speechWav(
		fx.dir,
		'Please tell me the opening hours of the library.'
	);
} );
afterAll( async () => {
	await sim.close();
	fx.cleanup();
} );

describe( 'chat completions through the SDK', () => {
	it( 'plain answer with usage', async () => {
		const r = await client.chat.completions.create( {
			model: 'gpt-4o-mini',
			messages: [ { role: 'user', content: 'Hello simulator' } ],
		} );
		expect( r.choices[ 0 ]?.message.content ).toBe(
			'Simulated answer to: Hello simulator'
		);
		expect( r.usage?.prompt_tokens ).toBeGreaterThan( 0 );
		expect( r.usage?.total_tokens ).toBe(
			( r.usage?.prompt_tokens ?? 0 ) +
				( r.usage?.completion_tokens ?? 0 )
		);
	} );

	it( 'scripted answer', async () => {
		await script( sim.url, {
			match: { contains: 'opening hours' },
			reply: { content: 'We open at nine.' },
		} );
		const r = await client.chat.completions.create( {
			model: 'gpt-4.1',
			messages: [
				{ role: 'user', content: 'What are the opening hours?' },
			],
		} );
		expect( r.choices[ 0 ]?.message.content ).toBe( 'We open at nine.' );
	} );

	it( 'stream with include_usage: text arrives in pieces, usage last, with empty choices', async () => {
		await fetch( `${ sim.url }/__sim/config`, {
			method: 'POST',
			body: JSON.stringify( { chunk_chars: 5 } ),
		} );
		const stream = await client.chat.completions.create( {
			model: 'gpt-4o',
			stream: true,
			stream_options: { include_usage: true },
			messages: [ { role: 'user', content: 'Count to three' } ],
		} );
		let text = '';
		let pieces = 0;
		let usage: OpenAI.CompletionUsage | null | undefined;
		let lastChoices = -1;
		for await ( const chunk of stream ) {
			const delta = chunk.choices[ 0 ]?.delta.content;
			if ( delta ) {
				text += delta;
				pieces++;
			}
			if ( chunk.usage ) {
				usage = chunk.usage;
			}
			lastChoices = chunk.choices.length;
		}
		await fetch( `${ sim.url }/__sim/config`, {
			method: 'POST',
			body: JSON.stringify( { chunk_chars: 16 } ),
		} );
		expect( text ).toBe( 'Simulated answer to: Count to three' );
		expect( pieces ).toBeGreaterThan( 3 );
		expect( usage?.completion_tokens ).toBeGreaterThan( 0 );
		expect( lastChoices ).toBe( 0 );
	} );

	it( 'tool calls: arguments are a JSON string', async () => {
		await script( sim.url, {
			reply: {
				tool_calls: [
					{ name: 'get_weather', arguments: { city: 'Oslo' } },
				],
			},
		} );
		const r = await client.chat.completions.create( {
			model: 'gpt-4o',
			messages: [ { role: 'user', content: 'Weather in Oslo?' } ],
			tools: [
				{
					type: 'function',
					function: {
						name: 'get_weather',
						parameters: {
							type: 'object',
							properties: { city: { type: 'string' } },
							required: [ 'city' ],
						},
					},
				},
			],
		} );
		const call = r.choices[ 0 ]?.message.tool_calls?.[ 0 ];
		expect( r.choices[ 0 ]?.finish_reason ).toBe( 'tool_calls' );
		expect( call?.type ).toBe( 'function' );
		if ( call?.type !== 'function' ) {
			throw new Error( 'expected a function call' );
		}
		expect( typeof call.function.arguments ).toBe( 'string' );
		expect( JSON.parse( call.function.arguments ) ).toEqual( {
			city: 'Oslo',
		} );
	} );

	it( 'tool_choice "required" without a script calls the first tool with schema-shaped arguments', async () => {
		const r = await client.chat.completions.create( {
			model: 'gpt-4o',
			tool_choice: 'required',
			messages: [ { role: 'user', content: 'x' } ],
			tools: [
				{
					type: 'function',
					function: {
						name: 'search',
						parameters: {
							type: 'object',
							properties: {
								q: { type: 'string' },
								n: { type: 'integer' },
							},
							required: [ 'q', 'n' ],
						},
					},
				},
			],
		} );
		const call = r.choices[ 0 ]?.message.tool_calls?.[ 0 ];
		if ( call?.type !== 'function' ) {
			throw new Error( 'expected a function call' );
		}
		expect( JSON.parse( call.function.arguments ) ).toEqual( {
			q: 'simulated',
			n: 1,
		} );
	} );

	it( 'audio in (wav) and audio out (mp3): real bytes and a transcript', async () => {
		const r = await client.chat.completions.create( {
			model: 'gpt-audio-mini',
			modalities: [ 'text', 'audio' ],
			audio: { voice: 'alloy', format: 'mp3' },
			messages: [
				{
					role: 'user',
					content: [
						{
							type: 'input_audio',
							input_audio: {
								data: speech.bytes.toString( 'base64' ),
								format: 'wav',
							},
						},
					],
				},
			],
		} );
		const audio = r.choices[ 0 ]?.message.audio;
		expect( audio?.id ).toMatch( /^audio_/ );
		expect( audio?.transcript ).toMatch(
			/^Simulated answer to: \[audio \d+\.\d\d s\]$/
		);
		const bytes = Buffer.from( audio?.data ?? '', 'base64' );
		const p = await probe( bytes, 'mp3' );
		expect( p.codec ).toBe( 'mp3' );
		expect( r.usage?.prompt_tokens_details?.audio_tokens ).toBe(
			Math.ceil( speech.duration * 10 )
		);
		expect(
			r.usage?.completion_tokens_details?.audio_tokens
		).toBeGreaterThan( 0 );
	} );

	it( 'streamed audio out is pcm16: 24 kHz 16-bit mono pieces that decode one by one', async () => {
		const stream = await client.chat.completions.create( {
			model: 'gpt-audio-mini',
			modalities: [ 'text', 'audio' ],
			audio: { voice: 'alloy', format: 'pcm16' },
			stream: true,
			messages: [ { role: 'user', content: 'Say hi' } ],
		} );
		const pieces: Buffer[] = [];
		let transcript = '';
		for await ( const chunk of stream ) {
			const a = chunk.choices[ 0 ]?.delta.audio;
			if ( a?.data ) {
				const piece = Buffer.from( a.data, 'base64' );
				expect( piece.length % 2 ).toBe( 0 );
				pieces.push( piece );
			}
			if ( a?.transcript ) {
				transcript += a.transcript;
			}
		}
		const pcm = Buffer.concat( pieces );
		expect( transcript ).toBe( 'Simulated answer to: Say hi' );
		expect( pcm.length / 2 / 24000 ).toBeCloseTo(
			Math.max( 0.5, transcript.length * 0.06 ),
			2
		);
	} );
} );

describe( 'audio endpoints through the SDK', () => {
	it( 'transcribes a real WAV (espeak-ng + sox) and records what arrived', async () => {
		const r = await client.audio.transcriptions.create( {
			model: 'gpt-4o-transcribe',
			file: await toFile( speech.bytes, 'question.wav', {
				type: 'audio/wav',
			} ),
		} );
		expect( r.text ).toMatch(
			/^Simulated transcript of \d+\.\d\d seconds of audio\.$/
		);
		const rec = sim.state.requests.at( -1 );
		const facts = rec?.multipart?.files[ 0 ]?.audio as
			| {
					format: string;
					duration_s: number;
					sample_rate: number;
					silent: boolean;
			  }
			| undefined;
		expect( facts?.format ).toBe( 'wav' );
		expect( facts?.sample_rate ).toBe( 16000 );
		expect(
			Math.abs( ( facts?.duration_s ?? 0 ) - speech.duration )
		).toBeLessThan( 0.05 );
		expect( facts?.silent ).toBe( false );
	} );

	it( 'transcribes an MP3 made by ffmpeg, with a scripted transcript', async () => {
		const mp3 = ffmpegConvert( speech.path, join( fx.dir, 'q.mp3' ), [
			'-c:a',
			'libmp3lame',
		] );
		await script( sim.url, {
			match: { path: '/v1/audio/transcriptions' },
			reply: { transcript: 'When does the library open?' },
		} );
		const r = await client.audio.transcriptions.create( {
			model: 'whisper-1',
			file: await toFile( mp3, 'q.mp3', { type: 'audio/mpeg' } ),
			response_format: 'json',
		} );
		expect( r.text ).toBe( 'When does the library open?' );
		const facts = sim.state.requests.at( -1 )?.multipart?.files[ 0 ]
			?.audio as { format: string; codec: string } | undefined;
		expect( facts ).toMatchObject( { format: 'mp3', codec: 'mp3' } );
	} );

	it( 'streams transcript events', async () => {
		const stream = await client.audio.transcriptions.create( {
			model: 'gpt-4o-mini-transcribe',
			stream: true,
			file: await toFile( speech.bytes, 'q.wav' ),
		} );
		const types: string[] = [];
		let done = '';
		for await ( const ev of stream ) {
			types.push( ev.type );
			if ( ev.type === 'transcript.text.done' ) {
				done = ev.text;
			}
		}
		expect( types.at( -1 ) ).toBe( 'transcript.text.done' );
		expect(
			types.filter( ( t ) => t === 'transcript.text.delta' ).length
		).toBeGreaterThan( 0 );
		expect( done ).toMatch( /^Simulated transcript/ );
	} );

	it( 'speech: every format is real audio of the right codec', async () => {
		const expected: Record< string, string > = {
			mp3: 'mp3',
			opus: 'opus',
			aac: 'aac',
			flac: 'flac',
			wav: 'pcm_s16le',
		};
		await Promise.all(
			Object.entries( expected ).map( async ( [ format, codec ] ) => {
				const res = await client.audio.speech.create( {
					model: 'gpt-4o-mini-tts',
					voice: 'coral',
					input: 'The library opens at nine.',
					response_format: format as 'mp3',
				} );
				const bytes = Buffer.from( await res.arrayBuffer() );
				const p = await probe(
					bytes,
					format === 'opus' ? 'ogg' : format
				);
				expect( p.codec, format ).toBe( codec );
				// Opus always decodes at 48 kHz, whatever rate it was made from.
				expect( p.sample_rate, format ).toBe(
					format === 'opus' ? 48000 : 24000
				);
			} )
		);
		const pcm = Buffer.from(
			await (
				await client.audio.speech.create( {
					model: 'tts-1',
					voice: 'alloy',
					input: 'Hi there.',
					response_format: 'pcm',
				} )
			).arrayBuffer()
		);
		expect( pcm.length % 2 ).toBe( 0 );
		expect( pcm.length / 2 / 24000 ).toBeCloseTo( 0.54, 2 );
	} );

	it( 'speech: duration scales with input length and 1/speed', async () => {
		const input =
			'This sentence is exactly as long as it needs to be for the test.';
		const seconds = async (
			speed: number,
			text = input
		): Promise< number > => {
			const res = await client.audio.speech.create( {
				model: 'gpt-4o-mini-tts',
				voice: 'alloy',
				input: text,
				response_format: 'mp3',
				speed,
			} );
			return decodedSeconds( Buffer.from( await res.arrayBuffer() ) );
		};
		const [ normal, fast, longer ] = await Promise.all( [
			seconds( 1 ),
			seconds( 2 ),
			seconds( 1, `${ input } ${ input }` ),
		] );
		expect( normal ).toBeCloseTo( input.length * 0.06, 1 );
		expect( fast / normal ).toBeCloseTo( 0.5, 1 );
		expect( longer / normal ).toBeGreaterThan( 1.9 );
	} );
} );

describe( 'models and moderation through the SDK', () => {
	it( 'lists models with shutdown dates and hides shut-down ones', async () => {
		const ids = new Map< string, string | null | undefined >();
		for await ( const m of client.models.list() ) {
			ids.set(
				m.id,
				( m as { shutdown_date?: string | null } ).shutdown_date
			);
		}
		expect( ids.get( 'gpt-4o' ) ).toBe( '2027-01-14' );
		expect( ids.get( 'whisper-1' ) ).toBe( '2027-02-26' );
		expect( ids.has( 'gpt-4.1-nano' ) ).toBe( false );
		expect( ids.has( 'chatgpt-4o-latest' ) ).toBe( false );
		const one = await client.models.retrieve( 'gpt-5-mini' );
		expect( one.id ).toBe( 'gpt-5-mini' );
		await expect(
			client.models.retrieve( 'gpt-3.5-turbo' )
		).rejects.toMatchObject( { status: 404, code: 'model_not_found' } );
	} );

	it( 'moderates text deterministically', async () => {
		const r = await client.moderations.create( {
			model: 'omni-moderation-latest',
			input: [ 'hello there', 'I will kill him' ],
		} );
		expect( r.results.map( ( x ) => x.flagged ) ).toEqual( [
			false,
			true,
		] );
		expect( r.results[ 1 ]?.categories.violence ).toBe( true );
	} );
} );

describe( 'SDK retry behaviour', () => {
	it( 'retries a 429 with Retry-After and then succeeds', async () => {
		const retrying = new OpenAI( {
			apiKey: KEY,
			baseURL: sim.baseURL,
			maxRetries: 2,
		} );
		await script( sim.url, {
			match: { path: '/v1/chat/completions' },
			fault: { type: 'rate_limit_retry_after', retry_after: 1 },
		} );
		const before = sim.state.requests.length;
		const t0 = performance.now();
		const r = await retrying.chat.completions.create( {
			model: 'gpt-4o',
			messages: [ { role: 'user', content: 'retry me' } ],
		} );
		const waited = performance.now() - t0;
		expect( r.choices[ 0 ]?.message.content ).toBe(
			'Simulated answer to: retry me'
		);
		const attempts = sim.state.requests.slice( before );
		expect( attempts.map( ( a ) => a.status ) ).toEqual( [ 429, 200 ] );
		expect( waited ).toBeGreaterThanOrEqual( 950 );
	} );

	it( 'surfaces insufficient_quota as an error (the SDK retries every 429, so it is seen once per attempt)', async () => {
		const retrying = new OpenAI( {
			apiKey: KEY,
			baseURL: sim.baseURL,
			maxRetries: 1,
		} );
		await script( sim.url, {
			fault: { type: 'insufficient_quota' },
			times: 2,
		} );
		const before = sim.state.requests.length;
		const err: unknown = await retrying.chat.completions
			.create( {
				model: 'gpt-4o',
				messages: [ { role: 'user', content: 'x' } ],
			} )
			.catch( ( e: unknown ) => e );
		expect( err ).toBeInstanceOf( OpenAI.RateLimitError );
		expect(
			( err as InstanceType< typeof OpenAI.RateLimitError > ).code
		).toBe( 'insufficient_quota' );
		expect(
			( err as InstanceType< typeof OpenAI.RateLimitError > ).type
		).toBe( 'insufficient_quota' );
		expect( sim.state.requests.length - before ).toBe( 2 );
	} );

	it( 'surfaces an invalid key as AuthenticationError', async () => {
		const bad = new OpenAI( {
			apiKey: 'sk-invalid-0123456789abcdef',
			baseURL: sim.baseURL,
			maxRetries: 0,
		} );
		await expect( bad.models.list() ).rejects.toBeInstanceOf(
			OpenAI.AuthenticationError
		);
	} );
} );
