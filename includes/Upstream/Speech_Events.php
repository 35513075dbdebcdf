<?php
/**
 * Decodes POST /audio/speech answered with `stream_format: "sse"`.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Upstream;

defined( 'ABSPATH' ) || exit;

/**
 * Turns `speech.audio.delta` events into audio bytes and keeps the `usage` of the final
 * `speech.audio.done` event.
 *
 * Why SSE at all: raw audio answers carry no usage, so the cost of speech could only be
 * guessed from the audio's length; the event stream reports the tokens the provider bills.
 * Legacy models (tts-1, tts-1-hd) refuse it; they bill per input character, which is known.
 */
final class Speech_Events {

	/**
	 * Line-level SSE parser.
	 *
	 * @var Sse_Reader
	 */
	private Sse_Reader $reader;

	/**
	 * Usage from `speech.audio.done`, null until it arrives.
	 *
	 * @var array<string, mixed>|null
	 */
	private ?array $usage = null;

	/**
	 * Starts an empty decoder.
	 */
	public function __construct() {
		$this->reader = new Sse_Reader();
	}

	/**
	 * Whether a speech model can answer as an event stream.
	 *
	 * @param string $model Speech model id.
	 */
	public static function supported( string $model ): bool {
		return ! str_starts_with( $model, 'tts-1' );
	}

	/**
	 * Adds bytes of the answer and returns the audio they completed.
	 *
	 * @param string $chunk Bytes as they came from the socket.
	 * @return string Audio bytes ('' when the chunk completed no audio event).
	 * @throws Upstream_Error When an event is not the documented JSON.
	 */
	public function feed( string $chunk ): string {
		try {
			$events = $this->reader->feed( $chunk );
		} catch ( \LengthException $error ) {
			throw Upstream_Error::malformed( 'speech event stream: ' . $error->getMessage() );
		}
		$audio = '';
		foreach ( $events as $event ) {
			$data = json_decode( $event['data'], true );
			if ( ! is_array( $data ) ) {
				throw Upstream_Error::malformed( 'speech event that is not JSON' );
			}
			$type = $data['type'] ?? '';
			if ( 'speech.audio.delta' === $type && is_string( $data['audio'] ?? null ) ) {
				$audio .= (string) base64_decode( $data['audio'], true ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode -- the API sends audio as base64.
			} elseif ( 'speech.audio.done' === $type && is_array( $data['usage'] ?? null ) ) {
				$this->usage = $data['usage'];
			}
		}
		return $audio;
	}

	/**
	 * The usage the provider reported, or null when the stream ended without it.
	 *
	 * @return array<string, mixed>|null
	 */
	public function usage(): ?array {
		return $this->usage;
	}
}
