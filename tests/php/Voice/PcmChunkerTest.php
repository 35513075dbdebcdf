<?php
/**
 * Pcm_Chunker: whole samples, bounded event count, the label once.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Voice;

use VoiceVisionChat\Tests\Support\TestCase;
use VoiceVisionChat\Voice\Pcm_Chunker;

/**
 * Re-cutting PCM into events.
 */
final class PcmChunkerTest extends TestCase {

	public function test_pieces_of_any_length_become_events_of_whole_samples(): void {
		$events  = array();
		$chunker = new Pcm_Chunker(
			static function ( string $name, array $data ) use ( &$events ): bool {
				$events[] = array( $name, $data );
				return true;
			},
			24000,
			array( 'label' => 'AI-generated voice' )
		);
		$pcm = random_bytes( 30001 );
		// Odd-sized network reads, as curl delivers them.
		foreach ( str_split( $pcm, 1777 ) as $piece ) {
			$this->assertTrue( $chunker->add( $piece ) );
		}
		$this->assertTrue( $chunker->flush() );

		$joined = '';
		foreach ( $events as $index => $event ) {
			$this->assertSame( 'audio', $event[0] );
			$this->assertSame( 'pcm16', $event[1]['format'] );
			$this->assertSame( 24000, $event[1]['sample_rate'] );
			$bytes = (string) base64_decode( $event[1]['data'], true );
			$this->assertSame( 0, strlen( $bytes ) % 2, 'whole 16-bit samples: every event decodes alone' );
			if ( $index < count( $events ) - 1 ) {
				$this->assertGreaterThanOrEqual( Pcm_Chunker::MIN_BYTES, strlen( $bytes ) );
			}
			$this->assertSame( 0 === $index, isset( $event[1]['label'] ), 'the label comes with the first event only' );
			$joined .= $bytes;
		}
		$this->assertSame( substr( $pcm, 0, 30000 ), $joined, 'nothing lost or reordered (a dangling half sample is dropped)' );
		$this->assertSame( 30000, $chunker->bytes_sent() );
		$this->assertLessThanOrEqual( 7, count( $events ) );
	}

	public function test_a_visitor_who_left_is_reported(): void {
		$chunker = new Pcm_Chunker( static fn (): bool => false, 24000 );
		$this->assertTrue( $chunker->add( str_repeat( "\0", 100 ) ), 'nothing sent yet' );
		$this->assertFalse( $chunker->add( str_repeat( "\0", Pcm_Chunker::MIN_BYTES ) ) );
		$this->assertTrue( ( new Pcm_Chunker( static fn (): bool => false, 24000 ) )->flush(), 'an empty flush sends nothing' );
	}
}
