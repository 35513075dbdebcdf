/**
 * The test control API under /__sim/ (deliberately outside /v1, so it can never be mistaken
 * for an OpenAI endpoint): health, request log, scripts, configuration and the bill.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readRaw } from './body';
import type { Price } from './models';
import type { SpecStore } from './spec';
import {
	FAULT_TYPES,
	type Fault,
	type ScriptEntry,
	type ScriptMatch,
	type ScriptReply,
	type SimState,
} from './state';

class ControlError extends Error {}

function send( res: ServerResponse, status: number, body: unknown ): void {
	res.writeHead( status, { 'content-type': 'application/json' } );
	res.end( JSON.stringify( body, null, 2 ) );
}

const isObj = ( v: unknown ): v is Record< string, unknown > =>
	typeof v === 'object' && v !== null && ! Array.isArray( v );

function optString(
	o: Record< string, unknown >,
	key: string
): string | undefined {
	const v = o[ key ];
	if ( v === undefined ) {
		return undefined;
	}
	if ( typeof v !== 'string' ) {
		throw new ControlError( `${ key } must be a string` );
	}
	return v;
}

function optNumber(
	o: Record< string, unknown >,
	key: string,
	min = 0
): number | undefined {
	const v = o[ key ];
	if ( v === undefined ) {
		return undefined;
	}
	if ( typeof v !== 'number' || ! Number.isFinite( v ) || v < min ) {
		throw new ControlError( `${ key } must be a number >= ${ min }` );
	}
	return v;
}

function only(
	o: Record< string, unknown >,
	allowed: string[],
	where: string
): void {
	for ( const k of Object.keys( o ) ) {
		if ( ! allowed.includes( k ) ) {
			throw new ControlError(
				`unknown field ${ where }${ k }; allowed: ${ allowed.join( ', ' ) }`
			);
		}
	}
}

/**
 * Checks a POST /__sim/script entry; typos must fail loudly, not silently match everything.
 * @param raw
 */
export function parseScript(
	raw: unknown
): Omit< ScriptEntry, 'id' | 'used' > {
	if ( ! isObj( raw ) ) {
		throw new ControlError( 'a script entry must be an object' );
	}
	only( raw, [ 'match', 'reply', 'fault', 'latency', 'times' ], '' );
	let match: ScriptMatch | undefined;
	if ( raw.match !== undefined ) {
		if ( ! isObj( raw.match ) ) {
			throw new ControlError( 'match must be an object' );
		}
		only( raw.match, [ 'path', 'model', 'contains' ], 'match.' );
		match = {
			path: optString( raw.match, 'path' ),
			model: optString( raw.match, 'model' ),
			contains: optString( raw.match, 'contains' ),
		};
	}
	let reply: ScriptReply | undefined;
	if ( raw.reply !== undefined ) {
		if ( ! isObj( raw.reply ) ) {
			throw new ControlError( 'reply must be an object' );
		}
		only(
			raw.reply,
			[ 'content', 'tool_calls', 'transcript', 'audio_transcript' ],
			'reply.'
		);
		reply = {
			content: optString( raw.reply, 'content' ),
			transcript: optString( raw.reply, 'transcript' ),
			audio_transcript: optString( raw.reply, 'audio_transcript' ),
		};
		if ( raw.reply.tool_calls !== undefined ) {
			if ( ! Array.isArray( raw.reply.tool_calls ) ) {
				throw new ControlError( 'reply.tool_calls must be an array' );
			}
			reply.tool_calls = raw.reply.tool_calls.map( ( c: unknown ) => {
				if ( ! isObj( c ) || typeof c.name !== 'string' ) {
					throw new ControlError( 'each tool call needs a name' );
				}
				only( c, [ 'name', 'arguments' ], 'reply.tool_calls[].' );
				if (
					c.arguments !== undefined &&
					typeof c.arguments !== 'string' &&
					! isObj( c.arguments )
				) {
					throw new ControlError(
						'tool call arguments must be a string or an object'
					);
				}
				return {
					name: c.name,
					arguments: c.arguments as
						string | Record< string, unknown > | undefined,
				};
			} );
		}
	}
	let fault: Fault | undefined;
	if ( raw.fault !== undefined ) {
		if ( ! isObj( raw.fault ) ) {
			throw new ControlError( 'fault must be an object' );
		}
		only(
			raw.fault,
			[ 'type', 'retry_after', 'after_chunks', 'ms' ],
			'fault.'
		);
		const type = raw.fault.type;
		if (
			typeof type !== 'string' ||
			! ( FAULT_TYPES as readonly string[] ).includes( type )
		) {
			throw new ControlError(
				`fault.type must be one of ${ FAULT_TYPES.join( ', ' ) }`
			);
		}
		fault = {
			type: type as Fault[ 'type' ],
			retry_after: optNumber( raw.fault, 'retry_after' ),
			after_chunks: optNumber( raw.fault, 'after_chunks' ),
			ms: optNumber( raw.fault, 'ms' ),
		};
	}
	let latency: ScriptEntry[ 'latency' ];
	if ( raw.latency !== undefined ) {
		if ( ! isObj( raw.latency ) ) {
			throw new ControlError( 'latency must be an object' );
		}
		only( raw.latency, [ 'ttfb_ms', 'chunk_ms' ], 'latency.' );
		latency = {
			ttfb_ms: optNumber( raw.latency, 'ttfb_ms' ),
			chunk_ms: optNumber( raw.latency, 'chunk_ms' ),
		};
	}
	if ( ! reply && ! fault ) {
		throw new ControlError( 'a script entry needs a reply or a fault' );
	}
	const times = optNumber( raw, 'times', 1 ) ?? 1;
	return { match, reply, fault, latency, times: Math.floor( times ) };
}

function applyConfig( state: SimState, raw: unknown ): void {
	if ( ! isObj( raw ) ) {
		throw new ControlError( 'config must be an object' );
	}
	only(
		raw,
		[
			'ttfb_ms',
			'chunk_ms',
			'chunk_chars',
			'prices',
			'invalid_key_prefixes',
			'today',
		],
		''
	);
	const lat = state.config.latency;
	lat.ttfb_ms = optNumber( raw, 'ttfb_ms' ) ?? lat.ttfb_ms;
	lat.chunk_ms = optNumber( raw, 'chunk_ms' ) ?? lat.chunk_ms;
	lat.chunk_chars = optNumber( raw, 'chunk_chars', 1 ) ?? lat.chunk_chars;
	if ( raw.prices !== undefined ) {
		if ( ! isObj( raw.prices ) ) {
			throw new ControlError(
				'prices must be an object of model -> price'
			);
		}
		for ( const [ model, p ] of Object.entries( raw.prices ) ) {
			if ( p === null ) {
				delete state.config.prices[ model ];
				continue;
			}
			if ( ! isObj( p ) ) {
				throw new ControlError( `prices.${ model } must be an object` );
			}
			const keys = [
				'text_in',
				'cached_in',
				'text_out',
				'audio_in',
				'audio_out',
				'usd_per_minute',
				'usd_per_million_chars',
			];
			only( p, keys, `prices.${ model }.` );
			const price: Price = {};
			for ( const k of keys ) {
				const v = optNumber( p, k );
				if ( v !== undefined ) {
					price[ k as keyof Price ] = v;
				}
			}
			state.config.prices[ model ] = price;
		}
	}
	if ( raw.invalid_key_prefixes !== undefined ) {
		if (
			! Array.isArray( raw.invalid_key_prefixes ) ||
			! raw.invalid_key_prefixes.every(
				( x ) => typeof x === 'string' && x !== ''
			)
		) {
			throw new ControlError(
				'invalid_key_prefixes must be an array of non-empty strings'
			);
		}
		state.config.invalid_key_prefixes =
			raw.invalid_key_prefixes as string[];
	}
	if ( raw.today !== undefined ) {
		if (
			raw.today !== null &&
			( typeof raw.today !== 'string' ||
				! /^\d{4}-\d{2}-\d{2}$/.test( raw.today ) )
		) {
			throw new ControlError( 'today must be YYYY-MM-DD or null' );
		}
		state.config.today = raw.today as string | null;
	}
}

async function readJson( req: IncomingMessage ): Promise< unknown > {
	const raw = await readRaw( req, 1024 * 1024 );
	try {
		return JSON.parse( raw.toString( 'utf8' ) || 'null' );
	} catch {
		throw new ControlError( 'body is not valid JSON' );
	}
}

export async function handleControl(
	req: IncomingMessage,
	res: ServerResponse,
	path: string,
	state: SimState,
	spec: SpecStore,
	startedAt: number
): Promise< void > {
	const route = `${ req.method ?? 'GET' } ${ path.replace( /\/+$/, '' ) }`;
	try {
		switch ( route ) {
			case 'GET /__sim/health':
				return send( res, 200, {
					ok: true,
					uptime_s: Math.round( ( Date.now() - startedAt ) / 1000 ),
					spec_load_ms: Math.round( spec.loadMs ),
					spec_from_cache: spec.fromCache,
				} );
			case 'GET /__sim/requests':
				return send( res, 200, {
					object: 'list',
					data: state.requests,
				} );
			case 'DELETE /__sim/requests':
				state.reset();
				return send( res, 200, { ok: true } );
			case 'GET /__sim/script':
				return send( res, 200, {
					object: 'list',
					data: state.pendingScripts(),
				} );
			case 'DELETE /__sim/script':
				state.clearScripts();
				return send( res, 200, { ok: true } );
			case 'POST /__sim/script': {
				const body = await readJson( req );
				const entries = ( Array.isArray( body ) ? body : [ body ] ).map(
					parseScript
				);
				const queued = entries.map( ( e ) => state.addScript( e ).id );
				return send( res, 200, { ok: true, queued } );
			}
			case 'GET /__sim/config':
				return send( res, 200, state.config );
			case 'POST /__sim/config':
				applyConfig( state, await readJson( req ) );
				return send( res, 200, state.config );
			case 'GET /__sim/bill':
				return send( res, 200, state.bill() );
			default:
				return send( res, 404, {
					error: {
						message: `Unknown control route ${ route }`,
						type: 'invalid_request_error',
						param: null,
						code: null,
					},
				} );
		}
	} catch ( e ) {
		const message = e instanceof Error ? e.message : String( e );
		return send( res, e instanceof ControlError ? 400 : 500, {
			error: {
				message,
				type: 'invalid_request_error',
				param: null,
				code: null,
			},
		} );
	}
}
