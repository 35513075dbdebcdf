<?php
/**
 * A multipart/form-data request body built in memory.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Upstream;

defined( 'ABSPATH' ) || exit;

/**
 * Encodes text fields and one file as multipart/form-data (RFC 7578) without touching disk.
 *
 * Why by hand: curl's own multipart support (CURLFile) and WordPress's HTTP API both want a
 * file on disk, and a visitor's recording must never be written there.
 */
final class Multipart_Body {

	/**
	 * Content-Type header value, with the boundary.
	 *
	 * @var string
	 */
	private string $content_type;

	/**
	 * The encoded body.
	 *
	 * @var string
	 */
	private string $body;

	/**
	 * Encodes the parts.
	 *
	 * @param array<string, string|int|float|bool> $fields     Text fields, in order.
	 * @param string                               $file_field Name of the file field.
	 * @param string                               $filename   File name sent with it.
	 * @param string                               $mime       Its content type.
	 * @param string                               $bytes      Its content.
	 */
	public function __construct( array $fields, string $file_field, string $filename, string $mime, string $bytes ) {
		// A boundary must not occur in any part; 24 random bytes make that practically certain,
		// and the loop makes it certain.
		do {
			$boundary = '----vvc' . bin2hex( random_bytes( 12 ) );
		} while ( str_contains( $bytes, $boundary ) || str_contains( implode( "\n", array_map( 'strval', $fields ) ), $boundary ) );

		$body = '';
		foreach ( $fields as $name => $value ) {
			if ( is_bool( $value ) ) {
				$value = $value ? 'true' : 'false';
			}
			$body .= '--' . $boundary . "\r\n"
				. 'Content-Disposition: form-data; name="' . self::quote( (string) $name ) . "\"\r\n\r\n"
				. $value . "\r\n";
		}
		$body .= '--' . $boundary . "\r\n"
			. 'Content-Disposition: form-data; name="' . self::quote( $file_field ) . '"; filename="' . self::quote( $filename ) . "\"\r\n"
			. 'Content-Type: ' . $mime . "\r\n\r\n"
			. $bytes . "\r\n"
			. '--' . $boundary . "--\r\n";

		$this->content_type = 'multipart/form-data; boundary=' . $boundary;
		$this->body         = $body;
	}

	/**
	 * Content-Type header value.
	 */
	public function content_type(): string {
		return $this->content_type;
	}

	/**
	 * The encoded body.
	 */
	public function body(): string {
		return $this->body;
	}

	/**
	 * Makes a name safe inside a quoted header parameter (no quotes, no line breaks).
	 *
	 * @param string $name Field or file name.
	 */
	private static function quote( string $name ): string {
		return str_replace( array( '"', "\r", "\n", '\\' ), array( '%22', '%0D', '%0A', '%5C' ), $name );
	}
}
