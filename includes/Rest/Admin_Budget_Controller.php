<?php
/**
 * GET and POST /voice-vision-chat/v1/admin/budget, and POST /admin/models/refresh.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Rest;

use VoiceVisionChat\Admin\Model_Problems;
use VoiceVisionChat\Cost\Budget_Settings;
use VoiceVisionChat\Routing\Model_Catalog;
use VoiceVisionChat\Routing\Model_Tier;
use VoiceVisionChat\Upstream\OpenAI_Client;
use VoiceVisionChat\Upstream\Upstream_Error;
use WP_Error;
use WP_REST_Controller;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * The budget screen's data: spending limits and request rates (Budget_Settings), the model
 * catalog with its prices, which model plays each tier, the unknown-price policy, and the
 * configured models' problems; plus the "Refresh models" check against the provider.
 *
 * Money limits are integer micro-dollars, as stored; prices are USD per 1M tokens (per
 * minute or per 1M characters where the provider bills that way), as the catalog keeps them.
 *
 * @phpstan-import-type Model_Info from Model_Catalog
 */
final class Admin_Budget_Controller extends WP_REST_Controller {

	/**
	 * REST namespace.
	 */
	private const REST_NAMESPACE = 'voice-vision-chat/v1';

	/**
	 * Model ids as the catalog accepts them.
	 */
	private const MODEL_ID = '/^[A-Za-z0-9._:\/-]{1,100}$/';

	/**
	 * Integer limits and their ranges (the same as Budget_Settings enforces).
	 *
	 * @var array<string, array{0: int, 1: int}>
	 */
	private const LIMITS = array(
		'site_day_micros'         => array( 0, 1000000000000 ),
		'site_month_micros'       => array( 0, 10000000000000 ),
		'soft_percent'            => array( 1, 100 ),
		'visitor_day_micros'      => array( 0, 1000000000000 ),
		'requests_per_minute'     => array( 0, 10000 ),
		'requests_per_hour'       => array( 0, 100000 ),
		'sessions_per_ip_hour'    => array( 0, 100000 ),
		'reservation_ttl_minutes' => array( 2, 1440 ),
		'usage_retention_days'    => array( 1, 3650 ),
	);

	/**
	 * Model kinds each tier may use.
	 *
	 * @var array<string, list<string>>
	 */
	private const TIER_KINDS = array(
		Model_Tier::ECONOMY      => array( 'chat' ),
		Model_Tier::STANDARD     => array( 'chat' ),
		Model_Tier::VISION       => array( 'chat' ),
		Model_Tier::LONG_CONTEXT => array( 'chat' ),
		Model_Tier::VOICE        => array( 'audio_chat', 'realtime' ),
		Model_Tier::TRANSCRIBE   => array( 'transcription' ),
		Model_Tier::SPEECH       => array( 'speech' ),
	);

	/**
	 * What a new model of each kind takes and gives.
	 *
	 * @var array<string, array{0: list<string>, 1: list<string>}>
	 */
	private const KIND_MODALITIES = array(
		'chat'          => array( array( 'text' ), array( 'text' ) ),
		'audio_chat'    => array( array( 'text', 'audio' ), array( 'text', 'audio' ) ),
		'realtime'      => array( array( 'text', 'audio' ), array( 'text', 'audio' ) ),
		'transcription' => array( array( 'audio' ), array( 'text' ) ),
		'speech'        => array( array( 'text' ), array( 'audio' ) ),
		'moderation'    => array( array( 'text' ), array( 'text' ) ),
	);

	/**
	 * Spending limits.
	 *
	 * @var Budget_Settings
	 */
	private Budget_Settings $budget;

	/**
	 * Builds a catalog on the stored option (prices, tiers, provider check).
	 *
	 * @var callable(): Model_Catalog
	 */
	private $catalog;

	/**
	 * The configured models' problems, in words.
	 *
	 * @var Model_Problems
	 */
	private Model_Problems $problems;

	/**
	 * Provider client, for the models list.
	 *
	 * @var OpenAI_Client
	 */
	private OpenAI_Client $client;

	/**
	 * Returns the current Unix time.
	 *
	 * @var callable(): int
	 */
	private $clock;

	/**
	 * Stores collaborators.
	 *
	 * A catalog keeps the option it read, so each request builds a fresh one (the objects
	 * here live as long as the PHP process, which is longer than a request in tests).
	 *
	 * @param Budget_Settings $budget   Limits.
	 * @param Model_Problems  $problems Problems of the configured models.
	 * @param OpenAI_Client   $client   Provider client.
	 * @param callable|null   $catalog  Returns a Model_Catalog; `new Model_Catalog()` when null.
	 * @param callable|null   $clock    Returns the Unix time; time() when null.
	 */
	public function __construct( Budget_Settings $budget, Model_Problems $problems, OpenAI_Client $client, ?callable $catalog = null, ?callable $clock = null ) {
		$this->namespace = self::REST_NAMESPACE;
		$this->rest_base = 'admin/budget';
		$this->budget    = $budget;
		$this->catalog   = $catalog ?? static fn (): Model_Catalog => new Model_Catalog();
		$this->problems  = $problems;
		$this->client    = $client;
		$this->clock     = $clock ?? static fn (): int => time();
	}

	/**
	 * Registers GET/POST /admin/budget and POST /admin/models/refresh.
	 */
	public function register_routes(): void {
		register_rest_route(
			self::REST_NAMESPACE,
			'/' . $this->rest_base,
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( $this, 'get_item' ),
					'permission_callback' => array( $this, 'get_item_permissions_check' ),
					'args'                => array(),
				),
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'update_item' ),
					'permission_callback' => array( $this, 'get_item_permissions_check' ),
					'args'                => $this->update_params(),
				),
				'schema' => array( $this, 'get_public_item_schema' ),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/admin/models/refresh',
			array(
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'refresh_models' ),
					'permission_callback' => array( $this, 'get_item_permissions_check' ),
					'args'                => array(),
				),
				'schema' => array( $this, 'get_public_item_schema' ),
			)
		);
	}

	/**
	 * Only administrators (manage_options) may see or change what the chat may spend.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return true|WP_Error
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function get_item_permissions_check( $request ) {
		return Admin_Permission::check( __( 'Sorry, you are not allowed to manage the chat’s budget and models.', 'voice-vision-chat' ) );
	}

	/**
	 * Limits, catalog, tiers and problems.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function get_item( $request ) {
		return $this->respond( ( $this->catalog )() );
	}

	/**
	 * Saves any subset of: limits, model changes, tier choices, the unknown-price policy.
	 *
	 * Nothing is saved when any part is invalid.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function update_item( $request ) {
		$budget = $request->get_param( 'budget' );
		$budget = is_array( $budget ) ? $budget : array();
		$error  = $this->check_budget( $budget );
		if ( null !== $error ) {
			return $error;
		}

		$models = $request->get_param( 'models' );
		$models = is_array( $models ) ? $models : null;
		$merged = null;
		if ( null !== $models ) {
			$merged = $this->merge_models( $models );
			if ( is_wp_error( $merged ) ) {
				return $merged;
			}
		}

		$catalog = ( $this->catalog )();
		$tiers   = $request->get_param( 'tiers' );
		$tiers   = is_array( $tiers ) ? $tiers : null;
		if ( null !== $tiers ) {
			// Checked against the catalog as it will be after this request's model changes.
			$after = null === $merged ? $catalog : new Model_Catalog( array( 'models' => $merged ) + $this->stored() );
			$error = $this->check_tiers( $tiers, $after );
			if ( null !== $error ) {
				return $error;
			}
		}

		if ( $budget ) {
			$this->budget->save( $budget );
		}
		$changes = array();
		if ( null !== $merged ) {
			$changes['models'] = $merged;
		}
		if ( null !== $tiers ) {
			$changes['tiers'] = array_merge( $catalog->stored_tiers(), $tiers );
		}
		if ( null !== $request->get_param( 'count_unknown_at_max' ) ) {
			$changes['count_unknown_at_max'] = (bool) $request->get_param( 'count_unknown_at_max' );
		}
		if ( $changes ) {
			$catalog->save( $changes );
		}
		return $this->respond( $catalog );
	}

	/**
	 * Asks the provider for its models, remembers the answer, and reports the problems.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function refresh_models( $request ) {
		try {
			$models = $this->client->list_models();
		} catch ( Upstream_Error $error ) {
			return $error->to_admin_wp_error();
		}
		$catalog = ( $this->catalog )();
		$catalog->record_provider_models( $models, ( $this->clock )() );
		return $this->respond( $catalog );
	}

	/**
	 * The whole state of the screen.
	 *
	 * @param Model_Catalog $catalog The catalog, as saved.
	 */
	private function respond( Model_Catalog $catalog ): WP_REST_Response {
		$provider = $catalog->provider_state();
		$defaults = Model_Catalog::defaults();
		$stored   = $this->stored();
		$edited   = isset( $stored['models'] ) && is_array( $stored['models'] ) ? $stored['models'] : array();

		$models = array();
		foreach ( $catalog->all() as $id => $model ) {
			$id       = (string) $id;
			$listed   = null === $provider ? null : array_key_exists( $id, $provider['ids'] );
			$models[] = array(
				'id'                => $id,
				'kind'              => $model['kind'],
				'input'             => $model['input'],
				'output'            => $model['output'],
				'context'           => $model['context'],
				'price'             => null === $model['price'] ? null : (object) $model['price'],
				'default_price'     => isset( $defaults[ $id ]['price'] ) ? (object) $defaults[ $id ]['price'] : null,
				'billed'            => $catalog->billed_components( $id ),
				'shutdown'          => $model['shutdown'],
				'custom'            => ! isset( $defaults[ $id ] ),
				'edited'            => isset( $edited[ $id ] ),
				'provider'          => null === $listed ? 'unchecked' : ( $listed ? 'listed' : 'missing' ),
				'provider_shutdown' => null === $provider ? null : ( $provider['ids'][ $id ] ?? null ),
			);
		}

		$tiers    = array();
		$current  = ( new Model_Tier( $catalog->tier_overrides() ) )->all();
		$labels   = Model_Tier::labels();
		$fallback = Model_Tier::defaults();
		foreach ( Model_Tier::ALL as $tier ) {
			$choices = array();
			foreach ( $catalog->all() as $id => $model ) {
				if ( self::tier_accepts( $tier, $model ) ) {
					$choices[] = (string) $id;
				}
			}
			$tiers[] = array(
				'tier'          => $tier,
				'label'         => $labels[ $tier ] ?? $tier,
				'model'         => $current[ $tier ] ?? '',
				'default_model' => $fallback[ $tier ] ?? '',
				'choices'       => $choices,
			);
		}

		$roles = array();
		foreach ( wp_roles()->get_names() as $slug => $name ) {
			$roles[] = array(
				'slug' => (string) $slug,
				'name' => translate_user_role( (string) $name ),
			);
		}

		$budget                    = $this->budget->all();
		$budget['role_day_micros'] = (object) $budget['role_day_micros'];

		$response = new WP_REST_Response(
			array(
				'budget'               => $budget,
				'roles'                => $roles,
				'models'               => $models,
				'tiers'                => $tiers,
				'count_unknown_at_max' => $catalog->counts_unknown_at_max(),
				'provider'             => array(
					'checked_at' => null === $provider ? null : $provider['checked_at'],
					'listed'     => null === $provider ? 0 : count( $provider['ids'] ),
				),
				'problems'             => $this->problems->all(),
			)
		);
		$response->header( 'Cache-Control', 'no-store' );
		return $response;
	}

	/**
	 * Whether a model may play a tier: the right kind, and images for the vision tier.
	 *
	 * @param string $tier  Tier.
	 * @param array  $model Catalog entry.
	 * @phpstan-param Model_Info $model
	 */
	public static function tier_accepts( string $tier, array $model ): bool {
		if ( ! in_array( $model['kind'], self::TIER_KINDS[ $tier ] ?? array(), true ) ) {
			return false;
		}
		return Model_Tier::VISION !== $tier || in_array( 'image', $model['input'], true );
	}

	/**
	 * Checks the parts of the limits the schema cannot: roles exist, the email is one.
	 *
	 * @param array<string, mixed> $budget Submitted limits.
	 */
	private function check_budget( array $budget ): ?WP_Error {
		$roles = wp_roles()->get_names();
		foreach ( array_keys( (array) ( $budget['role_day_micros'] ?? array() ) ) as $role ) {
			if ( ! isset( $roles[ $role ] ) ) {
				/* translators: %s: role slug. */
				return self::bad_request( sprintf( __( 'There is no role called %s on this site.', 'voice-vision-chat' ), (string) $role ) );
			}
		}
		$email = $budget['notify_email'] ?? '';
		if ( is_string( $email ) && '' !== $email && ! is_email( $email ) ) {
			return self::bad_request( __( 'The notification address is not an email address.', 'voice-vision-chat' ) );
		}
		return null;
	}

	/**
	 * The stored model overrides with the submitted changes applied: a model's fields are
	 * merged over its override; null removes the override (a shipped model gets its shipped
	 * values back, a model the admin added is removed).
	 *
	 * @param array<mixed> $models Model id => fields or null.
	 * @return array<string, mixed>|WP_Error
	 */
	private function merge_models( array $models ) {
		$stored    = $this->stored();
		$overrides = isset( $stored['models'] ) && is_array( $stored['models'] ) ? $stored['models'] : array();
		$defaults  = Model_Catalog::defaults();
		foreach ( $models as $id => $fields ) {
			$id = (string) $id;
			if ( ! preg_match( self::MODEL_ID, $id ) ) {
				/* translators: %s: what was sent as a model id. */
				return self::bad_request( sprintf( __( '%s is not a valid model id: use letters, digits and . _ : / - only.', 'voice-vision-chat' ), $id ) );
			}
			if ( null === $fields ) {
				unset( $overrides[ $id ] );
				continue;
			}
			$fields = (array) $fields;
			if ( ! isset( $defaults[ $id ] ) && ! isset( $overrides[ $id ] ) ) {
				$fields = $this->new_model( $fields );
			}
			$overrides[ $id ] = array_merge( is_array( $overrides[ $id ] ?? null ) ? $overrides[ $id ] : array(), $fields );
		}
		return $overrides;
	}

	/**
	 * A model the admin adds: what it takes and gives follows from its kind, unless given.
	 * A chat model that takes images has its images counted by the dearest rule the
	 * catalog knows (gpt-4o-mini's tiles), so a reservation never under-counts them.
	 *
	 * @param array<string, mixed> $fields Submitted fields.
	 * @return array<string, mixed>
	 */
	private function new_model( array $fields ): array {
		$kind             = is_string( $fields['kind'] ?? null ) && isset( self::KIND_MODALITIES[ $fields['kind'] ] ) ? $fields['kind'] : 'chat';
		$fields['kind']   = $kind;
		$fields['input']  = $fields['input'] ?? self::KIND_MODALITIES[ $kind ][0];
		$fields['output'] = $fields['output'] ?? self::KIND_MODALITIES[ $kind ][1];
		if ( is_array( $fields['input'] ) && in_array( 'image', $fields['input'], true ) ) {
			$fields['image'] = array(
				'rule'       => 'tile',
				'base'       => 2833,
				'tile'       => 5667,
				'multiplier' => 0,
			);
		}
		return $fields;
	}

	/**
	 * Checks tier choices: known tiers, models in the catalog, of a kind the tier can use.
	 *
	 * @param array<mixed>  $tiers   Tier => model id.
	 * @param Model_Catalog $catalog The catalog after this request's model changes.
	 */
	private function check_tiers( array $tiers, Model_Catalog $catalog ): ?WP_Error {
		foreach ( $tiers as $tier => $id ) {
			$model = $catalog->get( (string) $id );
			if ( null === $model ) {
				/* translators: %s: model id. */
				return self::bad_request( sprintf( __( '%s is not in the model catalog. Add it with its prices first.', 'voice-vision-chat' ), (string) $id ) );
			}
			if ( ! self::tier_accepts( (string) $tier, $model ) ) {
				$labels = Model_Tier::labels();
				/* translators: 1: model id, 2: tier name. */
				return self::bad_request( sprintf( __( '%1$s cannot serve the tier “%2$s”: it does not take or give what that tier needs.', 'voice-vision-chat' ), (string) $id, $labels[ (string) $tier ] ?? (string) $tier ) );
			}
		}
		return null;
	}

	/**
	 * The catalog option as stored.
	 *
	 * @return array<string, mixed>
	 */
	private function stored(): array {
		$stored = get_option( Model_Catalog::OPTION, array() );
		return is_array( $stored ) ? $stored : array();
	}

	/**
	 * A 400 with a stable code.
	 *
	 * @param string $message What is wrong, for the admin.
	 */
	private static function bad_request( string $message ): WP_Error {
		return new WP_Error( 'vvc_bad_request', $message, array( 'status' => 400 ) );
	}

	/**
	 * Body arguments of POST /admin/budget.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	private function update_params(): array {
		$limits = array();
		foreach ( self::LIMITS as $key => $range ) {
			$limits[ $key ] = array(
				'type'    => 'integer',
				'minimum' => $range[0],
				'maximum' => $range[1],
			);
		}
		$limits['role_day_micros'] = array(
			'type'                 => 'object',
			'additionalProperties' => array(
				'type'    => 'integer',
				'minimum' => 0,
				'maximum' => self::LIMITS['visitor_day_micros'][1],
			),
		);
		$limits['notify_email']    = array(
			'type'      => 'string',
			'maxLength' => 100,
		);

		$price = array();
		foreach ( Model_Catalog::PRICE_KEYS as $key ) {
			$price[ $key ] = array(
				'type'    => 'number',
				'minimum' => 0,
				'maximum' => 100000,
			);
		}
		$modalities = array(
			'type'        => 'array',
			'items'       => array(
				'type' => 'string',
				'enum' => Model_Catalog::MODALITIES,
			),
			'uniqueItems' => true,
		);

		$tiers = array();
		foreach ( Model_Tier::ALL as $tier ) {
			$tiers[ $tier ] = array(
				'type'    => 'string',
				'pattern' => '^[A-Za-z0-9._:\/-]{1,100}$',
			);
		}

		return array(
			'budget'               => array(
				'description'          => __( 'Spending limits (micro-dollars; 0 means no limit) and request rates.', 'voice-vision-chat' ),
				'type'                 => 'object',
				'properties'           => $limits,
				'additionalProperties' => false,
			),
			'models'               => array(
				'description'          => __( 'Changes to the model catalog by model id; null restores a shipped model or removes an added one.', 'voice-vision-chat' ),
				'type'                 => 'object',
				'maxProperties'        => 200,
				'additionalProperties' => array(
					'type'                 => array( 'object', 'null' ),
					'properties'           => array(
						'kind'     => array(
							'type' => 'string',
							'enum' => Model_Catalog::KINDS,
						),
						'input'    => $modalities,
						'output'   => $modalities,
						'context'  => array(
							'type'    => 'integer',
							'minimum' => 1,
							'maximum' => 10000000,
						),
						'shutdown' => array(
							'type'    => array( 'string', 'null' ),
							'pattern' => '^\d{4}-\d{2}-\d{2}$',
						),
						'price'    => array(
							'description'          => __( 'USD per 1M tokens (per_minute: per minute of audio; per_million_chars: per 1M characters). null removes the price.', 'voice-vision-chat' ),
							'type'                 => array( 'object', 'null' ),
							'properties'           => $price,
							'additionalProperties' => false,
						),
					),
					'additionalProperties' => false,
				),
			),
			'tiers'                => array(
				'description'          => __( 'Which model serves each tier.', 'voice-vision-chat' ),
				'type'                 => 'object',
				'properties'           => $tiers,
				'additionalProperties' => false,
			),
			'count_unknown_at_max' => array(
				'description' => __( 'Bill models without a price at the most expensive known rate instead of refusing them.', 'voice-vision-chat' ),
				'type'        => 'boolean',
			),
		);
	}

	/**
	 * Schema of the screen's state.
	 *
	 * @return array<string, mixed>
	 */
	public function get_item_schema() {
		if ( $this->schema ) {
			return $this->add_additional_fields_schema( $this->schema );
		}
		$this->schema = array(
			'$schema'    => 'http://json-schema.org/draft-04/schema#',
			'title'      => 'vvc-budget',
			'type'       => 'object',
			'properties' => array(
				'budget'               => array(
					'description' => __( 'Spending limits in micro-dollars (0: no limit) and request rates.', 'voice-vision-chat' ),
					'type'        => 'object',
					'context'     => array( 'edit' ),
				),
				'roles'                => array(
					'description' => __( 'The site’s roles, for per-role daily limits.', 'voice-vision-chat' ),
					'type'        => 'array',
					'items'       => array( 'type' => 'object' ),
					'context'     => array( 'edit' ),
					'readonly'    => true,
				),
				'models'               => array(
					'description' => __( 'The model catalog: kinds, prices (USD per 1M tokens), shutdown dates and what the provider said.', 'voice-vision-chat' ),
					'type'        => 'array',
					'items'       => array( 'type' => 'object' ),
					'context'     => array( 'edit' ),
				),
				'tiers'                => array(
					'description' => __( 'Each tier, its model and the models that can serve it.', 'voice-vision-chat' ),
					'type'        => 'array',
					'items'       => array( 'type' => 'object' ),
					'context'     => array( 'edit' ),
				),
				'count_unknown_at_max' => array(
					'description' => __( 'Bill models without a price at the most expensive known rate.', 'voice-vision-chat' ),
					'type'        => 'boolean',
					'context'     => array( 'edit' ),
				),
				'provider'             => array(
					'description' => __( 'When the provider’s models were last checked, and how many it listed.', 'voice-vision-chat' ),
					'type'        => 'object',
					'context'     => array( 'edit' ),
					'readonly'    => true,
				),
				'problems'             => array(
					'description' => __( 'Problems of the configured models, blocking ones first.', 'voice-vision-chat' ),
					'type'        => 'array',
					'items'       => array( 'type' => 'object' ),
					'context'     => array( 'edit' ),
					'readonly'    => true,
				),
			),
		);
		return $this->add_additional_fields_schema( $this->schema );
	}
}
