<?php
/**
 * A voice turn that cannot be answered for a reason of its own (not the provider's).
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Voice;

use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * Thrown by a pipeline; the controller turns it into a WP_Error or an `error` event.
 */
final class Voice_Error extends \RuntimeException {

	/**
	 * Stable code, e.g. vvc_audio_no_speech.
	 *
	 * @var string
	 */
	private string $vvc_code;

	/**
	 * HTTP status.
	 *
	 * @var int
	 */
	private int $status;

	/**
	 * Builds the error.
	 *
	 * @param string $vvc_code Stable code.
	 * @param string $message  Friendly, translated message for the visitor.
	 * @param int    $status   HTTP status.
	 */
	public function __construct( string $vvc_code, string $message, int $status ) {
		parent::__construct( $message );
		$this->vvc_code = $vvc_code;
		$this->status   = $status;
	}

	/**
	 * Nothing was said: the transcript is empty and no text came with the recording.
	 */
	public static function no_speech(): self {
		return new self( 'vvc_audio_no_speech', __( 'No question could be heard in the recording. Please try again, a little closer to the microphone.', 'voice-vision-chat' ), 422 );
	}

	/**
	 * Stable code.
	 */
	public function vvc_code(): string {
		return $this->vvc_code;
	}

	/**
	 * The error as a visitor gets it from the REST API.
	 */
	public function to_wp_error(): WP_Error {
		return new WP_Error( $this->vvc_code, $this->getMessage(), array( 'status' => $this->status ) );
	}
}
