/**
 * OpenAI API simulator: a local HTTP server that speaks the parts of the OpenAI REST API the
 * plugin uses, validated against OpenAI's own OpenAPI description in both directions.
 *
 *   npx tsx tests/simulator/server.ts            # 127.0.0.1:$SIM_PORT (default 4010)
 *   const sim = await startSimulator({ port: 0 }) # in-process, random port (vitest)
 *
 * See README.md beside this file for the control API (/__sim/...).
 */
import { createHash } from 'node:crypto';
import {
	createServer,
	type IncomingMessage,
	type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { readMultipart, readRaw, type Multipart } from './body';
import { handleControl } from './control';
import {
	deliver,
	errorReply,
	type DeliveryContext,
	type Reply,
} from './deliver';
import { ApiError, invalidRequest, validationError } from './errors';
import { faultError, invalidKey, missingKey } from './faults';
import { handleSpeech, handleTranscription } from './handlers/audio';
import { handleChat } from './handlers/chat';
import {
	isRecord,
	type Handler,
	type HandlerContext,
} from './handlers/context';
import {
	handleClientSecret,
	handleListModels,
	handleModeration,
	handleRetrieveModel,
} from './handlers/misc';
import {
	formatAjvErrors,
	getSpecStore,
	type Json,
	type SpecStore,
} from './spec';
import {
	SimState,
	type FileRecord,
	type LatencyConfig,
	type RequestRecord,
} from './state';
import { getEncoder } from './tokens';
import { simLog } from './log';

type BodyKind = 'application/json' | 'multipart/form-data' | 'none';

interface Route {
	method: string;
	pattern: RegExp;
	params: string[];
	op: string;
	body: BodyKind;
	handler: Handler;
}

const ROUTES: readonly Route[] = [
	{
		method: 'POST',
		pattern: /^\/v1\/chat\/completions$/,
		params: [],
		op: 'createChatCompletion',
		body: 'application/json',
		handler: handleChat,
	},
	{
		method: 'POST',
		pattern: /^\/v1\/audio\/transcriptions$/,
		params: [],
		op: 'createTranscription',
		body: 'multipart/form-data',
		handler: handleTranscription,
	},
	{
		method: 'POST',
		pattern: /^\/v1\/audio\/speech$/,
		params: [],
		op: 'createSpeech',
		body: 'application/json',
		handler: handleSpeech,
	},
	{
		method: 'GET',
		pattern: /^\/v1\/models$/,
		params: [],
		op: 'listModels',
		body: 'none',
		handler: handleListModels,
	},
	{
		method: 'GET',
		pattern: /^\/v1\/models\/([^/]+)$/,
		params: [ 'model' ],
		op: 'retrieveModel',
		body: 'none',
		handler: handleRetrieveModel,
	},
	{
		method: 'POST',
		pattern: /^\/v1\/moderations$/,
		params: [],
		op: 'createModeration',
		body: 'application/json',
		handler: handleModeration,
	},
	{
		method: 'POST',
		pattern: /^\/v1\/realtime\/client_secrets$/,
		params: [],
		op: 'create-realtime-client-secret',
		body: 'application/json',
		handler: handleClientSecret,
	},
];

export interface SimulatorOptions {
	/** 0 (default in-process) picks a free port */
	port?: number;
	host?: string;
	latency?: Partial< LatencyConfig >;
	/** build the tokenizer before listening (~1 s) so the first request's latency is normal */
	warmTokenizer?: boolean;
}

export interface Simulator {
	/** http://127.0.0.1:PORT (the control API lives under /__sim) */
	url: string;
	/** url + "/v1", what an OpenAI client takes as baseURL */
	baseURL: string;
	port: number;
	state: SimState;
	spec: SpecStore;
	close: () => Promise< void >;
}

const JSON_PARSE_ERROR =
	"We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)";

/**
 * Headers for the log; credentials reduced to their last 4 characters.
 * @param h
 */
function redactHeaders(
	h: IncomingMessage[ 'headers' ]
): Record< string, string > {
	const out: Record< string, string > = {};
	for ( const [ k, v ] of Object.entries( h ) ) {
		if ( v === undefined ) {
			continue;
		}
		const value = Array.isArray( v ) ? v.join( ', ' ) : v;
		if (
			k === 'authorization' ||
			k === 'api-key' ||
			k === 'x-api-key' ||
			k === 'openai-api-key'
		) {
			const token = value.replace( /^Bearer\s+/i, '' );
			out[ k ] =
				`${ /^Bearer\s/i.test( value ) ? 'Bearer ' : '' }…${ token.slice( -4 ) }`;
		} else {
			out[ k ] = value;
		}
	}
	return out;
}

/**
 * Base64 images and audio would bloat the log; long strings become a size and a hash.
 * @param v
 */
function summarize( v: unknown ): unknown {
	if ( typeof v === 'string' ) {
		return v.length > 2048
			? `<${ v.length } chars, sha256 ${ createHash( 'sha256' ).update( v ).digest( 'hex' ).slice( 0, 16 ) }>`
			: v;
	}
	if ( Array.isArray( v ) ) {
		return v.map( summarize );
	}
	if ( isRecord( v ) ) {
		return Object.fromEntries(
			Object.entries( v ).map( ( [ k, x ] ) => [ k, summarize( x ) ] )
		);
	}
	return v;
}

/**
 * Types of a (resolved) property schema, looking through anyOf/oneOf.
 * @param spec
 * @param schema
 * @param depth
 */
function schemaTypes(
	spec: SpecStore,
	schema: Json,
	depth = 0
): Set< string > {
	const out = new Set< string >();
	const node = spec.resolve( schema );
	if ( ! isRecord( node ) || depth > 4 ) {
		return out;
	}
	if ( typeof node.type === 'string' ) {
		out.add( node.type );
	}
	if ( Array.isArray( node.type ) ) {
		for ( const t of node.type ) {
			if ( typeof t === 'string' ) {
				out.add( t );
			}
		}
	}
	for ( const key of [ 'anyOf', 'oneOf' ] as const ) {
		const list = node[ key ];
		if ( Array.isArray( list ) ) {
			for ( const sub of list ) {
				for ( const t of schemaTypes( spec, sub, depth + 1 ) ) {
					out.add( t );
				}
			}
		}
	}
	return out;
}

/**
 * Multipart fields are strings; the spec describes numbers, booleans and arrays. Convert by
 * the schema so the same validator applies. Values that do not convert stay strings and fail
 * validation, as they would at OpenAI.
 * @param spec
 * @param op
 * @param form
 */
function multipartToObject(
	spec: SpecStore,
	op: string,
	form: Multipart
): Record< string, unknown > {
	const props = spec.requestProperties( op, 'multipart/form-data' ) ?? {};
	const out: Record< string, unknown > = {};
	for ( const [ name, value ] of Object.entries( form.fields ) ) {
		const prop = props[ name ];
		const types =
			prop === undefined
				? new Set< string >()
				: schemaTypes( spec, prop );
		const one = ( s: string ): unknown => {
			if (
				( types.has( 'number' ) || types.has( 'integer' ) ) &&
				! types.has( 'string' ) &&
				s.trim() !== '' &&
				Number.isFinite( Number( s ) )
			) {
				return Number( s );
			}
			if (
				types.has( 'boolean' ) &&
				! types.has( 'string' ) &&
				( s === 'true' || s === 'false' )
			) {
				return s === 'true';
			}
			return s;
		};
		if ( types.has( 'array' ) ) {
			out[ name ] = ( Array.isArray( value ) ? value : [ value ] ).map(
				one
			);
		} else {
			out[ name ] = Array.isArray( value )
				? value.map( one )
				: one( value );
		}
	}
	// Files validate as `format: binary` strings; the bytes are checked by the handler.
	for ( const f of form.files ) {
		out[ f.field ] = `<file ${ f.filename }>`;
	}
	return out;
}

export async function startSimulator(
	options: SimulatorOptions = {}
): Promise< Simulator > {
	const spec = getSpecStore();
	if ( options.warmTokenizer ?? true ) {
		getEncoder();
	}
	const state = new SimState( options.latency );
	const abort = new AbortController();
	const startedAt = Date.now();

	const handleApi = async (
		req: IncomingMessage,
		res: ServerResponse,
		path: string
	): Promise< void > => {
		const started = performance.now();
		const method = req.method ?? 'GET';
		const record: RequestRecord = {
			id: state.newRequestId(),
			time: new Date().toISOString(),
			method,
			path,
			headers: redactHeaders( req.headers ),
			media: [],
			validation: { ok: true },
		};
		state.requests.push( record );
		const dctx: DeliveryContext = {
			res,
			spec,
			record,
			latency: { ...state.config.latency },
			requestId: `req_${ record.id }`,
			startedAt: started,
			signal: abort.signal,
		};
		const fail = async ( e: unknown ): Promise< void > => {
			let err: ApiError;
			if ( e instanceof ApiError ) {
				err = e;
			} else {
				simLog.error( '[openai-simulator] handler crashed:', e );
				err = new ApiError(
					500,
					`Simulator crashed: ${ e instanceof Error ? e.message : String( e ) }`,
					'server_error',
					null,
					'simulator_error'
				);
			}
			record.error = err.body().error;
			dctx.fault = undefined;
			await deliver( dctx, errorReply( err ) );
		};

		try {
			const route = ROUTES.find(
				( r ) => r.pattern.test( path ) && r.method === method
			);
			if ( ! route ) {
				await readRaw( req ).catch( () => Buffer.alloc( 0 ) );
				throw new ApiError(
					404,
					`Invalid URL (${ method } ${ path })`,
					'invalid_request_error',
					null,
					null
				);
			}
			const m = route.pattern.exec( path );
			const params: Record< string, string > = {};
			route.params.forEach( ( name, i ) => {
				params[ name ] = decodeURIComponent( m?.[ i + 1 ] ?? '' );
			} );

			const auth = req.headers.authorization ?? '';
			const key = /^Bearer\s+(\S.*)$/i.exec( auth )?.[ 1 ]?.trim() ?? '';
			if ( key === '' ) {
				await readRaw( req ).catch( () => Buffer.alloc( 0 ) );
				throw missingKey();
			}
			if (
				state.config.invalid_key_prefixes.some( ( p ) =>
					key.startsWith( p )
				)
			) {
				await readRaw( req ).catch( () => Buffer.alloc( 0 ) );
				throw invalidKey( key );
			}

			let json: unknown;
			let form: Multipart | undefined;
			let bodyText = '';
			if ( route.body === 'application/json' ) {
				const raw = await readRaw( req );
				bodyText = raw.toString( 'utf8' );
				try {
					json = JSON.parse( bodyText );
				} catch {
					throw invalidRequest( JSON_PARSE_ERROR );
				}
				record.body = summarize( json );
			} else if ( route.body === 'multipart/form-data' ) {
				if (
					! /^multipart\/form-data/i.test(
						req.headers[ 'content-type' ] ?? ''
					)
				) {
					await readRaw( req ).catch( () => Buffer.alloc( 0 ) );
					throw invalidRequest(
						"Invalid Content-Type header (expected multipart/form-data), or a required 'file' field is missing.",
						null,
						'invalid_content_type'
					);
				}
				form = await readMultipart( req );
				const files: FileRecord[] = form.files.map( ( f ) => ( {
					field: f.field,
					filename: f.filename,
					mime: f.mime,
					size: f.data.length,
					sha256: createHash( 'sha256' )
						.update( f.data )
						.digest( 'hex' ),
				} ) );
				record.multipart = { fields: form.fields, files };
				json = multipartToObject( spec, route.op, form );
				bodyText = JSON.stringify( form.fields );
			} else {
				await readRaw( req ).catch( () => Buffer.alloc( 0 ) );
			}

			const model =
				isRecord( json ) && typeof json.model === 'string'
					? json.model
					: params.model;
			const script = state.takeScript( path, model, bodyText );
			if ( script ) {
				record.script_id = script.id;
				for ( const [ name, ms ] of Object.entries(
					script.latency ?? {}
				) ) {
					if ( ms !== undefined ) {
						dctx.latency[ name as 'ttfb_ms' | 'chunk_ms' ] = ms;
					}
				}
			}
			const fault = script?.fault;
			if ( fault ) {
				record.fault = fault.type;
				if ( fault.type === 'timeout' ) {
					// Say nothing, then drop the connection: the client's own timeout must fire first.
					const ms = fault.ms ?? 30_000;
					try {
						await sleep( ms, undefined, { signal: abort.signal } );
					} catch {
						// simulator closing
					}
					record.outcome = 'timeout';
					res.socket?.destroy();
					return;
				}
				const err = faultError( fault, model, key );
				if ( err ) {
					record.error = err.body().error;
					await deliver( dctx, errorReply( err ) );
					return;
				}
				dctx.fault = fault;
			}

			if ( route.body !== 'none' ) {
				const v = spec.validateRequest( route.op, route.body, json );
				if ( ! v.ok ) {
					record.validation = {
						ok: false,
						errors: [ formatAjvErrors( v.errors ) ],
					};
					throw validationError( v.errors, json );
				}
				if ( route.body === 'application/json' && isRecord( json ) ) {
					// The spec leaves most request objects open, OpenAI does not: unknown top-level
					// parameters are refused (a typo such as max_completion_token must not pass here).
					const known = spec.requestProperties(
						route.op,
						route.body
					);
					const extra = known
						? Object.keys( json ).find( ( k ) => ! ( k in known ) )
						: undefined;
					if ( extra !== undefined ) {
						record.validation = {
							ok: false,
							errors: [ `unknown parameter ${ extra }` ],
						};
						throw invalidRequest(
							`Unrecognized request argument supplied: ${ extra }`,
							extra,
							'unknown_parameter'
						);
					}
				}
			}

			const hctx: HandlerContext = {
				state,
				spec,
				record,
				json,
				multipart: form,
				params,
				script,
			};
			let reply: Reply;
			try {
				reply = await route.handler( hctx );
			} catch ( e ) {
				// Requests refused by the handler are not billed.
				delete record.bill_usage;
				delete record.cost_micro_usd;
				throw e;
			}
			await deliver( dctx, reply );
		} catch ( e ) {
			if ( ! res.headersSent ) {
				await fail( e );
			} else {
				res.destroy();
			}
		} finally {
			record.duration_ms = Math.round( performance.now() - started );
		}
	};

	const server = createServer( ( req, res ) => {
		const path = new URL( req.url ?? '/', 'http://simulator' ).pathname;
		const work = path.startsWith( '/__sim/' )
			? handleControl( req, res, path, state, spec, startedAt )
			: handleApi( req, res, path );
		work.catch( ( e: unknown ) => {
			simLog.error( '[openai-simulator] unexpected error:', e );
			if ( ! res.headersSent ) {
				res.writeHead( 500, { 'content-type': 'application/json' } );
				res.end(
					JSON.stringify( {
						error: {
							message: 'simulator crashed',
							type: 'server_error',
							param: null,
							code: 'simulator_error',
						},
					} )
				);
			} else {
				res.destroy();
			}
		} );
	} );
	// Big uploads and slow streams are the point; do not let node's defaults cut them.
	server.requestTimeout = 0;
	server.headersTimeout = 60_000;

	const host = options.host ?? '127.0.0.1';
	await new Promise< void >( ( resolve, reject ) => {
		server.once( 'error', reject );
		server.listen( options.port ?? 0, host, () => resolve() );
	} );
	const port = ( server.address() as AddressInfo ).port;
	const url = `http://${ host }:${ port }`;
	return {
		url,
		baseURL: `${ url }/v1`,
		port,
		state,
		spec,
		close: () =>
			new Promise< void >( ( resolve ) => {
				abort.abort();
				server.close( () => resolve() );
				server.closeAllConnections();
			} ),
	};
}

/** Entry point of `npm run simulator`: listens until SIGINT/SIGTERM. */
async function main(): Promise< void > {
	const t0 = performance.now();
	const port = Number( process.env.SIM_PORT ?? 4010 );
	const sim = await startSimulator( {
		port,
		host: process.env.SIM_HOST ?? '127.0.0.1',
	} );
	simLog.info(
		`[openai-simulator] listening on ${ sim.url } (OpenAI base URL ${ sim.baseURL }); spec ${ Math.round( sim.spec.loadMs ) } ms${ sim.spec.fromCache ? ' (cached)' : '' }, ready in ${ Math.round( performance.now() - t0 ) } ms`
	);
	const stop = (): void => {
		void sim.close().then( () => process.exit( 0 ) );
	};
	process.on( 'SIGINT', stop );
	process.on( 'SIGTERM', stop );
}

// Run directly (npx tsx tests/simulator/server.ts), not when imported by a test. No
// top-level await: tsx runs this file as CommonJS (the repo's package.json has no "type").
if (
	process.argv[ 1 ] &&
	fileURLToPath( import.meta.url ) === process.argv[ 1 ]
) {
	main().catch( ( e: unknown ) => {
		simLog.error( '[openai-simulator] failed to start:', e );
		process.exit( 1 );
	} );
}
