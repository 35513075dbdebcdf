<?php
/**
 * The client IP: REMOTE_ADDR unless a trusted proxy forwarded the request.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Security;

use VoiceVisionChat\Security\Client_Ip;
use VoiceVisionChat\Tests\Support\TestCase;

/**
 * Client_Ip.
 */
final class ClientIpTest extends TestCase {

	protected function tearDown(): void {
		remove_all_filters( 'vvc_trusted_proxies' );
		parent::tearDown();
	}

	/**
	 * @param string[] $proxies Trusted proxies.
	 */
	private function trust( array $proxies ): void {
		add_filter( 'vvc_trusted_proxies', static fn (): array => $proxies );
	}

	private function ip( string $remote, ?string $forwarded = null ): string {
		$server = array( 'REMOTE_ADDR' => $remote );
		if ( null !== $forwarded ) {
			$server['HTTP_X_FORWARDED_FOR'] = $forwarded;
		}
		return ( new Client_Ip( $server ) )->get();
	}

	public function test_remote_addr_by_default_and_forged_header_ignored(): void {
		$this->assertSame( '203.0.113.9', $this->ip( '203.0.113.9' ) );
		$this->assertSame( '203.0.113.9', $this->ip( '203.0.113.9', '1.2.3.4' ) );
		$this->assertSame( '203.0.113.9', $this->ip( '203.0.113.9', '10.0.0.1, 127.0.0.1' ) );
	}

	public function test_header_ignored_when_the_sender_is_not_a_trusted_proxy(): void {
		$this->trust( array( '10.0.0.0/8' ) );
		$this->assertSame( '198.51.100.20', $this->ip( '198.51.100.20', '1.2.3.4' ) );
	}

	public function test_trusted_proxy_gives_the_right_most_untrusted_address(): void {
		$this->trust( array( '10.0.0.0/8', '192.0.2.7' ) );

		$this->assertSame( '203.0.113.7', $this->ip( '10.1.2.3', '203.0.113.7' ) );
		// The visitor forged the left entry; the proxy appended the real address.
		$this->assertSame( '203.0.113.7', $this->ip( '10.1.2.3', '6.6.6.6, 203.0.113.7' ) );
		// Two trusted hops (a CDN and a load balancer) are skipped.
		$this->assertSame( '203.0.113.7', $this->ip( '10.1.2.3', '6.6.6.6, 203.0.113.7, 192.0.2.7, 10.9.9.9' ) );
		// A visitor writing a trusted address on the left gains nothing.
		$this->assertSame( '203.0.113.7', $this->ip( '10.1.2.3', '10.0.0.1, 203.0.113.7' ) );
	}

	public function test_broken_or_missing_chain_falls_back_to_the_last_trusted_hop(): void {
		$this->trust( array( '10.0.0.0/8' ) );

		$this->assertSame( '10.1.2.3', $this->ip( '10.1.2.3' ) );
		$this->assertSame( '10.1.2.3', $this->ip( '10.1.2.3', '' ) );
		$this->assertSame( '10.1.2.3', $this->ip( '10.1.2.3', '1.2.3.4, not-an-ip' ) );
		$this->assertSame( '10.0.0.5', $this->ip( '10.1.2.3', '1.2.3.4, <script>, 10.0.0.5' ) );
		$this->assertSame( '10.0.0.5', $this->ip( '10.1.2.3', '10.0.0.5' ), 'all trusted: the furthest one' );
	}

	public function test_ports_and_brackets_written_by_proxies_are_understood(): void {
		$this->trust( array( '10.0.0.0/8' ) );
		$this->assertSame( '203.0.113.7', $this->ip( '10.1.2.3', '203.0.113.7:51234' ) );
		$this->assertSame( '2a00:1450::5', $this->ip( '10.1.2.3', '[2a00:1450::5]:443' ) );
	}

	public function test_ipv6_proxies_and_clients(): void {
		$this->trust( array( '2001:db8::/32' ) );

		$this->assertSame( '2a00:1450::5', $this->ip( '2001:db8:0:0::1', '2a00:1450:0::5' ) );
		$this->assertSame( '2a00:1450::5', $this->ip( '2001:db8::1', 'fe80::bad, 2a00:1450::5, 2001:DB8:FFFF::1' ) );
		$this->assertSame( '2001:db9::1', $this->ip( '2001:db9::1', '2a00:1450::5' ), 'just outside the range' );
	}

	public function test_invalid_remote_addr_gives_an_empty_string(): void {
		$this->assertSame( '', $this->ip( 'not-an-ip', '1.2.3.4' ) );
		$this->assertSame( '', ( new Client_Ip( array() ) )->get() );
	}

	public function test_reads_the_real_server_variables_by_default(): void {
		$saved                  = $_SERVER['REMOTE_ADDR'] ?? null;
		$_SERVER['REMOTE_ADDR'] = '198.51.100.77';
		try {
			$this->assertSame( '198.51.100.77', ( new Client_Ip() )->get() );
		} finally {
			$_SERVER['REMOTE_ADDR'] = $saved;
		}
	}

	/**
	 * @return array<string, array{0: string, 1: string, 2: bool}>
	 */
	public static function ranges(): array {
		return array(
			'exact v4'              => array( '192.0.2.1', '192.0.2.1', true ),
			'other v4'              => array( '192.0.2.2', '192.0.2.1', false ),
			'/24 inside'            => array( '192.0.2.200', '192.0.2.0/24', true ),
			'/24 outside'           => array( '192.0.3.1', '192.0.2.0/24', false ),
			'/23 odd prefix inside' => array( '192.0.3.255', '192.0.2.0/23', true ),
			'/23 odd prefix out'    => array( '192.0.4.0', '192.0.2.0/23', false ),
			'/0 everything'         => array( '8.8.8.8', '0.0.0.0/0', true ),
			'/32'                   => array( '192.0.2.1', '192.0.2.1/32', true ),
			'/33 invalid'           => array( '192.0.2.1', '192.0.2.1/33', false ),
			'bad prefix'            => array( '192.0.2.1', '192.0.2.0/x', false ),
			'negative prefix'       => array( '192.0.2.1', '192.0.2.0/-1', false ),
			'garbage range'         => array( '192.0.2.1', 'localhost', false ),
			'v6 /48 inside'         => array( '2001:db8:abcd:12::1', '2001:db8:abcd::/48', true ),
			'v6 /48 outside'        => array( '2001:db8:abce::1', '2001:db8:abcd::/48', false ),
			'v6 /127'               => array( '2001:db8::1', '2001:db8::/127', true ),
			'v6 /128 exact'         => array( '::1', '::1/128', true ),
			'v6 /129 invalid'       => array( '::1', '::1/129', false ),
			'v4 vs v6 range'        => array( '192.0.2.1', '::/0', false ),
			'v6 vs v4 range'        => array( '::1', '0.0.0.0/0', false ),
		);
	}

	#[\PHPUnit\Framework\Attributes\DataProvider( 'ranges' )]
	public function test_cidr_matching( string $ip, string $range, bool $expected ): void {
		$this->assertSame( $expected, Client_Ip::in_range( $ip, $range ) );
	}
}
