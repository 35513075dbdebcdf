// @vitest-environment node
/**
 * Fault injection and latency: each scripted fault behaves as specified, and only for the
 * requests it matches.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './server';
import {
	KEY,
	isErrorShape,
	postJson,
	script,
	sseData,
	type ErrorShape,
} from './test-helpers';

let sim: Simulator;

beforeAll( async () => {
	sim = await startSimulator( { port: 0 } );
} );
afterAll( async () => {
	await sim.close();
} );
beforeEach( async () => {
	await fetch( `${ sim.url }/__sim/script`, { method: 'DELETE' } );
	await postJson(
		`${ sim.url }/__sim/config`,
		{ ttfb_ms: 0, chunk_ms: 0, chunk_chars: 16 },
		{}
	);
} );

const chatBody = (
	extra: Record< string, unknown > = {}
): Record< string, unknown > => ( {
	model: 'gpt-4o',
	messages: [ { role: 'user', content: 'Tell me something' } ],
	...extra,
} );
const chat = ( extra: Record< string, unknown > = {} ): Promise< Response > =>
	postJson( `${ sim.baseURL }/chat/completions`, chatBody( extra ) );

async function errorOf( r: Response ): Promise< ErrorShape[ 'error' ] > {
	const body: unknown = await r.json();
	expect( isErrorShape( body ) ).toBe( true );
	return ( body as ErrorShape ).error;
}

/**
 * Reads a response body until the server closes it, keeping what arrived before a cut.
 * @param r
 */
async function readUntilClosed(
	r: Response
): Promise< { text: string; cut: boolean } > {
	const reader = r.body?.getReader();
	const dec = new TextDecoder();
	let text = '';
	if ( ! reader ) {
		return { text, cut: false };
	}
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if ( done ) {
				return { text, cut: false };
			}
			text += dec.decode( value, { stream: true } );
		}
	} catch {
		return { text, cut: true };
	}
}

describe( 'error faults', () => {
	it( 'rate_limit: 429 without Retry-After', async () => {
		await script( sim.url, { fault: { type: 'rate_limit' } } );
		const r = await chat();
		expect( r.status ).toBe( 429 );
		expect( r.headers.get( 'retry-after' ) ).toBeNull();
		const e = await errorOf( r );
		expect( e.code ).toBe( 'rate_limit_exceeded' );
		expect( sim.state.requests.at( -1 )?.fault ).toBe( 'rate_limit' );
	} );

	it( 'rate_limit_retry_after: 429 with Retry-After in seconds', async () => {
		await script( sim.url, {
			fault: { type: 'rate_limit_retry_after', retry_after: 7 },
		} );
		const r = await chat();
		expect( r.status ).toBe( 429 );
		expect( r.headers.get( 'retry-after' ) ).toBe( '7' );
		expect( ( await errorOf( r ) ).message ).toContain( '7s' );
	} );

	it( 'insufficient_quota: 429 whose type and code say billing', async () => {
		await script( sim.url, { fault: { type: 'insufficient_quota' } } );
		const r = await chat();
		expect( r.status ).toBe( 429 );
		const e = await errorOf( r );
		expect( e ).toMatchObject( {
			type: 'insufficient_quota',
			code: 'insufficient_quota',
		} );
	} );

	it( 'invalid_api_key: 401', async () => {
		await script( sim.url, { fault: { type: 'invalid_api_key' } } );
		const r = await chat();
		expect( r.status ).toBe( 401 );
		expect( ( await errorOf( r ) ).code ).toBe( 'invalid_api_key' );
	} );

	it( 'server_error: 500, unavailable: 503', async () => {
		await script( sim.url, [
			{ fault: { type: 'server_error' } },
			{ fault: { type: 'unavailable' } },
		] );
		const a = await chat();
		expect( a.status ).toBe( 500 );
		expect( ( await errorOf( a ) ).type ).toBe( 'server_error' );
		const b = await chat();
		expect( b.status ).toBe( 503 );
		await errorOf( b );
		expect( ( await chat() ).status ).toBe( 200 );
	} );
} );

describe( 'delivery faults', () => {
	it( 'timeout: holds the connection without a byte, then drops it', async () => {
		await script( sim.url, { fault: { type: 'timeout', ms: 400 } } );
		const t0 = performance.now();
		const err: unknown = await chat().catch( ( e: unknown ) => e );
		expect( err ).toBeInstanceOf( TypeError );
		expect( performance.now() - t0 ).toBeGreaterThanOrEqual( 380 );
		expect( sim.state.requests.at( -1 )?.outcome ).toBe( 'timeout' );
	} );

	it( 'timeout: the SDK gives up by its own timeout', async () => {
		await script( sim.url, { fault: { type: 'timeout', ms: 5000 } } );
		const client = new OpenAI( {
			apiKey: KEY,
			baseURL: sim.baseURL,
			maxRetries: 0,
			timeout: 300,
		} );
		await expect(
			client.chat.completions.create( {
				model: 'gpt-4o',
				messages: [ { role: 'user', content: 'x' } ],
			} )
		).rejects.toBeInstanceOf( OpenAI.APIConnectionTimeoutError );
	} );

	it( 'malformed_json: 200 with a body that is not JSON', async () => {
		await script( sim.url, { fault: { type: 'malformed_json' } } );
		const r = await chat();
		expect( r.status ).toBe( 200 );
		const text = await r.text();
		expect( () => JSON.parse( text ) ).toThrow();
		await script( sim.url, { fault: { type: 'malformed_json' } } );
		const s = await chat( { stream: true } );
		const first = sseData( await s.text() )[ 0 ] ?? '';
		expect( () => JSON.parse( first ) ).toThrow();
	} );

	it( 'cut_stream: closes after K chunks, without [DONE] and without the usage chunk', async () => {
		await script( sim.url, {
			fault: { type: 'cut_stream', after_chunks: 2 },
		} );
		const r = await chat( {
			stream: true,
			stream_options: { include_usage: true },
		} );
		expect( r.status ).toBe( 200 );
		const { text, cut } = await readUntilClosed( r );
		expect( cut ).toBe( true );
		const data = sseData( text );
		expect( data ).toHaveLength( 2 );
		expect( data ).not.toContain( '[DONE]' );
		expect(
			data.some(
				( d ) => ( JSON.parse( d ) as { usage?: unknown } ).usage
			)
		).toBe( false );
		expect( sim.state.requests.at( -1 )?.outcome ).toBe( 'cut' );
	} );

	it( 'cut_stream: the SDK sees an error, not a clean end', async () => {
		await script( sim.url, {
			fault: { type: 'cut_stream', after_chunks: 3 },
		} );
		const client = new OpenAI( {
			apiKey: KEY,
			baseURL: sim.baseURL,
			maxRetries: 0,
		} );
		const stream = await client.chat.completions.create( {
			model: 'gpt-4o',
			stream: true,
			stream_options: { include_usage: true },
			messages: [ { role: 'user', content: 'A long answer please' } ],
		} );
		let text = '';
		let usage: unknown;
		const err: unknown = await ( async () => {
			for await ( const c of stream ) {
				text += c.choices[ 0 ]?.delta.content ?? '';
				usage ??= c.usage;
			}
		} )().catch( ( e: unknown ) => e );
		expect( err ).toBeInstanceOf( Error );
		expect( text.length ).toBeGreaterThan( 0 );
		expect( text ).not.toBe( 'Simulated answer to: A long answer please' );
		expect( usage ).toBeFalsy();
	} );
} );

describe( 'script matching and latency', () => {
	it( 'applies only to matching requests, as many times as asked', async () => {
		await script( sim.url, {
			match: { model: 'gpt-4o-mini', contains: 'please fail' },
			fault: { type: 'server_error' },
			times: 2,
		} );
		expect( ( await chat( { model: 'gpt-4o-mini' } ) ).status ).toBe( 200 );
		expect(
			(
				await chat( {
					messages: [ { role: 'user', content: 'please fail' } ],
				} )
			).status
		).toBe( 200 );
		const hit = (): Promise< Response > =>
			chat( {
				model: 'gpt-4o-mini',
				messages: [ { role: 'user', content: 'please fail' } ],
			} );
		expect( ( await hit() ).status ).toBe( 500 );
		expect( ( await hit() ).status ).toBe( 500 );
		expect( ( await hit() ).status ).toBe( 200 );
	} );

	it( 'ttfb_ms delays the status line; chunk_ms spaces stream chunks', async () => {
		await postJson(
			`${ sim.url }/__sim/config`,
			{ ttfb_ms: 250, chunk_ms: 40, chunk_chars: 4 },
			{}
		);
		const t0 = performance.now();
		const r = await chat( { stream: true } );
		const ttfb = performance.now() - t0;
		const data = sseData( await r.text() );
		const total = performance.now() - t0;
		expect( ttfb ).toBeGreaterThanOrEqual( 240 );
		// role chunk + ceil(len/4) content chunks + finish chunk, with 40 ms between chunks
		const events = data.length - 1;
		expect( total - ttfb ).toBeGreaterThanOrEqual(
			( events - 1 ) * 40 - 20
		);
	} );

	it( "a script's own latency paces only the requests it matches", async () => {
		await script( sim.url, {
			match: { contains: 'slowly' },
			reply: { content: 'One two three four five six seven eight.' },
			latency: { ttfb_ms: 200, chunk_ms: 50 },
		} );
		const timed = async ( content: string ) => {
			const t0 = performance.now();
			const r = await chat( {
				stream: true,
				messages: [ { role: 'user', content } ],
			} );
			const events = sseData( await r.text() ).length - 1;
			return { ms: performance.now() - t0, events };
		};
		const slow = await timed( 'Answer slowly' );
		expect( slow.ms ).toBeGreaterThanOrEqual(
			200 + ( slow.events - 1 ) * 50 - 20
		);
		const quick = await timed( 'Answer at once' );
		expect( quick.ms ).toBeLessThan( 150 );

		const refused = await postJson(
			`${ sim.url }/__sim/script`,
			{ reply: { content: 'x' }, latency: { chunk_size: 1 } },
			{}
		);
		expect( refused.status ).toBe( 400 );
	} );
} );
