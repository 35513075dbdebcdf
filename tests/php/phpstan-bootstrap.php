<?php
/**
 * Constants that WordPress or plugin.php define at runtime, declared for PHPStan only.
 *
 * @package VoiceVisionChat
 */

define( 'ABSPATH', '/tmp/wordpress/' );
define( 'WP_DEBUG', true );
define( 'WP_UNINSTALL_PLUGIN', 'voice-vision-chat/plugin.php' );
define( 'VVC_VERSION', '0.0.0' );
define( 'VVC_PLUGIN_FILE', __FILE__ );
define( 'VVC_PLUGIN_DIR', __DIR__ . '/' );
define( 'VVC_MIN_PHP', '8.1' );
define( 'VVC_MIN_WP', '6.8' );
