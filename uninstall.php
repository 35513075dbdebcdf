<?php
/**
 * Removes everything the plugin stored when an admin deletes it.
 *
 * Runs only through WordPress's uninstall flow. Each later feature that stores data adds
 * its clean-up to Uninstaller, so this file stays a one-liner.
 *
 * @package VoiceVisionChat
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

require_once __DIR__ . '/includes/autoload.php';

( new VoiceVisionChat\Uninstaller() )->run();
