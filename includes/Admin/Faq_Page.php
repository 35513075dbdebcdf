<?php
/**
 * Settings > Chat FAQ: the most asked questions, curated answers and the FAQ cache.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Admin;

defined( 'ABSPATH' ) || exit;

/**
 * Menu entry, assets and markup of the FAQ screen.
 *
 * Under Settings next to the budget screen: it is where the admin decides what the chat
 * answers without a model call. The FAQ cache's own settings (on or off, how long answers
 * are kept, after how many asks) are edited here and nowhere else; transcript logging,
 * which decides whether visitors' wording is kept, stays on the chat settings screen.
 */
final class Faq_Page extends App_Page {

	/**
	 * Value of ?page= for the screen.
	 */
	public const SLUG = 'vvc-faq';

	/**
	 * Script and style handle.
	 */
	public const HANDLE = 'vvc-admin-faq';

	/**
	 * Id of the element the app mounts on (see src/admin/faq/index.tsx).
	 */
	public const ROOT_ID = 'vvc-faq-root';

	/**
	 * Stores collaborators.
	 *
	 * @param App_Assets $assets Loads build/admin/faq.js.
	 */
	public function __construct( App_Assets $assets ) {
		parent::__construct( $assets, 'options-general.php', self::SLUG, 'faq' );
	}

	/**
	 * Title of the screen.
	 */
	protected function page_title(): string {
		return __( 'Chat FAQ and answer cache', 'voice-vision-chat' );
	}

	/**
	 * Label of Settings > Chat FAQ.
	 */
	protected function menu_title(): string {
		return __( 'Chat FAQ', 'voice-vision-chat' );
	}

	/**
	 * The CSV export address (with the REST nonce) and the chat settings screen's, where
	 * transcript logging is switched.
	 *
	 * @return array<string, string>
	 */
	protected function root_urls(): array {
		return array(
			'export-url'   => self::download_url( 'admin/faq/export' ),
			'settings-url' => admin_url( 'options-general.php?page=' . Settings_Page::SLUG ),
		);
	}

	/**
	 * Address of the screen.
	 */
	public static function url(): string {
		return admin_url( 'options-general.php?page=' . self::SLUG );
	}
}
