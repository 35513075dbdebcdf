<?php
/**
 * Installs a fresh WordPress into the test database. Runs in its own PHP process before
 * the tests, because WordPress can only be loaded once per process and the suite must
 * start from an empty site every run.
 *
 * @package VoiceVisionChat\Tests
 */

require __DIR__ . '/wp-test-config.php';

// Create the database (the stack's `vvc` user may create any vvc_* database), then empty it.
$vvc_socket = substr( DB_HOST, strlen( 'localhost:' ) );
$vvc_db     = mysqli_connect( 'localhost', DB_USER, DB_PASSWORD, '', 0, $vvc_socket );
mysqli_query( $vvc_db, 'CREATE DATABASE IF NOT EXISTS `' . DB_NAME . '` CHARACTER SET utf8mb4' );
mysqli_select_db( $vvc_db, DB_NAME );
$vvc_tables = mysqli_query( $vvc_db, 'SHOW TABLES' );
mysqli_query( $vvc_db, 'SET FOREIGN_KEY_CHECKS = 0' );
while ( $vvc_row = mysqli_fetch_row( $vvc_tables ) ) {
	mysqli_query( $vvc_db, 'DROP TABLE `' . $vvc_row[0] . '`' );
}
mysqli_close( $vvc_db );

define( 'WP_INSTALLING', true );
require ABSPATH . 'wp-settings.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

// Keep WordPress from sending the "new site" mail; there is no mail server.
add_filter( 'pre_wp_mail', '__return_false' );

$vvc_result = wp_install( 'Voice & Vision Chat tests', 'admin', 'admin@example.org', true, '', 'password' );
if ( is_wp_error( $vvc_result ) ) {
	fwrite( STDERR, $vvc_result->get_error_message() . "\n" );
	exit( 1 );
}
update_option( 'permalink_structure', '/%postname%/' );
echo 'Installed WordPress ' . esc_html( $GLOBALS['wp_version'] ) . ' into ' . esc_html( DB_NAME ) . "\n";
