<?php
/**
 * Saves and restores the plugin's cost-control options around a browser test, so a test
 * that changes prices, tiers or limits leaves the shared site as it found it.
 * Run inside the site: tests/stack/wp-php -f tests/e2e/support/option-snapshot.php
 *
 *   get              prints {"vvc_budget": ..., "vvc_model_catalog": ...} (null when unset)
 *   set JSON         writes those values back (null deletes the option)
 *
 * @package VoiceVisionChat\Tests
 */

$vvc_names  = array( 'vvc_budget', 'vvc_model_catalog' );
$vvc_action = (string) ( $vvc_args[0] ?? '' );

if ( 'get' === $vvc_action ) {
	$vvc_values = array();
	foreach ( $vvc_names as $vvc_name ) {
		$vvc_values[ $vvc_name ] = get_option( $vvc_name, null );
	}
	echo wp_json_encode( $vvc_values );
	exit( 0 );
}

if ( 'set' === $vvc_action ) {
	$vvc_values = json_decode( (string) ( $vvc_args[1] ?? '' ), true );
	if ( ! is_array( $vvc_values ) ) {
		fwrite( STDERR, "set needs a JSON object\n" );
		exit( 2 );
	}
	foreach ( $vvc_names as $vvc_name ) {
		if ( ! array_key_exists( $vvc_name, $vvc_values ) ) {
			continue;
		}
		if ( null === $vvc_values[ $vvc_name ] ) {
			delete_option( $vvc_name );
		} else {
			// The budget is autoloaded (read on every chat request), the catalog is not.
			update_option( $vvc_name, $vvc_values[ $vvc_name ], 'vvc_budget' === $vvc_name );
		}
	}
	echo 'ok';
	exit( 0 );
}

fwrite( STDERR, "usage: get | set JSON\n" );
exit( 2 );
