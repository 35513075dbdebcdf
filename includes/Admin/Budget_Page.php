<?php
/**
 * Settings > Chat budget: the admin screen for spending limits, model prices and tiers.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Admin;

defined( 'ABSPATH' ) || exit;

/**
 * Menu entry, assets and markup of the budget screen.
 *
 * A screen of its own rather than more cards on the chat settings screen: it saves to
 * other options (vvc_budget, vvc_model_catalog) through its own route, and its long model
 * table would bury the few settings most sites change.
 */
final class Budget_Page extends App_Page {

	/**
	 * Value of ?page= for the screen.
	 */
	public const SLUG = 'vvc-budget';

	/**
	 * Script and style handle.
	 */
	public const HANDLE = 'vvc-admin-budget';

	/**
	 * Id of the element the app mounts on (see src/admin/budget/index.tsx).
	 */
	public const ROOT_ID = 'vvc-budget-root';

	/**
	 * Stores collaborators.
	 *
	 * @param App_Assets $assets Loads build/admin/budget.js.
	 */
	public function __construct( App_Assets $assets ) {
		parent::__construct( $assets, 'options-general.php', self::SLUG, 'budget' );
	}

	/**
	 * Title of the screen.
	 */
	protected function page_title(): string {
		return __( 'Chat budget, prices and models', 'voice-vision-chat' );
	}

	/**
	 * Label of Settings > Chat budget.
	 */
	protected function menu_title(): string {
		return __( 'Chat budget', 'voice-vision-chat' );
	}

	/**
	 * The usage dashboard's address.
	 *
	 * @return array<string, string>
	 */
	protected function root_urls(): array {
		return array( 'usage-url' => Dashboard_Page::url() );
	}

	/**
	 * Address of the screen.
	 */
	public static function url(): string {
		return admin_url( 'options-general.php?page=' . self::SLUG );
	}
}
