/**
 * OpenAI's error shape, `{error: {message, type, param, code}}`, and the translation of ajv
 * validation errors into the messages OpenAI uses ("Invalid type for 'messages[0]...'").
 */
import type { ErrorObject } from 'ajv';

export interface OpenAIErrorBody {
	error: {
		message: string;
		type: string;
		param: string | null;
		code: string | null;
	};
}

/** Thrown by handlers; the server turns it into an HTTP response. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly type: string = 'invalid_request_error',
		readonly param: string | null = null,
		readonly code: string | null = null,
		readonly headers: Record< string, string > = {}
	) {
		super( message );
	}

	body(): OpenAIErrorBody {
		return {
			error: {
				message: this.message,
				type: this.type,
				param: this.param,
				code: this.code,
			},
		};
	}
}

export const invalidRequest = (
	message: string,
	param: string | null = null,
	code: string | null = null
): ApiError =>
	new ApiError( 400, message, 'invalid_request_error', param, code );

export const modelNotFound = ( model: string ): ApiError =>
	new ApiError(
		404,
		`The model \`${ model }\` does not exist or you do not have access to it.`,
		'invalid_request_error',
		null,
		'model_not_found'
	);

/**
 * "/messages/0/content/1" -> "messages[0].content[1]", the param style OpenAI reports.
 * @param pointer
 * @param extra
 */
export function pointerToParam( pointer: string, extra?: string ): string {
	const parts = pointer
		.split( '/' )
		.slice( 1 )
		.map( ( p ) => p.replace( /~1/g, '/' ).replace( /~0/g, '~' ) );
	if ( extra !== undefined ) {
		parts.push( extra );
	}
	let out = '';
	for ( const p of parts ) {
		if ( /^\d+$/.test( p ) ) {
			out += `[${ p }]`;
		} else {
			out += out === '' ? p : `.${ p }`;
		}
	}
	return out;
}

function typeName( v: unknown ): string {
	if ( v === null ) {
		return 'null';
	}
	if ( Array.isArray( v ) ) {
		return 'an array';
	}
	switch ( typeof v ) {
		case 'string':
			return 'a string';
		case 'number':
			return Number.isInteger( v ) ? 'an integer' : 'a decimal';
		case 'boolean':
			return 'a boolean';
		case 'object':
			return 'an object';
		default:
			return typeof v;
	}
}

function article( t: string ): string {
	return t === 'null'
		? 'null'
		: `${ /^[aeiou]/.test( t ) ? 'an' : 'a' } ${ t }`;
}

function valueAt( data: unknown, pointer: string ): unknown {
	let cur: unknown = data;
	for ( const raw of pointer.split( '/' ).slice( 1 ) ) {
		const key = raw.replace( /~1/g, '/' ).replace( /~0/g, '~' );
		if ( cur === null || typeof cur !== 'object' ) {
			return undefined;
		}
		cur = ( cur as Record< string, unknown > )[ key ];
	}
	return cur;
}

const KEYWORD_RANK: Record< string, number > = {
	type: 9,
	const: 8,
	format: 8,
	maximum: 7,
	minimum: 7,
	exclusiveMaximum: 7,
	exclusiveMinimum: 7,
	maxLength: 7,
	minLength: 7,
	maxItems: 7,
	minItems: 7,
	pattern: 7,
	enum: 6,
	additionalProperties: 5,
	required: 4,
	oneOf: 0,
	anyOf: 0,
	allOf: 0,
};

/**
 * Picks the error that best explains a failed `oneOf`/`anyOf`: the deepest one, since the
 * branch that got furthest is the one the caller meant. Ties: a `required` for the property
 * named by the object's own `type` (content parts are `{type: "image_url", image_url: ...}`)
 * wins; an `enum` miss on a `type`/`role` tag is only another branch saying "not me".
 * @param errors
 * @param data
 */
export function pickBestError(
	errors: ErrorObject[],
	data: unknown
): ErrorObject | undefined {
	let best: ErrorObject | undefined;
	let bestScore = -Infinity;
	for ( const e of errors ) {
		const missing =
			e.keyword === 'required'
				? String(
						( e.params as { missingProperty?: string } )
							.missingProperty
					)
				: undefined;
		const depth =
			e.instancePath.split( '/' ).length -
			1 +
			( missing !== undefined ? 1 : 0 );
		let rank = KEYWORD_RANK[ e.keyword ] ?? 3;
		if ( missing !== undefined ) {
			const tag = valueAt( data, `${ e.instancePath }/type` );
			if ( tag === missing ) {
				rank = 10;
			}
		}
		if ( e.keyword === 'enum' && /\/(type|role)$/.test( e.instancePath ) ) {
			rank = 1;
		}
		// `anyOf: [{...}, {type: "null"}]` is how the spec spells "nullable"; its "must be null"
		// says nothing about what was wrong.
		if (
			e.keyword === 'type' &&
			( e.params as { type?: unknown } ).type === 'null'
		) {
			rank = 1;
		}
		const score = depth * 100 + rank;
		if ( score > bestScore ) {
			best = e;
			bestScore = score;
		}
	}
	return best;
}

/**
 * Turns ajv errors into the 400 OpenAI would send.
 * @param errors
 * @param data
 */
export function validationError(
	errors: ErrorObject[],
	data: unknown
): ApiError {
	const e = pickBestError( errors, data );
	if ( ! e ) {
		return invalidRequest( 'Invalid request body.' );
	}
	const params = e.params as Record< string, unknown >;
	// The offending value, looked up only by the messages that quote it.
	const valueOf = (): unknown => valueAt( data, e.instancePath );
	switch ( e.keyword ) {
		case 'required': {
			const param = pointerToParam(
				e.instancePath,
				String( params.missingProperty )
			);
			return invalidRequest(
				`Missing required parameter: '${ param }'.`,
				param,
				'missing_required_parameter'
			);
		}
		case 'type': {
			const param = pointerToParam( e.instancePath );
			const want = Array.isArray( params.type )
				? params.type.join( ' or ' )
				: String( params.type );
			return invalidRequest(
				`Invalid type for '${ param }': expected ${ article( want ) }, but got ${ typeName( valueOf() ) } instead.`,
				param,
				'invalid_type'
			);
		}
		case 'enum': {
			const param = pointerToParam( e.instancePath );
			const allowed =
				( params.allowedValues as unknown[] | undefined ) ?? [];
			return invalidRequest(
				`Invalid value: '${ String( valueOf() ) }'. Supported values are: ${ allowed.map( ( a ) => `'${ String( a ) }'` ).join( ', ' ) }.`,
				param,
				'invalid_value'
			);
		}
		case 'additionalProperties': {
			const extra = String( params.additionalProperty );
			return invalidRequest(
				`Unrecognized request argument supplied: ${ extra }`,
				pointerToParam( e.instancePath, extra ),
				'unknown_parameter'
			);
		}
		case 'maximum':
		case 'exclusiveMaximum':
		case 'minimum':
		case 'exclusiveMinimum': {
			const param = pointerToParam( e.instancePath );
			const above = e.keyword.toLowerCase().includes( 'max' );
			// OpenAI words it by the parameter's declared type (needs ajv's `verbose` option).
			const declared = (
				e.parentSchema as { type?: unknown } | undefined
			 )?.type;
			const kind = declared === 'integer' ? 'integer' : 'decimal';
			return invalidRequest(
				`Invalid '${ param }': ${ kind } ${ above ? 'above maximum' : 'below minimum' } value. Expected a value ${ String( params.comparison ) } ${ String( params.limit ) }, but got ${ String( valueOf() ) } instead.`,
				param,
				`${ kind }_${ above ? 'above_max' : 'below_min' }_value`
			);
		}
		case 'maxLength':
		case 'minLength':
		case 'maxItems':
		case 'minItems': {
			const param = pointerToParam( e.instancePath );
			const tooLong = e.keyword.startsWith( 'max' );
			const what = e.keyword.endsWith( 'Length' ) ? 'string' : 'array';
			return invalidRequest(
				`Invalid '${ param }': ${ what } too ${ tooLong ? 'long' : 'short' }. Expected ${ what === 'string' ? 'a string' : 'an array' } with ${ tooLong ? 'maximum' : 'minimum' } length ${ String( params.limit ) }, but got ${ what === 'string' ? 'a string' : 'an array' } with length ${ String( ( valueOf() as { length?: number } | undefined )?.length ?? '?' ) } instead.`,
				param,
				`${ what }_${ tooLong ? 'above_max' : 'below_min' }_length`
			);
		}
		default: {
			const param = pointerToParam( e.instancePath );
			return invalidRequest(
				`Invalid value for '${ param || 'body' }': ${ e.message ?? e.keyword }.`,
				param || null,
				'invalid_value'
			);
		}
	}
}
