<?php
/**
 * Plugin Name: VVC stack: local ports
 * Description: Test stack only (copied by tests/stack/up.sh). Lets wp_safe_remote_*() and core's AI client reach the OpenAI simulator (4010) and the site itself (8888).
 *
 * wp_safe_remote_*() only allows ports 80, 443 and 8080 (pitfalls 6 and 14).
 *
 * @package VoiceVisionChat\Tests\Stack
 */

defined( 'ABSPATH' ) || exit;

add_filter(
	'http_allowed_safe_ports',
	static function ( $vvc_stack_ports ) {
		return array_values( array_unique( array_merge( (array) $vvc_stack_ports, array( 4010, 8888 ) ) ) );
	}
);
