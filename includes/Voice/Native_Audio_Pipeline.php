<?php
/**
 * Voice answered by one audio chat model that hears the question and speaks the reply.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Voice;

use VoiceVisionChat\Cache\Faq_Answer;
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
 * FAQ cache (when given one). The audio model hears the recording itself, so there is no
 * transcript to look up before it answers unless the pipeline makes one first. It does: when
 * the cache could answer the turn (on, and the first question of a conversation or curated
 * entries exist), the recording is transcribed before the model is asked, and a hit is
 * answered by Voice_Faq without calling the audio model. That costs nothing extra, since this
 * pipeline transcribes every turn anyway to show the visitor's words; the price is latency
 * on such turns in streaming mode (the transcription no longer runs alongside the answer; the
 * JSON answer always transcribed first). Later questions without curated entries keep the
 * parallel transcription.
 *
 * The audio model's own answers are not offered to the cache: it speaks whatever it writes,
 * so it cannot carry the hidden personal-answer marker the cache relies on, and an unmarked
 * answer must not be shared with other visitors. Spoken questions on such sites are answered
 * from curated entries and from answers the text model gave to the same question (typed, or
 * spoken through the chained pipeline), which share the cache.
 *
 * @phpstan-import-type Voice_Turn from Voice_Request_Builder
 * @phpstan-import-type Voice_Answer from Voice_Pipeline
 * @phpstan-import-type Voice_Stream_Result from Voice_Pipeline
 */
final class Native_Audio_Pipeline implements Voice_Pipeline {

	/**
	 * Sample rate of streamed pcm16 audio.
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
	 * @param Voice_Faq|null        $faq      FAQ cache for spoken questions; none when null.
	 */
	public function __construct( OpenAI_Client $client, Voice_Request_Builder $requests, ?Voice_Faq $faq = null ) {
		$this->client   = $client;
		$this->requests = $requests;
		$this->faq      = $faq;
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
		$meter = Usage_Meter::for_turn( $turn );
		$heard = $this->transcribe( $turn, $meter );
		$faq   = $this->faq;
		$hit   = null === $faq ? null : self::lookup( $faq, $turn, $heard );
		if ( null !== $faq && null !== $hit ) {
			return $faq->answer( $hit, $heard, $meter );
		}

		$body       = $this->requests->native_body( $turn, 'mp3' );
		$completion = $this->client->chat( $body );
		$meter->record( Usage_Meter::chat_entry( $body, isset( $completion['usage'] ) && is_array( $completion['usage'] ) ? $completion['usage'] : null ) );
		$choice  = $completion['choices'][0];
		$message = $choice['message'];
		$audio   = isset( $message['audio'] ) && is_array( $message['audio'] ) ? $message['audio'] : array();
		$reply   = is_string( $audio['transcript'] ?? null ) ? $audio['transcript'] : ( is_string( $message['content'] ?? null ) ? $message['content'] : ( is_string( $message['refusal'] ?? null ) ? $message['refusal'] : '' ) );
		$data    = is_string( $audio['data'] ?? null ) ? $audio['data'] : '';

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
			'usage'         => $meter->entries(),
		);
	}

	/**
	 * The answer as events: text and pcm16 audio as the model produces them, the transcript
	 * whenever the parallel transcription is done (or first, when the FAQ cache could answer).
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
		$meter    = Usage_Meter::for_turn( $turn );
		$body     = $this->requests->native_body( $turn, 'pcm16' );
		$sound    = Reply_Speaker::chunker( $emit );
		$reply    = '';
		$heard    = '';
		$on_delta = static function ( string $text, array $chunk ) use ( $emit, $sound, &$reply ): bool {
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
		};

		$faq = $this->faq;
		if ( null !== $faq && $faq->may_answer( $turn ) ) {
			// Transcribe first, so the FAQ cache can answer without the audio model.
			$heard = $this->transcribe( $turn, $meter );
			$hit   = self::lookup( $faq, $turn, $heard );
			if ( null !== $hit ) {
				return $faq->stream( $hit, $heard, $emit, $meter );
			}
			$result = null;
			if ( $emit( 'transcript', array( 'text' => $heard ) ) ) {
				$result = $this->client->chat_stream( $body, $on_delta );
			}
		} else {
			$fields = $this->requests->transcription_fields();
			$result = $this->client->chat_stream_with_transcription(
				$body,
				$on_delta,
				$turn['audio']['bytes'],
				$turn['audio']['filename'],
				$fields,
				static function ( ?string $text, ?array $usage = null ) use ( $emit, $meter, $fields, $turn, &$heard ): void {
					if ( null !== $text ) {
						// Billed by its usage; the recording's length prices it only when none came.
						$meter->record( Usage_Meter::transcription_entry( $fields['model'], $usage, $turn['audio']['seconds'] ) );
					}
					$heard = $text ?? '';
					$emit( 'transcript', array( 'text' => $heard ) );
				}
			);
		}
		if ( null !== $result ) {
			// Metered even when the visitor left: the provider bills what it generated.
			$meter->record( Usage_Meter::chat_entry( $body, $result['usage'] ) );
			if ( ! $result['aborted'] ) {
				$sound->flush();
			}
		}
		return array(
			'finish_reason' => null === $result ? '' : $result['finish_reason'],
			'aborted'       => null === $result || $result['aborted'],
			'transcript'    => $heard,
			'reply'         => $reply,
			'audio_bytes'   => $sound->bytes_sent(),
			'usage'         => $meter->entries(),
		);
	}

	/**
	 * What the visitor said; '' when the transcription failed (logged by the client: the
	 * answer does not depend on it).
	 *
	 * @param array       $turn  The voice turn.
	 * @param Usage_Meter $meter Records the call.
	 * @phpstan-param Voice_Turn $turn
	 */
	private function transcribe( array $turn, Usage_Meter $meter ): string {
		$fields = $this->requests->transcription_fields();
		try {
			$transcript = $this->client->transcribe( $turn['audio']['bytes'], $turn['audio']['filename'], $fields );
		} catch ( Upstream_Error $error ) {
			return '';
		}
		$meter->record( Usage_Meter::transcription_entry( $fields['model'], $transcript['usage'], $turn['audio']['seconds'] ) );
		return $transcript['text'];
	}

	/**
	 * The FAQ cache's answer to what was said (and typed), or null.
	 *
	 * @param Voice_Faq $faq   The FAQ side.
	 * @param array     $turn  The voice turn.
	 * @param string    $heard Transcript ('' when it failed: what was said is unknown).
	 * @phpstan-param Voice_Turn $turn
	 */
	private static function lookup( Voice_Faq $faq, array $turn, string $heard ): ?Faq_Answer {
		if ( '' === $heard ) {
			return null;
		}
		$question = Voice_Request_Builder::question( $heard, $turn['message'] );
		$context  = $faq->context( $turn, $question );
		return null === $context ? null : $faq->lookup( $question, $context );
	}
}
