<?php
/**
 * Deletes the plugin's options, transients and tables on every site of the network.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat;

defined( 'ABSPATH' ) || exit;

/**
 * Clean-up for uninstall.php.
 */
final class Uninstaller {

	/**
	 * Cleans the current site, or every site on a multisite network.
	 */
	public function run(): void {
		if ( ! is_multisite() ) {
			$this->clean_site();
			return;
		}
		foreach ( get_sites( array( 'fields' => 'ids' ) ) as $site_id ) {
			switch_to_blog( (int) $site_id );
			$this->clean_site();
			restore_current_blog();
		}
	}

	/**
	 * Removes every option and transient whose name starts with the plugin's prefix.
	 */
	private function clean_site(): void {
		global $wpdb;

		// One prepared query instead of a hand-kept list, so no option is ever forgotten.
		$names = $wpdb->get_col( // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- uninstall runs once; no cache to keep.
			$wpdb->prepare(
				"SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s OR option_name LIKE %s",
				$wpdb->esc_like( 'vvc_' ) . '%',
				$wpdb->esc_like( '_transient_vvc_' ) . '%',
				$wpdb->esc_like( '_transient_timeout_vvc_' ) . '%'
			)
		);
		foreach ( $names as $name ) {
			delete_option( $name );
		}

		// The usage log, budget periods, reservations and rate counters ({prefix}vvc_*).
		( new Storage\Schema() )->drop();
		wp_clear_scheduled_hook( Storage\Maintenance::HOOK );
	}
}
