/**
 * REST latency of the plugin's routes next to WordPress's own floor, on the running stack
 * (nginx + php-fpm + MariaDB, the simulator upstream):
 *
 *   npx tsx tests/bench/rest-latency.ts [--requests 40]
 *
 * The floor is a core route that does next to nothing (GET /wp/v2/types/post) and the
 * bare REST index; the plugin rows are POST /session, a JSON POST /chat answered by the
 * model (whose time includes one simulator round trip, shown on its own line; each question
 * is worded differently, so none is served from the FAQ cache), and one answered from a
 * curated FAQ entry (no model call). Requests run one after the other after a warm-up, so
 * the medians compare like with like. Reports; asserts nothing.
 */
/* eslint-disable no-console -- a command-line report. */
import { performance } from 'node:perf_hooks';

import {
	addCuratedEntry,
	deleteCuratedEntry,
} from '../e2e/support/curated-faq';
import { readStackEnv } from '../e2e/support/stack-env';

const stack = readStackEnv();
const site = stack.VVC_SITE_URL;
const sim = stack.VVC_SIM_URL ?? 'http://127.0.0.1:4010';
const countArg = process.argv.indexOf( '--requests' );
const count = countArg > 0 ? Number( process.argv[ countArg + 1 ] ) : 40;

type Sample = { median: number; p95: number };

const CURATED = 'Benchmark curated question: where is the shop?';

/**
 * A number as lower-case letters (digits in a question would read as personal data and
 * change how the FAQ treats it).
 *
 * @param n A counter.
 */
function letters( n: number ): string {
	let out = '';
	do {
		out = String.fromCharCode( 97 + ( n % 26 ) ) + out;
		n = Math.floor( n / 26 );
	} while ( n > 0 );
	return out;
}

async function measure(
	send: () => Promise< Response >,
	n: number
): Promise< Sample > {
	const times: number[] = [];
	for ( let i = 0; i < n + 3; i++ ) {
		const start = performance.now();
		const response = await send();
		await response.arrayBuffer();
		if ( ! response.ok ) {
			throw new Error( `${ response.url }: HTTP ${ response.status }` );
		}
		if ( i >= 3 ) {
			times.push( performance.now() - start );
		}
	}
	times.sort( ( a, b ) => a - b );
	return {
		median: times[ Math.floor( times.length / 2 ) ] ?? 0,
		p95: times[ Math.floor( times.length * 0.95 ) ] ?? 0,
	};
}

async function main() {
	const session = await fetch(
		`${ site }/wp-json/voice-vision-chat/v1/session`,
		{ method: 'POST' }
	);
	const { token } = ( await session.json() ) as { token: string };
	let asked = 0;
	const ask = ( message: string ) =>
		fetch( `${ site }/wp-json/voice-vision-chat/v1/chat`, {
			method: 'POST',
			headers: {
				'Content-Type': 'application/json',
				'X-VVC-Token': token,
			},
			body: JSON.stringify( { message } ),
		} );

	const rows: Array< [ string, Sample ] > = [
		[
			'floor: GET /wp-json/ (REST index)',
			await measure( () => fetch( `${ site }/wp-json/` ), count ),
		],
		[
			'floor: GET /wp/v2/types/post',
			await measure(
				() => fetch( `${ site }/wp-json/wp/v2/types/post` ),
				count
			),
		],
		[
			'plugin: POST /session',
			await measure(
				() =>
					fetch( `${ site }/wp-json/voice-vision-chat/v1/session`, {
						method: 'POST',
					} ),
				count
			),
		],
		[
			'simulator alone: GET /v1/models',
			await measure(
				() =>
					fetch( `${ sim }/v1/models`, {
						headers: { Authorization: 'Bearer sk-bench' },
					} ),
				count
			),
		],
		[
			'plugin: POST /chat (JSON, via simulator)',
			await measure(
				() =>
					ask(
						`Benchmark question ${ letters(
							asked++
						) }: what are your hours?`
					),
				count
			),
		],
	];
	const entry = addCuratedEntry( CURATED, 'On Main Street.' );
	try {
		rows.push( [
			'plugin: POST /chat (curated FAQ, no model)',
			await measure( () => ask( CURATED ), count ),
		] );
	} finally {
		deleteCuratedEntry( entry );
	}

	console.log( `REST latency, ${ count } sequential requests each (ms)` );
	console.log(
		'route'.padEnd( 44 ) + 'median'.padStart( 8 ) + 'p95'.padStart( 8 )
	);
	for ( const [ name, sample ] of rows ) {
		console.log(
			name.padEnd( 44 ) +
				sample.median.toFixed( 1 ).padStart( 8 ) +
				sample.p95.toFixed( 1 ).padStart( 8 )
		);
	}
}

main().catch( ( error: unknown ) => {
	console.error( error );
	process.exit( 1 );
} );
