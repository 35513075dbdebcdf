/**
 * What every endpoint handler receives, plus small helpers they share.
 */
import { randomBytes } from 'node:crypto';
import type { Multipart } from '../body';
import type { Reply } from '../deliver';
import type { SpecStore } from '../spec';
import type { RequestRecord, ScriptEntry, SimState } from '../state';

export interface HandlerContext {
	state: SimState;
	spec: SpecStore;
	record: RequestRecord;
	/** parsed JSON body (already validated against the operation's request schema) */
	json: unknown;
	multipart?: Multipart;
	/** path parameters, e.g. {model} for /v1/models/{model} */
	params: Record< string, string >;
	script?: ScriptEntry;
}

export type Handler = ( ctx: HandlerContext ) => Promise< Reply >;

export function randomId( prefix: string, bytes = 12 ): string {
	return `${ prefix }${ randomBytes( bytes ).toString( 'hex' ) }`;
}

export const nowSeconds = (): number => Math.floor( Date.now() / 1000 );

/**
 * Splits text into pieces of at most `size` characters (code points, so emoji stay whole).
 * @param text
 * @param size
 */
export function splitText( text: string, size: number ): string[] {
	const chars = [ ...text ];
	const out: string[] = [];
	const n = Math.max( 1, Math.floor( size ) );
	for ( let i = 0; i < chars.length; i += n ) {
		out.push( chars.slice( i, i + n ).join( '' ) );
	}
	return out;
}

export function isRecord( v: unknown ): v is Record< string, unknown > {
	return typeof v === 'object' && v !== null && ! Array.isArray( v );
}
