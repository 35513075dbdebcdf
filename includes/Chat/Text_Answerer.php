<?php
/**
 * Typed questions: answered as JSON or streamed, from the FAQ cache or the routed model.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Chat;

use VoiceVisionChat\Cache\Faq_Answer;
use VoiceVisionChat\Cache\Faq_Cache;
use VoiceVisionChat\Cache\Faq_Context;
use VoiceVisionChat\Cache\Personal_Marker;
use VoiceVisionChat\Cost\Metered_Call;
use VoiceVisionChat\Cost\Request_Meter;
use VoiceVisionChat\Rest\Sse_Writer;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Upstream\Chat_Request_Builder;
use VoiceVisionChat\Upstream\OpenAI_Client;
use VoiceVisionChat\Upstream\Upstream_Error;
use WP_Error;
use WP_REST_Response;

defined( 'ABSPATH' ) || exit;

/**
 * A typed turn, after Rest\Chat_Controller checked it: routed (Question_Router), looked up in
 * the FAQ cache before any provider call (so curated and cached answers still work while the
 * provider is down or the budget is spent), then priced, reserved, answered and settled.
 *
 * A FAQ hit answers `{ reply, finish_reason: "stop", source: "faq" }`, or streams one `delta`
 * and `done { finish_reason, source: "faq" }`. On a miss the model answers with the cache's
 * instruction to mark personal answers; the marker is removed before the visitor sees
 * anything, and the answer is offered to the cache.
 *
 * Streams: `delta` events with text, then `done` or `error`. A failure before the first byte
 * is an ordinary JSON error with its HTTP status.
 *
 * @phpstan-import-type Turn from Chat_Request_Builder
 */
final class Text_Answerer {

	/**
	 * Seconds without a first word before the stream starts with keep-alive comments.
	 */
	private const WAIT_BEFORE_PING = 2.0;

	/**
	 * Settings.
	 *
	 * @var Settings
	 */
	private Settings $settings;

	/**
	 * Provider client.
	 *
	 * @var OpenAI_Client
	 */
	private OpenAI_Client $client;

	/**
	 * Request body builder.
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
	 * FAQ cache; null when every turn is answered by the model.
	 *
	 * @var Faq_Cache|null
	 */
	private ?Faq_Cache $faq;

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
	 * Picks the tier and model.
	 *
	 * @var Question_Router
	 */
	private Question_Router $router;

	/**
	 * Stores collaborators.
	 *
	 * @param Settings             $settings     Plugin settings.
	 * @param OpenAI_Client        $client       Provider client.
	 * @param Chat_Request_Builder $builder      Request body builder.
	 * @param Sse_Writer           $writer       Event stream writer.
	 * @param Faq_Cache|null       $faq          FAQ cache; none when null.
	 * @param Request_Meter        $meter        Cost control.
	 * @param Free_Alternatives    $alternatives What the visitor can use when no model answers.
	 * @param Question_Router      $router       Picks the tier and model.
	 */
	public function __construct( Settings $settings, OpenAI_Client $client, Chat_Request_Builder $builder, Sse_Writer $writer, ?Faq_Cache $faq, Request_Meter $meter, Free_Alternatives $alternatives, Question_Router $router ) {
		$this->settings     = $settings;
		$this->client       = $client;
		$this->builder      = $builder;
		$this->writer       = $writer;
		$this->faq          = $faq;
		$this->meter        = $meter;
		$this->alternatives = $alternatives;
		$this->router       = $router;
	}

	/**
	 * A typed turn: routed, looked up in the FAQ, reserved, answered, settled. When no model
	 * can answer (budget spent, provider down), the error offers the free alternatives.
	 *
	 * @param Metered_Call $call    The request's metering.
	 * @param string       $message The question.
	 * @param array        $history Earlier turns.
	 * @param array|null   $image   The validated image.
	 * @param string       $visitor Visitor id.
	 * @param bool         $stream  Whether to answer as events.
	 * @return WP_REST_Response|WP_Error
	 * @phpstan-param list<Turn> $history
	 * @phpstan-param array{data_url: string, mime: string, width: int, height: int, bytes: int}|null $image
	 */
	public function answer_turn( Metered_Call $call, string $message, array $history, ?array $image, string $visitor, bool $stream ) {
		$result = $this->answer( $call, $message, $history, $image, $visitor, $stream );
		return is_wp_error( $result ) ? $this->alternatives->decorate( $result, $message ) : $result;
	}

	/**
	 * Answers a typed turn (see answer_turn()).
	 *
	 * @param Metered_Call $call    The request's metering.
	 * @param string       $message The question.
	 * @param array        $history Earlier turns.
	 * @param array|null   $image   The validated image.
	 * @param string       $visitor Visitor id.
	 * @param bool         $stream  Whether to answer as events.
	 * @return WP_REST_Response|WP_Error
	 * @phpstan-param list<Turn> $history
	 * @phpstan-param array{data_url: string, mime: string, width: int, height: int, bytes: int}|null $image
	 */
	private function answer( Metered_Call $call, string $message, array $history, ?array $image, string $visitor, bool $stream ) {
		$max_output = (int) $this->settings->get( 'max_completion_tokens' );
		$features   = $this->router->features( $message, $history, $image, $visitor );
		$state      = $this->router->budget_state();
		$decision   = $this->router->for_lookup( $features, $state );
		$call->route( $decision['tier'], $decision['model'], $decision['codes'] );

		$faq   = null;
		$extra = '';
		if ( null !== $this->faq ) {
			$context = new Faq_Context( $decision['model'], $history, null !== $image );
			// Before the budget and any provider call: curated and cached answers cost nothing
			// and work while the provider is down or the budget is spent.
			$hit = $this->faq->lookup( $message, $context );
			if ( null !== $hit ) {
				$call->cache_hit();
				return $stream ? $this->faq_stream( $hit, $call ) : self::faq_answer( $hit );
			}
			if ( $this->faq->is_cacheable( $message, $context ) ) {
				$faq   = array(
					'question' => $message,
					'context'  => $context,
				);
				$extra = $this->faq->system_instruction();
			}
		}
		if ( 'hard' === $state ) {
			$decision = $this->router->decide( $features, $state );
			$call->route( $decision['tier'], $decision['model'], $decision['codes'] );
		}
		if ( ! $decision['usable'] ) {
			return $this->meter->refuse_model( $decision['tier'], $decision['model'], (string) $decision['problem'] );
		}

		$body  = $this->builder->build( $message, $history, $image, $visitor, $extra, $decision['model'] );
		$worst = $this->meter->estimate()->chat_worst( $body, $decision['model'], $max_output );
		if ( null === $worst ) {
			return $this->meter->refuse_model( $decision['tier'], $decision['model'], 'no_price' );
		}
		$held = $call->reserve( $worst );
		if ( is_wp_error( $held ) ) {
			return $held;
		}
		return $stream ? $this->stream( $body, $call, $message, $faq ) : $this->json( $body, $call, $faq );
	}

	/**
	 * A curated or cached answer as JSON.
	 *
	 * @param Faq_Answer $hit The answer.
	 */
	private static function faq_answer( Faq_Answer $hit ): WP_REST_Response {
		$response = new WP_REST_Response(
			array(
				'reply'         => $hit->text,
				'finish_reason' => 'stop',
				'source'        => 'faq',
			)
		);
		$response->header( 'Cache-Control', 'no-store' );
		return $response;
	}

	/**
	 * A curated or cached answer as one `delta` and `done`.
	 *
	 * @param Faq_Answer   $hit  The answer.
	 * @param Metered_Call $call The request's metering, finished before the stream ends.
	 */
	private function faq_stream( Faq_Answer $hit, Metered_Call $call ): WP_REST_Response {
		if ( $this->writer->event( 'delta', array( 'text' => $hit->text ) ) ) {
			$this->writer->event(
				'done',
				array(
					'finish_reason' => 'stop',
					'source'        => 'faq',
				)
			);
		}
		$call->finish( 200 );
		$this->writer->close();
		return new WP_REST_Response( null, 200 );
	}

	/**
	 * Offers the model's answer to the FAQ cache (which decides whether to keep it).
	 *
	 * @param array|null $faq    The cacheable turn, or null when it is not one.
	 * @param string     $reply  The answer the visitor saw, marker removed.
	 * @param string     $finish The model's finish reason.
	 * @param bool       $marked Whether the model marked the answer as personal.
	 * @phpstan-param array{question: string, context: Faq_Context}|null $faq
	 */
	private function remember( ?array $faq, string $reply, string $finish, bool $marked ): void {
		if ( null !== $faq && null !== $this->faq ) {
			$this->faq->remember( $faq['question'], $faq['context'], $reply, $finish, $marked );
		}
	}

	/**
	 * The whole answer as JSON.
	 *
	 * @param array<string, mixed> $body Upstream request body.
	 * @param Metered_Call         $call The request's metering.
	 * @param array|null           $faq  The cacheable turn, or null.
	 * @return WP_REST_Response|WP_Error
	 * @phpstan-param array{question: string, context: Faq_Context}|null $faq
	 */
	private function json( array $body, Metered_Call $call, ?array $faq = null ) {
		try {
			$completion = $this->client->chat( $body );
		} catch ( Upstream_Error $error ) {
			$call->bill_chat_failure( $this->meter->estimate(), $error, $body, '' );
			return $error->to_wp_error();
		}
		$choice  = $completion['choices'][0];
		$message = $choice['message'];
		$reply   = is_string( $message['content'] ?? null ) ? $message['content'] : ( is_string( $message['refusal'] ?? null ) ? $message['refusal'] : '' );
		$finish  = is_string( $choice['finish_reason'] ?? null ) ? $choice['finish_reason'] : '';
		$call->bill_chat( $this->meter->estimate(), $body, isset( $completion['usage'] ) && is_array( $completion['usage'] ) ? $completion['usage'] : null );
		// The marker is for the cache only; the visitor never sees it.
		$stripped = Personal_Marker::strip( $reply );
		$reply    = $stripped['text'];
		$this->remember( $faq, $reply, $finish, $stripped['marked'] );

		$response = new WP_REST_Response(
			array(
				'reply'         => $reply,
				'finish_reason' => $finish,
			)
		);
		$response->header( 'Cache-Control', 'no-store' );
		return $response;
	}

	/**
	 * The answer as server-sent events, written while the provider generates it.
	 *
	 * Each delta is flushed to the visitor at once; when the writer reports the visitor gone,
	 * the client stops reading, which closes the upstream connection so generation stops too.
	 *
	 * The start of the answer passes through Personal_Marker, which holds back the first few
	 * characters until it knows they are not the marker.
	 *
	 * @param array<string, mixed> $body     Upstream request body.
	 * @param Metered_Call         $call     The request's metering, finished before the stream ends.
	 * @param string               $question The visitor's question, for the alternatives of a failure.
	 * @param array|null           $faq      The cacheable turn, or null.
	 * @return WP_REST_Response|WP_Error An error when nothing was sent yet; otherwise the writer
	 *                                   ended the request (the response is only seen in tests).
	 * @phpstan-param array{question: string, context: Faq_Context}|null $faq
	 */
	private function stream( array $body, Metered_Call $call, string $question, ?array $faq = null ) {
		$writer   = $this->writer;
		$marker   = new Personal_Marker();
		$sent     = '';
		$received = '';
		$status   = 200;
		$code     = '';
		try {
			$result = $this->client->chat_stream(
				$body,
				static function ( string $text ) use ( $writer, $marker, &$sent, &$received ): bool {
					$received .= $text;
					$text      = $marker->push( $text );
					if ( '' === $text ) {
						return true; // Held back; nothing to send yet.
					}
					$sent .= $text;
					return $writer->event( 'delta', array( 'text' => $text ) );
				},
				self::waiting_check( $writer )
			);
			$call->bill_chat( $this->meter->estimate(), $body, $result['usage'] );
			if ( ! $result['aborted'] ) {
				$rest = $marker->finish();
				if ( '' !== $rest ) {
					$sent .= $rest;
					$writer->event( 'delta', array( 'text' => $rest ) );
				}
				$writer->event( 'done', array( 'finish_reason' => $result['finish_reason'] ) );
				$this->remember( $faq, $sent, $result['finish_reason'], $marker->marked() );
			}
		} catch ( Upstream_Error $error ) {
			$call->bill_chat_failure( $this->meter->estimate(), $error, $body, $received );
			if ( ! $writer->started() ) {
				return $error->to_wp_error();
			}
			$status = $error->status();
			$code   = $error->vvc_code();
			$event  = array(
				'code'    => $code,
				'message' => $error->visitor_message(),
			);
			// Only keep-alive pings went out (a slow provider): the visitor has no answer yet.
			$writer->event( 'error', '' === $sent ? $this->alternatives->add_to( $code, $event, $question ) : $event );
		}
		$call->finish( $status, $code );
		$writer->close();
		return new WP_REST_Response( null, 200 );
	}

	/**
	 * Tells the upstream client whether the visitor still waits for a first word. Quick
	 * failures keep their plain JSON error and HTTP status; after WAIT_BEFORE_PING seconds
	 * without text the stream starts with a comment, once a second, so a visitor who pressed
	 * Stop (or left) ends the upstream request and prevents a retry nobody would read.
	 *
	 * @param Sse_Writer $writer The event stream.
	 * @return callable(): bool
	 */
	public static function waiting_check( Sse_Writer $writer ): callable {
		$started   = microtime( true );
		$last_ping = 0.0;
		return static function () use ( $writer, $started, &$last_ping ): bool {
			$now = microtime( true );
			if ( $now - $started < self::WAIT_BEFORE_PING || $now - $last_ping < 1.0 ) {
				return true;
			}
			$last_ping = $now;
			return $writer->keepalive();
		};
	}
}
