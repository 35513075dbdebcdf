/**
 * Prints what a visitor downloads for the chat, gzipped, next to the budgets of the issue:
 * the loader before any interaction (≤ 6 KB) and the widget's code on first use (≤ 25 KB).
 * The widget mounts without the Markdown renderer (build/chat/markdown.js: marked and
 * DOMPurify), which it fetches right after mounting.
 *
 *   npm run build && npx tsx tests/bench/asset-sizes.ts [--page http://127.0.0.1:8888/chat-demo/]
 *
 * gzip level 6 (zlib's and most servers' default). With --page, the boot object inline in that page is measured too. Exits 1 over budget.
 */
/* eslint-disable no-console -- a command-line report. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = resolve( __dirname, '../..' );
const KB = 1024;

const gzipSize = ( data: string | Buffer ) =>
	gzipSync( data, { level: 6 } ).length;
const kb = ( bytes: number ) =>
	( bytes / KB ).toFixed( 1 ).padStart( 5 ) + ' KB';

async function pageBoot( url: string ): Promise< number > {
	const html = await ( await fetch( url ) ).text();
	const match = html.match(
		/<script[^>]*>\s*window\.vvcChatBoot = [\s\S]*?<\/script>/
	);
	if ( ! match ) {
		throw new Error( `no boot object in ${ url }` );
	}
	return gzipSize( match[ 0 ] );
}

async function main() {
	const pageArg = process.argv.indexOf( '--page' );
	const page = pageArg > 0 ? process.argv[ pageArg + 1 ] : undefined;

	const view = gzipSize(
		readFileSync( resolve( root, 'build/blocks/chat/view.js' ) )
	);
	const widget = gzipSize(
		readFileSync( resolve( root, 'build/chat/widget.js' ) )
	);
	const markdown = gzipSize(
		readFileSync( resolve( root, 'build/chat/markdown.js' ) )
	);
	const css = gzipSize(
		readFileSync( resolve( root, 'build/blocks/chat/style-index.css' ) )
	);
	const boot = page ? await pageBoot( page ) : null;

	const rows: Array< [ string, number, number | null ] > = [
		[ 'loader build/blocks/chat/view.js', view, null ],
		...( boot === null
			? []
			: [
					[ 'boot object inline in the page', boot, null ] as [
						string,
						number,
						null,
					],
				] ),
		[ 'script before interaction (total)', view + ( boot ?? 0 ), 6 * KB ],
		[ 'widget build/chat/widget.js', widget, 25 * KB ],
		[ 'Markdown build/chat/markdown.js', markdown, null ],
		[ 'block CSS style-index.css', css, null ],
	];
	let over = false;
	for ( const [ name, size, budget ] of rows ) {
		const verdict =
			budget === null
				? ''
				: `  budget ${ kb( budget ) }  ${ size <= budget ? 'ok' : 'OVER' }`;
		over ||= budget !== null && size > budget;
		console.log(
			`${ name.padEnd( 36 ) } ${ kb( size ) } gzip${ verdict }`
		);
	}
	process.exitCode = over ? 1 : 0;
}

main().catch( ( error ) => {
	console.error( error );
	process.exitCode = 2;
} );
