<?php
/**
 * CSV export and import of curated entries.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Cache;

use VoiceVisionChat\Cache\Faq_Csv;
use VoiceVisionChat\Tests\Support\TestCase;

/**
 * Faq_Csv.
 */
final class FaqCsvTest extends TestCase {

	public function test_round_trip_keeps_quotes_commas_newlines_utf8_and_formulas(): void {
		$entries = array(
			array(
				'id'        => '0b8f5c8e-1c1a-4e55-9d3f-3c1f5f0e9a11',
				'questions' => array( 'What is your "return" policy?', '退货政策是什么？', 'Returns, refunds' ),
				'answer'    => "30 days, \"no questions asked\".\n\n- Opened items: 14 days\n- Ümlauts & émojis 🎉",
				'updated'   => 1,
			),
			array(
				'id'        => '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
				'questions' => array( '=cost of shipping', '+ shipping', '@home delivery' ),
				'answer'    => "-5 € off; =SUM(A1:A2)\r\nnext line",
				'updated'   => 2,
			),
			array(
				'id'        => '6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
				'questions' => array( "'=already quoted" ),
				'answer'    => "\tTabbed start",
				'updated'   => 3,
			),
		);
		$csv = new Faq_Csv();
		$out = $csv->export( $entries );

		$this->assertStringStartsWith( "\u{FEFF}id,questions,answer\r\n", $out );
		$rows = $csv->parse( $out );
		$this->assertIsArray( $rows );
		$this->assertCount( 3, $rows );
		foreach ( $entries as $i => $entry ) {
			$this->assertSame( $entry['id'], $rows[ $i ]['id'] );
			$this->assertSame( $entry['questions'], $rows[ $i ]['questions'] );
			$this->assertSame( $entry['answer'], $rows[ $i ]['answer'] );
		}
		$this->assertSame( 2, $rows[0]['row'], 'the header is row 1' );
	}

	public function test_export_guards_cells_a_spreadsheet_would_run(): void {
		$out = ( new Faq_Csv() )->export(
			array(
				array(
					'id'        => 'x',
					'questions' => array( '=HYPERLINK("http://evil.example")' ),
					'answer'    => '@SUM(1+1)',
					'updated'   => 0,
				),
				array(
					'id'        => 'y',
					'questions' => array( '+1 shipping' ),
					'answer'    => '-1',
					'updated'   => 0,
				),
			)
		);
		// Read back with PHP's own CSV parser, as a spreadsheet would see the cells.
		$lines = array_map( static fn ( string $line ): array => str_getcsv( $line, ',', '"', '' ), array_slice( explode( "\r\n", trim( substr( $out, 3 ) ) ), 1 ) );
		$this->assertSame( "'=HYPERLINK(\"http://evil.example\")", $lines[0][1] );
		$this->assertSame( "'@SUM(1+1)", $lines[0][2] );
		$this->assertSame( "'+1 shipping", $lines[1][1] );
		$this->assertSame( "'-1", $lines[1][2] );
		foreach ( $lines as $cells ) {
			foreach ( $cells as $cell ) {
				$this->assertDoesNotMatchRegularExpression( '/^[=+\-@\t\r]/', $cell );
			}
		}
	}

	public function test_import_accepts_semicolons_no_bom_and_no_header(): void {
		$csv  = new Faq_Csv();
		$rows = $csv->parse( "questions;answer\n\"Do you ship to Canada?\nShip to CA\";\"Yes; 5-7 days.\"\n" );
		$this->assertIsArray( $rows );
		$this->assertSame( array( 'Do you ship to Canada?', 'Ship to CA' ), $rows[0]['questions'] );
		$this->assertSame( 'Yes; 5-7 days.', $rows[0]['answer'] );
		$this->assertSame( '', $rows[0]['id'] );

		$rows = $csv->parse( "Opening hours?,9 to 5\n\nParking?,Yes\n" );
		$this->assertIsArray( $rows );
		$this->assertCount( 2, $rows );
		$this->assertSame( array( 'Parking?' ), $rows[1]['questions'] );
	}

	public function test_import_refuses_broken_files(): void {
		$csv = new Faq_Csv();
		$this->assertWPError( $csv->parse( "id,questions,answer\nx,\"unterminated,answer\n" ), 'vvc_faq_import_invalid' );
		$this->assertWPError( $csv->parse( "id,questions,answer\nx,\xff\xfe,y\n" ), 'vvc_faq_import_invalid' );
		$this->assertWPError( $csv->parse( "id,answer\nx,y\n" ), 'vvc_faq_import_invalid' );
		$this->assertWPError( $csv->parse( str_repeat( "q,a\n", Faq_Csv::MAX_ROWS + 1 ) ), 'vvc_faq_import_too_large' );
	}

	/**
	 * Asserts a WP_Error with a code.
	 *
	 * @param mixed  $value Value.
	 * @param string $code  Expected code.
	 */
	private function assertWPError( $value, string $code ): void {
		$this->assertInstanceOf( \WP_Error::class, $value );
		$this->assertSame( $code, $value->get_error_code() );
	}
}
