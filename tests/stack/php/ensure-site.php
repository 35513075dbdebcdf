<?php
/**
 * Brings an installed site into the state the tests expect.  Idempotent: it
 * only writes what differs, so on a ready site it changes nothing.
 *
 * Run by up.sh through wp-php (a normal, non-installing WordPress load):
 *   tests/stack/wp-php -f tests/stack/php/ensure-site.php ADMIN_USER
 *
 * Prints one line per change; "WARNING: ..." lines on stderr; exit code 1 when
 * the plugin cannot be activated.
 *
 * @package VoiceVisionChat\Tests\Stack
 */

$vvc_admin_login = $vvc_args[0] ?? 'admin';
$vvc_plugin      = 'voice-vision-chat/plugin.php';
$vvc_theme       = 'twentytwentyfive';
$vvc_changed     = false;

$vvc_admin = get_user_by( 'login', $vvc_admin_login );
if ( ! $vvc_admin ) {
	fwrite( STDERR, "The admin user '$vvc_admin_login' does not exist.\n" );
	exit( 1 );
}
// Act as the admin: activation hooks may check capabilities, and the demo
// page's block markup must not go through the kses filters of a guest.
wp_set_current_user( $vvc_admin->ID );

// Theme.
if ( get_stylesheet() !== $vvc_theme ) {
	$vvc_theme_object = wp_get_theme( $vvc_theme );
	if ( ! $vvc_theme_object->exists() ) {
		fwrite( STDERR, "WARNING: theme $vvc_theme is missing from " . get_theme_root() . "\n" );
	} else {
		switch_theme( $vvc_theme );
		echo "Activated theme $vvc_theme.\n";
		$vvc_changed = true;
	}
}

// Pretty permalinks (also set by install.php; kept here for sites made elsewhere).
if ( '/%postname%/' !== get_option( 'permalink_structure' ) ) {
	$GLOBALS['wp_rewrite']->set_permalink_structure( '/%postname%/' );
	echo "Set the permalink structure to /%postname%/.\n";
	$vvc_changed = true;
}

// The plugin (wp-content/plugins/voice-vision-chat is a symlink to the repo).
require_once ABSPATH . 'wp-admin/includes/plugin.php';
if ( ! file_exists( WP_PLUGIN_DIR . '/' . $vvc_plugin ) ) {
	fwrite( STDERR, "WARNING: $vvc_plugin does not exist yet; the plugin is not active.\n" );
} elseif ( ! is_plugin_active( $vvc_plugin ) ) {
	// activate_plugin() runs the plugin's activation hook, as the admin screen does.
	$vvc_result = activate_plugin( $vvc_plugin );
	if ( is_wp_error( $vvc_result ) ) {
		fwrite( STDERR, "Activating $vvc_plugin failed: " . $vvc_result->get_error_message() . "\n" );
		exit( 1 );
	}
	echo "Activated plugin $vvc_plugin.\n";
	$vvc_changed = true;
}

// The demo page with the chat block, found by its slug.
$vvc_page = get_page_by_path( 'chat-demo', OBJECT, 'page' );
if ( ! $vvc_page ) {
	$vvc_page_id = wp_insert_post(
		array(
			'post_type'    => 'page',
			'post_status'  => 'publish',
			'post_name'    => 'chat-demo',
			'post_title'   => 'Chat demo',
			'post_content' => '<!-- wp:voice-vision-chat/chat /-->',
			'post_author'  => $vvc_admin->ID,
		),
		true
	);
	if ( is_wp_error( $vvc_page_id ) ) {
		fwrite( STDERR, 'Creating the Chat demo page failed: ' . $vvc_page_id->get_error_message() . "\n" );
		exit( 1 );
	}
	echo "Created the page 'Chat demo' (/chat-demo/, id $vvc_page_id).\n";
	$vvc_changed = true;
}

// Rules built in THIS process would miss whatever the plugin registers on
// `init` (it was not loaded when `init` ran).  Drop them; the next normal
// request (up.sh fetches the home page right after this) rebuilds them.
if ( $vvc_changed ) {
	delete_option( 'rewrite_rules' );
}
