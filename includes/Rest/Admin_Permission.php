<?php
/**
 * The rule every admin REST route shares.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Rest;

use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * Only administrators (manage_options) may use the admin routes: settings, keys, budgets,
 * usage, errors and the FAQ.
 */
final class Admin_Permission {

	/**
	 * True for a user who can manage options; otherwise vvc_forbidden (401 when logged out,
	 * 403 otherwise) with the route's own message.
	 *
	 * @param string $message What the user may not do, translated.
	 * @return true|WP_Error
	 */
	public static function check( string $message ): bool|WP_Error {
		if ( current_user_can( 'manage_options' ) ) {
			return true;
		}
		return new WP_Error( 'vvc_forbidden', $message, array( 'status' => rest_authorization_required_code() ) );
	}
}
