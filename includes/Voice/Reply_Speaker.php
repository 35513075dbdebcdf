<?php
/**
 * Speaks the assistant's reply through POST /audio/speech.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Voice;

use VoiceVisionChat\Media\Audio_Validator;
use VoiceVisionChat\Upstream\OpenAI_Client;
use VoiceVisionChat\Upstream\Upstream_Error;

defined( 'ABSPATH' ) || exit;

/**
 * Markdown reply in, speech out: as one mp3 file, or as raw pcm handed to a Pcm_Chunker while
 * it arrives. Shared by the chained pipeline and spoken FAQ answers, so both speak the same
 * way and meter every speech request the same way (characters, and seconds of audio).
 *
 * Only ever given text the model wrote in this request or a FAQ answer (curated by the admin
 * or written by the model earlier): never text from a visitor's request.
 *
 * @phpstan-import-type Usage_Entry from Voice_Pipeline
 */
final class Reply_Speaker {

	/**
	 * Sample rate of /audio/speech's pcm and of the native model's streamed pcm16 (16-bit mono).
	 */
	public const SAMPLE_RATE = 24000;

	/**
	 * Provider client.
	 *
	 * @var OpenAI_Client
	 */
	private OpenAI_Client $client;

	/**
	 * Request bodies.
	 *
	 * @var Voice_Request_Builder
	 */
	private Voice_Request_Builder $requests;

	/**
	 * Stores collaborators.
	 *
	 * @param OpenAI_Client         $client   Provider client.
	 * @param Voice_Request_Builder $requests Request bodies.
	 */
	public function __construct( OpenAI_Client $client, Voice_Request_Builder $requests ) {
		$this->client   = $client;
		$this->requests = $requests;
	}

	/**
	 * The reply as one mp3 file ('' when there is nothing to say).
	 *
	 * @param string      $markdown The reply.
	 * @param Usage_Meter $meter    Records each speech request.
	 * @throws Upstream_Error When a speech request fails (earlier pieces are metered).
	 */
	public function mp3( string $markdown, Usage_Meter $meter ): string {
		$mp3 = '';
		foreach ( Speech_Text::pieces( Speech_Text::plain( $markdown ) ) as $index => $piece ) {
			$billed = null;
			$bytes  = $this->client->speech( $this->requests->speech_body( $piece, 'mp3' ), $billed );
			$meter->record( $this->usage( $piece, Audio_Validator::structure( $bytes )['seconds'], $billed ) );
			// MP3 files join frame to frame; a later piece's ID3 tag would sit mid-stream.
			$mp3 .= 0 === $index ? $bytes : self::without_id3( $bytes );
		}
		return $mp3;
	}

	/**
	 * The reply as pcm, handed to $sound while the provider sends it; flushed after each piece
	 * so its last samples do not wait for the next request.
	 *
	 * @param string      $markdown The reply (or a part of it).
	 * @param Pcm_Chunker $sound    Receives the audio.
	 * @param Usage_Meter $meter    Records each speech request, also one the visitor left.
	 * @return bool False when the visitor is gone.
	 * @throws Upstream_Error When a speech request fails (earlier pieces are metered).
	 */
	public function pcm( string $markdown, Pcm_Chunker $sound, Usage_Meter $meter ): bool {
		foreach ( Speech_Text::pieces( Speech_Text::plain( $markdown ) ) as $piece ) {
			$bytes    = 0;
			$billed   = null;
			$complete = $this->client->speech_stream(
				$this->requests->speech_body( $piece, 'pcm' ),
				static function ( string $pcm ) use ( $sound, &$bytes ): bool {
					$bytes += strlen( $pcm );
					return $sound->add( $pcm );
				},
				$billed
			);
			$meter->record( $this->usage( $piece, $bytes / ( 2 * self::SAMPLE_RATE ), $billed ) );
			if ( ! $complete || ! $sound->flush() ) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The re-cutter of a spoken reply's pcm into `audio` events, the first with the AI-voice
	 * label.
	 *
	 * @param callable $emit Sends one event; false when the visitor is gone.
	 * @param bool     $keep Keep a copy of the audio (to cache it).
	 * @phpstan-param callable(string, array<string, mixed>): bool $emit
	 */
	public static function chunker( callable $emit, bool $keep = false ): Pcm_Chunker {
		return new Pcm_Chunker( $emit, self::SAMPLE_RATE, array( 'label' => Speech_Text::ai_voice_label() ), $keep );
	}

	/**
	 * What makes two recordings of the same text sound different (model, voice, speed,
	 * instructions) and the format: the key of cached speech.
	 *
	 * @param string $format mp3 or pcm.
	 */
	public function voice_key( string $format ): string {
		$body = $this->requests->speech_body( '', $format );
		unset( $body['input'] );
		ksort( $body );
		return (string) wp_json_encode( $body );
	}

	/**
	 * The `audio_error` payload: the written answer stands, the spoken one failed.
	 *
	 * @param Upstream_Error $error The speech failure (logged by the client).
	 * @return array{code: string, message: string}
	 */
	public static function audio_error( Upstream_Error $error ): array {
		return array(
			'code'    => $error->vvc_code(),
			'message' => __( 'The spoken answer is not available right now; the written answer is complete.', 'voice-vision-chat' ),
		);
	}

	/**
	 * Usage record of one speech request: the provider's usage where it reported one (event
	 * streams do), plus characters (tts-1 prices per character) and seconds of audio (the
	 * estimate when a stream ended before its usage).
	 *
	 * @param string                    $piece   The text spoken.
	 * @param float                     $seconds Length of the audio received.
	 * @param array<string, mixed>|null $billed  The provider's usage, if reported.
	 * @return Usage_Entry
	 */
	private function usage( string $piece, float $seconds, ?array $billed ): array {
		return array(
			'endpoint' => '/audio/speech',
			'model'    => (string) $this->requests->speech_body( '', 'pcm' )['model'],
			'usage'    => $billed,
			'seconds'  => round( $seconds, 3 ),
			'chars'    => mb_strlen( $piece ),
		);
	}

	/**
	 * MP3 bytes without a leading ID3v2 tag.
	 *
	 * @param string $mp3 An MP3 file.
	 */
	private static function without_id3( string $mp3 ): string {
		if ( ! str_starts_with( $mp3, 'ID3' ) || strlen( $mp3 ) < 10 ) {
			return $mp3;
		}
		$size = 0;
		for ( $i = 6; $i < 10; $i++ ) {
			$size = ( $size << 7 ) | ( ord( $mp3[ $i ] ) & 0x7F );
		}
		return (string) substr( $mp3, 10 + $size + ( ( ord( $mp3[5] ) & 0x10 ) ? 10 : 0 ) );
	}
}
