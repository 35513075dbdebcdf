<?php
/**
 * What every admin screen built as a React app shares: a submenu entry for administrators,
 * the app's assets on that screen only, and a heading over the element the app mounts on.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Admin;

defined( 'ABSPATH' ) || exit;

/**
 * Base of the settings screen, the usage dashboard, the budget screen and the FAQ screen.
 *
 * The page prints no data but the addresses the app needs (as data-* attributes of the
 * root element); the app reads everything else from the admin REST routes, which require
 * the same capability as the menu entry.
 */
abstract class App_Page {

	/**
	 * Who may open the screen; the REST routes the apps call require the same.
	 */
	public const CAPABILITY = 'manage_options';

	/**
	 * Loads the built app.
	 *
	 * @var App_Assets
	 */
	private App_Assets $assets;

	/**
	 * Parent menu file, e.g. 'index.php' or 'options-general.php'.
	 *
	 * @var string
	 */
	private string $parent;

	/**
	 * Value of ?page= for the screen.
	 *
	 * @var string
	 */
	private string $slug;

	/**
	 * Entry name under build/admin, e.g. 'budget'; also names the handle and the root element.
	 *
	 * @var string
	 */
	private string $app;

	/**
	 * Hook suffix WordPress gave the page, '' until add_page() ran for a user allowed to see it.
	 *
	 * @var string
	 */
	private string $hook_suffix = '';

	/**
	 * Stores where the screen sits and which app it loads.
	 *
	 * @param App_Assets $assets Loads build/admin/{app}.js.
	 * @param string     $parent Parent menu file.
	 * @param string     $slug   Value of ?page=.
	 * @param string     $app    Entry name under build/admin.
	 */
	protected function __construct( App_Assets $assets, string $parent, string $slug, string $app ) {
		$this->assets = $assets;
		$this->parent = $parent;
		$this->slug   = $slug;
		$this->app    = $app;
	}

	/**
	 * Title of the browser tab and of the screen's heading (translated).
	 */
	abstract protected function page_title(): string;

	/**
	 * Label of the menu entry (translated).
	 */
	abstract protected function menu_title(): string;

	/**
	 * Attributes of the root element the app reads, without the data- prefix.
	 *
	 * @return array<string, string> Name => URL.
	 */
	protected function root_urls(): array {
		return array();
	}

	/**
	 * Script and style handle: vvc-admin-{app}.
	 *
	 * @return non-empty-string
	 */
	public function handle(): string {
		return 'vvc-admin-' . $this->app;
	}

	/**
	 * Id of the element the app mounts on: vvc-{app}-root.
	 */
	public function root_id(): string {
		return 'vvc-' . $this->app . '-root';
	}

	/**
	 * Adds the submenu entry for users who can manage options.
	 */
	public function add_page(): void {
		$hook = add_submenu_page(
			$this->parent,
			$this->page_title(),
			esc_html( $this->menu_title() ),
			self::CAPABILITY,
			$this->slug,
			array( $this, 'render' )
		);
		// False when the current user lacks the capability: then nothing is enqueued either.
		$this->hook_suffix = is_string( $hook ) ? $hook : '';
	}

	/**
	 * Loads the app, on this screen only.
	 *
	 * @param string $hook_suffix The current admin screen's hook suffix.
	 */
	public function enqueue( string $hook_suffix ): void {
		if ( '' === $this->hook_suffix || $hook_suffix !== $this->hook_suffix ) {
			return;
		}
		$this->assets->enqueue( $this->app, $this->handle() );
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
			<?php if ( ! $this->assets->is_built( $this->app ) ) : ?>
				<div class="notice notice-error">
					<p><?php esc_html_e( 'This screen has not been built. Run `npm run build` in the plugin folder.', 'voice-vision-chat' ); ?></p>
				</div>
			<?php endif; ?>
			<div id="<?php echo esc_attr( $this->root_id() ); ?>"
				<?php foreach ( $this->root_urls() as $name => $url ) : ?>
					data-<?php echo esc_attr( $name ); ?>="<?php echo esc_url( $url ); ?>"
				<?php endforeach; ?>
			></div>
			<noscript>
				<div class="notice notice-error">
					<p><?php esc_html_e( 'This screen needs JavaScript.', 'voice-vision-chat' ); ?></p>
				</div>
			</noscript>
		</div>
		<?php
	}

	/**
	 * A REST route's address with the REST nonce, for a plain link download (a link sends
	 * the cookie but not api-fetch's nonce header).
	 *
	 * @param string $route Route under the plugin's namespace, e.g. 'admin/usage/export'.
	 */
	protected static function download_url( string $route ): string {
		return add_query_arg( '_wpnonce', wp_create_nonce( 'wp_rest' ), rest_url( 'voice-vision-chat/v1/' . $route ) );
	}
}
