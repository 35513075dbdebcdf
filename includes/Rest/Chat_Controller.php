<?php
/**
 * POST /voice-vision-chat/v1/chat: a visitor's question, answered as JSON or streamed.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Rest;

use VoiceVisionChat\Cache\Faq_Answer;
use VoiceVisionChat\Cache\Faq_Cache;
use VoiceVisionChat\Cache\Faq_Context;
use VoiceVisionChat\Cache\Personal_Marker;
use VoiceVisionChat\Media\Image_Validator;
use VoiceVisionChat\Security\Visitor_Token;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Upstream\Chat_Request_Builder;
use VoiceVisionChat\Upstream\OpenAI_Client;
use VoiceVisionChat\Upstream\Upstream_Error;
use VoiceVisionChat\Voice\Voice_Answerer;
use VoiceVisionChat\Voice\Voice_Error;
use VoiceVisionChat\Voice\Voice_Pipeline;
use WP_Error;
use WP_REST_Controller;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * The chat proxy.
 *
 * The request carries only the visitor's words, an optional image (multipart file part
 * `image`) and earlier turns. Everything that decides cost and behaviour (system prompt,
 * model, output cap) comes from the settings: fields such as `model`, `system`, `messages`,
 * `max_tokens` or `temperature` are not parameters of this route, and WordPress's REST server
 * simply ignores parameters a route does not declare, so they have no effect.
 *
 * With `stream` set, the answer is `text/event-stream`: `delta` events with text, then `done`
 * or `error`. Failures that happen before the first byte (bad input, provider errors before
 * any text) are ordinary JSON errors with their HTTP status, in both modes.
 *
 * Voice: a multipart file part `audio` (MP3 or WAV, checked by Media\Audio_Validator) instead of
 * or besides `message`. The turn goes to the native audio pipeline or the chained one (see
 * Voice\Voice_Pipeline_Selector; always chained with an image). JSON answer: `{ transcript,
 * reply, finish_reason, pipeline, audio: { format: "mp3", data (base64), label } | null }`
 * (plus `audio_error` when only the speech failed). Streamed: `transcript`, `delta`, `audio`
 * (`{ format: "pcm16", sample_rate: 24000, data }`, the first with `label`: "AI-generated
 * voice"), possibly `audio_error`, then `done { finish_reason, pipeline }` or `error`. Only the
 * assistant's reply from this request is ever spoken.
 *
 * FAQ cache (text turns): the question is looked up before any provider call, so curated and
 * cached answers still work when the provider is down. A hit answers `{ reply, finish_reason:
 * "stop", source: "faq" }`, or streams one `delta` and `done { finish_reason, source: "faq" }`.
 * On a miss the model answers with the cache's instruction to mark personal answers; the
 * marker is removed before the visitor sees anything, and the answer is offered to the cache.
 *
 * @phpstan-import-type Turn from Chat_Request_Builder
 * @phpstan-import-type Audio from \VoiceVisionChat\Media\Audio_Validator
 * @phpstan-import-type Voice_Turn from \VoiceVisionChat\Voice\Voice_Request_Builder
 */
final class Chat_Controller extends WP_REST_Controller {

	/**
	 * Seconds without a first word before the stream starts with keep-alive comments.
	 */
	private const WAIT_BEFORE_PING = 2.0;

	/**
	 * Header carrying the visitor token from POST /session.
	 */
	public const TOKEN_HEADER = 'X-VVC-Token';

	/**
	 * REST namespace.
	 */
	private const REST_NAMESPACE = 'voice-vision-chat/v1';

	/**
	 * Settings.
	 *
	 * @var Settings
	 */
	private Settings $settings;

	/**
	 * Visitor token checker.
	 *
	 * @var Visitor_Token
	 */
	private Visitor_Token $tokens;

	/**
	 * Provider client.
	 *
	 * @var OpenAI_Client
	 */
	private OpenAI_Client $client;

	/**
	 * Image checks.
	 *
	 * @var Image_Validator
	 */
	private Image_Validator $images;

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
	 * The voice side: recording checks and pipelines.
	 *
	 * @var Voice_Answerer
	 */
	private Voice_Answerer $voice;

	/**
	 * FAQ cache; null when the controller answers every turn with the model.
	 *
	 * @var Faq_Cache|null
	 */
	private ?Faq_Cache $faq;

	/**
	 * Stores collaborators.
	 *
	 * @param Settings             $settings Plugin settings.
	 * @param Visitor_Token        $tokens   Visitor token checker.
	 * @param OpenAI_Client        $client   Provider client.
	 * @param Image_Validator      $images   Image checks.
	 * @param Chat_Request_Builder $builder  Request body builder.
	 * @param Sse_Writer|null      $writer   Event stream writer; the real one when null.
	 * @param Voice_Answerer|null  $voice    Voice side; built on the same client and builder when null.
	 * @param Faq_Cache|null       $faq      FAQ cache; none when null.
	 */
	public function __construct( Settings $settings, Visitor_Token $tokens, OpenAI_Client $client, Image_Validator $images, Chat_Request_Builder $builder, ?Sse_Writer $writer = null, ?Voice_Answerer $voice = null, ?Faq_Cache $faq = null ) {
		$this->namespace = self::REST_NAMESPACE;
		$this->rest_base = 'chat';
		$this->settings  = $settings;
		$this->tokens    = $tokens;
		$this->client    = $client;
		$this->images    = $images;
		$this->builder   = $builder;
		$this->writer    = $writer ?? new Sse_Writer();
		$this->voice     = $voice ?? Voice_Answerer::create( $settings, $client, $builder );
		$this->faq       = $faq;
	}

	/**
	 * Registers POST /chat.
	 */
	public function register_routes(): void {
		register_rest_route(
			self::REST_NAMESPACE,
			'/' . $this->rest_base,
			array(
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'create_item' ),
					'permission_callback' => array( $this, 'create_item_permissions_check' ),
					'args'                => $this->get_create_args(),
				),
				'schema' => array( $this, 'get_public_item_schema' ),
			)
		);
	}

	/**
	 * Arguments of POST /chat.
	 *
	 * `message` is checked in the callback rather than by the schema so that a missing, empty
	 * or long message gets the stable codes vvc_message_empty / vvc_message_too_long.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	private function get_create_args(): array {
		return array(
			'message' => array(
				'description' => __( 'The visitor\'s new message (required unless a recording is sent as the file part `audio`).', 'voice-vision-chat' ),
				'type'        => 'string',
			),
			'history' => array(
				'description' => __( 'Earlier turns, oldest first: a list (or its JSON text) of {role: "user"|"assistant", content: string}. The server keeps only the last turns it allows and shortens long ones.', 'voice-vision-chat' ),
				'type'        => array( 'string', 'array' ), // String first: WordPress would read a string as a comma-separated list.
				'default'     => array(),
			),
			'stream'  => array(
				'description' => __( 'Answer as a stream of server-sent events.', 'voice-vision-chat' ),
				'type'        => 'boolean',
				'default'     => false,
			),
		);
	}

	/**
	 * A visitor needs a valid token while the chat is enabled.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return true|WP_Error
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function create_item_permissions_check( $request ) {
		if ( ! $this->settings->get( 'enabled' ) ) {
			return new WP_Error(
				'vvc_disabled',
				__( 'The chat is not available right now.', 'voice-vision-chat' ),
				array( 'status' => 503 )
			);
		}
		$visitor = $this->tokens->verify( (string) $request->get_header( self::TOKEN_HEADER ) );
		return is_wp_error( $visitor ) ? $visitor : true;
	}

	/**
	 * Answers the question.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function create_item( $request ) {
		$visitor = $this->tokens->verify( (string) $request->get_header( self::TOKEN_HEADER ) );
		if ( is_wp_error( $visitor ) ) {
			return $visitor;
		}
		$audio = $this->audio( $request );
		if ( is_wp_error( $audio ) ) {
			return $audio;
		}
		$raw_message = $request->get_param( 'message' );
		// With a recording, typed text is optional.
		$message = null !== $audio && ( ! is_string( $raw_message ) || '' === trim( $raw_message ) ) ? '' : $this->message( $raw_message );
		if ( is_wp_error( $message ) ) {
			return $message;
		}
		$history = $this->history( $request->get_param( 'history' ) );
		if ( is_wp_error( $history ) ) {
			return $history;
		}
		$image = $this->image( $request );
		if ( is_wp_error( $image ) ) {
			return $image;
		}

		if ( null !== $audio ) {
			$turn     = array(
				'audio'   => $audio,
				'message' => $message,
				'history' => $history,
				'image'   => $image,
				'visitor' => $visitor,
			);
			$pipeline = $this->voice->pipeline( null !== $image );
			return $request->get_param( 'stream' ) ? $this->voice_stream( $pipeline, $turn ) : $this->voice_answer( $pipeline, $turn );
		}

		$stream = (bool) $request->get_param( 'stream' );
		$faq    = null;
		$extra  = '';
		if ( null !== $this->faq ) {
			$context = new Faq_Context( $this->builder->model( null !== $image ), $history, null !== $image );
			// Before any provider call: curated and cached answers work while the provider is down.
			$hit = $this->faq->lookup( $message, $context );
			if ( null !== $hit ) {
				return $stream ? $this->faq_stream( $hit ) : $this->faq_answer( $hit );
			}
			if ( $this->faq->is_cacheable( $message, $context ) ) {
				$faq   = array(
					'question' => $message,
					'context'  => $context,
				);
				$extra = $this->faq->system_instruction();
			}
		}

		$body = $this->builder->build( $message, $history, $image, $visitor, $extra );
		return $stream ? $this->stream( $body, $faq ) : $this->answer( $body, $faq );
	}

	/**
	 * A curated or cached answer as JSON.
	 *
	 * @param Faq_Answer $hit The answer.
	 */
	private function faq_answer( Faq_Answer $hit ): WP_REST_Response {
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
	 * @param Faq_Answer $hit The answer.
	 */
	private function faq_stream( Faq_Answer $hit ): WP_REST_Response {
		if ( $this->writer->event( 'delta', array( 'text' => $hit->text ) ) ) {
			$this->writer->event(
				'done',
				array(
					'finish_reason' => 'stop',
					'source'        => 'faq',
				)
			);
		}
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
	 * @param array|null           $faq  The cacheable turn, or null.
	 * @return WP_REST_Response|WP_Error
	 * @phpstan-param array{question: string, context: Faq_Context}|null $faq
	 */
	private function answer( array $body, ?array $faq = null ) {
		try {
			$completion = $this->client->chat( $body );
		} catch ( Upstream_Error $error ) {
			return $error->to_wp_error();
		}
		$choice  = $completion['choices'][0];
		$message = $choice['message'];
		$reply   = is_string( $message['content'] ?? null ) ? $message['content'] : ( is_string( $message['refusal'] ?? null ) ? $message['refusal'] : '' );
		$finish  = is_string( $choice['finish_reason'] ?? null ) ? $choice['finish_reason'] : '';
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
	 * @param array<string, mixed> $body Upstream request body.
	 * @param array|null           $faq  The cacheable turn, or null.
	 * @return WP_REST_Response|WP_Error An error when nothing was sent yet; otherwise the writer
	 *                                   ended the request (the response is only seen in tests).
	 * @phpstan-param array{question: string, context: Faq_Context}|null $faq
	 */
	private function stream( array $body, ?array $faq = null ) {
		$writer = $this->writer;
		$marker = new Personal_Marker();
		$sent   = '';
		try {
			$result = $this->client->chat_stream(
				$body,
				static function ( string $text ) use ( $writer, $marker, &$sent ): bool {
					$text = $marker->push( $text );
					if ( '' === $text ) {
						return true; // Held back; nothing to send yet.
					}
					$sent .= $text;
					return $writer->event( 'delta', array( 'text' => $text ) );
				},
				self::waiting_check( $writer )
			);
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
			if ( ! $writer->started() ) {
				return $error->to_wp_error();
			}
			$writer->event(
				'error',
				array(
					'code'    => $error->vvc_code(),
					'message' => $error->visitor_message(),
				)
			);
		}
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
	private static function waiting_check( Sse_Writer $writer ): callable {
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

	/**
	 * A voice turn's whole answer as JSON.
	 *
	 * @param Voice_Pipeline $pipeline The chosen pipeline.
	 * @param array          $turn     The voice turn.
	 * @return WP_REST_Response|WP_Error
	 * @phpstan-param Voice_Turn $turn
	 */
	private function voice_answer( Voice_Pipeline $pipeline, array $turn ) {
		try {
			$answer = $pipeline->answer( $turn );
		} catch ( Upstream_Error $error ) {
			return $error->to_wp_error();
		} catch ( Voice_Error $error ) {
			return $error->to_wp_error();
		}
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
		$response = new WP_REST_Response( $data );
		$response->header( 'Cache-Control', 'no-store' );
		return $response;
	}

	/**
	 * A voice turn's answer as server-sent events.
	 *
	 * @param Voice_Pipeline $pipeline The chosen pipeline.
	 * @param array          $turn     The voice turn.
	 * @return WP_REST_Response|WP_Error An error when nothing was sent yet; otherwise the writer
	 *                                   ended the request.
	 * @phpstan-param Voice_Turn $turn
	 */
	private function voice_stream( Voice_Pipeline $pipeline, array $turn ) {
		$writer = $this->writer;
		try {
			$result = $pipeline->stream(
				$turn,
				static fn ( string $name, array $data ): bool => $writer->event( $name, $data )
			);
			if ( ! $result['aborted'] ) {
				$writer->event(
					'done',
					array(
						'finish_reason' => $result['finish_reason'],
						'pipeline'      => $pipeline->name(),
					)
				);
			}
		} catch ( Upstream_Error | Voice_Error $error ) {
			if ( ! $writer->started() ) {
				return $error->to_wp_error();
			}
			$writer->event(
				'error',
				array(
					'code'    => $error->vvc_code(),
					'message' => $error instanceof Upstream_Error ? $error->visitor_message() : $error->getMessage(),
				)
			);
		}
		$writer->close();
		return new WP_REST_Response( null, 200 );
	}

	/**
	 * The trimmed message, or why it is not acceptable.
	 *
	 * @param mixed $raw The `message` parameter.
	 * @return string|WP_Error
	 */
	private function message( $raw ) {
		$message = is_string( $raw ) ? trim( $raw ) : '';
		if ( '' === $message ) {
			return new WP_Error( 'vvc_message_empty', __( 'Please type a message.', 'voice-vision-chat' ), array( 'status' => 400 ) );
		}
		$max = (int) $this->settings->get( 'turn_max_chars' );
		if ( mb_strlen( $message ) > $max ) {
			return new WP_Error(
				'vvc_message_too_long',
				sprintf(
					/* translators: %d: most characters a message may have. */
					__( 'Your message is too long. Please keep it under %d characters.', 'voice-vision-chat' ),
					$max
				),
				array( 'status' => 400 )
			);
		}
		return $message;
	}

	/**
	 * Earlier turns, bounded by the server.
	 *
	 * @param mixed $raw The `history` parameter: a list, or its JSON text (multipart bodies).
	 * @return list<Turn>|WP_Error
	 */
	private function history( $raw ) {
		if ( is_string( $raw ) ) {
			$raw = '' === trim( $raw ) ? array() : json_decode( $raw, true, 8 );
		}
		if ( ! is_array( $raw ) || ! array_is_list( $raw ) ) {
			return new WP_Error(
				'vvc_bad_request',
				__( 'The conversation history could not be read. Please start a new conversation.', 'voice-vision-chat' ),
				array( 'status' => 400 )
			);
		}
		return $this->builder->bound_history( $raw );
	}

	/**
	 * The validated image, null when none was sent.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return array{data_url: string, mime: string, width: int, height: int, bytes: int}|WP_Error|null
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	private function image( $request ) {
		$file = $this->upload(
			$request,
			'image',
			__( 'The image must be sent as a file upload.', 'voice-vision-chat' ),
			__( 'Please send one image at a time.', 'voice-vision-chat' )
		);
		return is_array( $file ) ? $this->images->validate_upload( $file ) : $file;
	}

	/**
	 * The validated recording, null when none was sent.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return Audio|WP_Error|null
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	private function audio( $request ) {
		$file = $this->upload(
			$request,
			'audio',
			__( 'The recording must be sent as a file upload.', 'voice-vision-chat' ),
			__( 'Please send one recording at a time.', 'voice-vision-chat' )
		);
		return is_array( $file ) ? $this->voice->validate_upload( $file ) : $file;
	}

	/**
	 * One uploaded file of a field, before its format is checked: null when none was sent;
	 * an error for media sent in a text field (base64 or a URL: media travel as file uploads
	 * only) or for several files under one name.
	 *
	 * @param WP_REST_Request $request       Request.
	 * @param string          $field         Field name: image or audio.
	 * @param string          $not_a_file    Visitor message for media in a text field.
	 * @param string          $one_at_a_time Visitor message for several files.
	 * @return array<string, mixed>|WP_Error|null
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	private function upload( $request, string $field, string $not_a_file, string $one_at_a_time ) {
		/**
		 * Uploads by field name. Not the stubs' flat shape: `image[]` fields nest.
		 *
		 * @var array<string, mixed> $files
		 */
		$files = $request->get_file_params();
		$file  = $files[ $field ] ?? null;
		if ( null === $file || ( is_array( $file ) && UPLOAD_ERR_NO_FILE === ( $file['error'] ?? null ) ) ) {
			$body = $request->get_body_params();
			$json = (array) $request->get_json_params();
			if ( isset( $body[ $field ] ) || isset( $json[ $field ] ) ) {
				return new WP_Error( 'vvc_bad_request', $not_a_file, array( 'status' => 400 ) );
			}
			return null;
		}
		if ( ! is_array( $file ) || is_array( $file['tmp_name'] ?? null ) ) {
			return new WP_Error( 'vvc_bad_request', $one_at_a_time, array( 'status' => 400 ) );
		}
		return $file;
	}

	/**
	 * Schema of a JSON answer.
	 *
	 * @return array<string, mixed>
	 */
	public function get_item_schema() {
		if ( $this->schema ) {
			return $this->add_additional_fields_schema( $this->schema );
		}
		$this->schema = array(
			'$schema'    => 'http://json-schema.org/draft-04/schema#',
			'title'      => 'vvc-chat-answer',
			'type'       => 'object',
			'properties' => array(
				'reply'         => array(
					'description' => __( 'The assistant\'s answer, as Markdown text.', 'voice-vision-chat' ),
					'type'        => 'string',
					'context'     => array( 'view' ),
					'readonly'    => true,
				),
				'finish_reason' => array(
					'description' => __( 'Why the answer ended: stop, length (the output cap) or content_filter.', 'voice-vision-chat' ),
					'type'        => 'string',
					'context'     => array( 'view' ),
					'readonly'    => true,
				),
				'transcript'    => array(
					'description' => __( 'Voice turns only: what the visitor said, as text.', 'voice-vision-chat' ),
					'type'        => 'string',
					'context'     => array( 'view' ),
					'readonly'    => true,
				),
				'pipeline'      => array(
					'description' => __( 'Voice turns only: the pipeline that answered, native or chained.', 'voice-vision-chat' ),
					'type'        => 'string',
					'enum'        => array( 'native', 'chained' ),
					'context'     => array( 'view' ),
					'readonly'    => true,
				),
				'audio'         => array(
					'description' => __( 'Voice turns only: the spoken reply (an AI-generated voice; show the label), or null when there is none.', 'voice-vision-chat' ),
					'type'        => array( 'object', 'null' ),
					'context'     => array( 'view' ),
					'readonly'    => true,
					'properties'  => array(
						'format' => array(
							'type' => 'string',
							'enum' => array( 'mp3' ),
						),
						'data'   => array(
							'description' => __( 'The audio file, base64-encoded.', 'voice-vision-chat' ),
							'type'        => 'string',
						),
						'label'  => array(
							'description' => __( 'Text to show with the player, saying the voice is AI-generated.', 'voice-vision-chat' ),
							'type'        => 'string',
						),
					),
				),
			),
		);
		return $this->add_additional_fields_schema( $this->schema );
	}
}
