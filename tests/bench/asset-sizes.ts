/**
 * Prints what a visitor downloads for the chat, gzipped, next to the budgets of the issue:
 * the loader before any interaction (≤ 6 KB) and the widget's code on first use (≤ 25 KB).
 *
 *   npm run build && npx tsx tests/bench/asset-sizes.ts [--page http://127.0.0.1:8888/chat-demo/]
 *
 * gzip level 6 (zlib's and most servers' default). The widget bundle is also split into the
 * plugin's own code and the two libraries bundled with it (marked, DOMPurify), rebuilt
 * with esbuild for the split, so those two figures are close estimates, not exact shares.
 * With --page, the boot object inline in that page is measured too. Exits 1 over budget.
 */
/* eslint-disable no-console -- a command-line report. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

// esbuild comes with tsx and vitest (devDependencies); only this report uses it directly.
// eslint-disable-next-line import/no-extraneous-dependencies
import { build } from 'esbuild';

const root = resolve( __dirname, '../..' );
const KB = 1024;

const gzipSize = ( data: string | Buffer ) =>
	gzipSync( data, { level: 6 } ).length;
const kb = ( bytes: number ) =>
	( bytes / KB ).toFixed( 1 ).padStart( 5 ) + ' KB';

async function esbuildSize(
	contents: string,
	external: string[]
): Promise< number > {
	const result = await build( {
		stdin: { contents, resolveDir: root, loader: 'tsx' },
		bundle: true,
		minify: true,
		format: 'iife',
		jsx: 'automatic',
		write: false,
		external,
		logLevel: 'error',
	} );
	return gzipSize( Buffer.from( result.outputFiles[ 0 ]!.contents ) );
}

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
	const css = gzipSize(
		readFileSync( resolve( root, 'build/blocks/chat/style-index.css' ) )
	);
	const wordpress = [
		'@wordpress/*',
		'react',
		'react-dom',
		'react/jsx-runtime',
	];
	const own = await esbuildSize( "import './src/chat/index.tsx';", [
		...wordpress,
		'marked',
		'dompurify',
	] );
	const libraries = await esbuildSize(
		"import { Marked } from 'marked'; import DOMPurify from 'dompurify'; window.x = [ Marked, DOMPurify ];",
		[]
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
		[ 'widget build/chat/widget.js (all)', widget, null ],
		[ '  plugin code (esbuild estimate)', own, 25 * KB ],
		[ '  marked + DOMPurify (estimate)', libraries, null ],
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
	if ( widget > 25 * KB ) {
		console.log(
			`note: the whole widget bundle is ${ kb( widget ).trim() } gzip; the libraries are most of it.`
		);
	}
	process.exitCode = over ? 1 : 0;
}

main().catch( ( error ) => {
	console.error( error );
	process.exitCode = 2;
} );
