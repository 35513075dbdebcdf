<?php
/**
 * The personal-answer marker: removed from whole and streamed answers, detected.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Cache;

use VoiceVisionChat\Cache\Personal_Marker;
use VoiceVisionChat\Tests\Support\TestCase;

/**
 * Personal_Marker.
 */
final class PersonalMarkerTest extends TestCase {

	public function test_instruction_names_the_marker(): void {
		$this->assertStringContainsString( Personal_Marker::MARKER, Personal_Marker::instruction() );
	}

	public function test_strip_removes_a_leading_marker_only(): void {
		$this->assertSame(
			array(
				'text'   => 'Your order shipped.',
				'marked' => true,
			),
			Personal_Marker::strip( "[[personal]]\nYour order shipped." )
		);
		$this->assertTrue( Personal_Marker::strip( '  **[[PERSONAL]]** Hi Jo' )['marked'] );
		$this->assertSame( 'Hi Jo', Personal_Marker::strip( '  **[[PERSONAL]]** Hi Jo' )['text'] );
		$plain = Personal_Marker::strip( 'Returns are free. [[personal]] is a marker.' );
		$this->assertFalse( $plain['marked'] );
		$this->assertSame( 'Returns are free. [[personal]] is a marker.', $plain['text'] );
	}

	public function test_stream_holds_back_only_a_possible_marker(): void {
		$marker = new Personal_Marker();
		$out    = '';
		foreach ( array( '[[', 'pers', 'onal]] ', 'Your order ', 'shipped.' ) as $delta ) {
			$out .= $marker->push( $delta );
		}
		$out .= $marker->finish();
		$this->assertSame( 'Your order shipped.', $out );
		$this->assertTrue( $marker->marked() );

		$marker = new Personal_Marker();
		$this->assertSame( 'Returns', $marker->push( 'Returns' ), 'ordinary text passes at once' );
		$this->assertSame( ' are free.', $marker->push( ' are free.' ) );
		$this->assertSame( '', $marker->finish() );
		$this->assertFalse( $marker->marked() );

		$marker = new Personal_Marker();
		$this->assertSame( '', $marker->push( '**' ), 'could still become a marker' );
		$this->assertSame( '**Bold** text', $marker->push( 'Bold** text' ) );
		$this->assertFalse( $marker->marked() );

		$marker = new Personal_Marker();
		$this->assertSame( '', $marker->push( '[[perso' ) );
		$this->assertSame( '[[perso', $marker->finish(), 'an unfinished marker at the end is text' );
		$this->assertFalse( $marker->marked() );
	}
}
