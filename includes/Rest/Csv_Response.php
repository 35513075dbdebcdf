<?php
/**
 * A REST response whose body is a CSV file, written row by row when the server serves it.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Rest;

use WP_REST_Response;

defined( 'ABSPATH' ) || exit;

/**
 * Carries the records instead of a JSON body. The REST server would JSON-encode the data,
 * so Admin_Usage_Controller::serve_csv() (on `rest_pre_serve_request`) writes the records
 * instead, as they are read, and tells the server the request is served.
 */
final class Csv_Response extends WP_REST_Response {

	/**
	 * The rows, header first; usually a generator reading the database in batches.
	 *
	 * @var iterable<list<string>>
	 */
	private iterable $records;

	/**
	 * Sets the download headers and keeps the records.
	 *
	 * @param iterable $records  Rows of cells, header first.
	 * @param string   $filename Suggested file name (ASCII letters, digits, dots and dashes).
	 * @phpstan-param iterable<list<string>> $records
	 */
	public function __construct( iterable $records, string $filename ) {
		parent::__construct(
			null,
			200,
			array(
				'Content-Type'        => 'text/csv; charset=utf-8',
				'Content-Disposition' => 'attachment; filename="' . preg_replace( '/[^A-Za-z0-9._-]/', '', $filename ) . '"',
				'Cache-Control'       => 'no-store',
			)
		);
		$this->records = $records;
	}

	/**
	 * The rows, header first.
	 *
	 * @return iterable<list<string>>
	 */
	public function records(): iterable {
		return $this->records;
	}

	/**
	 * Writes every row as RFC 4180 CSV to a stream, flushing the output now and then so a
	 * large export starts downloading at once and never sits whole in memory.
	 *
	 * @param resource $stream Writable stream, e.g. php://output.
	 * @param bool     $flush  Flush PHP's output buffers and the web server every 500 rows.
	 * @return int Rows written, header included.
	 */
	public function write( $stream, bool $flush = false ): int {
		$count = 0;
		foreach ( $this->records as $record ) {
			// An empty escape character: quotes are doubled, as RFC 4180 says, never backslashed.
			fputcsv( $stream, $record, ',', '"', '' );
			++$count;
			if ( $flush && 0 === $count % 500 ) {
				flush();
			}
		}
		return $count;
	}
}
