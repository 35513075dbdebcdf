<?php
/**
 * One racing PHP process for BudgetConcurrencyTest.
 *
 * Loads the test WordPress (the same database as the PHPUnit run that started it, named by
 * VVC_TEST_DB), says "VVC:READY", waits for "GO" on stdin so every process starts together,
 * makes its one attempt (a ledger reservation or a rate-limit hit), reports it, and for
 * reservations waits for "SETTLE" before settling at the reserved amount.
 *
 * Protocol lines start with "VVC:"; anything else WordPress prints is ignored by the test.
 *
 * @package VoiceVisionChat\Tests
 */

require dirname( __DIR__, 2 ) . '/wp-test-config.php';

$GLOBALS['wp_filter']['muplugins_loaded'][10][] = array(
	'function'      => static function (): void {
		require VVC_TEST_REPO . '/plugin.php';
	},
	'accepted_args' => 0,
);
require ABSPATH . 'wp-settings.php';

$vvc_job      = json_decode( (string) ( $argv[1] ?? '' ), true );
$vvc_settings = new VoiceVisionChat\Cost\Budget_Settings( $vvc_job['limits'] );
$vvc_clock    = static fn (): int => (int) $vvc_job['now'];

/**
 * Writes one protocol line.
 *
 * @param string $line Line without the prefix.
 */
function vvc_say( string $line ): void {
	fwrite( STDOUT, "\nVVC:" . $line . "\n" );
	fflush( STDOUT );
}

/**
 * Blocks until the test sends the expected word on stdin.
 *
 * @param string $word GO or SETTLE.
 */
function vvc_wait_for( string $word ): void {
	while ( ( $line = fgets( STDIN ) ) !== false ) {
		if ( trim( $line ) === $word ) {
			return;
		}
	}
	exit( 2 );
}

vvc_say( 'READY' );
vvc_wait_for( 'GO' );

if ( 'rate' === $vvc_job['mode'] ) {
	$vvc_hit = ( new VoiceVisionChat\Cost\Rate_Limiter( $vvc_settings, $vvc_clock ) )->hit( $vvc_job['key'], 3600, (int) $vvc_job['limit'] );
	vvc_say( 'RESULT ' . wp_json_encode( array( 'ok' => $vvc_hit['allowed'], 'count' => $vvc_hit['count'] ) ) );
	exit( 0 );
}

$vvc_ledger      = new VoiceVisionChat\Cost\Budget_Ledger( $vvc_settings, $vvc_clock );
$vvc_who         = 'visitor' === $vvc_job['mode'] ? new VoiceVisionChat\Cost\Visitor_Identity( $vvc_job['visitor_id'], $vvc_job['ip'] ) : null;
$vvc_reservation = $vvc_ledger->reserve( (int) $vvc_job['amount'], $vvc_who );
$vvc_observed    = array();
foreach ( $vvc_ledger->gauges( $vvc_who ) as $vvc_gauge ) {
	$vvc_observed[ $vvc_gauge['scope'] ] = max( $vvc_observed[ $vvc_gauge['scope'] ] ?? 0, $vvc_gauge['spent'] + $vvc_gauge['reserved'] );
}
vvc_say(
	'RESULT ' . wp_json_encode(
		array(
			'ok'       => is_array( $vvc_reservation ),
			'code'     => is_wp_error( $vvc_reservation ) ? $vvc_reservation->get_error_code() : '',
			'observed' => $vvc_observed,
		)
	)
);
vvc_wait_for( 'SETTLE' );
if ( is_array( $vvc_reservation ) ) {
	$vvc_ledger->settle( $vvc_reservation['id'], (int) $vvc_job['amount'] );
}
vvc_say( 'DONE' );
