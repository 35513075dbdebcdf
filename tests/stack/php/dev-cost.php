<?php
/**
 * Cost control on the development stack (simulator only): stand-in prices for the default
 * models that ship unpriced, and limits generous enough for `npm start`'s demo and the e2e
 * suite, which sends many chat requests from 127.0.0.1 (the shipped 6 questions a minute
 * per IP would refuse most of them).
 *
 *   tests/stack/wp-php -f tests/stack/php/dev-cost.php           # up.sh: only what is missing
 *   tests/stack/wp-php -f tests/stack/php/dev-cost.php --force   # e2e global setup: reset both
 *
 * Without --force it prices only models that have no price yet and sets the limits only
 * when the site has none stored, so an admin's changes on the dev site survive up.sh.
 * Tests that measure a limit set their own values and restore them.
 *
 * @package VoiceVisionChat\Tests\Stack
 */

use VoiceVisionChat\Cost\Budget_Settings;
use VoiceVisionChat\Routing\Model_Catalog;

$vvc_force   = in_array( '--force', $vvc_args ?? array(), true );
$vvc_prices  = require __DIR__ . '/stand-in-prices.php';
$vvc_catalog = get_option( Model_Catalog::OPTION, array() );
$vvc_catalog = is_array( $vvc_catalog ) ? $vvc_catalog : array();
$vvc_models  = isset( $vvc_catalog['models'] ) && is_array( $vvc_catalog['models'] ) ? $vvc_catalog['models'] : array();
$vvc_priced  = array();
foreach ( $vvc_prices as $vvc_id => $vvc_entry ) {
	if ( $vvc_force || empty( $vvc_models[ $vvc_id ]['price'] ) ) {
		$vvc_models[ $vvc_id ] = array_merge( is_array( $vvc_models[ $vvc_id ] ?? null ) ? $vvc_models[ $vvc_id ] : array(), $vvc_entry );
		$vvc_priced[]          = $vvc_id;
	}
}
if ( $vvc_priced ) {
	( new Model_Catalog() )->save( array( 'models' => $vvc_models ) );
	echo 'cost: stand-in prices for ' . implode( ', ', $vvc_priced ) . "\n";
}

// $100 a day and $1,000 a month for the site and each visitor, 600 questions a minute.
$vvc_generous = array(
	'site_day_micros'      => 100000000,
	'site_month_micros'    => 1000000000,
	'visitor_day_micros'   => 100000000,
	'requests_per_minute'  => 600,
	'requests_per_hour'    => 20000,
	'sessions_per_ip_hour' => 5000,
);
if ( $vvc_force || false === get_option( Budget_Settings::OPTION, false ) ) {
	( new Budget_Settings() )->save( $vvc_generous );
	echo "cost: generous development limits (\$100 a day, 600 questions a minute per IP)\n";
}
