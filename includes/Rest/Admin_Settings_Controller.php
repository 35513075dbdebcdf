<?php
/**
 * GET and POST /voice-vision-chat/v1/admin/settings.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Rest;

use VoiceVisionChat\Security\Api_Key_Store;
use VoiceVisionChat\Settings\Settings;
use WP_Error;
use WP_REST_Controller;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * Reads and saves the plugin settings and the plugin's own API key for the settings page.
 *
 * The key itself never leaves the server: responses say only where it comes from and its
 * last four characters.
 *
 * @phpstan-import-type Settings_Array from Settings
 */
final class Admin_Settings_Controller extends WP_REST_Controller {

	/**
	 * REST namespace of every plugin route.
	 */
	public const ROUTE_NAMESPACE = 'voice-vision-chat/v1';

	/**
	 * Settings.
	 *
	 * @var Settings
	 */
	private Settings $settings;

	/**
	 * API key store.
	 *
	 * @var Api_Key_Store
	 */
	private Api_Key_Store $keys;

	/**
	 * Stores collaborators.
	 *
	 * @param Settings      $settings Plugin settings.
	 * @param Api_Key_Store $keys     API key store.
	 */
	public function __construct( Settings $settings, Api_Key_Store $keys ) {
		$this->namespace = self::ROUTE_NAMESPACE;
		$this->rest_base = 'admin/settings';
		$this->settings  = $settings;
		$this->keys      = $keys;
	}

	/**
	 * Registers GET and POST /admin/settings.
	 */
	public function register_routes(): void {
		register_rest_route(
			self::ROUTE_NAMESPACE,
			'/' . $this->rest_base,
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( $this, 'get_item' ),
					'permission_callback' => array( $this, 'get_item_permissions_check' ),
					'args'                => array(),
				),
				array(
					'methods'             => WP_REST_Server::EDITABLE,
					'callback'            => array( $this, 'update_item' ),
					'permission_callback' => array( $this, 'update_item_permissions_check' ),
					'args'                => $this->update_args(),
				),
				'schema' => array( $this, 'get_public_item_schema' ),
			)
		);
	}

	/**
	 * Only administrators (manage_options) may read the settings.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return true|WP_Error
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function get_item_permissions_check( $request ) {
		return Admin_Permission::check( __( 'Sorry, you are not allowed to manage the chat settings.', 'voice-vision-chat' ) );
	}

	/**
	 * Only administrators (manage_options) may change the settings.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return true|WP_Error
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function update_item_permissions_check( $request ) {
		return Admin_Permission::check( __( 'Sorry, you are not allowed to manage the chat settings.', 'voice-vision-chat' ) );
	}

	/**
	 * The settings, the key's source and last four characters, and whether the simulator is used.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function get_item( $request ) {
		return $this->respond();
	}

	/**
	 * Saves any subset of the settings, and stores or deletes the plugin's own key.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function update_item( $request ) {
		$changes = array();
		foreach ( array_keys( $this->settings_args() ) as $key ) {
			if ( null !== $request->get_param( $key ) ) {
				$changes[ $key ] = $request->get_param( $key );
			}
		}
		if ( $changes ) {
			$this->settings->update( $changes );
		}

		if ( true === $request->get_param( 'delete_api_key' ) ) {
			$this->keys->delete_plugin_key();
		}
		$new_key = $request->get_param( 'api_key' );
		// An empty key means "keep the saved one", so the form can be saved without retyping it.
		if ( is_string( $new_key ) && '' !== $new_key ) {
			$this->keys->save_plugin_key( $new_key );
		}

		return $this->respond();
	}

	/**
	 * Schema of the response: settings, key status, simulator flag.
	 *
	 * @return array<string, mixed>
	 */
	public function get_item_schema() {
		if ( $this->schema ) {
			return $this->add_additional_fields_schema( $this->schema );
		}
		$settings = array();
		foreach ( Settings::schema() as $key => $property ) {
			$settings[ $key ] = $property + array( 'context' => array( 'view', 'edit' ) );
		}
		$this->schema = array(
			'$schema'    => 'http://json-schema.org/draft-04/schema#',
			'title'      => 'vvc-admin-settings',
			'type'       => 'object',
			'properties' => array(
				'settings'        => array(
					'description' => __( 'Every plugin setting.', 'voice-vision-chat' ),
					'type'        => 'object',
					'context'     => array( 'view', 'edit' ),
					'properties'  => $settings,
				),
				'api_key'         => array(
					'description' => __( 'Which API key is used; never the key itself.', 'voice-vision-chat' ),
					'type'        => 'object',
					'context'     => array( 'view', 'edit' ),
					'readonly'    => true,
					'properties'  => array(
						'source'     => array(
							'description' => __( 'Where the key in use comes from.', 'voice-vision-chat' ),
							'type'        => 'string',
							'enum'        => array( 'env', 'constant', 'connectors', 'plugin', 'none' ),
						),
						'last4'      => array(
							'description' => __( 'Last four characters of the key in use.', 'voice-vision-chat' ),
							'type'        => 'string',
						),
						'configured' => array(
							'description' => __( 'Whether any key is available.', 'voice-vision-chat' ),
							'type'        => 'boolean',
						),
						'plugin_key' => array(
							'description' => __( 'Whether the plugin has its own key saved, even if another one takes precedence.', 'voice-vision-chat' ),
							'type'        => 'boolean',
						),
					),
				),
				'simulator'       => array(
					'description' => __( 'Whether the plugin talks to the OpenAI simulator rather than a real provider.', 'voice-vision-chat' ),
					'type'        => 'boolean',
					'context'     => array( 'view', 'edit' ),
					'readonly'    => true,
				),
				'base_url_locked' => array(
					'description' => __( 'Whether the constant VVC_OPENAI_BASE_URL fixes the base URL.', 'voice-vision-chat' ),
					'type'        => 'boolean',
					'context'     => array( 'view', 'edit' ),
					'readonly'    => true,
				),
			),
		);
		return $this->add_additional_fields_schema( $this->schema );
	}

	/**
	 * The current state, as described by the schema.
	 */
	private function respond(): WP_REST_Response {
		$response = new WP_REST_Response(
			array(
				'settings'        => $this->settings->all(),
				'api_key'         => array(
					'source'     => $this->keys->source(),
					'last4'      => $this->keys->last4(),
					'configured' => '' !== $this->keys->key(),
					'plugin_key' => $this->keys->has_plugin_key(),
				),
				'simulator'       => $this->settings->uses_simulator(),
				'base_url_locked' => Settings::base_url_is_locked(),
			)
		);
		$response->header( 'Cache-Control', 'no-store' );
		return $response;
	}

	/**
	 * POST arguments: every setting plus the key fields.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	private function update_args(): array {
		return $this->settings_args() + array(
			'api_key'        => array(
				'description' => __( 'A new API key to store encrypted; empty keeps the saved one.', 'voice-vision-chat' ),
				'type'        => 'string',
				'maxLength'   => 512,
				// Printable ASCII only: keys go into an HTTP header.
				'pattern'     => '^\s*[\x21-\x7E]*\s*$',
			),
			'delete_api_key' => array(
				'description' => __( 'Delete the plugin\'s own saved key.', 'voice-vision-chat' ),
				'type'        => 'boolean',
				'default'     => false,
			),
		);
	}

	/**
	 * Arguments for the settings, from their schema.
	 *
	 * Integer ranges are left out of the validation and clamped by the sanitizer instead, so a
	 * value just past a limit is saved at the limit rather than refused.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	private function settings_args(): array {
		$args = array();
		foreach ( Settings::schema() as $key => $property ) {
			if ( ! empty( $property['readonly'] ) ) {
				continue;
			}
			if ( 'integer' === $property['type'] ) {
				unset( $property['minimum'], $property['maximum'] );
				$property['sanitize_callback'] = static fn ( $value ): int => Settings::clamp( $key, (int) $value );
			}
			// A sanitize_callback alone would skip the schema check: validate explicitly.
			$property['validate_callback'] = 'rest_validate_request_arg';
			$args[ $key ]                  = $property;
		}

		$args['base_url']['validate_callback'] = static function ( $value, WP_REST_Request $request, string $param ) {
			$valid = rest_validate_request_arg( $value, $request, $param );
			if ( true !== $valid ) {
				return $valid;
			}
			if ( ! is_string( $value ) || ! Settings::is_valid_base_url( $value ) ) {
				return new WP_Error(
					'vvc_bad_request',
					__( 'The base URL must be a complete http:// or https:// address, e.g. https://api.openai.com/v1.', 'voice-vision-chat' ),
					array( 'status' => 400 )
				);
			}
			return true;
		};
		$args['base_url']['sanitize_callback'] = static fn ( $value ): string => untrailingslashit( trim( (string) $value ) );
		foreach ( array( 'text_model', 'image_model', 'organization', 'project' ) as $key ) {
			$args[ $key ]['sanitize_callback'] = static fn ( $value ): string => trim( (string) $value );
		}
		$args['system_prompt']['sanitize_callback'] = static fn ( $value ): string => Settings::sanitize_prompt( (string) $value );

		return $args;
	}
}
