<?php
/**
 * What a planned call may cost at most, and what a call that reported no usage probably cost.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Cost;

use VoiceVisionChat\Routing\Model_Catalog;

defined( 'ABSPATH' ) || exit;

/**
 * Turns request bodies and recordings into micro-dollars before (worst case, to reserve) and
 * after a call whose provider never sent its `usage` (a cut or stopped stream, speech).
 *
 * Worst cases err high on purpose: input text with Cost_Calculator::TEXT_HEADROOM, every
 * output token the plugin allows (`max_completion_tokens`), a transcript of
 * TRANSCRIPT_TOKENS_PER_SECOND, speech of SPEECH_CHARS_PER_TOKEN characters per allowed
 * reply token read at SPEECH_SECONDS_PER_CHAR. Null means a price the call needs is unknown:
 * the call must not run.
 *
 * The rule for a stream that ended without usage (the visitor stopped it, or the connection
 * was cut): the estimated input (with headroom) plus the whole output cap. What was delivered
 * says little about what the provider generated and bills (reasoning tokens, text never
 * sent, generation that went on after a cut), so anything lower can let the ledger fall
 * below the provider's bill; the cap is the most it can be.
 *
 * @phpstan-import-type Metered from Cost_Calculator
 * @phpstan-import-type Input_Estimate from Token_Estimator
 * @phpstan-import-type Usage_Entry from \VoiceVisionChat\Voice\Voice_Pipeline
 * @phpstan-type Estimated array{micros: int|null, metered: Metered}
 */
final class Cost_Estimate {

	/**
	 * Most transcript tokens per second of speech (fast talkers say about 3.5).
	 */
	public const TRANSCRIPT_TOKENS_PER_SECOND = 6;

	/**
	 * Tokens allowed for a transcription prompt and its framing.
	 */
	public const TRANSCRIPTION_PROMPT_TOKENS = 100;

	/**
	 * Characters per reply token when a reply is read aloud (English averages about 4).
	 */
	public const SPEECH_CHARS_PER_TOKEN = 5;

	/**
	 * Seconds of speech per character at speed 1 (slow speech: 12.5 characters a second).
	 */
	public const SPEECH_SECONDS_PER_CHAR = 0.08;

	/**
	 * Tokens the voice hint and transcript framing add to a voice turn's chat input.
	 */
	private const VOICE_PROMPT_TOKENS = 80;

	/**
	 * Token counts.
	 *
	 * @var Token_Estimator
	 */
	private Token_Estimator $tokens;

	/**
	 * Prices.
	 *
	 * @var Cost_Calculator
	 */
	private Cost_Calculator $costs;

	/**
	 * Image rules, kinds, prices.
	 *
	 * @var Model_Catalog
	 */
	private Model_Catalog $catalog;

	/**
	 * Stores collaborators.
	 *
	 * @param Token_Estimator $tokens  Token counts.
	 * @param Cost_Calculator $costs   Prices.
	 * @param Model_Catalog   $catalog Image rules and prices.
	 */
	public function __construct( Token_Estimator $tokens, Cost_Calculator $costs, Model_Catalog $catalog ) {
		$this->tokens  = $tokens;
		$this->costs   = $costs;
		$this->catalog = $catalog;
	}

	/**
	 * Estimated input of a chat body for a model (its image rule counts the images).
	 *
	 * @param array<string, mixed> $body  Chat completion body.
	 * @param string               $model Model id.
	 * @return Input_Estimate
	 */
	public function chat_input( array $body, string $model ): array {
		return $this->tokens->chat_input( $body, $this->catalog->get( $model )['image'] ?? array() );
	}

	/**
	 * The most a chat completion can cost.
	 *
	 * @param array<string, mixed> $body       Chat completion body.
	 * @param string               $model      Model id.
	 * @param int                  $max_output The output cap.
	 */
	public function chat_worst( array $body, string $model, int $max_output ): ?int {
		$input = $this->chat_input( $body, $model );
		return $this->costs->worst_case(
			$model,
			array(
				'text_in'    => $input['text'],
				'image_in'   => $input['image'],
				'audio_in'   => $input['audio'],
				'max_output' => $max_output,
			)
		);
	}

	/**
	 * What a chat stream that ended without usage probably cost (see the class comment).
	 *
	 * @param array<string, mixed> $body       Chat completion body.
	 * @param string               $model      Model id.
	 * @param int                  $max_output The output cap.
	 * @return Estimated
	 */
	public function chat_partial( array $body, string $model, int $max_output ): array {
		$input               = $this->chat_input( $body, $model );
		$output              = $max_output;
		$metered             = Cost_Calculator::empty_meter();
		$metered['text_in']  = (int) ceil( $input['text'] * Cost_Calculator::TEXT_HEADROOM ) + $input['image'];
		$metered['image_in'] = $input['image'];
		$metered['audio_in'] = $input['audio'];
		$metered['text_out'] = max( 0, $output );
		return array(
			'micros'  => $this->costs->price( $model, $metered )['micros'],
			'metered' => $metered,
		);
	}

	/**
	 * The most a voice turn can cost: every call its pipeline may make.
	 *
	 * Native: the audio chat model hears the recording and answers with text and audio up
	 * to the cap, and the recording is transcribed for the text of the conversation. Chained:
	 * transcription, the chat model with the transcript, speech of the whole capped reply.
	 * Either may instead answer from the FAQ cache after the transcription, with speech of
	 * the cached answer when none is cached yet: the worst of the two branches is held.
	 *
	 * @param string               $pipeline   native or chained.
	 * @param float                $seconds    Length of the recording.
	 * @param array<string, mixed> $chat_body  The chat body without the transcript (typed text, history).
	 * @param array                $models     Models: audio (native), transcribe, chat, speech.
	 * @param int                  $max_output The output cap.
	 * @param float                $speed      Speech speed (slower speech is longer audio).
	 * @param int                  $faq_chars  Longest FAQ answer a hit may have read aloud; 0 without the FAQ cache.
	 * @phpstan-param array{audio: string, transcribe: string, chat: string, speech: string} $models
	 */
	public function voice_worst( string $pipeline, float $seconds, array $chat_body, array $models, int $max_output, float $speed, int $faq_chars = 0 ): ?int {
		$transcribe = $this->transcription_worst( $models['transcribe'], $seconds );
		$answer     = $this->voice_answer_worst( $pipeline, $seconds, $chat_body, $models, $max_output, $speed );
		if ( null === $transcribe || null === $answer ) {
			return null;
		}
		if ( $faq_chars <= 0 ) {
			return $transcribe + $answer;
		}
		$faq_speech = $this->speech_cost( $models['speech'], $faq_chars, $speed );
		return null === $faq_speech ? null : $transcribe + max( $answer, $faq_speech );
	}

	/**
	 * Of some chat models, the one whose answer to a body may cost the most (null when none
	 * is priced): a spoken question is routed only once it is transcribed, after the
	 * reservation, so the reservation holds the dearest model the router may choose.
	 *
	 * @param array<string, mixed> $body       Chat completion body.
	 * @param array                $models     Candidate model ids.
	 * @param int                  $max_output The output cap.
	 * @phpstan-param list<string> $models
	 */
	public function costliest_chat( array $body, array $models, int $max_output ): ?string {
		$costliest = null;
		$most      = -1;
		foreach ( $models as $model ) {
			$worst = $this->chat_worst( $body, $model, $max_output );
			if ( null !== $worst && $worst > $most ) {
				$costliest = $model;
				$most      = $worst;
			}
		}
		return $costliest;
	}

	/**
	 * The most a voice turn's answer (after the transcription) can cost: the audio model's,
	 * or the chat model's and the speech of its whole capped reply.
	 *
	 * @param string               $pipeline   native or chained.
	 * @param float                $seconds    Length of the recording.
	 * @param array<string, mixed> $chat_body  The chat body without the transcript.
	 * @param array                $models     Models: audio (native), chat, speech.
	 * @param int                  $max_output The output cap.
	 * @param float                $speed      Speech speed.
	 * @phpstan-param array{audio: string, transcribe: string, chat: string, speech: string} $models
	 */
	private function voice_answer_worst( string $pipeline, float $seconds, array $chat_body, array $models, int $max_output, float $speed ): ?int {
		if ( 'native' === $pipeline ) {
			$input = $this->chat_input( $chat_body, $models['audio'] );
			$chat  = $this->costs->worst_case(
				$models['audio'],
				array(
					'text_in'      => $input['text'] + self::VOICE_PROMPT_TOKENS,
					'audio_in'     => $this->tokens->audio_in( $seconds ),
					'max_output'   => $max_output,
					'output_audio' => true,
				)
			);
			return $chat;
		}
		$input  = $this->chat_input( $chat_body, $models['chat'] );
		$chat   = $this->costs->worst_case(
			$models['chat'],
			array(
				'text_in'    => $input['text'] + self::VOICE_PROMPT_TOKENS + (int) ceil( $seconds * self::TRANSCRIPT_TOKENS_PER_SECOND ),
				'image_in'   => $input['image'],
				'max_output' => $max_output,
			)
		);
		$speech = $this->speech_cost( $models['speech'], $max_output * self::SPEECH_CHARS_PER_TOKEN, $speed );
		return null === $chat || null === $speech ? null : $chat + $speech;
	}

	/**
	 * What a pipeline's call that came back without usage probably cost: a transcription by
	 * the recording's length, speech by its characters. Null when nothing can be said (a chat
	 * completion without usage): the caller keeps the reservation.
	 *
	 * @param array $entry The pipeline's usage record.
	 * @param float $speed Speech speed.
	 * @return Estimated
	 * @phpstan-param Usage_Entry $entry
	 */
	public function entry_fallback( array $entry, float $speed ): array {
		$metered = Cost_Calculator::empty_meter();
		$model   = $entry['model'];
		if ( '/audio/transcriptions' === $entry['endpoint'] && isset( $entry['seconds'] ) ) {
			$seconds = max( 0.0, (float) $entry['seconds'] );
			if ( isset( $this->catalog->get( $model )['price']['per_minute'] ) ) {
				$metered['audio_seconds'] = $seconds;
			} else {
				$metered['text_in']  = self::TRANSCRIPTION_PROMPT_TOKENS;
				$metered['audio_in'] = $this->tokens->audio_in( $seconds );
				$metered['text_out'] = (int) ceil( $seconds * self::TRANSCRIPT_TOKENS_PER_SECOND );
			}
			return array(
				'micros'  => $this->costs->price( $model, $metered )['micros'],
				'metered' => $metered,
			);
		}
		if ( '/audio/speech' === $entry['endpoint'] && isset( $entry['chars'] ) ) {
			$estimate = $this->speech_estimate( $model, max( 0, (int) $entry['chars'] ), $speed );
			if ( isset( $entry['seconds'] ) && $entry['seconds'] > 0 && $estimate['metered']['audio_out'] > 0 ) {
				// The audio that came back is measured: bill its tokens, not the guess.
				$estimate['metered']['audio_out'] = $this->tokens->audio_out( (float) $entry['seconds'] );
				$estimate['micros']               = $this->costs->price( $model, $estimate['metered'] )['micros'];
			}
			return $estimate;
		}
		return array(
			'micros'  => null,
			'metered' => $metered,
		);
	}

	/**
	 * The most a transcription of a recording can cost.
	 *
	 * @param string $model   Transcription model.
	 * @param float  $seconds Recording length.
	 */
	private function transcription_worst( string $model, float $seconds ): ?int {
		if ( isset( $this->catalog->get( $model )['price']['per_minute'] ) ) {
			$metered                  = Cost_Calculator::empty_meter();
			$metered['audio_seconds'] = $seconds;
			return $this->costs->price( $model, $metered )['micros'];
		}
		return $this->costs->worst_case(
			$model,
			array(
				'text_in'    => self::TRANSCRIPTION_PROMPT_TOKENS,
				'audio_in'   => $this->tokens->audio_in( $seconds ),
				'max_output' => (int) ceil( $seconds * self::TRANSCRIPT_TOKENS_PER_SECOND ) + 16,
			)
		);
	}

	/**
	 * What reading some characters aloud costs.
	 *
	 * @param string $model Speech model.
	 * @param int    $chars Characters.
	 * @param float  $speed Speech speed.
	 */
	private function speech_cost( string $model, int $chars, float $speed ): ?int {
		return $this->speech_estimate( $model, $chars, $speed )['micros'];
	}

	/**
	 * Quantities and cost of reading some characters aloud: by the character where the model
	 * is priced so, else text tokens in (a token per three characters) and audio tokens out.
	 *
	 * @param string $model Speech model.
	 * @param int    $chars Characters.
	 * @param float  $speed Speech speed.
	 * @return Estimated
	 */
	private function speech_estimate( string $model, int $chars, float $speed ): array {
		$metered = Cost_Calculator::empty_meter();
		if ( isset( $this->catalog->get( $model )['price']['per_million_chars'] ) ) {
			$metered['characters'] = $chars;
		} else {
			$metered['text_in']   = (int) ceil( $chars / 3 );
			$metered['audio_out'] = $this->tokens->audio_out( $chars * self::SPEECH_SECONDS_PER_CHAR / max( 0.25, $speed ) );
		}
		return array(
			'micros'  => $this->costs->price( $model, $metered )['micros'],
			'metered' => $metered,
		);
	}
}
