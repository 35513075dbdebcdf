/**
 * Where the simulator reports problems. A mutable object, so a test can capture what a
 * simulator bug would print instead of scanning stderr.
 */
import { inspect } from 'node:util';

const format = ( parts: unknown[] ): string =>
	parts
		.map( ( p ) => ( typeof p === 'string' ? p : inspect( p ) ) )
		.join( ' ' );

export const simLog = {
	info( ...parts: unknown[] ): void {
		process.stdout.write( `${ format( parts ) }\n` );
	},
	error( ...parts: unknown[] ): void {
		process.stderr.write( `${ format( parts ) }\n` );
	},
};
