<?php
/**
 * Plugin Name: VVC stack: offline
 * Description: Test stack only (copied by tests/stack/up.sh). Stops WordPress from calling wordpress.org: update and version checks, Browse Happy, Serve Happy, dashboard news and events, remote block patterns.
 *
 * The machine has no internet.  WP_HTTP_BLOCK_EXTERNAL already makes these
 * calls fail fast, but wp-admin would retry them on every screen and log
 * warnings (pitfall 6).  Here they never start.
 *
 * @package VoiceVisionChat\Tests\Stack
 */

defined( 'ABSPATH' ) || exit;

// Core, plugin and theme update checks (cron and admin screens).  The hooks
// are attached by wp-includes/update.php, which is loaded before mu-plugins.
add_filter( 'automatic_updater_disabled', '__return_true' );
remove_action( 'init', 'wp_schedule_update_checks' );
foreach (
	array(
		array( 'wp_version_check', 'wp_version_check' ),
		array( 'wp_update_plugins', 'wp_update_plugins' ),
		array( 'wp_update_themes', 'wp_update_themes' ),
		array( 'wp_maybe_auto_update', 'wp_maybe_auto_update' ),
		array( 'admin_init', '_maybe_update_core' ),
		array( 'admin_init', '_maybe_update_plugins' ),
		array( 'admin_init', '_maybe_update_themes' ),
		array( 'load-plugins.php', 'wp_update_plugins' ),
		array( 'load-update.php', 'wp_update_plugins' ),
		array( 'load-update-core.php', 'wp_update_plugins' ),
		array( 'load-themes.php', 'wp_update_themes' ),
		array( 'load-update.php', 'wp_update_themes' ),
		array( 'load-update-core.php', 'wp_update_themes' ),
	) as list( $vvc_stack_hook, $vvc_stack_callback )
) {
	remove_action( $vvc_stack_hook, $vvc_stack_callback );
}
unset( $vvc_stack_hook, $vvc_stack_callback );

// Events scheduled before this plugin existed (wp_install() schedules them).
add_action(
	'init',
	static function () {
		if ( wp_installing() ) {
			return;
		}
		foreach ( array( 'wp_version_check', 'wp_update_plugins', 'wp_update_themes' ) as $vvc_stack_event ) {
			if ( wp_next_scheduled( $vvc_stack_event ) ) {
				wp_clear_scheduled_hook( $vvc_stack_event );
			}
		}
	}
);

/**
 * A fresh, empty "last check" result, so any caller believes it just checked.
 *
 * @param string $vvc_stack_kind 'core', 'plugins' or 'themes'.
 * @return object
 */
function vvc_stack_fresh_update_check( $vvc_stack_kind ) {
	$vvc_stack_result = (object) array(
		'last_checked'    => time(),
		'version_checked' => get_bloginfo( 'version' ),
		'updates'         => array(),
		'translations'    => array(),
		'checked'         => array(),
		'response'        => array(),
		'no_update'       => array(),
	);
	if ( 'core' !== $vvc_stack_kind ) {
		unset( $vvc_stack_result->updates, $vvc_stack_result->version_checked );
	}
	return $vvc_stack_result;
}
add_filter( 'pre_site_transient_update_core', static fn() => vvc_stack_fresh_update_check( 'core' ) );
add_filter( 'pre_site_transient_update_plugins', static fn() => vvc_stack_fresh_update_check( 'plugins' ) );
add_filter( 'pre_site_transient_update_themes', static fn() => vvc_stack_fresh_update_check( 'themes' ) );

// Browse Happy (browser check on the dashboard): the answer is cached per user
// agent, so pre-fill that cache entry for the current one.
if ( ! empty( $_SERVER['HTTP_USER_AGENT'] ) ) {
	add_filter(
		'pre_site_transient_browser_' . md5( $_SERVER['HTTP_USER_AGENT'] ), // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- only hashed.
		static fn() => array(
			'name'            => 'Chromium',
			'version'         => '999',
			'platform'        => '',
			'update_url'      => '',
			'img_src'         => '',
			'img_src_ssl'     => '',
			'current_version' => '999',
			'upgrade'         => false,
			'insecure'        => false,
			'mobile'          => false,
		)
	);
}

// Serve Happy (PHP version check on the dashboard and Site Health).
add_filter(
	'pre_site_transient_php_check_' . md5( PHP_VERSION ),
	static fn() => array(
		'recommended_version'          => PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION,
		'minimum_version'              => '7.4',
		'is_supported'                 => true,
		'is_secure'                    => true,
		'is_acceptable'                => true,
		'is_lower_than_future_minimum' => false,
	)
);

// Dashboard widgets that load wordpress.org news and events feeds.
add_action(
	'wp_dashboard_setup',
	static function () {
		remove_meta_box( 'dashboard_primary', 'dashboard', 'side' );
		remove_meta_box( 'dashboard_primary', 'dashboard', 'normal' );
	},
	100
);

// The block editor's pattern directory (api.wordpress.org/patterns).
add_filter( 'should_load_remote_block_patterns', '__return_false' );

// The language list of Settings > General (api.wordpress.org/translations):
// an empty list leaves English only.
add_filter( 'pre_site_transient_available_translations', static fn() => array() );
