<?php
/**
 * What every validator of a visitor's upload shares: reading the file PHP received into
 * memory, with the byte cap checked before reading.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Media;

use VoiceVisionChat\Settings\Settings;
use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * Base of Image_Validator and Audio_Validator: upload handling here, format checks there.
 *
 * @template T of array
 */
abstract class Upload_Validator {

	/**
	 * Settings: the caps.
	 *
	 * @var Settings
	 */
	protected Settings $settings;

	/**
	 * Whether a path is a file PHP received as an upload in this request.
	 *
	 * @var callable(string): bool
	 */
	private $is_uploaded_file;

	/**
	 * Stores collaborators.
	 *
	 * @param Settings                      $settings         Plugin settings.
	 * @param (callable(string): bool)|null $is_uploaded_file Upload check; is_uploaded_file() when null (tests hand in files of their own).
	 */
	public function __construct( Settings $settings, ?callable $is_uploaded_file = null ) {
		$this->settings         = $settings;
		$this->is_uploaded_file = $is_uploaded_file ?? 'is_uploaded_file';
	}

	/**
	 * Validates one entry of $request->get_file_params().
	 *
	 * Reads the file PHP stored in its upload temp folder into memory; the file is never moved
	 * and PHP deletes it when the request ends.
	 *
	 * @param array<string, mixed> $file Entry with tmp_name, error, size.
	 * @return T|WP_Error
	 */
	public function validate_upload( array $file ) {
		$error = $file['error'] ?? UPLOAD_ERR_NO_FILE;
		if ( UPLOAD_ERR_INI_SIZE === $error || UPLOAD_ERR_FORM_SIZE === $error ) {
			return $this->too_large( 'larger than the server accepts (upload_max_filesize)' );
		}
		if ( UPLOAD_ERR_OK !== $error ) {
			return new WP_Error(
				'vvc_bad_request',
				$this->messages()['incomplete'],
				array(
					'status' => 400,
					'reason' => 'upload error ' . ( is_scalar( $error ) ? (string) $error : 'unknown' ),
				)
			);
		}
		$path = $file['tmp_name'] ?? null;
		if ( ! is_string( $path ) || '' === $path || ! ( $this->is_uploaded_file )( $path ) ) {
			return new WP_Error(
				'vvc_bad_request',
				$this->messages()['not_a_file'],
				array(
					'status' => 400,
					'reason' => 'not an uploaded file',
				)
			);
		}
		$max_bytes = $this->max_bytes();
		$size      = filesize( $path );
		if ( false === $size ) {
			return $this->unsupported( 'unreadable upload' );
		}
		if ( $size > $max_bytes ) {
			return $this->too_large( sprintf( '%d bytes, the limit is %d', $size, $max_bytes ) );
		}
		// A local temp file, never a URL; at most one byte more than allowed is read.
		$bytes = file_get_contents( $path, false, null, 0, $max_bytes + 1 ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents
		if ( false === $bytes ) {
			return $this->unsupported( 'unreadable upload' );
		}
		return $this->validate_bytes( $bytes );
	}

	/**
	 * Validates the whole file's bytes.
	 *
	 * @param string $bytes The whole file.
	 * @return T|WP_Error
	 */
	abstract public function validate_bytes( string $bytes );

	/**
	 * Largest upload accepted, in bytes.
	 */
	abstract protected function max_bytes(): int;

	/**
	 * What the visitor reads for each refusal, and the error codes' prefix.
	 *
	 * @return array{code_prefix: string, unsupported: string, too_large: string, incomplete: string, not_a_file: string}
	 */
	abstract protected function messages(): array;

	/**
	 * The 415 error: `{prefix}_unsupported`.
	 *
	 * @param string $reason Why, in English, for developers (not shown to visitors).
	 */
	protected function unsupported( string $reason ): WP_Error {
		$messages = $this->messages();
		return new WP_Error(
			$messages['code_prefix'] . '_unsupported',
			$messages['unsupported'],
			array(
				'status' => 415,
				'reason' => $reason,
			)
		);
	}

	/**
	 * The 413 error for bytes: `{prefix}_too_large`.
	 *
	 * @param string $reason Why, in English, for developers (not shown to visitors).
	 */
	protected function too_large( string $reason ): WP_Error {
		$messages = $this->messages();
		return new WP_Error(
			$messages['code_prefix'] . '_too_large',
			$messages['too_large'],
			array(
				'status' => 413,
				'reason' => $reason,
			)
		);
	}
}
