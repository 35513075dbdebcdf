<?php
/**
 * Sse_Reader: event parsing across arbitrary chunk boundaries, with a bounded buffer.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Upstream;

use VoiceVisionChat\Tests\Support\TestCase;
use VoiceVisionChat\Upstream\Sse_Reader;

/**
 * The WHATWG event-stream rules the provider's streams rely on.
 */
final class SseReaderTest extends TestCase {

	public function test_events_split_at_every_possible_byte_come_out_whole(): void {
		$stream = "data: {\"a\":1}\n\nevent: ping\ndata: x\n\n: keep-alive comment\n\ndata: [DONE]\n\n";
		for ( $cut = 1; $cut < strlen( $stream ); $cut++ ) {
			$reader = new Sse_Reader();
			$events = array_merge( $reader->feed( substr( $stream, 0, $cut ) ), $reader->feed( substr( $stream, $cut ) ) );
			$this->assertSame(
				array(
					array(
						'event' => 'message',
						'data'  => '{"a":1}',
					),
					array(
						'event' => 'ping',
						'data'  => 'x',
					),
					array(
						'event' => 'message',
						'data'  => '[DONE]',
					),
				),
				$events,
				"cut at byte $cut"
			);
			$this->assertFalse( $reader->has_partial() );
		}
	}

	public function test_crlf_and_cr_line_ends_and_multi_line_data(): void {
		$reader = new Sse_Reader();
		$events = $reader->feed( "data: one\r\ndata:two\r\n\r" );
		$events = array_merge( $events, $reader->feed( "\ndata: three\r\rdata: four\n\n" ) );
		$this->assertSame( array( "one\ntwo", 'three', 'four' ), array_column( $events, 'data' ) );
	}

	public function test_an_unfinished_event_is_reported_as_partial(): void {
		$reader = new Sse_Reader();
		$this->assertSame( array(), $reader->feed( "data: {\"choices\":[" ) );
		$this->assertTrue( $reader->has_partial() );
	}

	public function test_a_line_over_the_limit_is_refused_even_before_it_ends(): void {
		$reader = new Sse_Reader( 1024 );
		$this->assertSame( array(), $reader->feed( 'data: ' . str_repeat( 'x', 1000 ) ) );
		$this->expectException( \LengthException::class );
		$reader->feed( str_repeat( 'x', 100 ) );
	}

	public function test_a_complete_line_over_the_limit_is_refused(): void {
		$reader = new Sse_Reader( 64 );
		$this->expectException( \LengthException::class );
		$reader->feed( 'data: ' . str_repeat( 'y', 100 ) . "\n\n" );
	}
}
