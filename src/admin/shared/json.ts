/**
 * Reading the admin REST routes' JSON answers with runtime checks, shared by the settings,
 * budget and usage screens: a field of the wrong type becomes one clear ApiError instead of
 * a broken screen.
 */
import { __ } from '@wordpress/i18n';

import type { ApiError } from '../settings/types';

export type Json = Record< string, unknown >;

export function isObject( value: unknown ): value is Json {
	return (
		typeof value === 'object' && value !== null && ! Array.isArray( value )
	);
}

/**
 * The error for an answer this screen does not understand.
 *
 * @param detail The field that was missing or of the wrong type.
 */
export function badResponse( detail: string ): ApiError {
	return {
		code: 'vvc_bad_response',
		message:
			__(
				'The server sent an unexpected answer. Reload the page and try again.',
				'voice-vision-chat'
			) + ` (${ detail })`,
		status: null,
	};
}

/**
 * The answer (or one item of it) as an object, or the error naming what it should be.
 *
 * @param value  Parsed JSON.
 * @param detail What the value is, for the error.
 */
export function requireObject( value: unknown, detail: string ): Json {
	if ( ! isObject( value ) ) {
		throw badResponse( detail );
	}
	return value;
}

export function readString( source: Json, key: string ): string {
	const value = source[ key ];
	if ( typeof value !== 'string' ) {
		throw badResponse( key );
	}
	return value;
}

export function readNumber( source: Json, key: string ): number {
	const value = source[ key ];
	if ( typeof value !== 'number' || ! Number.isFinite( value ) ) {
		throw badResponse( key );
	}
	return value;
}

export function readBoolean( source: Json, key: string ): boolean {
	const value = source[ key ];
	if ( typeof value !== 'boolean' ) {
		throw badResponse( key );
	}
	return value;
}

export function readObject( source: Json, key: string ): Json {
	return requireObject( source[ key ], key );
}

export function readList( source: Json, key: string ): Json[] {
	const value = source[ key ];
	if ( ! Array.isArray( value ) || ! value.every( isObject ) ) {
		throw badResponse( key );
	}
	return value;
}

export function readStrings( source: Json, key: string ): string[] {
	const value = source[ key ];
	if (
		! Array.isArray( value ) ||
		! value.every( ( item ) => typeof item === 'string' )
	) {
		throw badResponse( key );
	}
	return value as string[];
}
