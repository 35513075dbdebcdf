<?php
/**
 * Dashboard > Chat usage: the admin screen that hosts the React usage dashboard.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Admin;

defined( 'ABSPATH' ) || exit;

/**
 * Menu entry, assets and markup of the usage dashboard.
 *
 * It sits under Dashboard, where WordPress keeps "how is the site doing" screens, next to
 * the numbers an owner checks; the limits it reports on are edited on the budget screen
 * under Settings.
 */
final class Dashboard_Page extends App_Page {

	/**
	 * Value of ?page= for the screen.
	 */
	public const SLUG = 'vvc-usage';

	/**
	 * Script and style handle.
	 */
	public const HANDLE = 'vvc-admin-dashboard';

	/**
	 * Id of the element the app mounts on (see src/admin/dashboard/index.tsx).
	 */
	public const ROOT_ID = 'vvc-dashboard-root';

	/**
	 * Stores collaborators.
	 *
	 * @param App_Assets $assets Loads build/admin/dashboard.js.
	 */
	public function __construct( App_Assets $assets ) {
		parent::__construct( $assets, 'index.php', self::SLUG, 'dashboard' );
	}

	/**
	 * Title of the screen.
	 */
	protected function page_title(): string {
		return __( 'Chat usage and costs', 'voice-vision-chat' );
	}

	/**
	 * Label of Dashboard > Chat usage.
	 */
	protected function menu_title(): string {
		return __( 'Chat usage', 'voice-vision-chat' );
	}

	/**
	 * The CSV export address (with the REST nonce, as a plain link download needs) and the
	 * budget screen's.
	 *
	 * @return array<string, string>
	 */
	protected function root_urls(): array {
		return array(
			'export-url' => self::download_url( 'admin/usage/export' ),
			'budget-url' => Budget_Page::url(),
		);
	}

	/**
	 * Address of the screen.
	 */
	public static function url(): string {
		return admin_url( 'index.php?page=' . self::SLUG );
	}
}
