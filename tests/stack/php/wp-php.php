<?php
/**
 * Bootstrap of tests/stack/wp-php: loads WordPress like a normal front-end
 * request, then runs a snippet or a file.
 *
 *   php8.2 wp-php.php WP_DIR SITE_URL -r 'CODE' [ARGS...]
 *   php8.2 wp-php.php WP_DIR SITE_URL -f FILE [ARGS...]
 *
 * ARGS are available to the code as $vvc_args (and as $argv, with the file
 * name first).  A PHP fatal error ends the process with exit code 255.
 *
 * Runs in WordPress's global scope: our own variables carry the $vvc_ prefix.
 *
 * @package VoiceVisionChat\Tests\Stack
 */

if ( 'cli' !== PHP_SAPI || $argc < 5 || ! in_array( $argv[3], array( '-r', '-f' ), true ) ) {
	fwrite( STDERR, "usage: php wp-php.php WP_DIR SITE_URL (-r CODE | -f FILE) [ARGS...]\n" );
	exit( 2 );
}

$vvc_wp_dir   = $argv[1];
$vvc_site_url = $argv[2];
$vvc_mode     = $argv[3];
$vvc_target   = $argv[4];
$vvc_args     = array_slice( $argv, 5 );

// WP_DEBUG_DISPLAY is false in wp-config.php, so WordPress switches
// display_errors off.  Fatal errors would then only reach wp-debug.log: repeat
// them on stderr.  (The exit code stays 255 in any case.)
register_shutdown_function(
	static function () {
		$vvc_error = error_get_last();
		$vvc_fatal = array( E_ERROR, E_PARSE, E_CORE_ERROR, E_COMPILE_ERROR, E_USER_ERROR, E_RECOVERABLE_ERROR );
		if ( $vvc_error && in_array( $vvc_error['type'], $vvc_fatal, true ) && ! ini_get( 'display_errors' ) ) {
			fprintf( STDERR, "PHP Fatal error:  %s in %s on line %d\n", $vvc_error['message'], $vvc_error['file'], $vvc_error['line'] );
		}
	}
);
// WordPress's own fatal-error handler would print an HTML page and could end
// the process with exit code 0.
define( 'WP_DISABLE_FATAL_ERROR_HANDLER', true );

$vvc_url_parts             = parse_url( $vvc_site_url );
$_SERVER['HTTP_HOST']      = $vvc_url_parts['host'] . ( isset( $vvc_url_parts['port'] ) ? ':' . $vvc_url_parts['port'] : '' );
$_SERVER['SERVER_NAME']    = $vvc_url_parts['host'];
$_SERVER['SERVER_PORT']    = (string) ( $vvc_url_parts['port'] ?? 80 );
$_SERVER['REQUEST_URI']    = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['REMOTE_ADDR']    = '127.0.0.1';

require $vvc_wp_dir . '/wp-load.php';

// From here on, show warnings and notices of the snippet on stderr.
ini_set( 'display_errors', 'stderr' );

if ( '-f' === $vvc_mode ) {
	if ( ! is_readable( $vvc_target ) ) {
		fwrite( STDERR, "wp-php: $vvc_target is not readable by the user PHP runs as (www-data)\n" );
		exit( 2 );
	}
	$argv = array_merge( array( $vvc_target ), $vvc_args );
	$argc = count( $argv );
	require $vvc_target;
} else {
	// Accept snippets with or without an opening tag.
	eval( preg_replace( '/^\s*<\?php\s*/', '', $vvc_target ) );
}
