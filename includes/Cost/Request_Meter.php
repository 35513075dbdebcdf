<?php
/**
 * Starts metered chat requests and makes the per-request cost decisions.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Cost;

use VoiceVisionChat\Routing\Model_Catalog;
use VoiceVisionChat\Routing\Model_Router;
use VoiceVisionChat\Routing\Model_Tier;
use VoiceVisionChat\Security\Client_Ip;
use VoiceVisionChat\Storage\Usage_Repository;
use VoiceVisionChat\Support\Error_Log;
use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * What Chat_Controller needs for cost control, behind one collaborator: who is asking (signed
 * visitor id + client IP, or the logged-in user), the router's decision at the current budget
 * state, worst-case estimates, and the refusal of models that cannot be billed.
 *
 * The model catalog is read afresh for every request (start()), so a price or tier the admin
 * just saved applies to the next question.
 *
 * @phpstan-import-type Route_Decision from Model_Router
 * @phpstan-import-type Route_Features from Model_Router
 */
final class Request_Meter {

	/**
	 * The ledger.
	 *
	 * @var Budget_Ledger
	 */
	private Budget_Ledger $ledger;

	/**
	 * Request rates.
	 *
	 * @var Rate_Limiter
	 */
	private Rate_Limiter $limiter;

	/**
	 * The usage log.
	 *
	 * @var Usage_Repository
	 */
	private Usage_Repository $usage;

	/**
	 * The client's address.
	 *
	 * @var Client_Ip
	 */
	private Client_Ip $client_ip;

	/**
	 * The admin's error log.
	 *
	 * @var Error_Log
	 */
	private Error_Log $errors;

	/**
	 * Token counts.
	 *
	 * @var Token_Estimator
	 */
	private Token_Estimator $tokens;

	/**
	 * Builds a catalog on the stored option.
	 *
	 * @var callable(): Model_Catalog
	 */
	private $catalog_factory;

	/**
	 * The catalog of the current request.
	 *
	 * @var Model_Catalog|null
	 */
	private ?Model_Catalog $catalog = null;

	/**
	 * Stores collaborators.
	 *
	 * @param Budget_Ledger    $ledger    The ledger.
	 * @param Rate_Limiter     $limiter   Request rates.
	 * @param Usage_Repository $usage     The usage log.
	 * @param Client_Ip        $client_ip The client's address.
	 * @param Error_Log        $errors    The admin's error log.
	 * @param callable|null    $catalog   Returns a Model_Catalog; `new Model_Catalog()` when null.
	 */
	public function __construct( Budget_Ledger $ledger, Rate_Limiter $limiter, Usage_Repository $usage, Client_Ip $client_ip, Error_Log $errors, ?callable $catalog = null ) {
		$this->ledger          = $ledger;
		$this->limiter         = $limiter;
		$this->usage           = $usage;
		$this->client_ip       = $client_ip;
		$this->errors          = $errors;
		$this->tokens          = new Token_Estimator();
		$this->catalog_factory = $catalog ?? static fn (): Model_Catalog => new Model_Catalog();
	}

	/**
	 * The usual wiring on the stored options.
	 *
	 * @param Error_Log|null $errors The admin's error log; a plain one when null.
	 */
	public static function create( ?Error_Log $errors = null ): self {
		$budget = new Budget_Settings();
		return new self( new Budget_Ledger( $budget ), new Rate_Limiter( $budget ), new Usage_Repository(), new Client_Ip(), $errors ?? new Error_Log() ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- the plugin's class, not PHP's error_log().
	}

	/**
	 * Starts metering one request (and reads the catalog for it).
	 *
	 * @param string $visitor_id Visitor id from the verified token.
	 * @param string $route      Usage route: chat, chat_stream, voice.
	 */
	public function start( string $visitor_id, string $route ): Metered_Call {
		$this->catalog = ( $this->catalog_factory )();
		return new Metered_Call( $this->ledger, new Cost_Calculator( $this->catalog ), $this->limiter, $this->usage, $this->identity( $visitor_id ), $route );
	}

	/**
	 * Who is asking: the logged-in user, else the signed visitor id, each with the client IP.
	 *
	 * @param string $visitor_id Visitor id from the verified token.
	 */
	public function identity( string $visitor_id ): Visitor_Identity {
		$user = wp_get_current_user();
		return new Visitor_Identity( $visitor_id, $this->client_ip->get(), $user->ID, array_values( array_map( 'strval', $user->roles ) ) );
	}

	/**
	 * The router's decision (and the `vvc_route_decision` filter) at the budget's state.
	 *
	 * @param array $features What the request carries; budget_state is filled in.
	 * @return Route_Decision
	 * @phpstan-param Route_Features $features
	 */
	public function route( array $features ): array {
		$router = new Model_Router( $this->tiers(), $this->catalog() );
		if ( ! isset( $features['budget_state'] ) ) {
			$features['budget_state'] = $this->ledger->state();
		}
		return $router->route( $features );
	}

	/**
	 * Which model plays each tier, on the current request's catalog.
	 */
	public function tiers(): Model_Tier {
		return new Model_Tier( $this->catalog()->tier_overrides() );
	}

	/**
	 * The budget's state now: normal, soft or hard.
	 */
	public function budget_state(): string {
		return $this->ledger->state();
	}

	/**
	 * Estimates on the current request's catalog.
	 */
	public function estimate(): Cost_Estimate {
		$catalog = $this->catalog();
		return new Cost_Estimate( $this->tokens, new Cost_Calculator( $catalog ), $catalog );
	}

	/**
	 * Why a model cannot be billed for visitors, or null when it can (known, not shut down,
	 * priced for what it is billed on, or unknown prices counted at the maximum).
	 *
	 * @param string $model Model id.
	 */
	public function problem( string $model ): ?string {
		$catalog = $this->catalog();
		return $catalog->unusable_reason( $model, $catalog->billed_components( $model ) );
	}

	/**
	 * The refusal of a request whose model cannot be billed: the precise reason goes to the
	 * admin's error log, the visitor hears that the chat is unavailable.
	 *
	 * @param string $tier    Tier (or use) of the model.
	 * @param string $model   Model id.
	 * @param string $problem Problem code (Model_Router::problem_text()); no_price when unsure.
	 */
	public function refuse_model( string $tier, string $model, string $problem ): WP_Error {
		$this->errors->record(
			'vvc_model_unusable',
			sprintf(
				/* translators: 1: model id, 2: tier, 3: what is wrong with the model. */
				__( 'A visitor\'s question was refused: %1$s (%2$s) cannot be used (%3$s). Enter its prices on the budget screen, choose another model, or count unknown prices at the most expensive rate.', 'voice-vision-chat' ),
				$model,
				$tier,
				Model_Router::problem_text( $problem )
			),
			array(
				'model'   => $model,
				'tier'    => $tier,
				'problem' => $problem,
			)
		);
		return new WP_Error(
			'vvc_not_configured',
			__( 'The assistant is not available right now. The site owner has been notified.', 'voice-vision-chat' ),
			array(
				'status' => 503,
				'reason' => 'model_unusable',
			)
		);
	}

	/**
	 * The catalog of the current request (a fresh one before start()).
	 */
	private function catalog(): Model_Catalog {
		if ( null === $this->catalog ) {
			$this->catalog = ( $this->catalog_factory )();
		}
		return $this->catalog;
	}
}
