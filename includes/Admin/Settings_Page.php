<?php
/**
 * Settings > Voice & Vision Chat: the admin screen that hosts the React settings app.
 *
 * The page itself is an empty root element; build/admin/settings.js renders the form and
 * talks only to the admin REST routes (voice-vision-chat/v1/admin/*), so the PHP side just
 * adds the menu entry, loads the script on this one screen and links to it from the
 * plugins list.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Admin;

defined( 'ABSPATH' ) || exit;

/**
 * Menu entry, assets and markup of the settings screen.
 */
final class Settings_Page {

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
	 * Who may open the screen; the REST routes it calls require the same.
	 */
	public const CAPABILITY = 'manage_options';

	/**
	 * Main plugin file, for plugins_url() and the plugins-list filter name.
	 *
	 * @var string
	 */
	private string $plugin_file;

	/**
	 * Absolute path of build/admin, where settings.js and settings.asset.php are.
	 *
	 * @var string
	 */
	private string $build_dir;

	/**
	 * Hook suffix WordPress gave the page, '' until add_page() ran for a user allowed to see it.
	 *
	 * @var string
	 */
	private string $hook_suffix = '';

	/**
	 * Stores where the plugin and its built assets are.
	 *
	 * @param string $plugin_file Main plugin file.
	 * @param string $build_dir   Absolute path of build/admin.
	 */
	public function __construct( string $plugin_file, string $build_dir ) {
		$this->plugin_file = $plugin_file;
		$this->build_dir   = rtrim( $build_dir, '/' );
	}

	/**
	 * Adds Settings > Voice & Vision Chat for users who can manage options.
	 */
	public function add_page(): void {
		$hook = add_options_page(
			__( 'Voice & Vision Chat settings', 'voice-vision-chat' ),
			esc_html__( 'Voice & Vision Chat', 'voice-vision-chat' ),
			self::CAPABILITY,
			self::SLUG,
			array( $this, 'render' )
		);

		// False when the current user lacks the capability: then nothing is enqueued either.
		$this->hook_suffix = is_string( $hook ) ? $hook : '';
	}

	/**
	 * Loads the settings app and wp-components' styles, on this screen only.
	 *
	 * @param string $hook_suffix The current admin screen's hook suffix.
	 */
	public function enqueue( string $hook_suffix ): void {
		if ( '' === $this->hook_suffix || $hook_suffix !== $this->hook_suffix ) {
			return;
		}
		$asset = $this->asset();
		if ( null === $asset ) {
			return;
		}
		wp_enqueue_script(
			self::HANDLE,
			plugins_url( 'build/admin/settings.js', $this->plugin_file ),
			$asset['dependencies'],
			$asset['version'],
			array( 'in_footer' => true )
		);
		wp_set_script_translations( self::HANDLE, 'voice-vision-chat', dirname( $this->plugin_file ) . '/languages' );
		wp_enqueue_style(
			self::HANDLE,
			plugins_url( 'build/admin/settings.css', $this->plugin_file ),
			array( 'wp-components' ),
			$asset['version']
		);
		// wp-scripts also writes settings-rtl.css; WordPress swaps it in on right-to-left sites.
		wp_style_add_data( self::HANDLE, 'rtl', 'replace' );
	}

	/**
	 * Prints the screen: a heading and the element the app mounts on.
	 */
	public function render(): void {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			return;
		}
		?>
		<div class="wrap">
			<h1><?php echo esc_html( get_admin_page_title() ); ?></h1>
			<?php if ( null === $this->asset() ) : ?>
				<div class="notice notice-error">
					<p><?php esc_html_e( 'The settings screen has not been built. Run `npm run build` in the plugin folder.', 'voice-vision-chat' ); ?></p>
				</div>
			<?php endif; ?>
			<div id="<?php echo esc_attr( self::ROOT_ID ); ?>"></div>
			<noscript>
				<div class="notice notice-error">
					<p><?php esc_html_e( 'This settings screen needs JavaScript.', 'voice-vision-chat' ); ?></p>
				</div>
			</noscript>
		</div>
		<?php
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

	/**
	 * Dependencies and version that `wp-scripts build` wrote for the script.
	 *
	 * @return array{dependencies: list<non-empty-string>, version: string}|null Null when the build is missing.
	 */
	private function asset(): ?array {
		$file = $this->build_dir . '/settings.asset.php';
		if ( ! is_readable( $file ) ) {
			return null;
		}
		$asset = require $file;
		if ( ! is_array( $asset ) ) {
			return null;
		}
		$dependencies = array();
		foreach ( (array) ( $asset['dependencies'] ?? array() ) as $dependency ) {
			if ( is_string( $dependency ) && '' !== $dependency ) {
				$dependencies[] = $dependency;
			}
		}
		$version = isset( $asset['version'] ) && is_string( $asset['version'] ) ? $asset['version'] : VVC_VERSION;
		return array(
			'dependencies' => $dependencies,
			'version'      => $version,
		);
	}
}
