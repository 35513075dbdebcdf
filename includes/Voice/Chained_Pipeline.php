<?php
/**
 * Voice answered in three steps: transcription, the text/vision model, speech.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Voice;

use VoiceVisionChat\Cache\Faq_Answer;
use VoiceVisionChat\Cache\Faq_Context;
use VoiceVisionChat\Cache\Personal_Marker;
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
 * FAQ cache (when given one): the transcript is looked up like a typed question before the
 * text model is asked; a hit is answered by Voice_Faq (cached text, cached speech), so a
 * repeated spoken question costs its transcription only. On a miss the text model gets the
 * cache's personal-answer instruction, the marker is removed before anything is shown or
 * spoken, and the answer with its speech is offered to the cache.
 *
 * @phpstan-import-type Voice_Turn from Voice_Request_Builder
 * @phpstan-import-type Voice_Answer from Voice_Pipeline
 * @phpstan-import-type Voice_Stream_Result from Voice_Pipeline
 */
final class Chained_Pipeline implements Voice_Pipeline {

	/**
	 * Sample rate of /audio/speech's pcm format.
	 */
	public const SAMPLE_RATE = Reply_Speaker::SAMPLE_RATE;

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
	 * Speaks the reply.
	 *
	 * @var Reply_Speaker
	 */
	private Reply_Speaker $speaker;

	/**
	 * The FAQ cache for spoken questions; null when none.
	 *
	 * @var Voice_Faq|null
	 */
	private ?Voice_Faq $faq;

	/**
	 * Stores collaborators.
	 *
	 * @param OpenAI_Client         $client   Provider client.
	 * @param Voice_Request_Builder $requests Request bodies.
	 * @param Reply_Speaker         $speaker  Speaks the reply.
	 * @param Voice_Faq|null        $faq      FAQ cache for spoken questions; none when null.
	 */
	public function __construct( OpenAI_Client $client, Voice_Request_Builder $requests, Reply_Speaker $speaker, ?Voice_Faq $faq = null ) {
		$this->client   = $client;
		$this->requests = $requests;
		$this->speaker  = $speaker;
		$this->faq      = $faq;
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
		$meter = Usage_Meter::for_turn( $turn );
		$heard = $this->hear( $turn, $meter );
		if ( null !== $this->faq && null !== $heard['hit'] ) {
			return $this->faq->answer( $heard['hit'], $heard['text'], $meter );
		}

		$body       = $this->requests->text_body( $heard['question'], $turn, $heard['instruction'] );
		$completion = $this->client->chat( $body );
		$meter->record( Usage_Meter::chat_entry( $body, isset( $completion['usage'] ) && is_array( $completion['usage'] ) ? $completion['usage'] : null ) );
		$choice  = $completion['choices'][0];
		$message = $choice['message'];
		// The marker is for the cache only; the visitor neither sees nor hears it.
		$stripped = Personal_Marker::strip( is_string( $message['content'] ?? null ) ? $message['content'] : ( is_string( $message['refusal'] ?? null ) ? $message['refusal'] : '' ) );

		$answer = array(
			'transcript'    => $heard['text'],
			'reply'         => $stripped['text'],
			'finish_reason' => is_string( $choice['finish_reason'] ?? null ) ? $choice['finish_reason'] : '',
			'audio'         => null,
			'usage'         => array(),
		);
		$mp3    = '';
		try {
			$mp3 = $this->speaker->mp3( $stripped['text'], $meter );
		} catch ( Upstream_Error $error ) {
			$answer['audio_error'] = Reply_Speaker::audio_error( $error );
		}
		if ( '' !== $mp3 ) {
			$answer['audio'] = array(
				'format' => 'mp3',
				'data'   => base64_encode( $mp3 ), // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- binary audio inside JSON.
				'label'  => Speech_Text::ai_voice_label(),
			);
		}
		$this->offer( $heard, $stripped['text'], $answer['finish_reason'], $stripped['marked'], 'mp3', $mp3 );
		$answer['usage'] = $meter->entries();
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
		$meter = Usage_Meter::for_turn( $turn );
		$heard = $this->hear( $turn, $meter );
		if ( null !== $this->faq && null !== $heard['hit'] ) {
			return $this->faq->stream( $heard['hit'], $heard['text'], $emit, $meter );
		}

		$body   = $this->requests->text_body( $heard['question'], $turn, $heard['instruction'] );
		$result = array(
			'finish_reason' => '',
			'aborted'       => true,
			'transcript'    => $heard['text'],
			'reply'         => '',
			'audio_bytes'   => 0,
			'usage'         => $meter->entries(),
		);
		if ( ! $emit( 'transcript', array( 'text' => $heard['text'] ) ) ) {
			return $result;
		}

		// The audio is kept only when the answer may be cached with it.
		$sound   = Reply_Speaker::chunker( $emit, '' !== $heard['instruction'] );
		$speaker = $this->speaker;
		$failed  = false;
		$speak   = static function ( string $markdown ) use ( $emit, $sound, $speaker, $meter, &$failed ): bool {
			if ( $failed ) {
				return true;
			}
			try {
				return $speaker->pcm( $markdown, $sound, $meter );
			} catch ( Upstream_Error $error ) {
				$failed = true;
				return $emit( 'audio_error', Reply_Speaker::audio_error( $error ) );
			}
		};

		$marker = new Personal_Marker();
		$reply  = '';
		$spoken = 0;
		$stream = $this->client->chat_stream(
			$body,
			static function ( string $text ) use ( $emit, $speak, $marker, &$reply, &$spoken ): bool {
				$text = $marker->push( $text );
				if ( '' === $text ) {
					return true; // Held back while it could be the marker.
				}
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
		// Metered even when the visitor left: the provider bills what it generated.
		$meter->record( Usage_Meter::chat_entry( $body, $stream['usage'] ) );
		$result['finish_reason'] = $stream['finish_reason'];
		$result['usage']         = $meter->entries();
		if ( $stream['aborted'] ) {
			$result['reply'] = $reply;
			return $result;
		}
		$rest = $marker->finish();
		if ( '' !== $rest ) {
			$reply .= $rest;
			if ( ! $emit( 'delta', array( 'text' => $rest ) ) ) {
				$result['reply'] = $reply;
				return $result;
			}
		}
		$result['reply']       = $reply;
		$result['aborted']     = ! $speak( substr( $reply, $spoken ) );
		$result['audio_bytes'] = $sound->bytes_sent();
		$result['usage']       = $meter->entries();
		if ( ! $result['aborted'] ) {
			$this->offer( $heard, $reply, $stream['finish_reason'], $marker->marked(), 'pcm', $failed ? '' : $sound->kept() );
		}
		return $result;
	}

	/**
	 * What the visitor said (via /audio/transcriptions), the question it makes, and what the
	 * FAQ cache has to say: its answer, or the instruction for the model when the answer may
	 * be cached.
	 *
	 * @param array       $turn  The voice turn.
	 * @param Usage_Meter $meter Records the transcription.
	 * @return array{text: string, question: string, context: Faq_Context|null, hit: Faq_Answer|null, instruction: string}
	 * @phpstan-param Voice_Turn $turn
	 * @throws Upstream_Error When the transcription fails.
	 * @throws Voice_Error When nothing was said.
	 */
	private function hear( array $turn, Usage_Meter $meter ): array {
		$text     = $this->transcribe( $turn, $meter );
		$question = $this->question( $text, $turn['message'] );
		$context  = null === $this->faq ? null : $this->faq->context( $turn, $question );
		$hit      = null;
		$extra    = '';
		if ( null !== $this->faq && null !== $context ) {
			$hit   = $this->faq->lookup( $question, $context );
			$extra = null === $hit ? $this->faq->instruction( $question, $context ) : '';
		}
		return array(
			'text'        => $text,
			'question'    => $question,
			'context'     => $context,
			'hit'         => $hit,
			'instruction' => $extra,
		);
	}

	/**
	 * Offers the model's answer and its speech to the FAQ cache, if the turn has one.
	 *
	 * @param array  $heard  From hear().
	 * @param string $reply  The answer the visitor got, marker removed.
	 * @param string $finish The model's finish reason.
	 * @param bool   $marked Whether the model marked the answer as personal.
	 * @param string $format Format of $audio: mp3 or pcm.
	 * @param string $audio  The whole spoken answer, or ''.
	 * @phpstan-param array{text: string, question: string, context: Faq_Context|null, hit: Faq_Answer|null, instruction: string} $heard
	 */
	private function offer( array $heard, string $reply, string $finish, bool $marked, string $format, string $audio ): void {
		if ( null !== $this->faq && null !== $heard['context'] ) {
			$this->faq->remember( $heard['question'], $heard['context'], $reply, $finish, $marked, $format, $audio );
		}
	}

	/**
	 * What the visitor said, via /audio/transcriptions.
	 *
	 * @param array       $turn  The voice turn.
	 * @param Usage_Meter $meter Records the call.
	 * @phpstan-param Voice_Turn $turn
	 * @throws Upstream_Error When the call fails.
	 */
	private function transcribe( array $turn, Usage_Meter $meter ): string {
		$fields     = $this->requests->transcription_fields();
		$transcript = $this->client->transcribe( $turn['audio']['bytes'], $turn['audio']['filename'], $fields );
		$meter->record( Usage_Meter::transcription_entry( $fields['model'], $transcript['usage'], $turn['audio']['seconds'] ) );
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
		$question = Voice_Request_Builder::question( $heard, $message );
		if ( '' === $question ) {
			throw Voice_Error::no_speech();
		}
		return $question;
	}
}
