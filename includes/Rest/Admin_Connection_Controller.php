<?php
/**
 * POST /voice-vision-chat/v1/admin/test-connection: the settings page's "Test connection".
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Rest;

use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Upstream\OpenAI_Client;
use VoiceVisionChat\Upstream\Upstream_Error;
use WP_Error;
use WP_REST_Controller;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * Calls the provider's models list with the saved base URL and key and reports the result.
 *
 * Unlike the visitor routes, a failure here is explained precisely (HTTP status, provider
 * code and message, request id), because the admin is the one who can fix it. The key itself
 * is never part of the answer.
 */
final class Admin_Connection_Controller extends WP_REST_Controller {

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
	 * Provider client.
	 *
	 * @var OpenAI_Client
	 */
	private OpenAI_Client $client;

	/**
	 * Stores collaborators.
	 *
	 * @param Settings      $settings Plugin settings.
	 * @param OpenAI_Client $client   Provider client.
	 */
	public function __construct( Settings $settings, OpenAI_Client $client ) {
		$this->namespace = self::REST_NAMESPACE;
		$this->rest_base = 'admin/test-connection';
		$this->settings  = $settings;
		$this->client    = $client;
	}

	/**
	 * Registers POST /admin/test-connection.
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
					'args'                => array(),
				),
				'schema' => array( $this, 'get_public_item_schema' ),
			)
		);
	}

	/**
	 * Only admins who manage options may test (each test is a call billed to the key's owner
	 * in the provider's request limits).
	 *
	 * @param WP_REST_Request $request Request.
	 * @return true|WP_Error
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function create_item_permissions_check( $request ) {
		return Admin_Permission::check( __( 'Sorry, you are not allowed to test the connection.', 'voice-vision-chat' ) );
	}

	/**
	 * Lists the provider's models.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function create_item( $request ) {
		try {
			$models = $this->client->list_models();
		} catch ( Upstream_Error $error ) {
			return $error->to_admin_wp_error();
		}
		$ids = array();
		foreach ( $models as $model ) {
			if ( isset( $model['id'] ) && is_string( $model['id'] ) ) {
				$ids[] = $model['id'];
			}
		}
		$configured = array_unique( array( (string) $this->settings->get( 'text_model' ), (string) $this->settings->get( 'image_model' ) ) );

		$response = new WP_REST_Response(
			array(
				'ok'             => true,
				'models'         => count( $models ),
				'base_url'       => $this->client->base_url(),
				'simulator'      => $this->settings->uses_simulator(),
				'missing_models' => array_values( array_diff( $configured, $ids ) ),
			)
		);
		$response->header( 'Cache-Control', 'no-store' );
		return $response;
	}

	/**
	 * Schema of the result.
	 *
	 * @return array<string, mixed>
	 */
	public function get_item_schema() {
		if ( $this->schema ) {
			return $this->add_additional_fields_schema( $this->schema );
		}
		$this->schema = array(
			'$schema'    => 'http://json-schema.org/draft-04/schema#',
			'title'      => 'vvc-connection-test',
			'type'       => 'object',
			'properties' => array(
				'ok'             => array(
					'description' => __( 'Whether the provider answered.', 'voice-vision-chat' ),
					'type'        => 'boolean',
					'context'     => array( 'edit' ),
					'readonly'    => true,
				),
				'models'         => array(
					'description' => __( 'How many models the key may use.', 'voice-vision-chat' ),
					'type'        => 'integer',
					'context'     => array( 'edit' ),
					'readonly'    => true,
				),
				'base_url'       => array(
					'description' => __( 'The base URL that was called.', 'voice-vision-chat' ),
					'type'        => 'string',
					'format'      => 'uri',
					'context'     => array( 'edit' ),
					'readonly'    => true,
				),
				'simulator'      => array(
					'description' => __( 'Whether the base URL is the development simulator.', 'voice-vision-chat' ),
					'type'        => 'boolean',
					'context'     => array( 'edit' ),
					'readonly'    => true,
				),
				'missing_models' => array(
					'description' => __( 'Configured models the provider did not list.', 'voice-vision-chat' ),
					'type'        => 'array',
					'items'       => array( 'type' => 'string' ),
					'context'     => array( 'edit' ),
					'readonly'    => true,
				),
			),
		);
		return $this->add_additional_fields_schema( $this->schema );
	}
}
