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
 * under Settings. The page is an empty root element that build/admin/dashboard.js fills
 * from the admin REST routes; the only data printed here are the addresses the app needs.
 */
final class Dashboard_Page {

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
	 * Who may open the screen; the REST routes it calls require the same.
	 */
	public const CAPABILITY = 'manage_options';

	/**
	 * Loads the built app.
	 *
	 * @var App_Assets
	 */
	private App_Assets $assets;

	/**
	 * Hook suffix WordPress gave the page, '' until add_page() ran for a user allowed to see it.
	 *
	 * @var string
	 */
	private string $hook_suffix = '';

	/**
	 * Stores collaborators.
	 *
	 * @param App_Assets $assets Loads build/admin/dashboard.js.
	 */
	public function __construct( App_Assets $assets ) {
		$this->assets = $assets;
	}

	/**
	 * Adds Dashboard > Chat usage for users who can manage options.
	 */
	public function add_page(): void {
		$hook              = add_dashboard_page(
			__( 'Chat usage and costs', 'voice-vision-chat' ),
			esc_html__( 'Chat usage', 'voice-vision-chat' ),
			self::CAPABILITY,
			self::SLUG,
			array( $this, 'render' )
		);
		$this->hook_suffix = is_string( $hook ) ? $hook : '';
	}

	/**
	 * Loads the dashboard app, on this screen only.
	 *
	 * @param string $hook_suffix The current admin screen's hook suffix.
	 */
	public function enqueue( string $hook_suffix ): void {
		if ( '' === $this->hook_suffix || $hook_suffix !== $this->hook_suffix ) {
			return;
		}
		$this->assets->enqueue( 'dashboard', self::HANDLE );
	}

	/**
	 * Prints the screen: a heading and the element the app mounts on, carrying the export
	 * address (with the REST nonce, as a plain link download needs) and the budget screen's.
	 */
	public function render(): void {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			return;
		}
		$export = add_query_arg( '_wpnonce', wp_create_nonce( 'wp_rest' ), rest_url( 'voice-vision-chat/v1/admin/usage/export' ) );
		?>
		<div class="wrap">
			<h1><?php echo esc_html( get_admin_page_title() ); ?></h1>
			<?php if ( ! $this->assets->is_built( 'dashboard' ) ) : ?>
				<div class="notice notice-error">
					<p><?php esc_html_e( 'The usage dashboard has not been built. Run `npm run build` in the plugin folder.', 'voice-vision-chat' ); ?></p>
				</div>
			<?php endif; ?>
			<div
				id="<?php echo esc_attr( self::ROOT_ID ); ?>"
				data-export-url="<?php echo esc_url( $export ); ?>"
				data-budget-url="<?php echo esc_url( Budget_Page::url() ); ?>"
			></div>
			<noscript>
				<div class="notice notice-error">
					<p><?php esc_html_e( 'This dashboard needs JavaScript.', 'voice-vision-chat' ); ?></p>
				</div>
			</noscript>
		</div>
		<?php
	}

	/**
	 * Address of the screen.
	 */
	public static function url(): string {
		return admin_url( 'index.php?page=' . self::SLUG );
	}
}
