<?php
/**
 * Voice answered in three steps: transcription, the text/vision model, speech.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Voice;

use VoiceVisionChat\Upstream\OpenAI_Client;
use VoiceVisionChat\Upstream\Upstream_Error;

defined( 'ABSPATH' ) || exit;

/**
 * POST /audio/transcriptions, then the same chat completion a typed question gets (with the
 * image, if any: the reason voice + image must come this way), then POST /audio/speech with the
 * configured voice, instructions and speed.
 *
 * Only the reply the model wrote in this request is spoken, after Markdown is removed; nothing
 * from the request (transcript, typed text, history) ever reaches the speech endpoint.
 *
 * Streaming: the transcript event comes first, then the reply's text as it is written. Speech
 * is requested as raw pcm (24 kHz 16-bit mono, the same as the native pipeline's stream, so the
 * browser has one playback path) and forwarded as it arrives, in two steps: the first complete
 * sentence is spoken as soon as it exists (text pauses meanwhile, for about as long as the
 * provider needs to synthesize one sentence, far less than it takes to play), and the rest once
 * the text is complete. That bounds a turn to two speech requests (more only past the
 * endpoint's 4096-character input limit) while the first sound does not wait for the whole text.
 * A speech failure sends `audio_error` and leaves the written answer complete.
 *
 * @phpstan-import-type Voice_Turn from Voice_Request_Builder
 * @phpstan-import-type Voice_Answer from Voice_Pipeline
 * @phpstan-import-type Voice_Stream_Result from Voice_Pipeline
 * @phpstan-import-type Usage_Entry from Voice_Pipeline
 */
final class Chained_Pipeline implements Voice_Pipeline {

	/**
	 * Sample rate of /audio/speech's pcm format.
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
	 * The pipeline's name.
	 */
	public function name(): string {
		return 'chained';
	}

	/**
	 * The whole answer, with the spoken reply as one mp3.
	 *
	 * @param array $turn The voice turn.
	 * @return array
	 * @phpstan-param Voice_Turn $turn
	 * @phpstan-return Voice_Answer
	 * @throws Upstream_Error When transcription or the chat call fails.
	 * @throws Voice_Error When nothing was said.
	 */
	public function answer( array $turn ): array {
		$usage      = array();
		$heard      = $this->transcribe( $turn, $usage );
		$body       = $this->requests->text_body( $this->question( $heard, $turn['message'] ), $turn );
		$completion = $this->client->chat( $body );
		$usage[]    = array(
			'endpoint' => '/chat/completions',
			'model'    => (string) $body['model'],
			'usage'    => isset( $completion['usage'] ) && is_array( $completion['usage'] ) ? $completion['usage'] : null,
		);
		$choice     = $completion['choices'][0];
		$message    = $choice['message'];
		$reply      = is_string( $message['content'] ?? null ) ? $message['content'] : ( is_string( $message['refusal'] ?? null ) ? $message['refusal'] : '' );

		$answer = array(
			'transcript'    => $heard,
			'reply'         => $reply,
			'finish_reason' => is_string( $choice['finish_reason'] ?? null ) ? $choice['finish_reason'] : '',
			'audio'         => null,
			'usage'         => $usage,
		);
		$mp3    = '';
		try {
			foreach ( Speech_Text::pieces( Speech_Text::plain( $reply ) ) as $index => $piece ) {
				$bytes = $this->client->speech( $this->requests->speech_body( $piece, 'mp3' ) );
				// MP3 files join frame to frame; a later piece's ID3 tag would sit mid-stream.
				$mp3              .= 0 === $index ? $bytes : self::without_id3( $bytes );
				$answer['usage'][] = $this->speech_usage( $piece );
			}
		} catch ( Upstream_Error $error ) {
			$answer['audio_error'] = self::audio_error( $error );
			return $answer;
		}
		if ( '' !== $mp3 ) {
			$answer['audio'] = array(
				'format' => 'mp3',
				'data'   => base64_encode( $mp3 ), // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- binary audio inside JSON.
				'label'  => Speech_Text::ai_voice_label(),
			);
		}
		return $answer;
	}

	/**
	 * The answer as events (see the class comment for the order and the speech timing).
	 *
	 * @param array    $turn The voice turn.
	 * @param callable $emit Sends one event; false when the visitor is gone.
	 * @return array
	 * @phpstan-param Voice_Turn $turn
	 * @phpstan-param callable(string, array<string, mixed>): bool $emit
	 * @phpstan-return Voice_Stream_Result
	 * @throws Upstream_Error When transcription or the chat call fails.
	 * @throws Voice_Error When nothing was said.
	 */
	public function stream( array $turn, callable $emit ): array {
		$usage  = array();
		$heard  = $this->transcribe( $turn, $usage );
		$body   = $this->requests->text_body( $this->question( $heard, $turn['message'] ), $turn );
		$result = array(
			'finish_reason' => '',
			'aborted'       => true,
			'transcript'    => $heard,
			'reply'         => '',
			'audio_bytes'   => 0,
			'usage'         => $usage,
		);
		if ( ! $emit( 'transcript', array( 'text' => $heard ) ) ) {
			return $result;
		}

		$sound  = new Pcm_Chunker( $emit, self::SAMPLE_RATE, array( 'label' => Speech_Text::ai_voice_label() ) );
		$failed = false;
		$speak  = function ( string $markdown ) use ( $emit, $sound, &$failed, &$usage ): bool {
			if ( $failed ) {
				return true;
			}
			foreach ( Speech_Text::pieces( Speech_Text::plain( $markdown ) ) as $piece ) {
				try {
					$complete = $this->client->speech_stream(
						$this->requests->speech_body( $piece, 'pcm' ),
						static fn ( string $bytes ): bool => $sound->add( $bytes )
					);
				} catch ( Upstream_Error $error ) {
					$failed = true;
					return $emit( 'audio_error', self::audio_error( $error ) );
				}
				$usage[] = $this->speech_usage( $piece );
				if ( ! $complete || ! $sound->flush() ) {
					return false;
				}
			}
			return true;
		};

		$reply                   = '';
		$spoken                  = 0;
		$stream                  = $this->client->chat_stream(
			$body,
			static function ( string $text ) use ( $emit, $speak, &$reply, &$spoken ): bool {
				if ( ! $emit( 'delta', array( 'text' => $text ) ) ) {
					return false;
				}
				$reply .= $text;
				if ( 0 === $spoken ) {
					$end = Speech_Text::first_sentence_end( $reply );
					if ( null !== $end ) {
						$spoken = $end;
						return $speak( substr( $reply, 0, $end ) );
					}
				}
				return true;
			}
		);
		$result['finish_reason'] = $stream['finish_reason'];
		$result['reply']         = $reply;
		$result['usage']         = $usage;
		if ( $stream['aborted'] ) {
			return $result;
		}
		$usage[]               = array(
			'endpoint' => '/chat/completions',
			'model'    => (string) $body['model'],
			'usage'    => $stream['usage'],
		);
		$result['aborted']     = ! $speak( substr( $reply, $spoken ) );
		$result['audio_bytes'] = $sound->bytes_sent();
		$result['usage']       = $usage;
		return $result;
	}

	/**
	 * What the visitor said, via /audio/transcriptions.
	 *
	 * @param array $turn  The voice turn.
	 * @param array $usage Receives the usage record.
	 * @phpstan-param Voice_Turn $turn
	 * @phpstan-param list<Usage_Entry> $usage
	 * @throws Upstream_Error When the call fails.
	 */
	private function transcribe( array $turn, array &$usage ): string {
		$fields     = $this->requests->transcription_fields();
		$transcript = $this->client->transcribe( $turn['audio']['bytes'], $turn['audio']['filename'], $fields );
		$usage[]    = array(
			'endpoint' => '/audio/transcriptions',
			'model'    => $fields['model'],
			'usage'    => $transcript['usage'],
			'seconds'  => $turn['audio']['seconds'],
		);
		return $transcript['text'];
	}

	/**
	 * The question for the text model: the spoken words, then any typed text.
	 *
	 * @param string $heard   Transcript.
	 * @param string $message Typed text sent with the recording ('' if none).
	 * @throws Voice_Error When both are empty.
	 */
	private function question( string $heard, string $message ): string {
		$question = trim( $heard . "\n\n" . $message );
		if ( '' === $question ) {
			throw Voice_Error::no_speech();
		}
		return $question;
	}

	/**
	 * Usage record of one speech request (the raw audio answer reports no tokens).
	 *
	 * @param string $piece The text spoken.
	 * @return Usage_Entry
	 */
	private function speech_usage( string $piece ): array {
		return array(
			'endpoint' => '/audio/speech',
			'model'    => (string) $this->requests->speech_body( '', 'pcm' )['model'],
			'usage'    => null,
			'chars'    => mb_strlen( $piece ),
		);
	}

	/**
	 * The `audio_error` payload: the written answer stands, the spoken one failed.
	 *
	 * @param Upstream_Error $error The speech failure (logged by the client).
	 * @return array{code: string, message: string}
	 */
	private static function audio_error( Upstream_Error $error ): array {
		return array(
			'code'    => $error->vvc_code(),
			'message' => __( 'The spoken answer is not available right now; the written answer is complete.', 'voice-vision-chat' ),
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
