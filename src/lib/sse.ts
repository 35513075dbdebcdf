/**
 * Server-Sent Events parsing, per the HTML standard's event-stream rules.
 *
 * Network chunks split the stream anywhere (inside a line, between "\r" and "\n", inside a
 * UTF-8 sequence), so the parser keeps the unfinished tail and only dispatches an event at
 * its blank line. An event cut off by the end of the stream is dropped, as browsers do.
 */

export type SseEvent = {
	/** The `event:` field, "message" when the server sent none. */
	event: string;
	/** Every `data:` line of the event joined with "\n". */
	data: string;
};

export type SseParser = {
	/** Feeds decoded text; dispatches every event it completes. */
	push: ( text: string ) => void;
};

/** Thrown when a line grows past the limit: a broken or hostile stream, not a chat reply. */
export class SseLineTooLongError extends Error {
	constructor() {
		super( 'Event stream line too long.' );
		this.name = 'SseLineTooLongError';
	}
}

const DEFAULT_MAX_LINE_CHARS = 1_000_000;

export function createSseParser(
	onEvent: ( event: SseEvent ) => void,
	maxLineChars = DEFAULT_MAX_LINE_CHARS
): SseParser {
	let tail = '';
	let started = false;
	// A chunk that ended on "\r" may be followed by the "\n" of the same line break.
	let skipNextLineFeed = false;
	let eventName = '';
	let dataLines: string[] = [];

	function dispatch(): void {
		if ( dataLines.length > 0 ) {
			onEvent( {
				event: eventName || 'message',
				data: dataLines.join( '\n' ),
			} );
		}
		eventName = '';
		dataLines = [];
	}

	function processLine( line: string ): void {
		if ( line === '' ) {
			dispatch();
			return;
		}
		if ( line.startsWith( ':' ) ) {
			return; // A comment, often a keep-alive.
		}
		const colon = line.indexOf( ':' );
		const field = colon === -1 ? line : line.slice( 0, colon );
		let value = colon === -1 ? '' : line.slice( colon + 1 );
		if ( value.startsWith( ' ' ) ) {
			value = value.slice( 1 );
		}
		if ( field === 'event' ) {
			eventName = value;
		} else if ( field === 'data' ) {
			dataLines.push( value );
		}
		// `id` and `retry` only matter for EventSource reconnection, which a POST never does.
	}

	return {
		push( text: string ): void {
			let input = text;
			if ( ! started && input !== '' ) {
				started = true;
				if ( input.startsWith( '\uFEFF' ) ) {
					input = input.slice( 1 );
				}
			}
			if ( skipNextLineFeed && input !== '' ) {
				skipNextLineFeed = false;
				if ( input.startsWith( '\n' ) ) {
					input = input.slice( 1 );
				}
			}
			const buffer = tail + input;
			const lineBreak = /\r\n|\r|\n/g;
			let start = 0;
			let match: RegExpExecArray | null;
			while ( ( match = lineBreak.exec( buffer ) ) !== null ) {
				processLine( buffer.slice( start, match.index ) );
				start = match.index + match[ 0 ].length;
				if ( match[ 0 ] === '\r' && start === buffer.length ) {
					skipNextLineFeed = true;
				}
			}
			tail = buffer.slice( start );
			if ( tail.length > maxLineChars ) {
				throw new SseLineTooLongError();
			}
		},
	};
}

/**
 * Reads a fetch body as an event stream until it ends (or the signal aborts the fetch,
 * which makes `read()` reject with an AbortError).
 * @param body
 * @param onEvent
 */
export async function readEventStream(
	body: ReadableStream< Uint8Array >,
	onEvent: ( event: SseEvent ) => void
): Promise< void > {
	const parser = createSseParser( onEvent );
	const decoder = new TextDecoder();
	const reader = body.getReader();
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if ( done ) {
				break;
			}
			parser.push( decoder.decode( value, { stream: true } ) );
		}
		parser.push( decoder.decode() );
	} catch ( error ) {
		// Stop the download too, so the server sees the client go away and stops upstream.
		await reader.cancel().catch( () => undefined );
		throw error;
	} finally {
		reader.releaseLock();
	}
}
