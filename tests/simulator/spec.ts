/**
 * Loads OpenAI's OpenAPI description (tests/simulator/openapi/openapi.yaml) and hands out
 * ajv validators for request and response schemas, compiled lazily and cached.
 *
 * Why a cache file: parsing the 3 MB YAML takes ~1.3 s, and vitest starts the simulator
 * once per test file; the normalised JSON (keyed by the YAML's sha256) loads in ~60 ms.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

export const SPEC_PATH = join(
	dirname( fileURLToPath( import.meta.url ) ),
	'openapi',
	'openapi.yaml'
);
const SPEC_ID = 'https://simulator.invalid/openapi.json';
/** Bump when normalize() changes, so stale cache files are ignored. */
const CACHE_VERSION = 3;

export type Json =
	null | boolean | number | string | Json[] | { [ key: string ]: Json };
export type JsonObject = { [ key: string ]: Json };

export interface OperationSchemas {
	method: string;
	path: string;
	/** content type -> normalised schema */
	request: Record< string, Json >;
	/** status -> content type -> normalised schema */
	responses: Record< string, Record< string, Json > >;
}

interface NormalisedSpec {
	version: number;
	hash: string;
	schemas: Record< string, Json >;
	operations: Record< string, OperationSchemas >;
}

export type ValidationResult =
	{ ok: true } | { ok: false; errors: ErrorObject[] };

export interface SpecStore {
	readonly loadMs: number;
	readonly fromCache: boolean;
	readonly operations: Readonly< Record< string, OperationSchemas > >;
	/** Validate data against the request body schema of an operation. */
	validateRequest: (
		operationId: string,
		contentType: string,
		data: unknown
	) => ValidationResult;
	/** Validate data against a response schema of an operation. */
	validateResponse: (
		operationId: string,
		status: number,
		contentType: string,
		data: unknown
	) => ValidationResult;
	/** Validate against a named component schema (e.g. "ErrorResponse"). */
	validateComponent: ( name: string, data: unknown ) => ValidationResult;
	/**
	 * Top-level properties of a request body schema (through $ref and allOf), or undefined if
	 * the schema is not a plain object schema. Used to refuse unknown parameters as OpenAI does,
	 * and to type multipart fields, which arrive as strings.
	 */
	requestProperties: (
		operationId: string,
		contentType: string
	) => Record< string, Json > | undefined;
	/** Follows a `#/components/schemas/...` $ref (one level). */
	resolve: ( schema: Json ) => Json;
}

function isObject( v: Json | undefined ): v is JsonObject {
	return typeof v === 'object' && v !== null && ! Array.isArray( v );
}

/** JSON Schema keywords we keep; everything else (x-*, description, discriminator...) is annotation noise. */
const SCHEMA_MAP_KEYS = new Set( [
	'properties',
	'patternProperties',
	'$defs',
	'dependentSchemas',
] );
const SCHEMA_KEYS = new Set( [
	'items',
	'not',
	'additionalProperties',
	'contains',
	'propertyNames',
	'if',
	'then',
	'else',
	'unevaluatedProperties',
	'unevaluatedItems',
] );
const SCHEMA_LIST_KEYS = new Set( [
	'allOf',
	'anyOf',
	'oneOf',
	'prefixItems',
] );
const DATA_KEYS = new Set( [
	'type',
	'enum',
	'const',
	'required',
	'minimum',
	'maximum',
	'exclusiveMinimum',
	'exclusiveMaximum',
	'multipleOf',
	'minLength',
	'maxLength',
	'pattern',
	'format',
	'minItems',
	'maxItems',
	'uniqueItems',
	'minProperties',
	'maxProperties',
	'minContains',
	'maxContains',
	'dependentRequired',
	'$ref',
] );

/**
 * Turns an OpenAPI 3.1 schema (with 3.0 leftovers) into plain JSON Schema 2020-12 for ajv:
 * - `nullable: true` (3.0 syntax, still used ~110 times) becomes `anyOf: [schema, {type: null}]`;
 * - boolean `exclusiveMinimum` (3.0) becomes the numeric 2020 form;
 * - `$recursiveRef: "#"` (2019-09, unsupported by Ajv2020) becomes a `$ref` to its component;
 * - `discriminator` is dropped: ajv's support requires shapes this spec does not always have,
 *   and `oneOf` alone already decides validity.
 * @param node
 * @param componentName
 */
function normalize( node: Json, componentName: string ): Json {
	if ( Array.isArray( node ) ) {
		return node.map( ( n ) => normalize( n, componentName ) );
	}
	if ( ! isObject( node ) ) {
		return node;
	}
	const out: JsonObject = {};
	for ( const [ key, value ] of Object.entries( node ) ) {
		if ( SCHEMA_MAP_KEYS.has( key ) && isObject( value ) ) {
			const map: JsonObject = {};
			for ( const [ name, sub ] of Object.entries( value ) ) {
				map[ name ] = normalize( sub, componentName );
			}
			out[ key ] = map;
		} else if ( SCHEMA_KEYS.has( key ) ) {
			out[ key ] =
				typeof value === 'boolean'
					? value
					: normalize( value, componentName );
		} else if ( SCHEMA_LIST_KEYS.has( key ) && Array.isArray( value ) ) {
			out[ key ] = value.map( ( n ) => normalize( n, componentName ) );
		} else if ( key === '$recursiveRef' ) {
			out.$ref = `#/components/schemas/${ componentName }`;
		} else if ( DATA_KEYS.has( key ) ) {
			out[ key ] = value;
		}
	}
	if ( out.exclusiveMinimum === true ) {
		out.exclusiveMinimum =
			typeof out.minimum === 'number' ? out.minimum : 0;
		delete out.minimum;
	} else if ( out.exclusiveMinimum === false ) {
		delete out.exclusiveMinimum;
	}
	if ( out.exclusiveMaximum === true ) {
		out.exclusiveMaximum =
			typeof out.maximum === 'number' ? out.maximum : 0;
		delete out.maximum;
	} else if ( out.exclusiveMaximum === false ) {
		delete out.exclusiveMaximum;
	}
	if ( node.nullable === true ) {
		return { anyOf: [ out, { type: 'null' } ] };
	}
	return out;
}

function extractOperations(
	doc: JsonObject
): Record< string, OperationSchemas > {
	const ops: Record< string, OperationSchemas > = {};
	const paths = isObject( doc.paths ) ? doc.paths : {};
	for ( const [ path, item ] of Object.entries( paths ) ) {
		if ( ! isObject( item ) ) {
			continue;
		}
		for ( const [ method, op ] of Object.entries( item ) ) {
			if ( ! isObject( op ) || typeof op.operationId !== 'string' ) {
				continue;
			}
			const request: Record< string, Json > = {};
			const body = op.requestBody;
			if ( isObject( body ) && isObject( body.content ) ) {
				for ( const [ ct, media ] of Object.entries( body.content ) ) {
					if ( isObject( media ) && media.schema !== undefined ) {
						request[ ct ] = normalize( media.schema, '' );
					}
				}
			}
			const responses: Record< string, Record< string, Json > > = {};
			if ( isObject( op.responses ) ) {
				for ( const [ status, resp0 ] of Object.entries(
					op.responses
				) ) {
					let resp = resp0;
					// Shared responses (e.g. TooManyRequests) live under components/responses.
					if ( isObject( resp ) && typeof resp.$ref === 'string' ) {
						const name = resp.$ref.split( '/' ).pop() ?? '';
						const shared =
							isObject( doc.components ) &&
							isObject( doc.components.responses )
								? doc.components.responses[ name ]
								: undefined;
						resp = shared ?? null;
					}
					if ( ! isObject( resp ) || ! isObject( resp.content ) ) {
						continue;
					}
					const byType: Record< string, Json > = {};
					for ( const [ ct, media ] of Object.entries(
						resp.content
					) ) {
						if ( isObject( media ) && media.schema !== undefined ) {
							byType[ ct ] = normalize( media.schema, '' );
						}
					}
					responses[ status ] = byType;
				}
			}
			ops[ op.operationId ] = {
				method: method.toUpperCase(),
				path,
				request,
				responses,
			};
		}
	}
	return ops;
}

function buildNormalised( yamlText: string, hash: string ): NormalisedSpec {
	const doc = parseYaml( yamlText ) as JsonObject;
	const components = isObject( doc.components ) ? doc.components : {};
	const rawSchemas = isObject( components.schemas ) ? components.schemas : {};
	const schemas: Record< string, Json > = {};
	for ( const [ name, schema ] of Object.entries( rawSchemas ) ) {
		schemas[ name ] = normalize( schema, name );
	}
	return {
		version: CACHE_VERSION,
		hash,
		schemas,
		operations: extractOperations( doc ),
	};
}

function loadNormalised( specPath: string ): {
	spec: NormalisedSpec;
	fromCache: boolean;
} {
	const yamlText = readFileSync( specPath, 'utf8' );
	const hash = createHash( 'sha256' ).update( yamlText ).digest( 'hex' );
	const cacheDir = join( tmpdir(), 'oai-simulator-cache' );
	const cacheFile = join(
		cacheDir,
		`openapi-${ hash.slice( 0, 16 ) }-v${ CACHE_VERSION }.json`
	);
	try {
		const cached = JSON.parse(
			readFileSync( cacheFile, 'utf8' )
		) as NormalisedSpec;
		if ( cached.version === CACHE_VERSION && cached.hash === hash ) {
			return { spec: cached, fromCache: true };
		}
	} catch {
		// No or unreadable cache: rebuild below.
	}
	const spec = buildNormalised( yamlText, hash );
	try {
		mkdirSync( cacheDir, { recursive: true } );
		// Write then rename, so parallel vitest workers never read a half-written file.
		const tmp = `${ cacheFile }.${ process.pid }.${ Date.now() }.tmp`;
		writeFileSync( tmp, JSON.stringify( spec ) );
		renameSync( tmp, cacheFile );
	} catch {
		// A read-only tmpdir only costs speed.
	}
	return { spec, fromCache: false };
}

function resolveRef( schemas: Record< string, Json >, node: Json ): Json {
	let cur = node;
	for (
		let i = 0;
		i < 8 &&
		isObject( cur ) &&
		typeof cur.$ref === 'string' &&
		cur.$ref.startsWith( '#/components/schemas/' );
		i++
	) {
		cur =
			schemas[ cur.$ref.slice( '#/components/schemas/'.length ) ] ?? null;
	}
	return cur;
}

/**
 * JSON pointer escaping for keys used in $ref fragments.
 * @param {...any} parts
 */
function ptr( ...parts: string[] ): string {
	return parts
		.map( ( p ) =>
			encodeURIComponent( p.replace( /~/g, '~0' ).replace( /\//g, '~1' ) )
		)
		.join( '/' );
}

// ajv-formats is CommonJS with a default export; under ESM interop it may arrive wrapped.
type AddFormats = (
	ajv: Ajv2020,
	options?: { mode?: 'fast' | 'full' }
) => Ajv2020;
const addFormats: AddFormats =
	( addFormatsModule as unknown as { default?: AddFormats } ).default ??
	( addFormatsModule as unknown as AddFormats );

export function createSpecStore( specPath: string = SPEC_PATH ): SpecStore {
	const started = performance.now();
	const { spec, fromCache } = loadNormalised( specPath );
	const ajv = new Ajv2020( {
		strict: false, // the spec carries keywords ajv does not know; normalize() drops most of them
		allErrors: false, // first error per branch is enough to explain a refusal, and faster
		allowUnionTypes: true,
		validateFormats: true,
		verbose: true, // errors carry their schema, so messages can say "integer" or "decimal" as OpenAI does
	} );
	addFormats( ajv, { mode: 'fast' } );
	// Formats the spec uses that are annotations for our purpose.
	ajv.addFormat( 'unixtime', {
		type: 'number',
		validate: ( n: number ) => Number.isInteger( n ) && n >= 0,
	} );
	ajv.addFormat( 'binary', true );
	ajv.addFormat( 'float', { type: 'number', validate: () => true } );
	// Data URLs of several MB are valid URIs; a cheap scheme check avoids a regex over megabytes.
	ajv.addFormat( 'uri', ( s: string ) =>
		/^[a-z][a-z0-9+.-]*:\S+$/i.test( s.slice( 0, 512 ) )
	);
	ajv.addSchema( {
		$id: SPEC_ID,
		components: { schemas: spec.schemas },
		operations: spec.operations,
	} as object );
	const cache = new Map< string, ValidateFunction >();

	const compile = ( fragment: string ): ValidateFunction => {
		let fn = cache.get( fragment );
		if ( ! fn ) {
			fn = ajv.compile( { $ref: `${ SPEC_ID }#${ fragment }` } );
			cache.set( fragment, fn );
		}
		return fn;
	};
	const run = ( fn: ValidateFunction, data: unknown ): ValidationResult =>
		fn( data )
			? { ok: true }
			: { ok: false, errors: [ ...( fn.errors ?? [] ) ] };
	const requireOp = ( operationId: string ): OperationSchemas => {
		const op = spec.operations[ operationId ];
		if ( ! op ) {
			throw new Error( `simulator: unknown operation ${ operationId }` );
		}
		return op;
	};

	const store: SpecStore = {
		loadMs: performance.now() - started,
		fromCache,
		operations: spec.operations,
		validateRequest( operationId, contentType, data ) {
			const op = requireOp( operationId );
			if ( ! ( contentType in op.request ) ) {
				throw new Error(
					`simulator: ${ operationId } has no ${ contentType } request`
				);
			}
			return run(
				compile(
					`/${ ptr( 'operations', operationId, 'request', contentType ) }`
				),
				data
			);
		},
		validateResponse( operationId, status, contentType, data ) {
			const op = requireOp( operationId );
			const byType = op.responses[ String( status ) ];
			if ( ! byType || ! ( contentType in byType ) ) {
				// Error bodies are not described per operation; all of them share ErrorResponse.
				if ( status >= 400 ) {
					return store.validateComponent( 'ErrorResponse', data );
				}
				throw new Error(
					`simulator: ${ operationId } has no ${ status } ${ contentType } response`
				);
			}
			return run(
				compile(
					`/${ ptr( 'operations', operationId, 'responses', String( status ), contentType ) }`
				),
				data
			);
		},
		resolve( schema ) {
			return resolveRef( spec.schemas, schema );
		},
		requestProperties( operationId, contentType ) {
			const root = requireOp( operationId ).request[ contentType ];
			if ( root === undefined ) {
				return undefined;
			}
			const props: Record< string, Json > = {};
			const collect = ( node0: Json, depth: number ): boolean => {
				const node = resolveRef( spec.schemas, node0 );
				if ( ! isObject( node ) || depth > 8 ) {
					return false;
				}
				let found = false;
				if ( isObject( node.properties ) ) {
					Object.assign( props, node.properties );
					found = true;
				}
				if ( Array.isArray( node.allOf ) ) {
					for ( const sub of node.allOf ) {
						found = collect( sub, depth + 1 ) || found;
					}
				}
				return found;
			};
			return collect( root, 0 ) ? props : undefined;
		},
		validateComponent( name, data ) {
			if ( ! ( name in spec.schemas ) ) {
				throw new Error( `simulator: unknown schema ${ name }` );
			}
			return run(
				compile( `/${ ptr( 'components', 'schemas', name ) }` ),
				data
			);
		},
	};
	return store;
}

let shared: SpecStore | undefined;
/** One store per process: compiled validators are reused by every simulator instance. */
export function getSpecStore(): SpecStore {
	shared ??= createSpecStore();
	return shared;
}

export function formatAjvErrors( errors: ErrorObject[] ): string {
	return errors
		.map(
			( e ) => `${ e.instancePath || '/' } ${ e.message ?? e.keyword }`
		)
		.join( '; ' );
}
