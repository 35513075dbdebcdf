<?php
/**
 * Builds the provider requests of a voice turn from the server's settings.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Voice;

use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Upstream\Chat_Request_Builder;

defined( 'ABSPATH' ) || exit;

/**
 * Bodies for the audio chat model, the transcription, the text model and speech.
 *
 * The system prompt, history bounds and safety identifier come from Chat_Request_Builder, so a
 * voice turn follows the same rules as a typed one; models, voice, instructions and speed come
 * from the settings. The visitor supplies only the recording, optional typed text, an optional
 * image and earlier turns. The turn's `on_usage` (optional, from the controller) meters each
 * provider call as it returns (see Usage_Meter).
 *
 * @phpstan-import-type Turn from Chat_Request_Builder
 * @phpstan-import-type Audio from \VoiceVisionChat\Media\Audio_Validator
 * @phpstan-import-type Usage_Entry from Voice_Pipeline
 * @phpstan-type Voice_Turn array{audio: Audio, message: string, history: list<Turn>, image: array{data_url: string, mime: string, width: int, height: int, bytes: int}|null, visitor: string, on_usage?: callable(Usage_Entry): void, route?: callable(string): string}
 */
final class Voice_Request_Builder {

	/**
	 * Settings.
	 *
	 * @var Settings
	 */
	private Settings $settings;

	/**
	 * Builds the text parts.
	 *
	 * @var Chat_Request_Builder
	 */
	private Chat_Request_Builder $chat;

	/**
	 * Stores collaborators.
	 *
	 * @param Settings             $settings Plugin settings.
	 * @param Chat_Request_Builder $chat     Chat request builder.
	 */
	public function __construct( Settings $settings, Chat_Request_Builder $chat ) {
		$this->settings = $settings;
		$this->chat     = $chat;
	}

	/**
	 * Chat completion for the audio chat model: the recording as `input_audio`, an audio reply.
	 *
	 * @param array  $turn   The voice turn.
	 * @param string $format Reply audio format: pcm16 when streaming (the only one allowed), else mp3.
	 * @return array<string, mixed>
	 * @phpstan-param Voice_Turn $turn
	 */
	public function native_body( array $turn, string $format ): array {
		$body  = $this->with_voice_hint( $this->chat->build( '', $turn['history'], null, $turn['visitor'] ) );
		$parts = array();
		if ( '' !== $turn['message'] ) {
			$parts[] = array(
				'type' => 'text',
				'text' => $turn['message'],
			);
		}
		$parts[]                                       = array(
			'type'        => 'input_audio',
			'input_audio' => array(
				'data'   => base64_encode( $turn['audio']['bytes'] ), // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- the API takes audio as base64.
				'format' => $turn['audio']['format'],
			),
		);
		$messages                                      = $body['messages'];
		$messages[ count( $messages ) - 1 ]['content'] = $parts;

		$body['messages']   = $messages;
		$body['model']      = (string) $this->settings->get( 'audio_model' );
		$body['modalities'] = array( 'text', 'audio' );
		$body['audio']      = array(
			'voice'  => (string) $this->settings->get( 'voice' ),
			'format' => $format,
		);
		return $body;
	}

	/**
	 * Chat completion for the text (or vision) model, asked the transcribed question.
	 *
	 * @param string $question What the visitor said (and typed).
	 * @param array  $turn     The voice turn (history, image, visitor).
	 * @param string $extra    Added to the system prompt (the FAQ cache's marker instruction).
	 * @return array<string, mixed>
	 * @phpstan-param Voice_Turn $turn
	 */
	public function text_body( string $question, array $turn, string $extra = '' ): array {
		return $this->with_voice_hint( $this->chat->build( $question, $turn['history'], $turn['image'], $turn['visitor'], $extra, self::chat_model( $this->chat, $turn, $question ) ) );
	}

	/**
	 * The chat model for what was said: the turn's `route` (the router's decision, as for a
	 * typed question), else the standard tier's model (the vision tier's with an image).
	 *
	 * @param Chat_Request_Builder $chat     Chat request builder (the tier defaults).
	 * @param array                $turn     The voice turn.
	 * @param string               $question What the visitor said (and typed).
	 * @phpstan-param Voice_Turn $turn
	 */
	public static function chat_model( Chat_Request_Builder $chat, array $turn, string $question ): string {
		return isset( $turn['route'] ) ? ( $turn['route'] )( $question ) : $chat->model( null !== $turn['image'] );
	}

	/**
	 * The question as the text model (and the FAQ cache) gets it: the spoken words, then any
	 * typed text.
	 *
	 * @param string $heard   Transcript.
	 * @param string $message Typed text sent with the recording ('' if none).
	 */
	public static function question( string $heard, string $message ): string {
		return trim( $heard . "\n\n" . $message );
	}

	/**
	 * Fields of POST /audio/transcriptions (besides the file).
	 *
	 * @return array<string, string>
	 */
	public function transcription_fields(): array {
		$fields = array(
			'model'           => (string) $this->settings->get( 'transcribe_model' ),
			'response_format' => 'json',
		);
		/**
		 * Filters the prompt that helps the transcription model with words it might not know,
		 * such as product names or the site's name. Empty (the default) sends none.
		 *
		 * @since 0.1.0
		 *
		 * @param string $prompt Transcription prompt.
		 */
		$prompt = apply_filters( 'vvc_transcription_prompt', '' );
		if ( is_string( $prompt ) && '' !== trim( $prompt ) ) {
			$fields['prompt'] = mb_substr( trim( $prompt ), 0, 2000 );
		}
		return $fields;
	}

	/**
	 * Body of POST /audio/speech for a piece of the assistant's reply.
	 *
	 * @param string $text   Plain text written by the model in this request (never request text).
	 * @param string $format mp3 (a file) or pcm (24 kHz 16-bit mono, streamed).
	 * @return array<string, mixed>
	 */
	public function speech_body( string $text, string $format ): array {
		$model        = (string) $this->settings->get( 'speech_model' );
		$body         = array(
			'model'           => $model,
			'input'           => $text,
			'voice'           => (string) $this->settings->get( 'voice' ),
			'response_format' => $format,
			'speed'           => (float) $this->settings->get( 'speech_speed' ),
		);
		$instructions = trim( (string) $this->settings->get( 'speech_instructions' ) );
		// The first TTS models refuse `instructions`.
		if ( '' !== $instructions && ! in_array( $model, array( 'tts-1', 'tts-1-hd' ), true ) ) {
			$body['instructions'] = $instructions;
		}
		return $body;
	}

	/**
	 * Tells the model its answer will be heard, not read (no Markdown to stumble over).
	 *
	 * @param array<string, mixed> $body Chat body whose first message is the system prompt.
	 * @return array<string, mixed>
	 */
	private function with_voice_hint( array $body ): array {
		$messages = $body['messages'];
		if ( is_array( $messages ) && isset( $messages[0]['role'] ) && 'system' === $messages[0]['role'] ) {
			$messages[0]['content'] = (string) $messages[0]['content'] . "\n\n" . __( 'The visitor asked this by voice and will hear your answer read aloud: answer in a few short, plain spoken sentences, without Markdown, lists, links or emoji.', 'voice-vision-chat' );
			$body['messages']       = $messages;
		}
		return $body;
	}
}
