<?php
/**
 * Parallel requests on separate PHP processes cannot overspend a budget or a rate limit.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Cost;

use PHPUnit\Framework\TestCase;
use VoiceVisionChat\Storage\Schema;

/**
 * Real races: 20 PHP processes, each with its own database connection, attempt at the same
 * moment. Not the transactional TestCase: the workers must see committed rows, so this class
 * commits and deletes its own rows (under a far-future date no other test uses).
 */
final class BudgetConcurrencyTest extends TestCase {

	private const WORKERS = 20;
	private const AMOUNT  = 1000;

	/**
	 * A day in 2100 picked per run, so its period rows are this test's alone.
	 *
	 * @var int
	 */
	private int $now;

	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		( new Schema() )->install();
	}

	protected function setUp(): void {
		parent::setUp();
		global $wpdb;
		// The transactional TestCase leaves autocommit off on this connection.
		$wpdb->query( 'ROLLBACK' );
		$wpdb->query( 'SET autocommit = 1' );
		$this->now = 4102444800 + 86400 * random_int( 0, 300 ) + 43200;
	}

	protected function tearDown(): void {
		global $wpdb;
		$day   = gmdate( 'Y-m-d', $this->now );
		$month = gmdate( 'Y-m', $this->now );
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->prefix}vvc_budget WHERE period_key LIKE %s OR period_key = %s", '%' . $wpdb->esc_like( $day ), 'site:m:' . $month ) );
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->prefix}vvc_reservations WHERE period_keys LIKE %s", '%' . $wpdb->esc_like( $day ) . '%' ) );
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->prefix}vvc_rate WHERE bucket LIKE %s", 'race:%' ) );
		parent::tearDown();
	}

	public function test_twenty_processes_against_a_site_cap_that_covers_five(): void {
		$cap  = 5 * self::AMOUNT + self::AMOUNT / 2;
		$jobs = array();
		for ( $i = 0; $i < self::WORKERS; $i++ ) {
			$jobs[] = array(
				'mode'   => 'site',
				'amount' => self::AMOUNT,
				'limits' => array( 'site_day_micros' => $cap, 'site_month_micros' => 0 ),
			);
		}
		list( $results, $peak ) = $this->race( $jobs, 'site:d:' . gmdate( 'Y-m-d', $this->now ) );

		$this->assertSame( 5, count( array_filter( array_column( $results, 'ok' ) ) ), 'exactly five reservations succeed' );
		$this->assertSame( array_fill( 0, 15, 'vvc_budget_exhausted' ), array_values( array_filter( array_column( $results, 'code' ) ) ) );
		$this->assertLessThanOrEqual( $cap, $peak, 'spent + reserved never exceeded the cap while they raced' );
		foreach ( $results as $result ) {
			$this->assertLessThanOrEqual( $cap, $result['observed']['site_day'] );
		}
		$this->assertSame( array( 5 * self::AMOUNT, 0 ), $this->row( 'site:d:' . gmdate( 'Y-m-d', $this->now ) ), 'after settling: five spent, nothing held' );
	}

	public function test_twenty_new_tokens_from_one_address_against_a_visitor_cap_that_covers_five(): void {
		$cap  = 5 * self::AMOUNT;
		$jobs = array();
		for ( $i = 0; $i < self::WORKERS; $i++ ) {
			$jobs[] = array(
				'mode'       => 'visitor',
				'amount'     => self::AMOUNT,
				'visitor_id' => 'race-token-' . $i . '-' . $this->now,
				'ip'         => '203.0.113.77',
				'limits'     => array( 'site_day_micros' => 0, 'site_month_micros' => 0, 'visitor_day_micros' => $cap ),
			);
		}
		list( $results ) = $this->race( $jobs, null );

		$this->assertSame( 5, count( array_filter( array_column( $results, 'ok' ) ) ), 'rotating tokens does not get past the address' );
		foreach ( $results as $result ) {
			$this->assertLessThanOrEqual( $cap, $result['observed']['visitor_day'] ?? PHP_INT_MAX );
			$this->assertContains( $result['code'], array( '', 'vvc_rate_limited' ) );
		}
		$this->assertSame( array( 5 * self::AMOUNT, 0 ), $this->row( 'site:d:' . gmdate( 'Y-m-d', $this->now ) ), 'refused attempts left nothing on the site line' );
	}

	public function test_twenty_processes_against_a_rate_limit_of_five(): void {
		$jobs = array();
		for ( $i = 0; $i < self::WORKERS; $i++ ) {
			$jobs[] = array(
				'mode'   => 'rate',
				'key'    => 'race:' . $this->now,
				'limit'  => 5,
				'limits' => array(),
			);
		}
		list( $results ) = $this->race( $jobs, null );

		$this->assertSame( 5, count( array_filter( array_column( $results, 'ok' ) ) ) );
		$counts = array_column( $results, 'count' );
		sort( $counts );
		$this->assertSame( range( 1, self::WORKERS ), $counts, 'every process saw its own increment' );
	}

	/**
	 * Starts the workers, releases them together, and watches one budget row while they race.
	 *
	 * @param list<array<string, mixed>> $jobs  One job per worker.
	 * @param string|null                $watch Period key whose spent + reserved to sample.
	 * @return array{0: list<array<string, mixed>>, 1: int} Results and the highest sample.
	 */
	private function race( array $jobs, ?string $watch ): array {
		global $wpdb;
		$script  = __DIR__ . '/workers/race-worker.php';
		$env     = array_merge( getenv(), array( 'VVC_TEST_DB' => DB_NAME ) );
		$workers = array();
		foreach ( $jobs as $job ) {
			$job['now'] = $this->now;
			$stderr     = tempnam( sys_get_temp_dir(), 'vvc-race' );
			$process    = proc_open(
				array( PHP_BINARY, $script, (string) wp_json_encode( $job ) ),
				array( array( 'pipe', 'r' ), array( 'pipe', 'w' ), array( 'file', $stderr, 'w' ) ),
				$pipes,
				null,
				$env
			);
			$this->assertIsResource( $process );
			$workers[] = array( $process, $pipes, $stderr );
		}

		foreach ( $workers as $worker ) {
			$this->expect_line( $worker, 'READY' );
		}
		foreach ( $workers as $worker ) {
			fwrite( $worker[1][0], "GO\n" );
			fflush( $worker[1][0] );
		}

		// Sample the watched row while the workers race, from this process's own connection.
		$peak    = 0;
		$results = array();
		$pending = $workers;
		$sql     = null === $watch ? null : $wpdb->prepare( "SELECT spent_micros + reserved_micros FROM {$wpdb->prefix}vvc_budget WHERE period_key = %s", $watch );
		foreach ( $pending as $worker ) {
			stream_set_blocking( $worker[1][1], false );
		}
		$buffers = array_fill( 0, count( $workers ), '' );
		$deadline = microtime( true ) + 60;
		while ( count( $results ) < count( $workers ) && microtime( true ) < $deadline ) {
			if ( null !== $sql ) {
				$peak = max( $peak, (int) $wpdb->get_var( $sql ) );
			}
			foreach ( $workers as $index => $worker ) {
				if ( isset( $results[ $index ] ) ) {
					continue;
				}
				$buffers[ $index ] .= (string) stream_get_contents( $worker[1][1] );
				if ( preg_match( '/^VVC:RESULT (.+)$/m', $buffers[ $index ], $match ) ) {
					$results[ $index ] = json_decode( $match[1], true );
				}
			}
			usleep( 500 );
		}
		$this->assertCount( count( $workers ), $results, 'every worker reported' );
		ksort( $results );

		foreach ( $workers as $index => $worker ) {
			stream_set_blocking( $worker[1][1], true );
			if ( 'rate' !== $jobs[ $index ]['mode'] ) {
				fwrite( $worker[1][0], "SETTLE\n" );
				fflush( $worker[1][0] );
			}
		}
		foreach ( $workers as $index => $worker ) {
			if ( 'rate' !== $jobs[ $index ]['mode'] ) {
				$this->expect_line( $worker, 'DONE', $buffers[ $index ] );
			}
			fclose( $worker[1][0] );
			fclose( $worker[1][1] );
			$status = proc_close( $worker[0] );
			$this->assertSame( 0, $status, (string) file_get_contents( $worker[2] ) );
			unlink( $worker[2] );
		}
		if ( null !== $sql ) {
			$peak = max( $peak, (int) $wpdb->get_var( $sql ) );
		}
		return array( array_values( $results ), $peak );
	}

	/**
	 * Reads a worker's stdout until a protocol line appears.
	 *
	 * @param array{0: resource, 1: array<int, resource>, 2: string} $worker  The worker.
	 * @param string                                                 $word    Expected line.
	 * @param string                                                 $already Output read before.
	 */
	private function expect_line( array $worker, string $word, string $already = '' ): void {
		if ( str_contains( $already, "VVC:$word\n" ) ) {
			return;
		}
		while ( ( $line = fgets( $worker[1][1] ) ) !== false ) {
			if ( "VVC:$word" === trim( $line ) ) {
				return;
			}
		}
		$this->fail( "worker never said $word: " . file_get_contents( $worker[2] ) );
	}

	/**
	 * A budget row's spent and reserved micro-dollars.
	 *
	 * @return array{0: int, 1: int}
	 */
	private function row( string $key ): array {
		global $wpdb;
		$row = $wpdb->get_row( $wpdb->prepare( "SELECT spent_micros, reserved_micros FROM {$wpdb->prefix}vvc_budget WHERE period_key = %s", $key ), ARRAY_A );
		return array( (int) ( $row['spent_micros'] ?? -1 ), (int) ( $row['reserved_micros'] ?? -1 ) );
	}
}
