<?php
/**
 * POST /voice-vision-chat/v1/chat: a visitor's question, answered as JSON or streamed.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Rest;

use VoiceVisionChat\Cache\Faq_Cache;
use VoiceVisionChat\Chat\Question_Router;
use VoiceVisionChat\Chat\Text_Answerer;
use VoiceVisionChat\Chat\Voice_Responder;
use VoiceVisionChat\Chat\Free_Alternatives;
use VoiceVisionChat\Cost\Metered_Call;
use VoiceVisionChat\Cost\Request_Meter;
use VoiceVisionChat\Media\Image_Validator;
use VoiceVisionChat\Security\Visitor_Token;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Upstream\Chat_Request_Builder;
use VoiceVisionChat\Upstream\OpenAI_Client;
use VoiceVisionChat\Voice\Voice_Answerer;
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
 * or besides `message`.
 *
 * This class checks the request (token, rates, message, history, image, recording) and hands
 * the turn on: typed turns to Chat\Text_Answerer (routing, FAQ cache, reservation, JSON or
 * events), spoken ones to Chat\Voice_Responder (pipelines, reservation of every call). Every
 * request is counted against the visitor's rates (FAQ answers too) and leaves a usage row,
 * written here however the request ends (Cost\Request_Meter; see README "Cost control").
 *
 * @phpstan-import-type Turn from Chat_Request_Builder
 * @phpstan-import-type Audio from \VoiceVisionChat\Media\Audio_Validator
 */
final class Chat_Controller extends WP_REST_Controller {

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
	 * Image checks.
	 *
	 * @var Image_Validator
	 */
	private Image_Validator $images;

	/**
	 * Bounds the history.
	 *
	 * @var Chat_Request_Builder
	 */
	private Chat_Request_Builder $builder;

	/**
	 * The voice side's recording checks.
	 *
	 * @var Voice_Answerer
	 */
	private Voice_Answerer $voice;

	/**
	 * Rates and the usage log of every request.
	 *
	 * @var Request_Meter
	 */
	private Request_Meter $meter;

	/**
	 * Answers typed turns.
	 *
	 * @var Text_Answerer
	 */
	private Text_Answerer $text_answerer;

	/**
	 * Answers spoken turns.
	 *
	 * @var Voice_Responder
	 */
	private Voice_Responder $voice_responder;

	/**
	 * Stores collaborators.
	 *
	 * @param Settings             $settings        Plugin settings.
	 * @param Visitor_Token        $tokens          Visitor token checker.
	 * @param Image_Validator      $images          Image checks.
	 * @param Chat_Request_Builder $builder         Bounds the history.
	 * @param Voice_Answerer       $voice           Recording checks.
	 * @param Request_Meter        $meter           Rates and the usage log.
	 * @param Text_Answerer        $text_answerer   Answers typed turns.
	 * @param Voice_Responder      $voice_responder Answers spoken turns.
	 */
	public function __construct( Settings $settings, Visitor_Token $tokens, Image_Validator $images, Chat_Request_Builder $builder, Voice_Answerer $voice, Request_Meter $meter, Text_Answerer $text_answerer, Voice_Responder $voice_responder ) {
		$this->namespace       = self::REST_NAMESPACE;
		$this->rest_base       = 'chat';
		$this->settings        = $settings;
		$this->tokens          = $tokens;
		$this->images          = $images;
		$this->builder         = $builder;
		$this->voice           = $voice;
		$this->meter           = $meter;
		$this->text_answerer   = $text_answerer;
		$this->voice_responder = $voice_responder;
	}

	/**
	 * The usual wiring around the given collaborators (tests, and sites without the plugin's
	 * composition root): the answerers on one writer, meter and router.
	 *
	 * @param Settings               $settings Plugin settings.
	 * @param Visitor_Token          $tokens   Visitor token checker.
	 * @param OpenAI_Client          $client   Provider client.
	 * @param Image_Validator        $images   Image checks.
	 * @param Chat_Request_Builder   $builder  Request body builder.
	 * @param Sse_Writer|null        $writer   Event stream writer; the real one when null.
	 * @param Voice_Answerer|null    $voice    Voice side; built on the same client and builder when null.
	 * @param Faq_Cache|null         $faq      FAQ cache; none when null.
	 * @param Request_Meter|null     $meter    Cost control; the usual one on the stored options when null.
	 * @param Free_Alternatives|null $alternatives What visitors can use when no model answers; search links only when null.
	 */
	public static function create( Settings $settings, Visitor_Token $tokens, OpenAI_Client $client, Image_Validator $images, Chat_Request_Builder $builder, ?Sse_Writer $writer = null, ?Voice_Answerer $voice = null, ?Faq_Cache $faq = null, ?Request_Meter $meter = null, ?Free_Alternatives $alternatives = null ): self {
		$writer       = $writer ?? new Sse_Writer();
		$voice        = $voice ?? Voice_Answerer::create( $settings, $client, $builder );
		$meter        = $meter ?? Request_Meter::create();
		$alternatives = $alternatives ?? new Free_Alternatives();
		$router       = new Question_Router( $settings, $builder, $meter );
		return new self(
			$settings,
			$tokens,
			$images,
			$builder,
			$voice,
			$meter,
			new Text_Answerer( $settings, $client, $builder, $writer, $faq, $meter, $alternatives, $router ),
			new Voice_Responder( $settings, $builder, $writer, $voice, $meter, $alternatives, $router )
		);
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
	 * Answers the question, metered: the usage row is written however the request ends.
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
		$stream = (bool) $request->get_param( 'stream' );
		$call   = $this->meter->start( $visitor, $stream ? 'chat_stream' : 'chat' );
		$result = $this->respond( $request, $visitor, $stream, $call );
		if ( is_wp_error( $result ) ) {
			$call->fail( $result );
		} else {
			$call->finish( $result->get_status() ); // Streams finished already; this does nothing then.
		}
		return $result;
	}

	/**
	 * Checks the visitor's rates and the turn, then answers it.
	 *
	 * @param WP_REST_Request $request Request.
	 * @param string          $visitor Visitor id.
	 * @param bool            $stream  Whether to answer as events.
	 * @param Metered_Call    $call    The request's metering.
	 * @return WP_REST_Response|WP_Error
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	private function respond( $request, string $visitor, bool $stream, Metered_Call $call ) {
		// Every request counts, FAQ answers and refusals included: a limit that only counted
		// paid calls would let a script probe for free.
		$admitted = $call->admit();
		if ( is_wp_error( $admitted ) ) {
			return $admitted;
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
			$call->set_route( 'voice' );
			$turn = array(
				'audio'   => $audio,
				'message' => $message,
				'history' => $history,
				'image'   => $image,
				'visitor' => $visitor,
			);
			return $this->voice_responder->answer_turn( $call, $turn, $stream );
		}
		return $this->text_answerer->answer_turn( $call, $message, $history, $image, $visitor, $stream );
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
