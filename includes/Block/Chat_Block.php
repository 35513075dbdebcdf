<?php
/**
 * Registers the chat block from the build folder.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Block;

defined( 'ABSPATH' ) || exit;

/**
 * The `voice-vision-chat/chat` block: metadata, scripts and render.php come from build/.
 */
final class Chat_Block {

	public const NAME = 'voice-vision-chat/chat';

	/**
	 * Folder that holds one sub-folder per block plus blocks-manifest.php one level up.
	 *
	 * @var string
	 */
	private string $blocks_dir;

	/**
	 * Stores where the built blocks are.
	 *
	 * @param string $blocks_dir Absolute path of build/blocks.
	 */
	public function __construct( string $blocks_dir ) {
		$this->blocks_dir = $blocks_dir;
	}

	/**
	 * Registers every block listed in the manifest that `wp-scripts build --blocks-manifest` writes.
	 *
	 * The manifest lets WordPress skip reading and parsing each block.json on every request.
	 */
	public function register(): void {
		$manifest = dirname( $this->blocks_dir ) . '/blocks-manifest.php';
		if ( ! is_readable( $manifest ) ) {
			// A checkout without `npm run build`: say so once in the debug log rather than fatal.
			if ( defined( 'WP_DEBUG' ) && WP_DEBUG ) {
				// phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- developer hint only.
				error_log( 'Voice & Vision Chat: build/blocks-manifest.php is missing; run `npm run build`.' );
			}
			return;
		}
		wp_register_block_types_from_metadata_collection( $this->blocks_dir, $manifest );
	}
}
