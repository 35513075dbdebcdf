<?php
/**
 * The plugin's database tables: created, upgraded and dropped in one place.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Storage;

use VoiceVisionChat\Cost\Budget_Ledger;
use VoiceVisionChat\Cost\Rate_Limiter;

defined( 'ABSPATH' ) || exit;

/**
 * Versioned schema of the custom tables: the usage log, the budget periods, the open
 * reservations and the rate counters.
 *
 * The dbDelta() call runs on activation and whenever the stored schema version differs from
 * VERSION (an update that came without re-activation, or a site of a network that never
 * ran the activation hook). Bump VERSION with every change to a CREATE TABLE statement.
 */
final class Schema {

	/**
	 * Version of the CREATE TABLE statements below.
	 */
	public const VERSION = 1;

	/**
	 * Option holding the installed version (autoloaded: read on every request).
	 */
	public const OPTION = 'vvc_db_version';

	/**
	 * Table names without the prefix.
	 *
	 * @return list<string>
	 */
	public static function tables(): array {
		return array( Usage_Table::TABLE, Budget_Ledger::TABLE, Budget_Ledger::RESERVATIONS, Rate_Limiter::TABLE );
	}

	/**
	 * Every CREATE TABLE statement for this site.
	 *
	 * @return list<string>
	 */
	public static function statements(): array {
		global $wpdb;
		$collate = $wpdb->get_charset_collate();
		return array_merge(
			Usage_Table::schema( $wpdb->prefix, $collate ),
			Budget_Ledger::schema( $wpdb->prefix, $collate ),
			Rate_Limiter::schema( $wpdb->prefix, $collate )
		);
	}

	/**
	 * Creates or updates the tables and records the version.
	 */
	public function install(): void {
		require_once ABSPATH . 'wp-admin/includes/upgrade.php'; // @phpstan-ignore requireOnce.fileNotFound (WordPress's own file, found at run time.)
		dbDelta( self::statements() );
		update_option( self::OPTION, self::VERSION, true );
	}

	/**
	 * Runs install() when the stored version is not this code's.
	 */
	public function maybe_upgrade(): void {
		if ( self::VERSION !== (int) get_option( self::OPTION, 0 ) ) {
			$this->install();
		}
	}

	/**
	 * Drops every table and forgets the version (uninstall).
	 */
	public function drop(): void {
		global $wpdb;
		foreach ( self::tables() as $table ) {
			$wpdb->query( "DROP TABLE IF EXISTS `{$wpdb->prefix}{$table}`" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching, WordPress.DB.DirectDatabaseQuery.SchemaChange, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- uninstall; $table comes from the constant list above.
		}
		delete_option( self::OPTION );
	}
}
