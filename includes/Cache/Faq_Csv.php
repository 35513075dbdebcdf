<?php
/**
 * Curated FAQ entries as CSV, for spreadsheets.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Cache;

use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * Writes and reads the CSV used by export and import.
 *
 * Format: UTF-8 with a byte order mark (so spreadsheet programs read it as UTF-8), comma
 * separated, CRLF line ends, RFC 4180 quoting (quotes doubled, no backslash escapes), a header row
 * `id,questions,answer`, one row per entry; the questions cell holds one variant per line.
 * Import also accepts semicolons (what some spreadsheet locales save), no BOM and no
 * header (then the columns are id, questions, answer, or questions, answer when two).
 *
 * Formula injection: a cell starting with = + - @ tab or carriage return is a formula to a
 * spreadsheet, so export prefixes it with an apostrophe (as do cells that already start with
 * apostrophes before such a character); import removes exactly one such apostrophe, so an
 * export imports back to the same text.
 *
 * @phpstan-import-type Faq_Entry from Curated_Faq_Store
 */
final class Faq_Csv {

	/**
	 * Header row.
	 */
	public const COLUMNS = array( 'id', 'questions', 'answer' );

	/**
	 * Most rows read from one import.
	 */
	public const MAX_ROWS = 1000;

	/**
	 * Largest CSV read, in bytes.
	 */
	public const MAX_BYTES = 2097152;

	/**
	 * The entries as CSV text.
	 *
	 * @param array $entries Curated entries.
	 * @phpstan-param list<Faq_Entry> $entries
	 */
	public function export( array $entries ): string {
		$lines = array( implode( ',', self::COLUMNS ) );
		foreach ( $entries as $entry ) {
			$cells   = array( $entry['id'], implode( "\n", $entry['questions'] ), $entry['answer'] );
			$lines[] = implode( ',', array_map( static fn ( string $cell ): string => self::quote( self::guard( $cell ) ), $cells ) );
		}
		return "\u{FEFF}" . implode( "\r\n", $lines ) . "\r\n";
	}

	/**
	 * Reads CSV text into rows.
	 *
	 * @param string $csv CSV text.
	 * @return list<array{row: int, id: string, questions: list<string>, answer: string}>|WP_Error
	 *         Rows numbered as a spreadsheet shows them (the header is row 1).
	 */
	public function parse( string $csv ) {
		if ( strlen( $csv ) > self::MAX_BYTES ) {
			return new WP_Error(
				'vvc_faq_import_too_large',
				/* translators: %d: largest file size in megabytes. */
				sprintf( __( 'The CSV file is too large (at most %d MB).', 'voice-vision-chat' ), (int) ( self::MAX_BYTES / 1048576 ) ),
				array( 'status' => 413 )
			);
		}
		if ( str_starts_with( $csv, "\u{FEFF}" ) ) {
			$csv = substr( $csv, 3 );
		}
		if ( ! mb_check_encoding( $csv, 'UTF-8' ) ) {
			return new WP_Error( 'vvc_faq_import_invalid', __( 'The CSV file must be saved as UTF-8.', 'voice-vision-chat' ), array( 'status' => 400 ) );
		}
		$first_line = (string) strtok( $csv, "\n" );
		$separator  = substr_count( $first_line, ';' ) > substr_count( $first_line, ',' ) ? ';' : ',';
		$records    = self::records( $csv, $separator );
		if ( is_wp_error( $records ) ) {
			return $records;
		}

		$rows    = array();
		$columns = null;
		foreach ( $records as $number => $cells ) {
			if ( array( '' ) === $cells ) {
				continue; // Blank line.
			}
			if ( null === $columns ) {
				$header = array_map( static fn ( string $cell ): string => strtolower( trim( $cell ) ), $cells );
				if ( in_array( 'answer', $header, true ) ) {
					$questions = array_search( 'questions', $header, true );
					$columns   = array(
						'id'        => array_search( 'id', $header, true ),
						'questions' => false === $questions ? array_search( 'question', $header, true ) : $questions,
						'answer'    => array_search( 'answer', $header, true ),
					);
					if ( false === $columns['questions'] ) {
						return new WP_Error( 'vvc_faq_import_invalid', __( 'The CSV file needs a "questions" column.', 'voice-vision-chat' ), array( 'status' => 400 ) );
					}
					continue;
				}
				// No header: id, questions, answer; or questions, answer.
				$columns = 2 === count( $cells )
					? array(
						'id'        => false,
						'questions' => 0,
						'answer'    => 1,
					)
					: array(
						'id'        => 0,
						'questions' => 1,
						'answer'    => 2,
					);
			}
			if ( count( $rows ) >= self::MAX_ROWS ) {
				return new WP_Error(
					'vvc_faq_import_too_large',
					/* translators: %d: most rows. */
					sprintf( __( 'The CSV file has too many rows (at most %d).', 'voice-vision-chat' ), self::MAX_ROWS ),
					array( 'status' => 413 )
				);
			}
			$cell     = static fn ( $index ): string => false === $index ? '' : self::unguard( $cells[ $index ] ?? '' );
			$variants = preg_split( '/\R/u', $cell( $columns['questions'] ) );
			$variants = array_map( 'trim', false === $variants ? array() : $variants );
			$rows[]   = array(
				'row'       => $number + 1,
				'id'        => trim( $cell( $columns['id'] ) ),
				'questions' => array_values( array_filter( $variants, static fn ( string $variant ): bool => '' !== $variant ) ),
				'answer'    => $cell( $columns['answer'] ),
			);
		}
		return $rows;
	}

	/**
	 * Splits CSV text into records of cells (RFC 4180: quoted cells may hold separators, line
	 * breaks and doubled quotes; CRLF, LF or CR end a record).
	 *
	 * @param string $csv       CSV text.
	 * @param string $separator Cell separator.
	 * @return list<list<string>>|WP_Error
	 */
	private static function records( string $csv, string $separator ) {
		$records = array();
		$record  = array();
		$cell    = '';
		$quoted  = false;
		$length  = strlen( $csv );
		for ( $i = 0; $i < $length; $i++ ) {
			$char = $csv[ $i ];
			if ( $quoted ) {
				if ( '"' !== $char ) {
					$cell .= $char;
				} elseif ( '"' === ( $csv[ $i + 1 ] ?? '' ) ) {
					$cell .= '"';
					++$i;
				} else {
					$quoted = false;
				}
				continue;
			}
			if ( '"' === $char && '' === $cell ) {
				$quoted = true;
			} elseif ( $separator === $char ) {
				$record[] = $cell;
				$cell     = '';
			} elseif ( "\n" === $char || "\r" === $char ) {
				if ( "\r" === $char && "\n" === ( $csv[ $i + 1 ] ?? '' ) ) {
					++$i;
				}
				$record[]  = $cell;
				$records[] = $record;
				$record    = array();
				$cell      = '';
			} else {
				$cell .= $char;
			}
		}
		if ( $quoted ) {
			return new WP_Error( 'vvc_faq_import_invalid', __( 'The CSV file ends inside a quoted cell.', 'voice-vision-chat' ), array( 'status' => 400 ) );
		}
		if ( '' !== $cell || $record ) {
			$record[]  = $cell;
			$records[] = $record;
		}
		return $records;
	}

	/**
	 * Quotes a cell when it holds a separator, quote or line break.
	 *
	 * @param string $cell Cell text.
	 */
	private static function quote( string $cell ): string {
		return preg_match( '/[",;\r\n]/', $cell ) || trim( $cell ) !== $cell ? '"' . str_replace( '"', '""', $cell ) . '"' : $cell;
	}

	/**
	 * Prefixes a cell a spreadsheet would run as a formula.
	 *
	 * @param string $cell Cell text.
	 */
	public static function guard( string $cell ): string {
		return preg_match( "/^'*[=+\\-@\\t\\r]/", $cell ) ? "'" . $cell : $cell;
	}

	/**
	 * Undoes guard().
	 *
	 * @param string $cell Cell text.
	 */
	public static function unguard( string $cell ): string {
		return preg_match( "/^'+[=+\\-@\\t\\r]/", $cell ) ? substr( $cell, 1 ) : $cell;
	}
}
