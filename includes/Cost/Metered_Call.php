<?php
/**
 * One visitor request, metered: its reservation, what it cost, and its usage row.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Cost;

use VoiceVisionChat\Storage\Usage_Repository;
use VoiceVisionChat\Upstream\Upstream_Error;
use VoiceVisionChat\Voice\Voice_Error;
use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * Follows a chat request from its rate limit to its usage row.
 *
 * In order: admit() counts the request against the visitor's rates; reserve() holds the worst case in
 * the ledger; bill()/bill_estimate() add what each provider call cost; finish() settles the
 * reservation with the sum (or releases it when nothing was billed) and writes the row,
 * exactly once. The row says cost_known 0 when any part is an estimate; a part that cannot
 * even be estimated (no usage and no estimate, or an unpriced component) settles the whole
 * request at its reservation.
 *
 * @phpstan-import-type Metered from Cost_Calculator
 * @phpstan-import-type Reservation from Budget_Ledger
 */
final class Metered_Call {

	/**
	 * The ledger.
	 *
	 * @var Budget_Ledger
	 */
	private Budget_Ledger $ledger;

	/**
	 * Prices of usage.
	 *
	 * @var Cost_Calculator
	 */
	private Cost_Calculator $costs;

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
	 * Who is asking.
	 *
	 * @var Visitor_Identity
	 */
	private Visitor_Identity $who;

	/**
	 * Row values known so far (route, tier, model, reasons).
	 *
	 * @var array<string, mixed>
	 */
	private array $row;

	/**
	 * When the request started (microtime).
	 *
	 * @var float
	 */
	private float $started;

	/**
	 * The held reservation, if any.
	 *
	 * @var Reservation|null
	 */
	private ?array $reservation = null;

	/**
	 * Micro-dollars billed so far.
	 *
	 * @var int
	 */
	private int $spent = 0;

	/**
	 * Whether any provider call was billed (or may have been).
	 *
	 * @var bool
	 */
	private bool $billed = false;

	/**
	 * Whether every billed cost is known from usage at known prices.
	 *
	 * @var bool
	 */
	private bool $known = true;

	/**
	 * Whether some call's cost could not even be estimated (settled at the reservation).
	 *
	 * @var bool
	 */
	private bool $unknown = false;

	/**
	 * Seconds of audio the calls heard or spoke, for the usage row.
	 *
	 * @var float
	 */
	private float $audio_seconds = 0.0;

	/**
	 * Quantities billed so far.
	 *
	 * @var Metered
	 */
	private array $metered;

	/**
	 * Whether finish() ran.
	 *
	 * @var bool
	 */
	private bool $finished = false;

	/**
	 * Stores collaborators and the request's first facts.
	 *
	 * @param Budget_Ledger    $ledger  The ledger.
	 * @param Cost_Calculator  $costs   Prices of usage.
	 * @param Rate_Limiter     $limiter Request rates.
	 * @param Usage_Repository $usage   The usage log.
	 * @param Visitor_Identity $who     Who is asking.
	 * @param string           $route   Usage route: chat, chat_stream, voice, faq.
	 */
	public function __construct( Budget_Ledger $ledger, Cost_Calculator $costs, Rate_Limiter $limiter, Usage_Repository $usage, Visitor_Identity $who, string $route ) {
		$this->ledger  = $ledger;
		$this->costs   = $costs;
		$this->limiter = $limiter;
		$this->usage   = $usage;
		$this->who     = $who;
		$this->started = microtime( true );
		$this->metered = Cost_Calculator::empty_meter();
		$this->row     = array(
			'route'        => $route,
			'visitor_hash' => $who->visitor_hash(),
			'ip_hash'      => $who->ip_hash(),
		);
	}

	/**
	 * Counts the request against the visitor's rates (every request, FAQ answers included).
	 *
	 * @return true|WP_Error vvc_rate_limited (429).
	 */
	public function admit(): bool|WP_Error {
		return $this->limiter->allow_request( $this->who );
	}

	/**
	 * Records where the request went and why.
	 *
	 * @param string $tier    Tier.
	 * @param string $model   Model id.
	 * @param array  $reasons The router's reason codes.
	 * @phpstan-param list<string> $reasons
	 */
	public function route( string $tier, string $model, array $reasons ): void {
		$this->row['tier']          = $tier;
		$this->row['model']         = $model;
		$this->row['route_reasons'] = implode( ',', $reasons );
	}

	/**
	 * Changes the usage route (e.g. chat to faq when the cache answered).
	 *
	 * @param string $route Usage route.
	 */
	public function set_route( string $route ): void {
		$this->row['route'] = $route;
	}

	/**
	 * Holds the worst case against the site's, the visitor's and the role's budgets.
	 *
	 * @param int $worst_micros Worst-case cost.
	 * @return true|WP_Error vvc_budget_exhausted (503), vvc_rate_limited (429, the visitor's
	 *                       daily spend), vvc_budget_unavailable (503).
	 */
	public function reserve( int $worst_micros ): bool|WP_Error {
		$this->row['estimated_micros'] = $worst_micros;
		$reservation                   = $this->ledger->reserve( $worst_micros, $this->who );
		if ( $reservation instanceof WP_Error ) {
			return $reservation;
		}
		$this->reservation = $reservation;
		return true;
	}

	/**
	 * Adds a provider call's cost from its usage. A usage the calculator cannot price makes
	 * the request's cost unknown (settled at the reservation).
	 *
	 * @param string       $model      Model that answered.
	 * @param array<mixed> $usage      The provider's `usage`.
	 * @param int          $characters Input characters (per-character speech models).
	 */
	public function bill( string $model, array $usage, int $characters = 0 ): void {
		$cost = $this->costs->from_usage( $model, $usage, $characters );
		$this->add( $cost['micros'], $cost['metered'] );
	}

	/**
	 * Adds an estimated cost for a call that reported no usage.
	 *
	 * @param int|null $micros  Estimate; null when none can be made.
	 * @param array    $metered Estimated quantities.
	 * @phpstan-param Metered $metered
	 */
	public function bill_estimate( ?int $micros, array $metered ): void {
		$this->add( $micros, $metered );
		$this->known = false;
	}

	/**
	 * Bills a chat completion: the provider's usage, or (a stream stopped or cut before its
	 * usage chunk) the conservative estimate, input plus the whole output cap.
	 *
	 * @param Cost_Estimate             $estimate  Estimates on the request's catalog.
	 * @param array<string, mixed>      $body      Upstream request body (its model is the one billed).
	 * @param array<string, mixed>|null $usage     The provider's usage.
	 */
	public function bill_chat( Cost_Estimate $estimate, array $body, ?array $usage ): void {
		// The requested id, not the answer's dated snapshot id, is the one the catalog prices.
		$model = (string) $body['model'];
		if ( null !== $usage ) {
			$this->bill( $model, $usage );
			return;
		}
		$partial = $estimate->chat_partial( $body, $model, (int) $body['max_completion_tokens'] );
		$this->bill_estimate( $partial['micros'], $partial['metered'] );
	}

	/**
	 * Bills a failed chat call if the provider may have billed it: text had arrived, or it
	 * answered 2xx before the answer broke (cut stream, malformed body). A refusal (4xx, 5xx)
	 * or no answer at all is not billed, so the reservation is released.
	 *
	 * @param Cost_Estimate        $estimate  Estimates on the request's catalog.
	 * @param Upstream_Error       $error     The failure.
	 * @param array<string, mixed> $body      Upstream request body.
	 * @param string               $generated Text received before the failure.
	 */
	public function bill_chat_failure( Cost_Estimate $estimate, Upstream_Error $error, array $body, string $generated ): void {
		if ( '' !== $generated || self::accepted( $error ) ) {
			$this->bill_chat( $estimate, $body, null );
		}
	}

	/**
	 * Bills one provider call of a voice turn: its usage, else an estimate from its seconds
	 * or characters, else (a chat without usage) an unknown cost settled at the reservation.
	 *
	 * @param Cost_Estimate $estimate Estimates on the request's catalog.
	 * @param array<mixed>  $entry    The call's usage record (Voice_Pipeline's Usage_Entry).
	 * @param float         $speed    Speech speed.
	 */
	public function bill_voice_entry( Cost_Estimate $estimate, array $entry, float $speed ): void {
		$model = is_string( $entry['model'] ?? null ) ? $entry['model'] : '';
		$chars = isset( $entry['chars'] ) && is_numeric( $entry['chars'] ) ? (int) $entry['chars'] : 0;
		if ( isset( $entry['seconds'] ) && is_numeric( $entry['seconds'] ) ) {
			$this->audio( (float) $entry['seconds'] );
		}
		if ( isset( $entry['usage'] ) && is_array( $entry['usage'] ) ) {
			$this->bill( $model, $entry['usage'], $chars );
			return;
		}
		$known = array(
			'endpoint' => is_string( $entry['endpoint'] ?? null ) ? $entry['endpoint'] : '',
			'model'    => $model,
			'usage'    => null,
			'chars'    => $chars,
		);
		if ( isset( $entry['seconds'] ) && is_numeric( $entry['seconds'] ) ) {
			$known['seconds'] = (float) $entry['seconds'];
		}
		$fallback = $estimate->entry_fallback( $known, $speed );
		$this->bill_estimate( $fallback['micros'], $fallback['metered'] );
	}

	/**
	 * Bills a voice pipeline's failure: calls reported through `on_usage` are billed already;
	 * a failure after the provider accepted the call (2xx) may have been billed too, at a
	 * cost nobody reported, so it is settled at the reservation.
	 *
	 * @param Upstream_Error|Voice_Error $error The failure.
	 */
	public function bill_voice_failure( Upstream_Error|Voice_Error $error ): void {
		if ( $error instanceof Upstream_Error && self::accepted( $error ) ) {
			$this->bill_estimate( null, Cost_Calculator::empty_meter() );
		}
	}

	/**
	 * Whether the provider answered 2xx before the call broke (so it may have billed it).
	 *
	 * @param Upstream_Error $error The failure.
	 */
	private static function accepted( Upstream_Error $error ): bool {
		return $error->http_status() >= 200 && $error->http_status() < 300;
	}

	/**
	 * Adds seconds of audio heard (a recording) or spoken (a reply) to the usage row.
	 *
	 * @param float $seconds Seconds.
	 */
	public function audio( float $seconds ): void {
		$this->audio_seconds += max( 0.0, $seconds );
	}

	/**
	 * Marks the request as answered from the FAQ cache (no provider call, no cost).
	 */
	public function cache_hit(): void {
		$this->row['cache_hit'] = 1;
		$this->row['route']     = 'faq';
	}

	/**
	 * Whether a provider call was billed so far.
	 */
	public function billed(): bool {
		return $this->billed;
	}

	/**
	 * Settles or releases the reservation and writes the usage row; later calls do nothing.
	 *
	 * @param int    $status     HTTP status the visitor got (200 for a finished stream).
	 * @param string $error_code Stable error code, '' on success.
	 */
	public function finish( int $status, string $error_code = '' ): void {
		if ( $this->finished ) {
			return;
		}
		$this->finished = true;
		$cost           = $this->spent;
		if ( null !== $this->reservation ) {
			if ( ! $this->billed ) {
				$this->ledger->release( $this->reservation['id'] );
			} else {
				// Unknown costs are charged at the worst case that was held for them.
				$cost = $this->unknown ? max( $this->spent, $this->reservation['micros'] ) : $this->spent;
				$this->ledger->settle( $this->reservation['id'], $cost );
			}
		}
		$this->usage->insert(
			$this->row + array(
				'text_in_tokens'       => $this->metered['text_in'],
				'cached_in_tokens'     => $this->metered['cached_in'],
				'image_in_tokens'      => $this->metered['image_in'],
				'audio_in_tokens'      => $this->metered['audio_in'],
				'text_out_tokens'      => $this->metered['text_out'],
				'reasoning_out_tokens' => $this->metered['reasoning_out'],
				'audio_out_tokens'     => $this->metered['audio_out'],
				'audio_ms'             => (int) round( ( $this->audio_seconds > 0 ? $this->audio_seconds : $this->metered['audio_seconds'] ) * 1000 ),
				'characters'           => $this->metered['characters'],
				'cost_micros'          => $cost,
				'cost_known'           => $this->known ? 1 : 0,
				'latency_ms'           => (int) round( ( microtime( true ) - $this->started ) * 1000 ),
				'status_code'          => $status,
				'error_code'           => $error_code,
			)
		);
	}

	/**
	 * Finishes with an error's status and code.
	 *
	 * @param WP_Error $error The error the visitor got.
	 */
	public function fail( WP_Error $error ): void {
		$data = $error->get_error_data();
		$this->finish( is_array( $data ) && isset( $data['status'] ) ? (int) $data['status'] : 500, (string) $error->get_error_code() );
	}

	/**
	 * Adds a cost and its quantities.
	 *
	 * @param int|null $micros  Cost; null when unknown.
	 * @param array    $metered Quantities.
	 * @phpstan-param Metered $metered
	 */
	private function add( ?int $micros, array $metered ): void {
		$this->billed = true;
		if ( null === $micros ) {
			$this->known   = false;
			$this->unknown = true;
		} else {
			$this->spent += $micros;
		}
		foreach ( array( 'text_in', 'cached_in', 'image_in', 'audio_in', 'text_out', 'reasoning_out', 'audio_out', 'characters' ) as $key ) {
			$this->metered[ $key ] += $metered[ $key ];
		}
		$this->metered['audio_seconds'] += $metered['audio_seconds'];
	}
}
