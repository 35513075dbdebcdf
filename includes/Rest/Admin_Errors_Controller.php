<?php
/**
 * GET /voice-vision-chat/v1/admin/errors.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Rest;

use VoiceVisionChat\Support\Error_Log;
use WP_Error;
use WP_REST_Controller;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * Shows the admin the precise reasons behind recent errors (visitors only saw friendly ones).
 */
final class Admin_Errors_Controller extends WP_REST_Controller {

	/**
	 * REST namespace of every plugin route.
	 */
	public const ROUTE_NAMESPACE = 'voice-vision-chat/v1';

	/**
	 * The error log.
	 *
	 * @var Error_Log
	 */
	private Error_Log $log;

	/**
	 * Stores collaborators.
	 *
	 * @param Error_Log $log The error log.
	 */
	public function __construct( Error_Log $log ) {
		$this->namespace = self::ROUTE_NAMESPACE;
		$this->rest_base = 'admin/errors';
		$this->log       = $log;
	}

	/**
	 * Registers GET /admin/errors.
	 */
	public function register_routes(): void {
		register_rest_route(
			self::ROUTE_NAMESPACE,
			'/' . $this->rest_base,
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( $this, 'get_items' ),
					'permission_callback' => array( $this, 'get_items_permissions_check' ),
					'args'                => $this->get_collection_params(),
				),
				'schema' => array( $this, 'get_public_item_schema' ),
			)
		);
	}

	/**
	 * Only administrators (manage_options) may read the log.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return true|WP_Error
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function get_items_permissions_check( $request ) {
		return Admin_Permission::check( __( 'Sorry, you are not allowed to see the chat\'s error log.', 'voice-vision-chat' ) );
	}

	/**
	 * The newest entries first.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function get_items( $request ) {
		$entries = array();
		foreach ( $this->log->recent( (int) $request->get_param( 'limit' ) ) as $entry ) {
			$entries[] = array(
				'time'    => $entry['time'],
				'code'    => $entry['code'],
				'detail'  => $entry['detail'],
				// An object even when empty, as the schema says.
				'context' => (object) $entry['context'],
			);
		}
		$response = new WP_REST_Response( $entries );
		$response->header( 'Cache-Control', 'no-store' );
		return $response;
	}

	/**
	 * Query arguments.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public function get_collection_params() {
		return array(
			'limit' => array(
				'description' => __( 'How many entries to return, newest first.', 'voice-vision-chat' ),
				'type'        => 'integer',
				'default'     => 20,
				'minimum'     => 1,
				'maximum'     => Error_Log::MAX_ENTRIES,
			),
		);
	}

	/**
	 * Schema of one log entry.
	 *
	 * @return array<string, mixed>
	 */
	public function get_item_schema() {
		if ( $this->schema ) {
			return $this->add_additional_fields_schema( $this->schema );
		}
		$this->schema = array(
			'$schema'    => 'http://json-schema.org/draft-04/schema#',
			'title'      => 'vvc-error',
			'type'       => 'object',
			'properties' => array(
				'time'    => array(
					'description' => __( 'When the error happened, as a Unix timestamp.', 'voice-vision-chat' ),
					'type'        => 'integer',
					'context'     => array( 'view' ),
					'readonly'    => true,
				),
				'code'    => array(
					'description' => __( 'Stable error code, e.g. vvc_upstream_auth.', 'voice-vision-chat' ),
					'type'        => 'string',
					'context'     => array( 'view' ),
					'readonly'    => true,
				),
				'detail'  => array(
					'description' => __( 'The precise reason, with secrets redacted.', 'voice-vision-chat' ),
					'type'        => 'string',
					'context'     => array( 'view' ),
					'readonly'    => true,
				),
				'context' => array(
					'description' => __( 'Extra facts such as the HTTP status or the model.', 'voice-vision-chat' ),
					'type'        => 'object',
					'context'     => array( 'view' ),
					'readonly'    => true,
				),
			),
		);
		return $this->add_additional_fields_schema( $this->schema );
	}
}
