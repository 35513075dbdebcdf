// @vitest-environment node
/**
 * Usage the simulator reports follows the documented counting rules exactly, and its bill is
 * those numbers times the price table.
 */
import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueEntry } from './models';
import { startSimulator, type Simulator } from './server';
import { imagePatches, imageTokens } from './tokens';
import { dataUrl, postJson, scratch, testJpeg, testPng } from './test-helpers';

let sim: Simulator;
const fx = scratch();
const enc = new Tiktoken( o200kBase );
const count = ( s: string ): number => enc.encode( s ).length;

interface Usage {
	prompt_tokens: number;
	completion_tokens: number;
	total_tokens: number;
	prompt_tokens_details: {
		image_tokens: number;
		text_tokens: number;
		audio_tokens: number;
		cached_tokens: number;
	};
	completion_tokens_details: {
		reasoning_tokens: number;
		text_tokens: number;
	};
}
interface ChatBody {
	choices: Array< {
		message: { content: string | null };
		finish_reason: string;
	} >;
	usage: Usage;
}

async function chat( body: unknown ): Promise< ChatBody > {
	const r = await postJson( `${ sim.baseURL }/chat/completions`, body );
	const json: unknown = await r.json();
	expect( r.status, JSON.stringify( json ) ).toBe( 200 );
	return json as ChatBody;
}

beforeAll( async () => {
	sim = await startSimulator( { port: 0 } );
} );
afterAll( async () => {
	await sim.close();
	fx.cleanup();
} );

describe( 'text tokens', () => {
	it( 'prompt = o200k count of each text + 3 per message + role (+ name + 1) + 3 priming', async () => {
		const messages = [
			{
				role: 'developer',
				content: 'You answer questions about the library.',
			},
			{
				role: 'user',
				name: 'alice',
				content: 'Hello, how many tokens is this sentence?',
			},
			{ role: 'assistant', content: 'Quite a few.' },
			{
				role: 'user',
				content: [
					{ type: 'text', text: 'And this one' },
					{ type: 'text', text: ' with two parts?' },
				],
			},
		];
		const expected =
			3 +
			( 3 +
				count( 'developer' ) +
				count( 'You answer questions about the library.' ) ) +
			( 3 +
				count( 'user' ) +
				count( 'Hello, how many tokens is this sentence?' ) +
				count( 'alice' ) +
				1 ) +
			( 3 + count( 'assistant' ) + count( 'Quite a few.' ) ) +
			( 3 +
				count( 'user' ) +
				count( 'And this one' ) +
				count( ' with two parts?' ) );
		const r = await chat( { model: 'gpt-4o', messages } );
		expect( r.usage.prompt_tokens ).toBe( expected );
		expect( r.usage.prompt_tokens_details.text_tokens ).toBe( expected );
		const answer = r.choices[ 0 ]?.message.content ?? '';
		expect( answer ).toBe(
			'Simulated answer to: And this one  with two parts?'
		);
		expect( r.usage.completion_tokens ).toBe( count( answer ) );
		expect( r.usage.total_tokens ).toBe( expected + count( answer ) );
	} );

	it( 'max_completion_tokens truncates with finish_reason "length"', async () => {
		const r = await chat( {
			model: 'gpt-4.1-mini',
			max_completion_tokens: 3,
			messages: [
				{ role: 'user', content: 'Tell me a long story about dragons' },
			],
		} );
		expect( r.choices[ 0 ]?.finish_reason ).toBe( 'length' );
		expect( r.usage.completion_tokens ).toBe( 3 );
	} );

	it( 'gpt-5 models spend reasoning tokens, and a small limit leaves an empty answer', async () => {
		const r = await chat( {
			model: 'gpt-5-mini',
			messages: [ { role: 'user', content: 'Hi' } ],
		} );
		expect( r.usage.completion_tokens_details.reasoning_tokens ).toBe( 64 );
		expect( r.usage.completion_tokens ).toBe(
			64 + count( r.choices[ 0 ]?.message.content ?? '' )
		);
		const starved = await chat( {
			model: 'gpt-5-mini',
			max_completion_tokens: 50,
			messages: [ { role: 'user', content: 'Hi' } ],
		} );
		expect( starved.choices[ 0 ]?.message.content ).toBe( '' );
		expect( starved.choices[ 0 ]?.finish_reason ).toBe( 'length' );
	} );
} );

describe( 'image tokens', () => {
	it( '1024x1024 at detail high on gpt-4o costs 765 (85 + 4 x 170), low costs 85', async () => {
		const png = testPng( fx.dir, 1024, 1024 );
		const content = ( detail: string ): unknown[] => [
			{
				type: 'image_url',
				image_url: { url: dataUrl( 'image/png', png ), detail },
			},
		];
		const high = await chat( {
			model: 'gpt-4o',
			messages: [ { role: 'user', content: content( 'high' ) } ],
		} );
		expect( high.usage.prompt_tokens_details.image_tokens ).toBe( 765 );
		expect( high.usage.prompt_tokens ).toBe(
			765 + 3 + 3 + count( 'user' )
		);
		const low = await chat( {
			model: 'gpt-4o',
			messages: [ { role: 'user', content: content( 'low' ) } ],
		} );
		expect( low.usage.prompt_tokens_details.image_tokens ).toBe( 85 );
		const mini = await chat( {
			model: 'gpt-4o-mini',
			messages: [ { role: 'user', content: content( 'high' ) } ],
		} );
		expect( mini.usage.prompt_tokens_details.image_tokens ).toBe(
			2833 + 4 * 5667
		);
		const media = sim.state.requests.at( -1 )?.media as Array< {
			width: number;
			height: number;
			type: string;
		} >;
		expect( media[ 0 ] ).toMatchObject( {
			type: 'png',
			width: 1024,
			height: 1024,
		} );
	} );

	it( 'measures JPEG dimensions from the bytes', async () => {
		const jpg = testJpeg( fx.dir, 800, 600 );
		const r = await chat( {
			model: 'gpt-4.1',
			messages: [
				{
					role: 'user',
					content: [
						{
							type: 'image_url',
							image_url: {
								url: dataUrl( 'image/jpeg', jpg ),
								detail: 'high',
							},
						},
					],
				},
			],
		} );
		// 800x600 -> short side 768 -> 1024x768 -> 2x2 tiles
		expect( r.usage.prompt_tokens_details.image_tokens ).toBe(
			85 + 170 * 4
		);
	} );

	it( 'follows the documented examples of both rules', () => {
		const tile = catalogueEntry( 'gpt-4o' )?.image;
		const patch = catalogueEntry( 'gpt-4.1-mini' )?.image;
		if ( ! tile || ! patch ) {
			throw new Error( 'catalogue incomplete' );
		}
		expect( imageTokens( tile, 2048, 4096, 'high' ) ).toBe( 1105 );
		expect( imageTokens( tile, 4096, 8192, 'low' ) ).toBe( 85 );
		expect( imagePatches( 1024, 1024 ) ).toBe( 1024 );
		expect( imagePatches( 1800, 2400 ) ).toBe( 1452 );
		expect( imageTokens( patch, 1024, 1024 ) ).toBe(
			Math.ceil( 1024 * 1.62 )
		);
	} );
} );

describe( 'bill', () => {
	it( 'is usage x price in micro-dollars; overrides apply; unpriced models are listed, never free', async () => {
		await fetch( `${ sim.url }/__sim/requests`, { method: 'DELETE' } );
		const a = await chat( {
			model: 'gpt-4o',
			messages: [ { role: 'user', content: 'Bill me' } ],
		} );
		const b = await chat( {
			model: 'gpt-4o-mini',
			messages: [ { role: 'user', content: 'Bill me too' } ],
		} );
		await chat( {
			model: 'gpt-5.5',
			messages: [ { role: 'user', content: 'No price known' } ],
		} );
		const bill = ( await (
			await fetch( `${ sim.url }/__sim/bill` )
		).json() ) as {
			total_micro_usd: number;
			unpriced_requests: string[];
			requests: Array< { model: string; cost_micro_usd: number | null } >;
		};
		const costA =
			a.usage.prompt_tokens * 2.5 + a.usage.completion_tokens * 10;
		const costB =
			b.usage.prompt_tokens * 0.15 + b.usage.completion_tokens * 0.6;
		expect( bill.requests.map( ( r ) => r.model ) ).toEqual( [
			'gpt-4o',
			'gpt-4o-mini',
			'gpt-5.5',
		] );
		expect( bill.requests[ 0 ]?.cost_micro_usd ).toBeCloseTo( costA, 6 );
		expect( bill.requests[ 1 ]?.cost_micro_usd ).toBeCloseTo( costB, 6 );
		expect( bill.requests[ 2 ]?.cost_micro_usd ).toBeNull();
		expect( bill.unpriced_requests ).toHaveLength( 1 );
		expect( bill.total_micro_usd ).toBeCloseTo( costA + costB, 6 );

		await postJson(
			`${ sim.url }/__sim/config`,
			{ prices: { 'gpt-5.5': { text_in: 5, text_out: 20 } } },
			{}
		);
		const c = await chat( {
			model: 'gpt-5.5',
			messages: [ { role: 'user', content: 'Now priced' } ],
		} );
		const bill2 = ( await (
			await fetch( `${ sim.url }/__sim/bill` )
		).json() ) as { requests: Array< { cost_micro_usd: number | null } > };
		expect( bill2.requests.at( -1 )?.cost_micro_usd ).toBeCloseTo(
			c.usage.prompt_tokens * 5 + c.usage.completion_tokens * 20,
			6
		);
	} );

	it( 'refuses prompts over the context window with context_length_exceeded', async () => {
		const r = await postJson( `${ sim.baseURL }/chat/completions`, {
			model: 'gpt-4o',
			messages: [ { role: 'user', content: 'word '.repeat( 130_000 ) } ],
		} );
		expect( r.status ).toBe( 400 );
		expect(
			( ( await r.json() ) as { error: { code: string } } ).error.code
		).toBe( 'context_length_exceeded' );
	} );
} );
