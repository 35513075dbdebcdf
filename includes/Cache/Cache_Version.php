<?php
/**
 * The FAQ cache's generation number.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Cache;

defined( 'ABSPATH' ) || exit;

/**
 * A counter in every FAQ cache key: bumping it makes every cached answer, ask counter and
 * cached speech unreachable at once, on every server, whatever the storage (expired entries
 * are then dropped by their TTL or by WordPress's transient clean-up).
 *
 * Stored in the autoloaded option `vvc_faq_version`, so reading it on the chat's hot path
 * costs no query.
 */
final class Cache_Version {

	/**
	 * Option holding the number.
	 */
	public const OPTION = 'vvc_faq_version';

	/**
	 * The current generation.
	 */
	public function get(): int {
		return max( 1, (int) get_option( self::OPTION, 1 ) );
	}

	/**
	 * Starts a new generation.
	 *
	 * @return int The new generation.
	 */
	public function bump(): int {
		$next = $this->get() + 1;
		update_option( self::OPTION, $next, true );
		return $next;
	}
}
