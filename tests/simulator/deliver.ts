/**
 * Sends a handler's reply: response-schema check first (a reply that breaks the spec is a
 * simulator bug and becomes a loud 500), then latency, then the body, honouring the
 * delivery faults (cut_stream, malformed_json).
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError } from './errors';
import { formatAjvErrors, type SpecStore } from './spec';
import type { Fault, LatencyConfig, RequestRecord } from './state';
import { simLog } from './log';

/** Which response schema a body must satisfy. */
export type SchemaRef =
	| { op: string; status?: number; contentType?: string }
	| { component: string };

export type Reply =
	| {
			kind: 'json';
			status: number;
			body: unknown;
			schema: SchemaRef;
			headers?: Record< string, string >;
	  }
	| {
			kind: 'sse';
			events: unknown[];
			done: boolean;
			schema: SchemaRef;
			headers?: Record< string, string >;
	  }
	| {
			kind: 'bytes';
			contentType: string;
			data: Buffer;
			headers?: Record< string, string >;
	  }
	| {
			kind: 'text';
			contentType: string;
			body: string;
			headers?: Record< string, string >;
	  };

export interface DeliveryContext {
	res: ServerResponse;
	spec: SpecStore;
	record: RequestRecord;
	latency: LatencyConfig;
	requestId: string;
	startedAt: number;
	fault?: Fault;
	/** aborted when the simulator closes, so held or slow responses stop at once */
	signal: AbortSignal;
}

/** Bytes per chunk when /audio/speech streams raw audio. */
const BYTES_CHUNK = 8192;

export function errorReply( err: ApiError ): Reply {
	return {
		kind: 'json',
		status: err.status,
		body: err.body(),
		schema: { component: 'ErrorResponse' },
		headers: err.headers,
	};
}

function validateOne(
	spec: SpecStore,
	schema: SchemaRef,
	status: number,
	contentType: string,
	data: unknown
): string | undefined {
	const r =
		'component' in schema
			? spec.validateComponent( schema.component, data )
			: spec.validateResponse(
					schema.op,
					schema.status ?? status,
					schema.contentType ?? contentType,
					data
				);
	return r.ok ? undefined : formatAjvErrors( r.errors );
}

/**
 * Checks a reply against the spec; returns a description of the first violation.
 * @param spec
 * @param reply
 */
export function checkReply(
	spec: SpecStore,
	reply: Reply
): string | undefined {
	if ( reply.kind === 'json' ) {
		return validateOne(
			spec,
			reply.schema,
			reply.status,
			'application/json',
			reply.body
		);
	}
	if ( reply.kind === 'sse' ) {
		for ( const [ i, ev ] of reply.events.entries() ) {
			const problem = validateOne(
				spec,
				reply.schema,
				200,
				'text/event-stream',
				ev
			);
			if ( problem ) {
				return `event ${ i }: ${ problem }`;
			}
		}
	}
	return undefined;
}

function baseHeaders( ctx: DeliveryContext ): Record< string, string > {
	return {
		'x-request-id': ctx.requestId,
		'openai-version': '2020-10-01',
		'openai-organization': 'simulator',
		'openai-processing-ms': String(
			Math.round( performance.now() - ctx.startedAt )
		),
		'x-ratelimit-limit-requests': '10000',
		'x-ratelimit-remaining-requests': '9999',
		'x-ratelimit-reset-requests': '6ms',
		'x-ratelimit-limit-tokens': '30000000',
		'x-ratelimit-remaining-tokens': '29999000',
		'x-ratelimit-reset-tokens': '2ms',
	};
}

async function pause( ms: number, signal: AbortSignal ): Promise< boolean > {
	if ( ms <= 0 ) {
		return ! signal.aborted;
	}
	try {
		await sleep( ms, undefined, { signal } );
		return true;
	} catch {
		return false;
	}
}

function gone( res: ServerResponse ): boolean {
	return res.destroyed || res.writableEnded;
}

/**
 * Closes the TCP connection without finishing the HTTP response, as a dropped link would.
 * `end()` rather than `destroy()`: what was already written must still reach the client.
 * @param ctx
 * @param outcome
 */
function cut( ctx: DeliveryContext, outcome: string ): void {
	ctx.record.outcome = outcome;
	const socket = ctx.res.socket;
	if ( socket && ! socket.destroyed ) {
		socket.end();
	} else {
		ctx.res.destroy();
	}
}

/**
 * Writes and waits until the bytes are handed to the socket, so a later cut keeps them.
 * @param res
 * @param data
 */
function write( res: ServerResponse, data: string | Buffer ): Promise< void > {
	return new Promise( ( resolve ) => {
		res.write( data, () => resolve() );
	} );
}

export async function deliver(
	ctx: DeliveryContext,
	reply0: Reply
): Promise< void > {
	let reply = reply0;
	const problem = checkReply( ctx.spec, reply );
	if ( problem ) {
		// Loud on purpose: the simulator must never teach the plugin a shape OpenAI does not send.
		simLog.error(
			`\n[openai-simulator] RESPONSE FAILS THE OPENAPI SPEC (${ ctx.record.method } ${ ctx.record.path }): ${ problem }\n`
		);
		ctx.record.outcome = 'simulator_response_invalid';
		reply = errorReply(
			new ApiError(
				500,
				`Simulator bug: response does not match the OpenAPI spec: ${ problem }`,
				'server_error',
				null,
				'simulator_response_invalid'
			)
		);
	}
	const { res, latency, fault, record } = ctx;
	if ( ! ( await pause( latency.ttfb_ms, ctx.signal ) ) || gone( res ) ) {
		return cut( ctx, 'aborted' );
	}

	const status = reply.kind === 'json' ? reply.status : 200;
	const headers: Record< string, string > = {
		...baseHeaders( ctx ),
		...( reply.headers ?? {} ),
	};
	record.status = status;
	record.chunks_sent = 0;

	if ( reply.kind === 'json' ) {
		let text = JSON.stringify( reply.body );
		if ( fault?.type === 'malformed_json' ) {
			text = text.slice(
				0,
				Math.max( 1, Math.floor( text.length / 2 ) )
			);
			record.outcome = 'malformed_json';
		}
		if ( fault?.type === 'cut_stream' ) {
			res.writeHead( status, {
				...headers,
				'content-type': 'application/json',
				'content-length': String( Buffer.byteLength( text ) ),
			} );
			await write( res, text.slice( 0, Math.floor( text.length / 2 ) ) );
			record.chunks_sent = 1;
			return cut( ctx, 'cut' );
		}
		res.writeHead( status, {
			...headers,
			'content-type': 'application/json',
		} );
		res.end( text );
		record.outcome ??= 'complete';
		return;
	}

	if ( reply.kind === 'text' ) {
		res.writeHead( 200, { ...headers, 'content-type': reply.contentType } );
		res.end(
			fault?.type === 'malformed_json'
				? reply.body.slice( 0, Math.floor( reply.body.length / 2 ) )
				: reply.body
		);
		record.outcome =
			fault?.type === 'malformed_json' ? 'malformed_json' : 'complete';
		return;
	}

	const cutAfter =
		fault?.type === 'cut_stream'
			? Math.max( 0, fault.after_chunks ?? 2 )
			: Infinity;

	if ( reply.kind === 'bytes' ) {
		res.writeHead( 200, {
			...headers,
			'content-type': reply.contentType,
			'transfer-encoding': 'chunked',
		} );
		for (
			let off = 0, i = 0;
			off < reply.data.length;
			off += BYTES_CHUNK, i++
		) {
			if ( i >= cutAfter ) {
				return cut( ctx, 'cut' );
			}
			if ( i > 0 && ! ( await pause( latency.chunk_ms, ctx.signal ) ) ) {
				return cut( ctx, 'aborted' );
			}
			if ( gone( res ) ) {
				return cut( ctx, 'client_closed' );
			}
			await write( res, reply.data.subarray( off, off + BYTES_CHUNK ) );
			record.chunks_sent = i + 1;
		}
		res.end();
		record.outcome = 'complete';
		return;
	}

	// SSE
	res.writeHead( 200, {
		...headers,
		'content-type': 'text/event-stream; charset=utf-8',
		'cache-control': 'no-cache',
		connection: 'keep-alive',
	} );
	// Flush the headers now: clients measure time to first byte from here.
	res.flushHeaders();
	for ( const [ i, ev ] of reply.events.entries() ) {
		if ( i >= cutAfter ) {
			return cut( ctx, 'cut' );
		}
		if ( i > 0 && ! ( await pause( latency.chunk_ms, ctx.signal ) ) ) {
			return cut( ctx, 'aborted' );
		}
		if ( gone( res ) ) {
			return cut( ctx, 'client_closed' );
		}
		let data = JSON.stringify( ev );
		if ( fault?.type === 'malformed_json' && i === 0 ) {
			data = data.slice( 0, Math.floor( data.length / 2 ) );
			record.outcome = 'malformed_json';
		}
		await write( res, `data: ${ data }\n\n` );
		record.chunks_sent = i + 1;
	}
	if ( reply.events.length >= cutAfter ) {
		return cut( ctx, 'cut' );
	}
	if ( reply.done ) {
		res.write( 'data: [DONE]\n\n' );
	}
	res.end();
	record.outcome ??= 'complete';
}
