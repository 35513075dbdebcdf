import { describe, expect, it } from 'vitest';

import {
	createSseParser,
	readEventStream,
	SseLineTooLongError,
} from '../../src/lib/sse';
import type { SseEvent } from '../../src/lib/sse';

// Every line ending the standard allows, a comment, a multi-line event, an event with no
// name, a field without a colon, and text outside ASCII.
const STREAM =
	'\uFEFF: keep-alive\r\n' +
	'event: delta\r\n' +
	'data: {"text":"Bonjour, ça va ? 👋"}\r\n' +
	'\r\n' +
	'event: delta\n' +
	'data: {"text":"line one\\nline two"}\n' +
	'\n' +
	'data: first\r' +
	'data:second\r' +
	'id: 7\r' +
	'\r' +
	'event: done\n' +
	'data\n' +
	'data: {"finish_reason":"stop"}\n' +
	'\n' +
	'event: delta\n' +
	'data: {"text":"cut off by the end of the stream"}\n';

const EXPECTED: SseEvent[] = [
	{ event: 'delta', data: '{"text":"Bonjour, ça va ? 👋"}' },
	{ event: 'delta', data: '{"text":"line one\\nline two"}' },
	{ event: 'message', data: 'first\nsecond' },
	{ event: 'done', data: '\n{"finish_reason":"stop"}' },
];

function parseChunks( chunks: string[] ): SseEvent[] {
	const events: SseEvent[] = [];
	const parser = createSseParser( ( event ) => events.push( event ) );
	chunks.forEach( ( chunk ) => parser.push( chunk ) );
	return events;
}

describe( 'createSseParser', () => {
	it( 'parses a whole stream', () => {
		expect( parseChunks( [ STREAM ] ) ).toEqual( EXPECTED );
	} );

	it( 'gives the same events wherever one split falls', () => {
		for ( let at = 0; at <= STREAM.length; at++ ) {
			expect(
				parseChunks( [ STREAM.slice( 0, at ), STREAM.slice( at ) ] ),
				`split at ${ at }`
			).toEqual( EXPECTED );
		}
	} );

	it( 'gives the same events one character at a time', () => {
		expect( parseChunks( [ ...STREAM ] ) ).toEqual( EXPECTED );
	} );

	it( 'gives the same events for random splits, empty chunks included', () => {
		let seed = 42;
		const random = () => {
			seed = ( seed * 1103515245 + 12345 ) % 2147483648;
			return seed / 2147483648;
		};
		for ( let run = 0; run < 200; run++ ) {
			const chunks: string[] = [];
			let rest = STREAM;
			while ( rest ) {
				const size = Math.floor( random() * 9 );
				chunks.push( rest.slice( 0, size ) );
				rest = rest.slice( size );
			}
			expect( parseChunks( chunks ) ).toEqual( EXPECTED );
		}
	} );

	it( 'treats a CR at the end of a chunk and an LF at the start of the next as one break', () => {
		// Were they two breaks, the blank line would dispatch "a" alone, before "b".
		expect( parseChunks( [ 'data: a\r', '\ndata: b\r\n\r\n' ] ) ).toEqual( [
			{ event: 'message', data: 'a\nb' },
		] );
	} );

	it( 'refuses a line that never ends', () => {
		const parser = createSseParser( () => undefined, 100 );
		parser.push( 'data: ' + 'x'.repeat( 90 ) );
		expect( () => parser.push( 'x'.repeat( 20 ) ) ).toThrow(
			SseLineTooLongError
		);
	} );
} );

function byteStream( chunks: Uint8Array[] ): ReadableStream< Uint8Array > {
	return new ReadableStream( {
		start( controller ) {
			chunks.forEach( ( chunk ) => controller.enqueue( chunk ) );
			controller.close();
		},
	} );
}

describe( 'readEventStream', () => {
	it( 'decodes UTF-8 split inside a character at any byte', async () => {
		const bytes = new TextEncoder().encode( STREAM );
		for ( let at = 0; at <= bytes.length; at++ ) {
			const events: SseEvent[] = [];
			await readEventStream(
				byteStream( [ bytes.slice( 0, at ), bytes.slice( at ) ] ),
				( event ) => events.push( event )
			);
			expect( events, `split at byte ${ at }` ).toEqual( EXPECTED );
		}
	} );

	it( 'cancels the download when a handler throws', async () => {
		let cancelled = false;
		const body = new ReadableStream< Uint8Array >( {
			pull( controller ) {
				controller.enqueue(
					new TextEncoder().encode( 'data: not json\n\n' )
				);
			},
			cancel() {
				cancelled = true;
			},
		} );
		await expect(
			readEventStream( body, ( event ) => JSON.parse( event.data ) )
		).rejects.toThrow( SyntaxError );
		expect( cancelled ).toBe( true );
	} );
} );
