<?php
/**
 * Voice answered by one audio chat model that hears the question and speaks the reply.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Voice;

use VoiceVisionChat\Upstream\OpenAI_Client;
use VoiceVisionChat\Upstream\Upstream_Error;

defined( 'ABSPATH' ) || exit;

/**
 * Chat completions with `input_audio` and `modalities: ["text", "audio"]`.
 *
 * The audio model does not say what it heard, yet the visitor's words are shown in the
 * conversation (and later cached on), so the recording is also transcribed: in parallel with
 * the streamed answer (the transcript event may come before or after the first reply events),
 * or before the JSON answer. A failed transcription leaves the transcript empty and is logged;
 * the answer goes on. The reply's text is the transcript of the model's own audio.
 *
 * Streaming asks for `pcm16` (the only format allowed with stream: true; 24 kHz 16-bit mono);
 * the JSON answer asks for mp3.
 *
 * @phpstan-import-type Voice_Turn from Voice_Request_Builder
 * @phpstan-import-type Voice_Answer from Voice_Pipeline
 * @phpstan-import-type Voice_Stream_Result from Voice_Pipeline
 * @phpstan-import-type Usage_Entry from Voice_Pipeline
 */
final class Native_Audio_Pipeline implements Voice_Pipeline {

	/**
	 * Sample rate of streamed pcm16 audio.
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
		return 'native';
	}

	/**
	 * The whole answer, with the spoken reply as mp3.
	 *
	 * @param array $turn The voice turn.
	 * @return array
	 * @phpstan-param Voice_Turn $turn
	 * @phpstan-return Voice_Answer
	 * @throws Upstream_Error When the chat call fails.
	 */
	public function answer( array $turn ): array {
		$usage  = array();
		$fields = $this->requests->transcription_fields();
		try {
			$transcript = $this->client->transcribe( $turn['audio']['bytes'], $turn['audio']['filename'], $fields );
			$usage[]    = self::usage_entry( '/audio/transcriptions', $fields['model'], $transcript['usage'] ) + array( 'seconds' => $turn['audio']['seconds'] );
			$heard      = $transcript['text'];
		} catch ( Upstream_Error $error ) {
			$heard = ''; // Logged by the client; the answer does not depend on it.
		}

		$body       = $this->requests->native_body( $turn, 'mp3' );
		$completion = $this->client->chat( $body );
		$usage[]    = self::usage_entry( '/chat/completions', (string) $body['model'], isset( $completion['usage'] ) && is_array( $completion['usage'] ) ? $completion['usage'] : null );
		$choice     = $completion['choices'][0];
		$message    = $choice['message'];
		$audio      = isset( $message['audio'] ) && is_array( $message['audio'] ) ? $message['audio'] : array();
		$reply      = is_string( $audio['transcript'] ?? null ) ? $audio['transcript'] : ( is_string( $message['content'] ?? null ) ? $message['content'] : ( is_string( $message['refusal'] ?? null ) ? $message['refusal'] : '' ) );
		$data       = is_string( $audio['data'] ?? null ) ? $audio['data'] : '';

		return array(
			'transcript'    => $heard,
			'reply'         => $reply,
			'finish_reason' => is_string( $choice['finish_reason'] ?? null ) ? $choice['finish_reason'] : '',
			// Passed on only if it really is base64; the browser decodes it as is.
			'audio'         => '' !== $data && false !== base64_decode( $data, true ) // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode -- checking the provider's base64 audio.
				? array(
					'format' => 'mp3',
					'data'   => $data,
					'label'  => Speech_Text::ai_voice_label(),
				)
				: null,
			'usage'         => $usage,
		);
	}

	/**
	 * The answer as events: text and pcm16 audio as the model produces them, the transcript
	 * whenever the parallel transcription is done.
	 *
	 * @param array    $turn The voice turn.
	 * @param callable $emit Sends one event; false when the visitor is gone.
	 * @return array
	 * @phpstan-param Voice_Turn $turn
	 * @phpstan-param callable(string, array<string, mixed>): bool $emit
	 * @phpstan-return Voice_Stream_Result
	 * @throws Upstream_Error When the chat call fails.
	 */
	public function stream( array $turn, callable $emit ): array {
		$body       = $this->requests->native_body( $turn, 'pcm16' );
		$fields     = $this->requests->transcription_fields();
		$sound      = new Pcm_Chunker( $emit, self::SAMPLE_RATE, array( 'label' => Speech_Text::ai_voice_label() ) );
		$reply      = '';
		$heard      = '';
		$transcribe = false;

		$result = $this->client->chat_stream_with_transcription(
			$body,
			static function ( string $text, array $chunk ) use ( $emit, $sound, &$reply ): bool {
				if ( '' !== $text ) {
					$reply .= $text;
					if ( ! $emit( 'delta', array( 'text' => $text ) ) ) {
						return false;
					}
				}
				$data = $chunk['choices'][0]['delta']['audio']['data'] ?? null;
				if ( is_string( $data ) && '' !== $data ) {
					$pcm = base64_decode( $data, true ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode -- streamed audio arrives as base64.
					if ( false !== $pcm && ! $sound->add( $pcm ) ) {
						return false;
					}
				}
				return true;
			},
			$turn['audio']['bytes'],
			$turn['audio']['filename'],
			$fields,
			static function ( ?string $text ) use ( $emit, &$heard, &$transcribe ): void {
				$transcribe = null !== $text;
				$heard      = $text ?? '';
				$emit( 'transcript', array( 'text' => $heard ) );
			}
		);
		if ( ! $result['aborted'] ) {
			$sound->flush();
		}

		$usage = array( self::usage_entry( '/chat/completions', (string) $body['model'], $result['usage'] ) );
		if ( $transcribe ) {
			$usage[] = self::usage_entry( '/audio/transcriptions', $fields['model'], null ) + array( 'seconds' => $turn['audio']['seconds'] );
		}
		return array(
			'finish_reason' => $result['finish_reason'],
			'aborted'       => $result['aborted'],
			'transcript'    => $heard,
			'reply'         => $reply,
			'audio_bytes'   => $sound->bytes_sent(),
			'usage'         => $usage,
		);
	}

	/**
	 * One usage record.
	 *
	 * @param string                    $endpoint API path.
	 * @param string                    $model    Model id.
	 * @param array<string, mixed>|null $usage    Usage as the provider reported it.
	 * @return Usage_Entry
	 */
	private static function usage_entry( string $endpoint, string $model, ?array $usage ): array {
		return array(
			'endpoint' => $endpoint,
			'model'    => $model,
			'usage'    => $usage,
		);
	}
}
