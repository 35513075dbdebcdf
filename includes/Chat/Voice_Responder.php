<?php
/**
 * Spoken questions: answered as JSON or streamed by a voice pipeline, metered call by call.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Chat;

use VoiceVisionChat\Cost\Cost_Estimate;
use VoiceVisionChat\Cost\Metered_Call;
use VoiceVisionChat\Cost\Request_Meter;
use VoiceVisionChat\Rest\Sse_Writer;
use VoiceVisionChat\Routing\Model_Tier;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Upstream\Chat_Request_Builder;
use VoiceVisionChat\Upstream\Upstream_Error;
use VoiceVisionChat\Voice\Voice_Answerer;
use VoiceVisionChat\Voice\Voice_Error;
use VoiceVisionChat\Voice\Voice_Pipeline;
use VoiceVisionChat\Voice\Voice_Request_Builder;
use WP_Error;
use WP_REST_Response;

defined( 'ABSPATH' ) || exit;

/**
 * A voice turn, after Rest\Chat_Controller checked the recording: the pipeline (native or
 * chained, see Voice\Voice_Pipeline_Selector) is chosen, the worst case of every call it may
 * make is reserved, and its answer is sent.
 *
 * JSON answer: `{ transcript, reply, finish_reason, pipeline, audio: { format: "mp3", data
 * (base64), label } | null }` (plus `audio_error` when only the speech failed, `source:
 * "faq"` for a FAQ answer). Streamed: `transcript`, `delta`, `audio` (`{ format: "pcm16",
 * sample_rate: 24000, data }`, the first with `label`), possibly `audio_error`, then `done {
 * finish_reason, pipeline, source? }` or `error`. Only the assistant's reply from this request
 * is ever spoken.
 *
 * The transcript of a chained turn is routed like a typed question (the turn's `route`), so
 * typed and spoken questions share the FAQ cache. A FAQ answer's usage row is a cache hit
 * billed with what the pipeline reported (the transcription, and speech made for the answer).
 *
 * @phpstan-import-type Voice_Turn from \VoiceVisionChat\Voice\Voice_Request_Builder
 * @phpstan-import-type Usage_Entry from \VoiceVisionChat\Voice\Voice_Pipeline
 */
final class Voice_Responder {

	/**
	 * Settings.
	 *
	 * @var Settings
	 */
	private Settings $settings;

	/**
	 * Chat request builder (the draft body the reservation estimates).
	 *
	 * @var Chat_Request_Builder
	 */
	private Chat_Request_Builder $builder;

	/**
	 * Writes the event stream.
	 *
	 * @var Sse_Writer
	 */
	private Sse_Writer $writer;

	/**
	 * The voice side: pipelines and their FAQ cache.
	 *
	 * @var Voice_Answerer
	 */
	private Voice_Answerer $voice;

	/**
	 * Prices, refusals and estimates.
	 *
	 * @var Request_Meter
	 */
	private Request_Meter $meter;

	/**
	 * What the visitor can use when no model answers (budget spent, provider down).
	 *
	 * @var Free_Alternatives
	 */
	private Free_Alternatives $alternatives;

	/**
	 * Routes what was said as a typed question is routed.
	 *
	 * @var Question_Router
	 */
	private Question_Router $router;

	/**
	 * Stores collaborators.
	 *
	 * @param Settings             $settings     Plugin settings.
	 * @param Chat_Request_Builder $builder      Chat request builder.
	 * @param Sse_Writer           $writer       Event stream writer.
	 * @param Voice_Answerer       $voice        The voice side.
	 * @param Request_Meter        $meter        Cost control.
	 * @param Free_Alternatives    $alternatives What the visitor can use when no model answers.
	 * @param Question_Router      $router       Routes what was said.
	 */
	public function __construct( Settings $settings, Chat_Request_Builder $builder, Sse_Writer $writer, Voice_Answerer $voice, Request_Meter $meter, Free_Alternatives $alternatives, Question_Router $router ) {
		$this->settings     = $settings;
		$this->builder      = $builder;
		$this->writer       = $writer;
		$this->voice        = $voice;
		$this->meter        = $meter;
		$this->alternatives = $alternatives;
		$this->router       = $router;
	}

	/**
	 * A voice turn: every call its pipeline may make is reserved at once, each call is billed
	 * as it returns (the turn's `on_usage`), the sum is settled at the end, also when the
	 * pipeline fails after some calls were billed. When no model can answer (budget spent,
	 * provider down), the error offers the free alternatives.
	 *
	 * @param Metered_Call $call   The request's metering.
	 * @param array        $turn   The voice turn.
	 * @param bool         $stream Whether to answer as events.
	 * @return WP_REST_Response|WP_Error
	 * @phpstan-param Voice_Turn $turn
	 */
	public function answer_turn( Metered_Call $call, array $turn, bool $stream ) {
		$result = $this->answer( $call, $turn, $stream );
		return is_wp_error( $result ) ? $this->alternatives->decorate( $result, $turn['message'] ) : $result;
	}

	/**
	 * Answers a voice turn (see answer_turn()).
	 *
	 * @param Metered_Call $call   The request's metering.
	 * @param array        $turn   The voice turn.
	 * @param bool         $stream Whether to answer as events.
	 * @return WP_REST_Response|WP_Error
	 * @phpstan-param Voice_Turn $turn
	 */
	private function answer( Metered_Call $call, array $turn, bool $stream ) {
		$pipeline  = $this->voice->pipeline( null !== $turn['image'] );
		$native    = 'native' === $pipeline->name();
		$estimate  = $this->meter->estimate();
		$max       = (int) $this->settings->get( 'max_completion_tokens' );
		$draft     = $this->builder->build( $turn['message'], $turn['history'], $turn['image'], $turn['visitor'] );
		$faq_chars = $this->faq_speech_chars( $max );
		// The models the settings name are the voice, transcribe and speech tiers (one
		// choice, see Settings); the chat model is the router's, known once the question is.
		$models = array(
			'audio'      => (string) $this->settings->get( 'audio_model' ),
			'transcribe' => (string) $this->settings->get( 'transcribe_model' ),
			'chat'       => $this->builder->model( null !== $turn['image'] ),
			'speech'     => (string) $this->settings->get( 'speech_model' ),
		);
		$call->route( $native ? 'voice' : ( null !== $turn['image'] ? 'vision' : 'standard' ), $native ? $models['audio'] : $models['chat'], array( 'voice', $pipeline->name() ) );
		$uses = $native ? array(
			'voice'      => 'audio',
			'transcribe' => 'transcribe',
		) : array(
			'transcribe' => 'transcribe',
			'standard'   => 'chat',
			'speech'     => 'speech',
		);
		if ( $faq_chars > 0 ) {
			$uses['speech'] = 'speech'; // A FAQ hit is read aloud by the speech model.
		}
		foreach ( $uses as $tier => $use ) {
			$problem = $this->meter->problem( $models[ $use ] );
			if ( null !== $problem ) {
				return $this->meter->refuse_model( $tier, $models[ $use ], $problem );
			}
		}
		$checked = $models['chat'];
		if ( ! $native ) {
			$models['chat'] = $estimate->costliest_chat( $draft, $this->chat_candidates( $checked ), $max ) ?? $checked;
		}
		$speed = (float) $this->settings->get( 'speech_speed' );
		$worst = $estimate->voice_worst( $pipeline->name(), (float) $turn['audio']['seconds'], $draft, $models, $max, $speed, $faq_chars );
		if ( null === $worst ) {
			return $this->meter->refuse_model( $native ? 'voice' : 'speech', $native ? $models['audio'] : $models['speech'], 'no_price' );
		}
		$held = $call->reserve( $worst );
		if ( is_wp_error( $held ) ) {
			return $held;
		}

		$turn['route']    = $this->route_for( $call, $turn, $pipeline->name(), $checked );
		$metered          = 0;
		$turn['on_usage'] = static function ( array $entry ) use ( $call, $estimate, $speed, &$metered ): void {
			++$metered;
			$call->bill_voice_entry( $estimate, $entry, $speed );
		};
		$bill_result      = static function ( array $usage ) use ( $call, $estimate, $speed, &$metered ): void {
			// Pipelines without `on_usage` report their calls in the result only.
			if ( 0 === $metered ) {
				foreach ( $usage as $entry ) {
					$call->bill_voice_entry( $estimate, $entry, $speed );
				}
			}
		};
		return $stream ? $this->stream( $pipeline, $turn, $call, $bill_result ) : $this->json( $pipeline, $turn, $call, $bill_result );
	}

	/**
	 * The turn's `route`: the router's model for what was said, decided as for a typed
	 * question (Question_Router), so a simple spoken question gets the cheap tier and the FAQ
	 * cache key a typed one gets. The chained pipeline's usage row takes the decision's tier.
	 * A decision the pipeline cannot use falls back to the checked standard (or vision) model.
	 *
	 * @param Metered_Call $call     The request's metering.
	 * @param array        $turn     The voice turn.
	 * @param string       $pipeline native or chained.
	 * @param string       $checked  The model checked before the reservation.
	 * @return callable(string): string
	 * @phpstan-param Voice_Turn $turn
	 */
	private function route_for( Metered_Call $call, array $turn, string $pipeline, string $checked ): callable {
		$router  = $this->router;
		$decided = array();
		return static function ( string $question ) use ( $call, $turn, $pipeline, $checked, $router, &$decided ): string {
			if ( ! isset( $decided[ $question ] ) ) {
				$decision = $router->for_lookup( $router->features( $question, $turn['history'], $turn['image'], $turn['visitor'] ), $router->budget_state() );
				$model    = $decision['usable'] ? $decision['model'] : $checked;
				if ( 'chained' === $pipeline && $decision['usable'] ) {
					$call->route( $decision['tier'], $model, array_merge( array( 'voice', $pipeline ), $decision['codes'] ) );
				}
				$decided[ $question ] = $model;
			}
			return $decided[ $question ];
		};
	}

	/**
	 * Chat models the router may pick for a spoken question: every chat tier's usable model.
	 *
	 * @param string $checked The standard (or vision) model, checked already.
	 * @return list<string>
	 */
	private function chat_candidates( string $checked ): array {
		$models = array( $checked );
		$tiers  = $this->meter->tiers();
		foreach ( Model_Tier::CHAT_TIERS as $tier ) {
			$model = $tiers->model( $tier );
			if ( ! in_array( $model, $models, true ) && null === $this->meter->problem( $model ) ) {
				$models[] = $model;
			}
		}
		return $models;
	}

	/**
	 * Characters a FAQ hit may have read aloud (0 when spoken questions skip the cache): the
	 * longest curated answer, or a cached model answer of the whole output cap.
	 *
	 * @param int $max_output The output cap.
	 */
	private function faq_speech_chars( int $max_output ): int {
		$faq = $this->voice->faq();
		if ( null === $faq || ! $faq->enabled() ) {
			return 0;
		}
		return max( $max_output * Cost_Estimate::SPEECH_CHARS_PER_TOKEN, $faq->longest_curated_answer() );
	}

	/**
	 * A voice turn's whole answer as JSON.
	 *
	 * @param Voice_Pipeline $pipeline    The chosen pipeline.
	 * @param array          $turn        The voice turn.
	 * @param Metered_Call   $call        The request's metering.
	 * @param callable       $bill_result Bills the result's usage list when `on_usage` was not used.
	 * @return WP_REST_Response|WP_Error
	 * @phpstan-param Voice_Turn $turn
	 * @phpstan-param callable(list<Usage_Entry>): void $bill_result
	 */
	private function json( Voice_Pipeline $pipeline, array $turn, Metered_Call $call, callable $bill_result ) {
		try {
			$answer = $pipeline->answer( $turn );
		} catch ( Upstream_Error | Voice_Error $error ) {
			$call->bill_voice_failure( $error );
			return $error->to_wp_error();
		}
		$bill_result( $answer['usage'] );
		$data = array(
			'transcript'    => $answer['transcript'],
			'reply'         => $answer['reply'],
			'finish_reason' => $answer['finish_reason'],
			'pipeline'      => $pipeline->name(),
			'audio'         => $answer['audio'],
		);
		if ( isset( $answer['audio_error'] ) ) {
			$data['audio_error'] = $answer['audio_error'];
		}
		if ( isset( $answer['source'] ) ) {
			$data['source'] = $answer['source'];
			$call->cache_hit();
		}
		$response = new WP_REST_Response( $data );
		$response->header( 'Cache-Control', 'no-store' );
		return $response;
	}

	/**
	 * A voice turn's answer as server-sent events.
	 *
	 * @param Voice_Pipeline $pipeline    The chosen pipeline.
	 * @param array          $turn        The voice turn.
	 * @param Metered_Call   $call        The request's metering, finished before the stream ends.
	 * @param callable       $bill_result Bills the result's usage list when `on_usage` was not used.
	 * @return WP_REST_Response|WP_Error An error when nothing was sent yet; otherwise the writer
	 *                                   ended the request.
	 * @phpstan-param Voice_Turn $turn
	 * @phpstan-param callable(list<Usage_Entry>): void $bill_result
	 */
	private function stream( Voice_Pipeline $pipeline, array $turn, Metered_Call $call, callable $bill_result ) {
		$writer  = $this->writer;
		$status  = 200;
		$code    = '';
		$heard   = '';
		$replied = false;
		try {
			$result = $pipeline->stream(
				$turn,
				static function ( string $name, array $data ) use ( $writer, &$heard, &$replied ): bool {
					if ( 'transcript' === $name && is_string( $data['text'] ?? null ) ) {
						$heard = $data['text'];
					}
					$replied = $replied || 'delta' === $name;
					return $writer->event( $name, $data );
				}
			);
			$bill_result( $result['usage'] );
			if ( isset( $result['source'] ) ) {
				$call->cache_hit();
			}
			if ( ! $result['aborted'] ) {
				$done = array(
					'finish_reason' => $result['finish_reason'],
					'pipeline'      => $pipeline->name(),
				);
				if ( isset( $result['source'] ) ) {
					$done['source'] = $result['source'];
				}
				$writer->event( 'done', $done );
			}
		} catch ( Upstream_Error | Voice_Error $error ) {
			$call->bill_voice_failure( $error );
			if ( ! $writer->started() ) {
				return $error->to_wp_error();
			}
			$data   = $error->to_wp_error()->get_error_data();
			$status = is_array( $data ) && isset( $data['status'] ) ? (int) $data['status'] : 500;
			$code   = $error->vvc_code();
			$event  = array(
				'code'    => $code,
				'message' => $error instanceof Upstream_Error ? $error->visitor_message() : $error->getMessage(),
			);
			// The visitor may have seen what was heard, but has no answer yet.
			$writer->event( 'error', $replied ? $event : $this->alternatives->add_to( $code, $event, Voice_Request_Builder::question( $heard, $turn['message'] ) ) );
		}
		$call->finish( $status, $code );
		$writer->close();
		return new WP_REST_Response( null, 200 );
	}
}
