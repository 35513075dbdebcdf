<?php
/**
 * Plugin Name: VVC stack: mail capture
 * Description: Test stack only (copied by tests/stack/up.sh). No mail leaves the site: every wp_mail() call is appended as one JSON line to the file named by VVC_STACK_MAIL_LOG (set in wp-config.php, .stack/logs/mail.jsonl).
 *
 * There is no mail server on these machines (pitfall 7), and tests want to read
 * what would have been sent.
 *
 * @package VoiceVisionChat\Tests\Stack
 */

defined( 'ABSPATH' ) || exit;

add_filter(
	'pre_wp_mail',
	static function ( $vvc_stack_return, $vvc_stack_atts ) {
		if ( null !== $vvc_stack_return || ! defined( 'VVC_STACK_MAIL_LOG' ) ) {
			return $vvc_stack_return; // Someone else already decided.
		}
		$vvc_stack_line = wp_json_encode(
			array(
				'time'        => gmdate( 'c' ),
				'to'          => $vvc_stack_atts['to'] ?? '',
				'subject'     => $vvc_stack_atts['subject'] ?? '',
				'message'     => $vvc_stack_atts['message'] ?? '',
				'headers'     => $vvc_stack_atts['headers'] ?? '',
				'attachments' => $vvc_stack_atts['attachments'] ?? array(),
			),
			JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE
		);
		// phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_file_put_contents -- append-only test log.
		$vvc_stack_ok = false !== file_put_contents( VVC_STACK_MAIL_LOG, $vvc_stack_line . "\n", FILE_APPEND | LOCK_EX );
		if ( $vvc_stack_ok ) {
			/** This action is documented in wp-includes/pluggable.php */
			do_action( 'wp_mail_succeeded', $vvc_stack_atts );
		}
		return $vvc_stack_ok;
	},
	10,
	2
);
