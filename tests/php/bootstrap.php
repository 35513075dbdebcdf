<?php
/**
 * PHPUnit bootstrap: a real WordPress on the stack's MariaDB, with the plugin loaded the way
 * WordPress loads it. Nothing of WordPress is mocked; HTTP to the provider goes to the
 * project's OpenAI simulator (or is intercepted with pre_http_request in a test that says so).
 *
 * @package VoiceVisionChat\Tests
 */

require dirname( __DIR__, 2 ) . '/vendor/autoload.php';

// A fresh site for every run, in its own database, installed in a child process (WordPress
// loads once per process). The database is dropped when the run ends.
if ( ! getenv( 'VVC_TEST_DB' ) ) {
	putenv( 'VVC_TEST_DB=vvc_test_' . str_replace( '.', '', getenv( 'VVC_TEST_WP' ) ?: '7.1' ) . '_' . getmypid() );
}
passthru( escapeshellarg( PHP_BINARY ) . ' ' . escapeshellarg( __DIR__ . '/install-test-site.php' ), $vvc_status );
if ( 0 !== $vvc_status ) {
	exit( $vvc_status );
}

require __DIR__ . '/wp-test-config.php';

// Load the plugin as an active plugin would be, before plugins_loaded fires.
$GLOBALS['wp_filter']['muplugins_loaded'][10][] = array(
	'function'      => static function (): void {
		require VVC_TEST_REPO . '/plugin.php';
	},
	'accepted_args' => 0,
);

require ABSPATH . 'wp-settings.php';

// What WordPress does on the activation request.
do_action( 'activate_' . plugin_basename( VVC_TEST_REPO . '/plugin.php' ) );

register_shutdown_function(
	static function (): void {
		$GLOBALS['wpdb']->query( 'DROP DATABASE IF EXISTS `' . DB_NAME . '`' );
	}
);

require __DIR__ . '/Support/TestCase.php';
