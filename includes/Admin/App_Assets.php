<?php
/**
 * Loads one of the admin React apps that `wp-scripts build` wrote to build/admin/.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Admin;

defined( 'ABSPATH' ) || exit;

/**
 * Enqueues build/admin/{name}.js with the dependencies its .asset.php lists, its stylesheet
 * (with the RTL variant wp-scripts writes) and its translations.
 *
 * Shared by the screens built on App_Page (settings, usage, budget, FAQ), which differ only in their entry.
 */
final class App_Assets {

	/**
	 * Main plugin file, for plugins_url() and the languages folder.
	 *
	 * @var string
	 */
	private string $plugin_file;

	/**
	 * Absolute path of build/admin.
	 *
	 * @var string
	 */
	private string $build_dir;

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
	 * Enqueues an app's script and stylesheet.
	 *
	 * @param string $name   Entry name under build/admin, e.g. 'dashboard'.
	 * @param string $handle Script and style handle.
	 * @return bool False when the build is missing (nothing is enqueued then).
	 * @phpstan-param non-empty-string $handle
	 */
	public function enqueue( string $name, string $handle ): bool {
		$asset = $this->asset( $name );
		if ( null === $asset ) {
			return false;
		}
		wp_enqueue_script(
			$handle,
			plugins_url( 'build/admin/' . $name . '.js', $this->plugin_file ),
			$asset['dependencies'],
			$asset['version'],
			array( 'in_footer' => true )
		);
		wp_set_script_translations( $handle, 'voice-vision-chat', dirname( $this->plugin_file ) . '/languages' );
		wp_enqueue_style(
			$handle,
			plugins_url( 'build/admin/' . $name . '.css', $this->plugin_file ),
			array( 'wp-components' ),
			$asset['version']
		);
		wp_style_add_data( $handle, 'rtl', 'replace' );
		return true;
	}

	/**
	 * Whether the app has been built.
	 *
	 * @param string $name Entry name under build/admin.
	 */
	public function is_built( string $name ): bool {
		return null !== $this->asset( $name );
	}

	/**
	 * Dependencies and version that `wp-scripts build` wrote for the entry.
	 *
	 * @param string $name Entry name.
	 * @return array{dependencies: list<non-empty-string>, version: string}|null Null when the build is missing.
	 */
	private function asset( string $name ): ?array {
		$file = $this->build_dir . '/' . $name . '.asset.php';
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
