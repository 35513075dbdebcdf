<?php
/**
 * Settings > Voice & Vision Chat: the admin screen that hosts the React settings app.
 *
 * The page itself is an empty root element (App_Page); build/admin/settings.js renders the
 * form and talks only to the admin REST routes (voice-vision-chat/v1/admin/*), so the PHP
 * side adds only what the other app screens lack: the link from the plugins list.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Admin;

defined( 'ABSPATH' ) || exit;

/**
 * Menu entry, assets and markup of the settings screen, plus its link on the Plugins screen.
 */
final class Settings_Page extends App_Page {

	/**
	 * Value of ?page= for the screen.
	 */
	public const SLUG = 'voice-vision-chat';

	/**
	 * Handle of the settings script and of its stylesheet.
	 */
	public const HANDLE = 'vvc-admin-settings';

	/**
	 * Id of the element the React app mounts on (see src/admin/settings/index.tsx).
	 */
	public const ROOT_ID = 'vvc-settings-root';

	/**
	 * Main plugin file, for the plugins-list filter name.
	 *
	 * @var string
	 */
	private string $plugin_file;

	/**
	 * Stores collaborators.
	 *
	 * @param App_Assets $assets      Loads build/admin/settings.js.
	 * @param string     $plugin_file Main plugin file.
	 */
	public function __construct( App_Assets $assets, string $plugin_file ) {
		parent::__construct( $assets, 'options-general.php', self::SLUG, 'settings' );
		$this->plugin_file = $plugin_file;
	}

	/**
	 * Title of the screen.
	 */
	protected function page_title(): string {
		return __( 'Voice & Vision Chat settings', 'voice-vision-chat' );
	}

	/**
	 * Label of Settings > Voice & Vision Chat.
	 */
	protected function menu_title(): string {
		return __( 'Voice & Vision Chat', 'voice-vision-chat' );
	}

	/**
	 * Puts a "Settings" link first among the plugin's links on the Plugins screen.
	 *
	 * @param array<int|string, string> $links Action links WordPress already shows.
	 * @return array<int|string, string>
	 */
	public function add_action_link( array $links ): array {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			return $links;
		}
		$link = sprintf(
			'<a href="%s">%s</a>',
			esc_url( $this->url() ),
			esc_html__( 'Settings', 'voice-vision-chat' )
		);
		return array( 'settings' => $link ) + $links;
	}

	/**
	 * Name of the filter that adds links to this plugin's row on the Plugins screen.
	 */
	public function action_links_hook(): string {
		return 'plugin_action_links_' . plugin_basename( $this->plugin_file );
	}

	/**
	 * Address of the screen.
	 */
	public function url(): string {
		return admin_url( 'options-general.php?page=' . self::SLUG );
	}
}
