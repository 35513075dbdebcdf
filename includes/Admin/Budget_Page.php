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
final class Budget_Page {

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
	 * @param App_Assets $assets Loads build/admin/budget.js.
	 */
	public function __construct( App_Assets $assets ) {
		$this->assets = $assets;
	}

	/**
	 * Adds Settings > Chat budget for users who can manage options.
	 */
	public function add_page(): void {
		$hook              = add_options_page(
			__( 'Chat budget, prices and models', 'voice-vision-chat' ),
			esc_html__( 'Chat budget', 'voice-vision-chat' ),
			self::CAPABILITY,
			self::SLUG,
			array( $this, 'render' )
		);
		$this->hook_suffix = is_string( $hook ) ? $hook : '';
	}

	/**
	 * Loads the budget app, on this screen only.
	 *
	 * @param string $hook_suffix The current admin screen's hook suffix.
	 */
	public function enqueue( string $hook_suffix ): void {
		if ( '' === $this->hook_suffix || $hook_suffix !== $this->hook_suffix ) {
			return;
		}
		$this->assets->enqueue( 'budget', self::HANDLE );
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
			<?php if ( ! $this->assets->is_built( 'budget' ) ) : ?>
				<div class="notice notice-error">
					<p><?php esc_html_e( 'The budget screen has not been built. Run `npm run build` in the plugin folder.', 'voice-vision-chat' ); ?></p>
				</div>
			<?php endif; ?>
			<div id="<?php echo esc_attr( self::ROOT_ID ); ?>" data-usage-url="<?php echo esc_url( Dashboard_Page::url() ); ?>"></div>
			<noscript>
				<div class="notice notice-error">
					<p><?php esc_html_e( 'This screen needs JavaScript.', 'voice-vision-chat' ); ?></p>
				</div>
			</noscript>
		</div>
		<?php
	}

	/**
	 * Address of the screen.
	 */
	public static function url(): string {
		return admin_url( 'options-general.php?page=' . self::SLUG );
	}
}
