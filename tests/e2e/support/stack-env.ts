/**
 * Reads the KEY=VALUE facts that tests/stack/up.sh writes to .stack/env.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export type StackEnv = Record< string, string | undefined > & {
	VVC_SITE_URL: string;
	VVC_ADMIN_USER: string;
	VVC_ADMIN_PASSWORD: string;
};

export function readStackEnv(
	file = resolve( __dirname, '../../../.stack/env' )
): StackEnv {
	let text = '';
	try {
		text = readFileSync( file, 'utf8' );
	} catch {
		throw new Error(
			`${ file } is missing: start the stack with \`npm run stack:up\` first.`
		);
	}
	const env: Record< string, string > = {};
	for ( const line of text.split( '\n' ) ) {
		const match = line.match(
			/^(?:export\s+)?([A-Z0-9_]+)=["']?(.*?)["']?$/
		);
		if ( match?.[ 1 ] ) {
			env[ match[ 1 ] ] = match[ 2 ] ?? '';
		}
	}
	return {
		...env,
		VVC_SITE_URL: env.VVC_SITE_URL ?? 'http://127.0.0.1:8888',
		VVC_ADMIN_USER: env.VVC_ADMIN_USER ?? 'admin',
		VVC_ADMIN_PASSWORD: env.VVC_ADMIN_PASSWORD ?? 'admin',
	};
}
