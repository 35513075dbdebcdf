<?php
/**
 * The site-side half of the cost-control HTTP tests (tests/e2e/cost-*.spec.ts): sets the
 * limits a test needs, reads the ledger, the rate counters and the usage log, and puts
 * everything back afterwards so the shared site stays usable for the other specs.
 * Run inside the site: tests/stack/wp-php -f tests/e2e/support/cost-state.php ACTION [JSON]
 *
 * Actions:
 *   snapshot            prints the options, today's site and 127.0.0.1 ledger rows and the
 *                       127.0.0.1 rate buckets (what `restore` needs)
 *   configure JSON      {budget?, tiers?, settings?, reset_soft?}: budget keys are saved with
 *                       Budget_Settings (sanitized), tiers merged into the catalog option,
 *                       settings merged into vvc_settings; reset_soft clears today's and this
 *                       month's soft-limit flags
 *   state JSON          {tokens: [..]}: each token's visitor hash and ledger/rate keys, the
 *                       site and IP ledger rows, the IP's rate buckets, the time
 *   usage JSON          {hashes: [..], after?: id}: usage rows of those visitors
 *   prices JSON         {models: [..]}: the catalog's price and kind of each model
 *   restore JSON        {snapshot, keys, touched}: waits for the visitors' reservations to
 *                       end, takes their spending back off the site and IP rows (keys: the
 *                       visitors' limit keys, v:<hash>), deletes their rows, counters and
 *                       usage rows, puts the IP's counters back, and the option keys the test
 *                       set (touched: {vvc_budget, vvc_settings, tiers} => lists of keys)
 *
 * Money is in micro-dollars, as in the ledger.
 *
 * @package VoiceVisionChat\Tests
 */

use VoiceVisionChat\Cost\Budget_Settings;
use VoiceVisionChat\Cost\Visitor_Identity;
use VoiceVisionChat\Routing\Model_Catalog;
use VoiceVisionChat\Security\Visitor_Token;

// phpcs:disable WordPress.DB.DirectDatabaseQuery -- test plumbing on the plugin's own tables.

/**
 * The address every test request comes from (nginx's REMOTE_ADDR).
 */
const VVC_COST_TEST_IP = '127.0.0.1';

/**
 * Options a cost test may change.
 */
const VVC_COST_TEST_OPTIONS = array( 'vvc_budget', 'vvc_model_catalog', 'vvc_settings' );

$vvc_action = (string) ( $vvc_args[0] ?? '' );
$vvc_input  = json_decode( (string) ( $vvc_args[1] ?? '{}' ), true );
$vvc_input  = is_array( $vvc_input ) ? $vvc_input : array();

/**
 * Today's ledger period keys of the site and of the test IP.
 *
 * @return array{day: string, month: string, site_day: string, site_month: string, ip_hash: string, ip_day: string}
 */
function vvc_cost_keys(): array {
	$now = time();
	$day = wp_date( 'Y-m-d', $now );
	$ip  = ( new Visitor_Identity( '', VVC_COST_TEST_IP ) )->ip_hash();
	return array(
		'day'        => $day,
		'month'      => wp_date( 'Y-m', $now ),
		'site_day'   => 'site:d:' . $day,
		'site_month' => 'site:m:' . wp_date( 'Y-m', $now ),
		'ip_hash'    => $ip,
		'ip_day'     => 'vd:ip:' . $ip . ':' . $day,
	);
}

/**
 * Ledger rows by period key (missing rows are left out).
 *
 * @param array $keys Period keys.
 * @return array<string, array{spent: int, reserved: int, soft_notified: int}>
 * @phpstan-param list<string> $keys
 */
function vvc_cost_rows( array $keys ): array {
	global $wpdb;
	if ( ! $keys ) {
		return array();
	}
	$rows = $wpdb->get_results(
		$wpdb->prepare(
			"SELECT period_key, spent_micros, reserved_micros, soft_notified FROM {$wpdb->prefix}vvc_budget WHERE period_key IN (" . implode( ',', array_fill( 0, count( $keys ), '%s' ) ) . ')', // phpcs:ignore WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare, WordPress.DB.PreparedSQL.NotPrepared
			$keys
		),
		ARRAY_A
	);
	$out  = array();
	foreach ( (array) $rows as $row ) {
		$out[ (string) $row['period_key'] ] = array(
			'spent'         => (int) $row['spent_micros'],
			'reserved'      => (int) $row['reserved_micros'],
			'soft_notified' => (int) $row['soft_notified'],
		);
	}
	return $out;
}

/**
 * Rate buckets whose name starts with a prefix.
 *
 * @param string $prefix E.g. req:ip:<hash>@.
 * @return array<string, int> Bucket => hits.
 */
function vvc_cost_buckets( string $prefix ): array {
	global $wpdb;
	$rows = $wpdb->get_results( $wpdb->prepare( "SELECT bucket, hits FROM {$wpdb->prefix}vvc_rate WHERE bucket LIKE %s", $wpdb->esc_like( $prefix ) . '%' ), ARRAY_A );
	$out  = array();
	foreach ( (array) $rows as $row ) {
		$out[ (string) $row['bucket'] ] = (int) $row['hits'];
	}
	return $out;
}

/**
 * The test IP's request and session buckets.
 *
 * @param string $ip_hash Hash of the IP.
 * @return array<string, int>
 */
function vvc_cost_ip_buckets( string $ip_hash ): array {
	return array_merge( vvc_cost_buckets( 'req:ip:' . $ip_hash . '@' ), vvc_cost_buckets( 'ses:ip:' . $ip_hash . '@' ) );
}

/**
 * What the ledger and limiter call a visitor holding a token.
 *
 * @param string $token Token from POST /session.
 * @return array{visitor_hash: string, keys: list<string>, day_keys: list<string>}|null
 */
function vvc_cost_identity( string $token ): ?array {
	$visitor_id = ( new Visitor_Token() )->verify( $token );
	if ( is_wp_error( $visitor_id ) ) {
		return null;
	}
	$who  = new Visitor_Identity( $visitor_id, VVC_COST_TEST_IP );
	$day  = vvc_cost_keys()['day'];
	$keys = $who->limit_keys();
	return array(
		'visitor_hash' => $who->visitor_hash(),
		'keys'         => $keys,
		'day_keys'     => array_map( static fn ( string $key ): string => 'vd:' . $key . ':' . $day, $keys ),
	);
}

switch ( $vvc_action ) {
	case 'snapshot':
		$vvc_keys    = vvc_cost_keys();
		$vvc_options = array();
		foreach ( VVC_COST_TEST_OPTIONS as $vvc_name ) {
			$vvc_options[ $vvc_name ] = get_option( $vvc_name, null );
		}
		echo wp_json_encode(
			array(
				'options' => $vvc_options,
				'keys'    => $vvc_keys,
				'rows'    => vvc_cost_rows( array( $vvc_keys['site_day'], $vvc_keys['site_month'], $vvc_keys['ip_day'] ) ),
				'buckets' => vvc_cost_ip_buckets( $vvc_keys['ip_hash'] ),
				'mail'    => defined( 'VVC_STACK_MAIL_LOG' ) ? VVC_STACK_MAIL_LOG : '',
				'admin'   => (string) get_option( 'admin_email' ),
			)
		);
		exit( 0 );

	case 'configure':
		if ( isset( $vvc_input['budget'] ) && is_array( $vvc_input['budget'] ) ) {
			( new Budget_Settings() )->save( $vvc_input['budget'] );
		}
		if ( isset( $vvc_input['tiers'] ) && is_array( $vvc_input['tiers'] ) ) {
			$vvc_catalog          = get_option( Model_Catalog::OPTION, array() );
			$vvc_catalog          = is_array( $vvc_catalog ) ? $vvc_catalog : array();
			$vvc_tiers            = isset( $vvc_catalog['tiers'] ) && is_array( $vvc_catalog['tiers'] ) ? $vvc_catalog['tiers'] : array();
			$vvc_catalog['tiers'] = array_merge( $vvc_tiers, $vvc_input['tiers'] );
			update_option( Model_Catalog::OPTION, $vvc_catalog, false );
		}
		if ( isset( $vvc_input['settings'] ) && is_array( $vvc_input['settings'] ) ) {
			$vvc_settings = get_option( 'vvc_settings', array() );
			update_option( 'vvc_settings', array_merge( is_array( $vvc_settings ) ? $vvc_settings : array(), $vvc_input['settings'] ) );
		}
		if ( ! empty( $vvc_input['reset_soft'] ) ) {
			global $wpdb;
			$vvc_keys = vvc_cost_keys();
			$wpdb->query( $wpdb->prepare( "UPDATE {$wpdb->prefix}vvc_budget SET soft_notified = 0 WHERE period_key IN (%s, %s)", $vvc_keys['site_day'], $vvc_keys['site_month'] ) );
		}
		echo wp_json_encode(
			array(
				'budget' => ( new Budget_Settings() )->all(),
				'tiers'  => ( new Model_Catalog() )->tier_overrides(),
			)
		);
		exit( 0 );

	case 'state':
		$vvc_keys   = vvc_cost_keys();
		$vvc_tokens = isset( $vvc_input['tokens'] ) && is_array( $vvc_input['tokens'] ) ? $vvc_input['tokens'] : array();
		$vvc_people = array();
		$vvc_wanted = array( $vvc_keys['site_day'], $vvc_keys['site_month'], $vvc_keys['ip_day'] );
		foreach ( $vvc_tokens as $vvc_token ) {
			$vvc_who = vvc_cost_identity( (string) $vvc_token );
			if ( null !== $vvc_who ) {
				$vvc_wanted = array_merge( $vvc_wanted, $vvc_who['day_keys'] );
			}
			$vvc_people[] = $vvc_who;
		}
		echo wp_json_encode(
			array(
				'time'     => time(),
				'keys'     => $vvc_keys,
				'visitors' => $vvc_people,
				'rows'     => vvc_cost_rows( array_values( array_unique( $vvc_wanted ) ) ),
				'buckets'  => vvc_cost_ip_buckets( $vvc_keys['ip_hash'] ),
			)
		);
		exit( 0 );

	case 'usage':
		global $wpdb;
		$vvc_hashes = array_values( array_filter( (array) ( $vvc_input['hashes'] ?? array() ), 'is_string' ) );
		if ( ! $vvc_hashes ) {
			echo '[]';
			exit( 0 );
		}
		$vvc_rows = $wpdb->get_results(
			$wpdb->prepare(
				"SELECT * FROM {$wpdb->prefix}vvc_usage WHERE id > %d AND visitor_hash IN (" . implode( ',', array_fill( 0, count( $vvc_hashes ), '%s' ) ) . ') ORDER BY id', // phpcs:ignore WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare, WordPress.DB.PreparedSQL.NotPrepared
				array_merge( array( (int) ( $vvc_input['after'] ?? 0 ) ), $vvc_hashes )
			),
			ARRAY_A
		);
		echo wp_json_encode( (array) $vvc_rows );
		exit( 0 );

	case 'prices':
		$vvc_catalog = new Model_Catalog();
		$vvc_out     = array();
		foreach ( (array) ( $vvc_input['models'] ?? array() ) as $vvc_model ) {
			$vvc_info                       = $vvc_catalog->get( (string) $vvc_model );
			$vvc_out[ (string) $vvc_model ] = null === $vvc_info ? null : array(
				'kind'     => $vvc_info['kind'],
				'price'    => $vvc_info['price'],
				'shutdown' => $vvc_info['shutdown'],
				'unusable' => $vvc_catalog->unusable_reason( (string) $vvc_model, $vvc_catalog->billed_components( (string) $vvc_model ) ),
			);
		}
		echo wp_json_encode( $vvc_out );
		exit( 0 );

	case 'restore':
		global $wpdb;
		$vvc_snapshot = isset( $vvc_input['snapshot'] ) && is_array( $vvc_input['snapshot'] ) ? $vvc_input['snapshot'] : array();
		$vvc_hashes   = array_values( array_filter( (array) ( $vvc_input['keys'] ?? array() ), 'is_string' ) );
		$vvc_keys     = vvc_cost_keys();
		$vvc_report   = array( 'waited_s' => 0 );

		// A cut or aborted request may still hold a reservation for a moment: wait for it to end,
		// so the spending taken off below is final.
		$vvc_like  = array_map( static fn ( string $key ): string => '%' . $wpdb->esc_like( 'vd:' . $key . ':' ) . '%', $vvc_hashes );
		$vvc_until = time() + 30;
		while ( $vvc_like ) {
			$vvc_held = (int) $wpdb->get_var(
				$wpdb->prepare(
					"SELECT COUNT(*) FROM {$wpdb->prefix}vvc_reservations WHERE state = 0 AND (" . implode( ' OR ', array_fill( 0, count( $vvc_like ), 'period_keys LIKE %s' ) ) . ')', // phpcs:ignore WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare, WordPress.DB.PreparedSQL.NotPrepared
					$vvc_like
				)
			);
			if ( 0 === $vvc_held || time() >= $vvc_until ) {
				$vvc_report['still_held'] = $vvc_held;
				break;
			}
			sleep( 1 );
			++$vvc_report['waited_s'];
		}

		// What the test's visitors spent today is exactly what their own token lines hold.
		$vvc_mine = 0;
		foreach ( $vvc_hashes as $vvc_key ) {
			if ( ! str_starts_with( $vvc_key, 'v:' ) ) {
				continue;
			}
			$vvc_period = 'vd:' . $vvc_key . ':' . $vvc_keys['day'];
			$vvc_mine  += (int) $wpdb->get_var( $wpdb->prepare( "SELECT spent_micros FROM {$wpdb->prefix}vvc_budget WHERE period_key = %s", $vvc_period ) );
			$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->prefix}vvc_budget WHERE period_key = %s", $vvc_period ) );
			$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->prefix}vvc_rate WHERE bucket LIKE %s", $wpdb->esc_like( 'req:' . $vvc_key . '@' ) . '%' ) );
			$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->prefix}vvc_usage WHERE visitor_hash = %s", substr( $vvc_key, 2 ) ) );
		}
		$vvc_report['spent_taken_back'] = $vvc_mine;
		$vvc_before                     = isset( $vvc_snapshot['rows'] ) && is_array( $vvc_snapshot['rows'] ) ? $vvc_snapshot['rows'] : array();
		foreach ( array( $vvc_keys['site_day'], $vvc_keys['site_month'], $vvc_keys['ip_day'] ) as $vvc_period ) {
			$vvc_flag = (int) ( $vvc_before[ $vvc_period ]['soft_notified'] ?? 0 );
			$wpdb->query(
				$wpdb->prepare(
					"UPDATE {$wpdb->prefix}vvc_budget SET spent_micros = IF(spent_micros > %d, spent_micros - %d, 0), soft_notified = %d WHERE period_key = %s",
					$vvc_mine,
					$vvc_mine,
					$vvc_flag,
					$vvc_period
				)
			);
		}

		// The IP's counters as they were: windows that existed get their count back, windows
		// the test opened go.
		$vvc_old_buckets = isset( $vvc_snapshot['buckets'] ) && is_array( $vvc_snapshot['buckets'] ) ? $vvc_snapshot['buckets'] : array();
		foreach ( vvc_cost_ip_buckets( $vvc_keys['ip_hash'] ) as $vvc_bucket => $vvc_hits ) {
			if ( isset( $vvc_old_buckets[ $vvc_bucket ] ) ) {
				$wpdb->update( $wpdb->prefix . 'vvc_rate', array( 'hits' => min( $vvc_hits, (int) $vvc_old_buckets[ $vvc_bucket ] ) ), array( 'bucket' => $vvc_bucket ), array( '%d' ), array( '%s' ) );
			} else {
				$wpdb->delete( $wpdb->prefix . 'vvc_rate', array( 'bucket' => $vvc_bucket ), array( '%s' ) );
			}
		}

		// Only the keys the test set go back, so changes other processes made meanwhile stay.
		$vvc_options = isset( $vvc_snapshot['options'] ) && is_array( $vvc_snapshot['options'] ) ? $vvc_snapshot['options'] : array();
		$vvc_touched = isset( $vvc_input['touched'] ) && is_array( $vvc_input['touched'] ) ? $vvc_input['touched'] : array();
		foreach ( array( 'vvc_budget', 'vvc_settings', 'tiers' ) as $vvc_group ) {
			$vvc_keys_set = array_filter( (array) ( $vvc_touched[ $vvc_group ] ?? array() ), 'is_string' );
			if ( ! $vvc_keys_set ) {
				continue;
			}
			$vvc_name = 'tiers' === $vvc_group ? 'vvc_model_catalog' : $vvc_group;
			$vvc_old  = $vvc_options[ $vvc_name ] ?? null;
			$vvc_now  = get_option( $vvc_name, null );
			if ( 'vvc_budget' === $vvc_name && null === $vvc_old ) {
				delete_option( $vvc_name ); // Budget_Settings::save() stored every key: none was there.
				continue;
			}
			$vvc_now = is_array( $vvc_now ) ? $vvc_now : array();
			if ( 'tiers' === $vvc_group ) {
				$vvc_from = is_array( $vvc_old['tiers'] ?? null ) ? $vvc_old['tiers'] : array();
				$vvc_into = is_array( $vvc_now['tiers'] ?? null ) ? $vvc_now['tiers'] : array();
			} else {
				$vvc_from = is_array( $vvc_old ) ? $vvc_old : array();
				$vvc_into = $vvc_now;
			}
			foreach ( $vvc_keys_set as $vvc_key ) {
				if ( array_key_exists( $vvc_key, $vvc_from ) ) {
					$vvc_into[ $vvc_key ] = $vvc_from[ $vvc_key ];
				} else {
					unset( $vvc_into[ $vvc_key ] );
				}
			}
			if ( 'tiers' === $vvc_group ) {
				if ( $vvc_into ) {
					$vvc_now['tiers'] = $vvc_into;
				} else {
					unset( $vvc_now['tiers'] );
				}
				$vvc_into = $vvc_now;
			}
			// The budget and the settings are autoloaded (every chat request reads them).
			update_option( $vvc_name, $vvc_into, 'vvc_model_catalog' !== $vvc_name );
		}
		echo wp_json_encode( $vvc_report );
		exit( 0 );
}

fwrite( STDERR, "usage: snapshot | configure JSON | state JSON | usage JSON | prices JSON | restore JSON\n" );
exit( 2 );
