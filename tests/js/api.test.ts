import { describe, expect, it, vi } from 'vitest';
import type { APIFetchOptions } from '@wordpress/api-fetch';

import {
	CODE_ABORTED,
	CODE_INTERRUPTED,
	CODE_NETWORK,
	createChatApi,
	createTokenStore,
	normalizeError,
	restUrl,
} from '../../src/lib/api';
import type { ApiFetch, Session, TokenStore } from '../../src/lib/api';

const ROOT = 'https://example.test/wp-json/';

function json( body: unknown, status = 200 ): Response {
	return new Response( JSON.stringify( body ), {
		status,
		headers: { 'Content-Type': 'application/json' },
	} );
}

function sse( text: string ): Response {
	return new Response( text, {
		headers: { 'Content-Type': 'text/event-stream; charset=UTF-8' },
	} );
}

/**
 * What apiFetch does with parse:false: resolves 2xx responses, throws the others.
 * @param handler
 */
function fakeApiFetch(
	handler: (
		options: APIFetchOptions< false >
	) => Response | Promise< Response >
) {
	return vi.fn( async ( options: APIFetchOptions< false > ) => {
		const response = await handler( options );
		if ( ! response.ok ) {
			throw response;
		}
		return response;
	} );
}

function memoryTokens( initial: Session | null = null ): TokenStore {
	let session = initial;
	return {
		get: () => session,
		set: ( next ) => {
			session = next;
		},
		clear: () => {
			session = null;
		},
	};
}

const NOW = 1_800_000_000_000;
const LATER = NOW / 1000 + 7200;

describe( 'normalizeError', () => {
	it( 'reads a WordPress REST error from a response', async () => {
		const error = await normalizeError(
			json(
				{
					code: 'vvc_rate_limited',
					message: 'Slow down.',
					data: { status: 429 },
				},
				429
			)
		);
		expect( error ).toEqual( {
			code: 'vvc_rate_limited',
			message: 'Slow down.',
			status: 429,
		} );
	} );

	it( 'reads the free alternatives of a spent budget, dropping unsafe links', async () => {
		const error = await normalizeError(
			json(
				{
					code: 'vvc_budget_exhausted',
					message: 'The chat is resting until tomorrow.',
					data: {
						status: 503,
						scope: 'site_day',
						retry_after: 3600,
						questions: [ 'When do you open?', '', 7 ],
						links: [
							{
								title: 'Opening hours',
								url: 'https://example.com/hours/',
							},
							{ title: 'Bad', url: 'javascript:alert(1)' },
							{ title: 'No url' },
						],
						search_url: 'https://example.com/?s=hours',
					},
				},
				503
			)
		);
		expect( error ).toEqual( {
			code: 'vvc_budget_exhausted',
			message: 'The chat is resting until tomorrow.',
			status: 503,
			scope: 'site_day',
			alternatives: {
				questions: [ 'When do you open?' ],
				links: [
					{
						title: 'Opening hours',
						url: 'https://example.com/hours/',
					},
				],
				searchUrl: 'https://example.com/?s=hours',
				retryAfter: 3600,
			},
		} );
		// Passing through normalizeError again keeps it as it is.
		expect( await normalizeError( error ) ).toEqual( error );
	} );

	it( 'reads the alternatives a provider failure carries, and none where the server sent none', async () => {
		const down = await normalizeError(
			json(
				{
					code: 'vvc_upstream_error',
					message: 'The assistant could not answer just now.',
					data: {
						status: 502,
						questions: [ 'When do you open?' ],
						links: [],
						search_url: 'https://example.com/?s=hours',
					},
				},
				502
			)
		);
		expect( down.alternatives ).toEqual( {
			questions: [ 'When do you open?' ],
			links: [],
			searchUrl: 'https://example.com/?s=hours',
			retryAfter: 0,
		} );
		const plain = await normalizeError(
			json(
				{
					code: 'vvc_upstream_error',
					message: 'The assistant could not answer just now.',
					data: { status: 502 },
				},
				502
			)
		);
		expect( plain ).not.toHaveProperty( 'alternatives' );
	} );

	it( 'keeps the status of a response that is not JSON', async () => {
		const error = await normalizeError(
			new Response( '<html>Bad gateway</html>', { status: 502 } )
		);
		expect( error ).toEqual( {
			code: 'vvc_http_502',
			message: '',
			status: 502,
		} );
	} );

	it( 'maps an abort to the aborted code', async () => {
		const abort = new DOMException( 'The user aborted.', 'AbortError' );
		expect( ( await normalizeError( abort ) ).code ).toBe( CODE_ABORTED );
	} );

	it( "maps apiFetch's offline and fetch errors, and TypeError, to network", async () => {
		for ( const thrown of [
			{ code: 'fetch_error', message: 'Could not get a valid response.' },
			{ code: 'offline_error', message: 'You are offline.' },
			new TypeError( 'Failed to fetch' ),
		] ) {
			expect( await normalizeError( thrown ) ).toMatchObject( {
				code: CODE_NETWORK,
				status: 0,
			} );
		}
	} );

	it( 'takes the status from a REST error body', async () => {
		expect(
			await normalizeError( {
				code: 'vvc_disabled',
				message: 'Off.',
				data: { status: 503 },
			} )
		).toEqual( { code: 'vvc_disabled', message: 'Off.', status: 503 } );
	} );

	it( 'passes an ApiError through unchanged', async () => {
		const error = { code: 'vvc_upstream_error', message: 'x', status: 200 };
		expect( await normalizeError( error ) ).toEqual( error );
	} );

	it( 'hides programming errors behind a code without a message', async () => {
		expect( await normalizeError( new Error( 'secret stack' ) ) ).toEqual( {
			code: 'vvc_client_error',
			message: '',
			status: 0,
		} );
		expect( ( await normalizeError( 'weird' ) ).code ).toBe(
			'vvc_client_error'
		);
		expect( ( await normalizeError( new SyntaxError( 'x' ) ) ).code ).toBe(
			CODE_INTERRUPTED
		);
	} );
} );

describe( 'restUrl', () => {
	it( 'joins pretty and plain-permalink roots', () => {
		expect( restUrl( ROOT, 'voice-vision-chat/v1/chat' ) ).toBe(
			'https://example.test/wp-json/voice-vision-chat/v1/chat'
		);
		expect(
			restUrl(
				'https://example.test/?rest_route=/',
				'/voice-vision-chat/v1/chat'
			)
		).toBe( 'https://example.test/?rest_route=/voice-vision-chat/v1/chat' );
		expect(
			restUrl(
				'https://example.test/wp-json',
				'voice-vision-chat/v1/session'
			)
		).toBe( 'https://example.test/wp-json/voice-vision-chat/v1/session' );
	} );
} );

describe( 'createTokenStore', () => {
	it( 'survives in storage and works without it', () => {
		const storage = new Map< string, string >();
		const fake = {
			getItem: ( key: string ) => storage.get( key ) ?? null,
			setItem: ( key: string, value: string ) =>
				storage.set( key, value ),
			removeItem: ( key: string ) => storage.delete( key ),
		} as unknown as Storage;
		createTokenStore( fake ).set( { token: 't', expiresAt: 5 } );
		expect( createTokenStore( fake ).get() ).toEqual( {
			token: 't',
			expiresAt: 5,
		} );

		const throwing = {
			getItem: () => {
				throw new Error( 'denied' );
			},
			setItem: () => {
				throw new Error( 'denied' );
			},
			removeItem: () => {
				throw new Error( 'denied' );
			},
		} as unknown as Storage;
		const store = createTokenStore( throwing );
		expect( store.get() ).toBeNull();
		store.set( { token: 'm', expiresAt: 9 } );
		expect( store.get() ).toEqual( { token: 'm', expiresAt: 9 } );
		store.clear();
		expect( createTokenStore( null ).get() ).toBeNull();
	} );
} );

describe( 'createChatApi', () => {
	const stream =
		'event: delta\ndata: {"text":"Hel"}\n\n' +
		'event: delta\ndata: {"text":"lo"}\n\n' +
		'event: done\ndata: {"finish_reason":"stop"}\n\n';

	it( 'asks for one session for concurrent callers and reuses it', async () => {
		const apiFetch = fakeApiFetch( () =>
			json( { token: 'tok-1', expires_at: LATER } )
		);
		const api = createChatApi( {
			apiFetch: apiFetch as ApiFetch,
			root: ROOT,
			tokens: memoryTokens(),
			now: () => NOW,
		} );
		const [ a, b ] = await Promise.all( [
			api.ensureSession(),
			api.ensureSession(),
		] );
		await api.ensureSession();
		expect( a ).toEqual( { token: 'tok-1', expiresAt: LATER } );
		expect( b ).toBe( a );
		expect( apiFetch ).toHaveBeenCalledTimes( 1 );
		expect( apiFetch.mock.calls[ 0 ]?.[ 0 ] ).toMatchObject( {
			url: ROOT + 'voice-vision-chat/v1/session',
			method: 'POST',
			parse: false,
		} );
	} );

	it( 'replaces a token about to expire', async () => {
		const apiFetch = fakeApiFetch( () =>
			json( { token: 'fresh', expires_at: LATER } )
		);
		const api = createChatApi( {
			apiFetch: apiFetch as ApiFetch,
			root: ROOT,
			tokens: memoryTokens( {
				token: 'old',
				expiresAt: NOW / 1000 + 30,
			} ),
			now: () => NOW,
		} );
		expect( ( await api.ensureSession() ).token ).toBe( 'fresh' );
	} );

	it( 'sends a multipart stream request and collects the deltas', async () => {
		const requests: APIFetchOptions< false >[] = [];
		const apiFetch = fakeApiFetch( ( options ) => {
			requests.push( options );
			return sse( stream );
		} );
		const deltas: string[] = [];
		const api = createChatApi( {
			apiFetch: apiFetch as ApiFetch,
			root: ROOT,
			tokens: memoryTokens( { token: 'tok', expiresAt: LATER } ),
			now: () => NOW,
		} );
		const image = new Blob( [ 'jpeg bytes' ], { type: 'image/jpeg' } );
		const result = await api.send( {
			message: 'Hi there',
			history: [
				{ role: 'user', content: 'Before' },
				{ role: 'assistant', content: 'Answer' },
			],
			image,
			onDelta: ( text ) => deltas.push( text ),
		} );

		expect( result ).toEqual( { reply: 'Hello', finishReason: 'stop' } );
		expect( deltas ).toEqual( [ 'Hel', 'lo' ] );
		const request = requests[ 0 ]!;
		expect( request.url ).toBe( ROOT + 'voice-vision-chat/v1/chat' );
		expect( request.parse ).toBe( false );
		expect( request.headers?.[ 'X-VVC-Token' ] ).toBe( 'tok' );
		expect( request.headers?.[ 'Content-Type' ] ).toBeUndefined();
		const form = request.body as FormData;
		expect( form ).toBeInstanceOf( FormData );
		expect( form.get( 'message' ) ).toBe( 'Hi there' );
		expect( form.get( 'stream' ) ).toBe( '1' );
		expect( JSON.parse( String( form.get( 'history' ) ) ) ).toEqual( [
			{ role: 'user', content: 'Before' },
			{ role: 'assistant', content: 'Answer' },
		] );
		const part = form.get( 'image' ) as File;
		expect( part.name ).toBe( 'photo.jpg' );
		expect( part.type ).toBe( 'image/jpeg' );
		expect( await part.text() ).toBe( 'jpeg bytes' );
	} );

	it( 'asks for a new session once on 401 and retries', async () => {
		let sessions = 0;
		const tokensSeen: string[] = [];
		const apiFetch = fakeApiFetch( ( options ) => {
			if ( options.url?.endsWith( '/session' ) ) {
				sessions++;
				return json( {
					token: `new-${ sessions }`,
					expires_at: LATER,
				} );
			}
			const token = options.headers?.[ 'X-VVC-Token' ] ?? '';
			tokensSeen.push( token );
			return token === 'stale'
				? json(
						{
							code: 'vvc_invalid_token',
							message: 'Expired.',
							data: { status: 401 },
						},
						401
					)
				: sse( stream );
		} );
		const api = createChatApi( {
			apiFetch: apiFetch as ApiFetch,
			root: ROOT,
			tokens: memoryTokens( { token: 'stale', expiresAt: LATER } ),
			now: () => NOW,
		} );
		const result = await api.send( { message: 'Hi', history: [] } );
		expect( result.reply ).toBe( 'Hello' );
		expect( tokensSeen ).toEqual( [ 'stale', 'new-1' ] );
		expect( sessions ).toBe( 1 );
	} );

	it( 'gives up after the second 401', async () => {
		const apiFetch = fakeApiFetch( ( options ) =>
			options.url?.endsWith( '/session' )
				? json( { token: 'again', expires_at: LATER } )
				: json(
						{
							code: 'vvc_invalid_token',
							message: 'No.',
							data: { status: 401 },
						},
						401
					)
		);
		const api = createChatApi( {
			apiFetch: apiFetch as ApiFetch,
			root: ROOT,
			tokens: memoryTokens(),
			now: () => NOW,
		} );
		await expect(
			api.send( { message: 'Hi', history: [] } )
		).rejects.toEqual( {
			code: 'vvc_invalid_token',
			message: 'No.',
			status: 401,
		} );
		// Session, chat, new session, chat: then stop.
		expect( apiFetch ).toHaveBeenCalledTimes( 4 );
	} );

	it( 'throws the error event of a stream, after the deltas before it', async () => {
		const deltas: string[] = [];
		const api = createChatApi( {
			apiFetch: fakeApiFetch( () =>
				sse(
					'event: delta\ndata: {"text":"Par"}\n\n' +
						'event: error\ndata: {"code":"vvc_upstream_timeout","message":"Too slow."}\n\n'
				)
			) as ApiFetch,
			root: ROOT,
			tokens: memoryTokens( { token: 't', expiresAt: LATER } ),
			now: () => NOW,
		} );
		await expect(
			api.send( {
				message: 'Hi',
				history: [],
				onDelta: ( text ) => deltas.push( text ),
			} )
		).rejects.toEqual( {
			code: 'vvc_upstream_timeout',
			message: 'Too slow.',
			status: 200,
		} );
		expect( deltas ).toEqual( [ 'Par' ] );
	} );

	it( 'reads the alternatives of a stream that failed before any word', async () => {
		const api = createChatApi( {
			apiFetch: fakeApiFetch( () =>
				sse(
					': waiting\n\n' +
						'event: error\ndata: {"code":"vvc_upstream_timeout","message":"Too slow.","questions":["When do you open?"],"links":[{"title":"Hours","url":"https://example.com/hours/"}],"search_url":"https://example.com/?s=hours"}\n\n'
				)
			) as ApiFetch,
			root: ROOT,
			tokens: memoryTokens( { token: 't', expiresAt: LATER } ),
			now: () => NOW,
		} );
		await expect(
			api.send( { message: 'Hours?', history: [] } )
		).rejects.toEqual( {
			code: 'vvc_upstream_timeout',
			message: 'Too slow.',
			status: 200,
			alternatives: {
				questions: [ 'When do you open?' ],
				links: [
					{ title: 'Hours', url: 'https://example.com/hours/' },
				],
				searchUrl: 'https://example.com/?s=hours',
				retryAfter: 0,
			},
		} );
	} );

	it( 'reports a stream that ends without "done" as interrupted', async () => {
		const api = createChatApi( {
			apiFetch: fakeApiFetch( () =>
				sse( 'event: delta\ndata: {"text":"Par"}\n\n' )
			) as ApiFetch,
			root: ROOT,
			tokens: memoryTokens( { token: 't', expiresAt: LATER } ),
			now: () => NOW,
		} );
		await expect(
			api.send( { message: 'Hi', history: [] } )
		).rejects.toMatchObject( { code: CODE_INTERRUPTED } );
	} );

	it( 'accepts a JSON answer from a server that does not stream', async () => {
		const deltas: string[] = [];
		const api = createChatApi( {
			apiFetch: fakeApiFetch( () =>
				json( { reply: 'Whole answer', finish_reason: 'length' } )
			) as ApiFetch,
			root: ROOT,
			tokens: memoryTokens( { token: 't', expiresAt: LATER } ),
			now: () => NOW,
		} );
		expect(
			await api.send( {
				message: 'Hi',
				history: [],
				onDelta: ( text ) => deltas.push( text ),
			} )
		).toEqual( { reply: 'Whole answer', finishReason: 'length' } );
		expect( deltas ).toEqual( [ 'Whole answer' ] );
	} );

	it( 'reports a stop as aborted and passes the signal to the request', async () => {
		const controller = new AbortController();
		const apiFetch = vi.fn( ( options: APIFetchOptions< false > ) => {
			expect( options.signal ).toBe( controller.signal );
			controller.abort();
			return Promise.reject(
				new DOMException( 'The user aborted a request.', 'AbortError' )
			);
		} );
		const api = createChatApi( {
			apiFetch: apiFetch as ApiFetch,
			root: ROOT,
			tokens: memoryTokens( { token: 't', expiresAt: LATER } ),
			now: () => NOW,
		} );
		await expect(
			api.send( {
				message: 'Hi',
				history: [],
				signal: controller.signal,
			} )
		).rejects.toMatchObject( { code: CODE_ABORTED } );
	} );
} );
