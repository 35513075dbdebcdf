<?php
/**
 * Installs WordPress into the database named in wp-config.php, without wp-cli.
 *
 * Run by up.sh as www-data:
 *   php8.2 install.php WP_DIR SITE_URL TITLE ADMIN_USER ADMIN_PASSWORD ADMIN_EMAIL
 *
 * Pitfall 2: this file runs in WordPress's global scope, so every variable of
 * our own is prefixed with $vvc_ (a global such as $wp would break WordPress).
 * The rewrite rules are NOT built here: WP_INSTALLING leaves taxonomies and
 * plugins half set up, and rules flushed now make category URLs 404.  We only
 * set the permalink structure and delete the rules; the next normal request
 * rebuilds them.
 *
 * @package VoiceVisionChat\Tests\Stack
 */

if ( 'cli' !== PHP_SAPI || $argc < 7 ) {
	fwrite( STDERR, "usage: php install.php WP_DIR SITE_URL TITLE USER PASSWORD EMAIL\n" );
	exit( 2 );
}

list( , $vvc_wp_dir, $vvc_site_url, $vvc_title, $vvc_user, $vvc_password, $vvc_email ) = $argv;

// Make WordPress believe it runs behind the site's real host name and port.
$vvc_url_parts          = parse_url( $vvc_site_url );
$_SERVER['HTTP_HOST']   = $vvc_url_parts['host'] . ( isset( $vvc_url_parts['port'] ) ? ':' . $vvc_url_parts['port'] : '' );
$_SERVER['SERVER_NAME'] = $vvc_url_parts['host'];
$_SERVER['SERVER_PORT'] = (string) ( $vvc_url_parts['port'] ?? 80 );
$_SERVER['REQUEST_URI'] = '/wp-admin/install.php';
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['REMOTE_ADDR']    = '127.0.0.1';

define( 'WP_INSTALLING', true );
require $vvc_wp_dir . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

if ( is_blog_installed() ) {
	echo "WordPress is already installed.\n";
	exit( 0 );
}

// wp_install() expects a slashed password, like the installer form sends it.
$vvc_result = wp_install( $vvc_title, $vvc_user, $vvc_email, true, '', wp_slash( $vvc_password ) );
if ( empty( $vvc_result['user_id'] ) ) {
	fwrite( STDERR, "wp_install() did not create the admin user.\n" );
	exit( 1 );
}

// wp_guess_url() cannot know the URL on the command line: set it explicitly.
update_option( 'siteurl', $vvc_site_url );
update_option( 'home', $vvc_site_url );

// Pretty permalinks; the rules themselves are rebuilt by a later normal request.
$GLOBALS['wp_rewrite']->set_permalink_structure( '/%postname%/' );
delete_option( 'rewrite_rules' );

printf( "Installed WordPress %s, admin user '%s' (id %d).\n", get_bloginfo( 'version' ), $vvc_user, $vvc_result['user_id'] );
