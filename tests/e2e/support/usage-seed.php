<?php
/**
 * Seeds (or removes) usage rows for the dashboard's browser tests, through the plugin's own
 * repository. Run inside the site: tests/stack/wp-php -f tests/e2e/support/usage-seed.php
 *
 *   insert MARKER   adds rows over the last 10 days, every one tagged with MARKER in
 *                   route_reasons; prints their ids as JSON
 *   delete MARKER   removes the rows tagged with MARKER; prints how many
 *
 * @package VoiceVisionChat\Tests
 */

use VoiceVisionChat\Storage\Usage_Repository;

// phpcs:disable WordPress.DB.DirectDatabaseQuery -- test plumbing on the plugin's own table.

$vvc_action = (string) ( $vvc_args[0] ?? '' );
$vvc_marker = (string) ( $vvc_args[1] ?? '' );
if ( ! preg_match( '/^vvc-e2e-[a-z0-9-]{4,60}$/', $vvc_marker ) ) {
	fwrite( STDERR, "usage: insert|delete vvc-e2e-MARKER\n" );
	exit( 2 );
}

if ( 'delete' === $vvc_action ) {
	global $wpdb;
	$vvc_deleted = $wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->prefix}vvc_usage WHERE route_reasons = %s", $vvc_marker ) );
	echo wp_json_encode( array( 'deleted' => (int) $vvc_deleted ) );
	exit( 0 );
}

if ( 'insert' !== $vvc_action ) {
	fwrite( STDERR, "unknown action\n" );
	exit( 2 );
}

$vvc_repo = new Usage_Repository();
$vvc_ids  = array();
$vvc_now  = time();
// Day offset, tier, model, route, cost (micro-dollars), cache hit, status, error code.
$vvc_rows = array(
	array( 9, 'economy', 'gpt-5-nano', 'chat', 1200, 0, 200, '' ),
	array( 8, 'economy', 'gpt-5-nano', 'chat', 900, 1, 200, '' ),
	array( 7, 'standard', 'gpt-5-mini', 'chat_stream', 5400, 0, 200, '' ),
	array( 6, 'vision', 'gpt-4o-mini', 'chat', 26000, 0, 200, '' ),
	array( 5, 'economy', 'gpt-5-nano', 'chat', 800, 0, 200, '' ),
	array( 4, 'long_context', 'gpt-4.1-mini', 'chat_stream', 41000, 0, 200, '' ),
	array( 3, 'standard', 'gpt-5-mini', 'chat', 0, 0, 502, 'vvc_upstream_error' ),
	array( 2, 'vision', 'gpt-4o-mini', 'chat', 18000, 0, 200, '' ),
	array( 1, 'standard', 'gpt-5-mini', 'chat_stream', 7200, 0, 200, '' ),
	array( 1, 'economy', 'gpt-5-nano', 'chat', 0, 1, 200, '' ),
	array( 0, 'standard', 'gpt-5-mini', 'chat', 6100, 0, 200, '' ),
	array( 0, 'economy', 'gpt-5-nano', 'chat', 0, 0, 429, 'vvc_rate_limited' ),
);
foreach ( $vvc_rows as $vvc_index => $vvc_row ) {
	list( $vvc_days, $vvc_tier, $vvc_model, $vvc_route, $vvc_cost, $vvc_hit, $vvc_status, $vvc_error ) = $vvc_row;
	$vvc_ids[] = $vvc_repo->insert(
		array(
			// Mid-morning in UTC, a minute apart, so every row stays on its day in most zones.
			'created_at'      => gmdate( 'Y-m-d H:i:s', min( $vvc_now - 60, strtotime( gmdate( 'Y-m-d', $vvc_now - $vvc_days * DAY_IN_SECONDS ) . ' 09:00:00 UTC' ) + $vvc_index * 60 ) ),
			'visitor_hash'    => substr( md5( $vvc_marker . ( $vvc_index % 3 ) ), 0, 32 ),
			'ip_hash'         => substr( md5( 'ip' . $vvc_marker ), 0, 32 ),
			'route'           => $vvc_route,
			'tier'            => $vvc_tier,
			'model'           => $vvc_model,
			'route_reasons'   => $vvc_marker,
			'text_in_tokens'  => 200 + 37 * $vvc_index,
			'text_out_tokens' => 120 + 11 * $vvc_index,
			'cost_micros'     => $vvc_cost,
			'cache_hit'       => $vvc_hit,
			'latency_ms'      => 400 + 90 * $vvc_index,
			'status_code'     => $vvc_status,
			'error_code'      => $vvc_error,
		)
	);
}
echo wp_json_encode( array( 'ids' => $vvc_ids ) );
