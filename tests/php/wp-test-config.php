<?php
/**
 * WordPress configuration for the PHPUnit run: a private test database in the stack's
 * MariaDB, and the WordPress tree chosen by VVC_TEST_WP (7.1 by default, or 6.8).
 *
 * Shared by bootstrap.php and install-test-site.php, which runs in its own process.
 *
 * @package VoiceVisionChat\Tests
 */

$vvc_repo = dirname( __DIR__, 2 );
$vvc_env  = array();
if ( is_readable( $vvc_repo . '/.stack/env' ) ) {
	foreach ( (array) file( $vvc_repo . '/.stack/env', FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES ) as $vvc_line ) {
		if ( preg_match( '/^(?:export\s+)?([A-Z0-9_]+)=["\']?(.*?)["\']?$/', (string) $vvc_line, $vvc_m ) ) {
			$vvc_env[ $vvc_m[1] ] = $vvc_m[2];
		}
	}
}
if ( ! isset( $vvc_env['VVC_DB_SOCKET'] ) ) {
	fwrite( STDERR, "The test stack is not set up: run `npm run stack:up` (or `npm test`) first.\n" );
	exit( 1 );
}

$vvc_wp_version = getenv( 'VVC_TEST_WP' ) ?: '7.1';
$vvc_wp_key     = 'VVC_WP_DIR_' . str_replace( '.', '', $vvc_wp_version );
if ( empty( $vvc_env[ $vvc_wp_key ] ) || ! is_dir( $vvc_env[ $vvc_wp_key ] ) ) {
	fwrite( STDERR, "No WordPress $vvc_wp_version tree in the stack ($vvc_wp_key).\n" );
	exit( 1 );
}

define( 'ABSPATH', rtrim( $vvc_env[ $vvc_wp_key ], '/' ) . '/' );
// One database per run (named by bootstrap.php), so parallel runs never drop each other's tables.
define( 'DB_NAME', getenv( 'VVC_TEST_DB' ) ?: 'vvc_test_' . str_replace( '.', '', $vvc_wp_version ) );
define( 'DB_USER', $vvc_env['VVC_DB_USER'] ?? 'vvc' );
define( 'DB_PASSWORD', $vvc_env['VVC_DB_PASSWORD'] ?? 'vvc' );
define( 'DB_HOST', 'localhost:' . $vvc_env['VVC_DB_SOCKET'] );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
define( 'WP_TESTS_DOMAIN', 'example.org' );
define( 'WP_HOME', 'http://example.org' );
define( 'WP_SITEURL', 'http://example.org' );
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_LOG', false );
define( 'WP_DEBUG_DISPLAY', true );
define( 'WP_ENVIRONMENT_TYPE', 'local' );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'DISABLE_WP_CRON', true );
define( 'VVC_TEST_SIMULATOR_URL', $vvc_env['VVC_SIM_URL'] ?? 'http://127.0.0.1:4010' );
define( 'VVC_TEST_REPO', $vvc_repo );

// Salts only have to be stable within one run.
foreach ( array( 'AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT' ) as $vvc_salt ) {
	define( $vvc_salt, 'vvc-test-' . strtolower( $vvc_salt ) );
}

$table_prefix = 'wptests_'; // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited -- WordPress reads this global.

$_SERVER['HTTP_HOST']   = WP_TESTS_DOMAIN;
$_SERVER['SERVER_NAME'] = WP_TESTS_DOMAIN;
$_SERVER['SERVER_PORT'] = '80';
$_SERVER['REMOTE_ADDR'] = '127.0.0.1';
$_SERVER['PHP_SELF']    = '/index.php';
$_SERVER['REQUEST_URI'] = '/';
