<?php
/**
 * Composition root: builds the plugin's objects and attaches every hook.
 *
 * Read this file as the plugin's table of contents: each line below says which object
 * answers which WordPress event. Classes themselves never call add_action().
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat;

use VoiceVisionChat\Block\Chat_Block;

defined( 'ABSPATH' ) || exit;

/**
 * Wires the plugin into WordPress.
 */
final class Plugin {

	/**
	 * Absolute path of the plugin folder, with a trailing slash.
	 *
	 * @var string
	 */
	private string $dir;

	/**
	 * Absolute path of plugin.php.
	 *
	 * @var string
	 */
	private string $file;

	/**
	 * Stores where the plugin lives; does nothing else.
	 *
	 * @param string $dir  Plugin folder with a trailing slash.
	 * @param string $file Main plugin file.
	 */
	public function __construct( string $dir, string $file ) {
		$this->dir  = $dir;
		$this->file = $file;
	}

	/**
	 * Attaches every hook the plugin uses.
	 */
	public function register(): void {
		$chat_block = new Chat_Block( $this->dir . 'build/blocks' );

		add_action( 'init', array( $chat_block, 'register' ) );
	}

	/**
	 * Main plugin file, for activation hooks and plugin_basename().
	 */
	public function file(): string {
		return $this->file;
	}
}
