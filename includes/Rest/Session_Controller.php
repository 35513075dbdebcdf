<?php
/**
 * POST /voice-vision-chat/v1/session: a visitor token for the chat.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Rest;

use VoiceVisionChat\Cost\Budget_Settings;
use VoiceVisionChat\Cost\Rate_Limiter;
use VoiceVisionChat\Cost\Visitor_Identity;
use VoiceVisionChat\Security\Client_Ip;
use VoiceVisionChat\Security\Visitor_Token;
use VoiceVisionChat\Settings\Settings;
use WP_Error;
use WP_REST_Controller;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * Hands a visitor a short-lived signed token when they first use the chat.
 *
 * Pages with the block can come from a full-page cache, so they carry no nonce; the widget
 * asks this route for a token instead. The token is its own proof; what is stored is a
 * counter per client IP (a keyed hash, never the address): sessions_per_ip_hour tokens an
 * hour (429 vvc_rate_limited), so a script cannot shed its limits by fetching new tokens. The
 * IP is REMOTE_ADDR, or X-Forwarded-For only from proxies listed as trusted (Client_Ip).
 */
final class Session_Controller extends WP_REST_Controller {

	/**
	 * REST namespace of every plugin route.
	 */
	public const ROUTE_NAMESPACE = 'voice-vision-chat/v1';

	/**
	 * Settings, for whether the chat is enabled.
	 *
	 * @var Settings
	 */
	private Settings $settings;

	/**
	 * Token issuer.
	 *
	 * @var Visitor_Token
	 */
	private Visitor_Token $tokens;

	/**
	 * Counts new sessions per client IP.
	 *
	 * @var Rate_Limiter
	 */
	private Rate_Limiter $limiter;

	/**
	 * The client's address.
	 *
	 * @var Client_Ip
	 */
	private Client_Ip $client_ip;

	/**
	 * Stores collaborators.
	 *
	 * @param Settings          $settings  Plugin settings.
	 * @param Visitor_Token     $tokens    Token issuer.
	 * @param Rate_Limiter|null $limiter   Session counter; one on the stored limits when null.
	 * @param Client_Ip|null    $client_ip The client's address; from $_SERVER when null.
	 */
	public function __construct( Settings $settings, Visitor_Token $tokens, ?Rate_Limiter $limiter = null, ?Client_Ip $client_ip = null ) {
		$this->namespace = self::ROUTE_NAMESPACE;
		$this->rest_base = 'session';
		$this->settings  = $settings;
		$this->tokens    = $tokens;
		$this->limiter   = $limiter ?? new Rate_Limiter( new Budget_Settings() );
		$this->client_ip = $client_ip ?? new Client_Ip();
	}

	/**
	 * Registers POST /session.
	 */
	public function register_routes(): void {
		register_rest_route(
			self::ROUTE_NAMESPACE,
			'/' . $this->rest_base,
			array(
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'create_item' ),
					'permission_callback' => array( $this, 'create_item_permissions_check' ),
					// Every field is read-only: the visitor chooses nothing, not even their id.
					'args'                => $this->get_endpoint_args_for_item_schema( WP_REST_Server::CREATABLE ),
				),
				'schema' => array( $this, 'get_public_item_schema' ),
			)
		);
	}

	/**
	 * Anyone may start a session while the chat is enabled.
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
		return true;
	}

	/**
	 * Issues a token, unless this address asked for too many this hour.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function create_item( $request ) {
		$allowed = $this->limiter->allow_session( ( new Visitor_Identity( '', $this->client_ip->get() ) )->ip_hash() );
		if ( is_wp_error( $allowed ) ) {
			return $allowed;
		}
		$issued   = $this->tokens->issue();
		$response = new WP_REST_Response(
			array(
				'token'      => $issued['token'],
				'expires_at' => $issued['expires_at'],
			)
		);
		// A token is per visitor: no cache, shared or private, may keep or hand it out again.
		$response->header( 'Cache-Control', 'no-store' );
		return $response;
	}

	/**
	 * Schema of a session.
	 *
	 * @return array<string, mixed>
	 */
	public function get_item_schema() {
		if ( $this->schema ) {
			return $this->add_additional_fields_schema( $this->schema );
		}
		$this->schema = array(
			'$schema'    => 'http://json-schema.org/draft-04/schema#',
			'title'      => 'vvc-session',
			'type'       => 'object',
			'properties' => array(
				'token'      => array(
					'description' => __( 'Signed visitor token, sent back in the X-VVC-Token header.', 'voice-vision-chat' ),
					'type'        => 'string',
					'context'     => array( 'view' ),
					'readonly'    => true,
				),
				'expires_at' => array(
					'description' => __( 'When the token stops working, as a Unix timestamp.', 'voice-vision-chat' ),
					'type'        => 'integer',
					'context'     => array( 'view' ),
					'readonly'    => true,
				),
			),
		);
		return $this->add_additional_fields_schema( $this->schema );
	}
}
