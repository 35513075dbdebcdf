<?php
/**
 * Plugin Name:       Voice & Vision Chat
 * Description:       An AI chat block for your visitors: typed, spoken and photo questions, answered by OpenAI or any OpenAI-compatible service, with cost limits and an FAQ cache.
 * Version:           0.1.0
 * Requires at least: 6.8
 * Requires PHP:      8.1
 * Author:            Voice & Vision Chat contributors
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       voice-vision-chat
 * Domain Path:       /languages
 *
 * @package VoiceVisionChat
 */

defined( 'ABSPATH' ) || exit;

define( 'VVC_VERSION', '0.1.0' );
define( 'VVC_PLUGIN_FILE', __FILE__ );
define( 'VVC_PLUGIN_DIR', __DIR__ . '/' );
define( 'VVC_MIN_PHP', '8.1' );
define( 'VVC_MIN_WP', '6.8' );

/*
 * Checked here, before any namespaced code loads, so that an old host gets a notice
 * instead of a parse error or a fatal on every page.
 */
// @phpstan-ignore booleanOr.leftAlwaysFalse (PHPStan runs on a new PHP; old hosts are the point.)
if ( version_compare( PHP_VERSION, VVC_MIN_PHP, '<' ) || version_compare( get_bloginfo( 'version' ), VVC_MIN_WP, '<' ) ) {
	add_action(
		'admin_notices',
		static function (): void {
			printf(
				'<div class="notice notice-error"><p>%s</p></div>',
				esc_html(
					sprintf(
						/* translators: 1: required PHP version, 2: required WordPress version. */
						__( 'Voice & Vision Chat needs PHP %1$s and WordPress %2$s or newer. It is installed but does nothing until the site is updated.', 'voice-vision-chat' ),
						VVC_MIN_PHP,
						VVC_MIN_WP
					)
				)
			);
		}
	);
	return;
}

require_once VVC_PLUGIN_DIR . 'includes/autoload.php';

( new VoiceVisionChat\Plugin( VVC_PLUGIN_DIR, VVC_PLUGIN_FILE ) )->register();
