/**
 * Curated FAQ entries on the running site, written through the plugin's own store (for
 * tests and benchmarks that need one; admin-screen tests use the screen instead).
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const WP_PHP = resolve( __dirname, '../../stack/wp-php' );

/** The store, as PHP (parenthesized: PHP 8.2 has no `new X()->y`). */
const STORE =
	'( new VoiceVisionChat\\Cache\\Curated_Faq_Store( new VoiceVisionChat\\Cache\\Question_Normalizer(), new VoiceVisionChat\\Cache\\Cache_Version() ) )';

function sitePhp( code: string, ...args: string[] ): string {
	return execFileSync( WP_PHP, [ code, ...args ], { encoding: 'utf8' } );
}

/**
 * Adds an entry and returns its id.
 *
 * @param question The entry's one wording.
 * @param answer   Its answer.
 */
export function addCuratedEntry( question: string, answer: string ): string {
	const id = sitePhp(
		`$entry = ${ STORE }->create( array( $vvc_args[0] ), $vvc_args[1] ); echo is_array( $entry ) ? $entry['id'] : '';`,
		question,
		answer
	).trim();
	if ( id === '' ) {
		throw new Error( `the curated entry "${ question }" was not stored` );
	}
	return id;
}

/**
 * Deletes an entry.
 *
 * @param id The id addCuratedEntry() returned.
 */
export function deleteCuratedEntry( id: string ): void {
	sitePhp( `${ STORE }->delete( $vvc_args[0] );`, id );
}
