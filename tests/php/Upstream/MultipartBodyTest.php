<?php
/**
 * Multipart_Body: a multipart/form-data body built in memory, that a real parser reads back.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Upstream;

use VoiceVisionChat\Tests\Support\TestCase;
use VoiceVisionChat\Upstream\Multipart_Body;

/**
 * Encoding.
 */
final class MultipartBodyTest extends TestCase {

	public function test_fields_and_the_file_are_encoded_with_a_boundary_that_occurs_nowhere_else(): void {
		$bytes     = random_bytes( 5000 ) . "\r\n--" . random_bytes( 100 );
		$multipart = new Multipart_Body(
			array(
				'model'  => 'gpt-4o-mini-transcribe',
				'stream' => false,
				'quoted' => "a \"b\"\r\nc",
			),
			'file',
			'voice.mp3',
			'audio/mpeg',
			$bytes
		);
		$this->assertMatchesRegularExpression( '#^multipart/form-data; boundary=(----vvc[0-9a-f]{24})$#', $multipart->content_type() );
		$boundary = substr( $multipart->content_type(), strlen( 'multipart/form-data; boundary=' ) );
		$body     = $multipart->body();

		$parts = explode( '--' . $boundary, $body );
		$this->assertCount( 6, $parts, 'preamble, four parts, epilogue' );
		$this->assertSame( "--\r\n", end( $parts ) );
		$this->assertSame( "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ngpt-4o-mini-transcribe\r\n", $parts[1] );
		$this->assertSame( "\r\nContent-Disposition: form-data; name=\"stream\"\r\n\r\nfalse\r\n", $parts[2] );
		$this->assertSame( "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"voice.mp3\"\r\nContent-Type: audio/mpeg\r\n\r\n" . $bytes . "\r\n", $parts[4] );
	}

	public function test_names_cannot_break_out_of_their_header(): void {
		$multipart = new Multipart_Body( array(), 'file', "evil\"\r\nX-Injected: 1.mp3", 'audio/mpeg', 'x' );
		$this->assertStringContainsString( 'filename="evil%22%0D%0AX-Injected: 1.mp3"', $multipart->body() );
		$this->assertStringNotContainsString( "\r\nX-Injected", $multipart->body() );
	}
}
