<?php
/**
 * GET /voice-vision-chat/v1/admin/usage/summary, /admin/usage/log and /admin/usage/export.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Rest;

use DateTimeImmutable;
use VoiceVisionChat\Cost\Spend_Report;
use VoiceVisionChat\Routing\Model_Tier;
use VoiceVisionChat\Storage\Usage_Repository;
use VoiceVisionChat\Storage\Usage_Table;
use VoiceVisionChat\Support\Error_Log;
use WP_Error;
use WP_HTTP_Response;
use WP_REST_Controller;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * The usage dashboard's data: what was spent per day and tier, against which budget, on
 * which models, what failed, and the usage log itself (paged, filtered, or as a CSV file).
 *
 * Days are the site's days (its time zone), as the budgets count them. Money is in integer
 * micro-dollars (1 USD = 1,000,000) everywhere, so nothing is rounded on the way.
 *
 * @phpstan-import-type Usage_Filters from Usage_Repository
 * @phpstan-type Day array{day: string, requests: int, cost_micros: int, cache_hits: int, errors: int, cost_by_tier: array<string, int>}
 */
final class Admin_Usage_Controller extends WP_REST_Controller {

	/**
	 * REST namespace.
	 */
	private const REST_NAMESPACE = 'voice-vision-chat/v1';

	/**
	 * Longest range the summary covers, in days (a year and a day for leap years).
	 */
	public const MAX_DAYS = 366;

	/**
	 * Days the summary covers when no range is given.
	 */
	public const DEFAULT_DAYS = 30;

	/**
	 * Tier name used for rows without a tier (cache hits before routing, failed requests).
	 */
	public const NO_TIER = 'other';

	/**
	 * A Y-m-d date.
	 */
	private const DATE_PATTERN = '^\d{4}-\d{2}-\d{2}$';

	/**
	 * The usage log.
	 *
	 * @var Usage_Repository
	 */
	private Usage_Repository $usage;

	/**
	 * Spending against the budgets.
	 *
	 * @var Spend_Report
	 */
	private Spend_Report $spend;

	/**
	 * The admin error log (precise reasons of upstream failures).
	 *
	 * @var Error_Log
	 */
	private Error_Log $errors;

	/**
	 * Returns the current Unix time.
	 *
	 * @var callable(): int
	 */
	private $clock;

	/**
	 * Stores collaborators.
	 *
	 * @param Usage_Repository $usage  Usage log.
	 * @param Spend_Report     $spend  Budget gauges.
	 * @param Error_Log        $errors Error log.
	 * @param callable|null    $clock  Returns the Unix time; time() when null.
	 */
	public function __construct( Usage_Repository $usage, Spend_Report $spend, Error_Log $errors, ?callable $clock = null ) {
		$this->namespace = self::REST_NAMESPACE;
		$this->rest_base = 'admin/usage';
		$this->usage     = $usage;
		$this->spend     = $spend;
		$this->errors    = $errors;
		$this->clock     = $clock ?? static fn (): int => time();
	}

	/**
	 * Registers the three routes.
	 */
	public function register_routes(): void {
		register_rest_route(
			self::REST_NAMESPACE,
			'/' . $this->rest_base . '/summary',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( $this, 'get_summary' ),
					'permission_callback' => array( $this, 'get_items_permissions_check' ),
					'args'                => $this->range_params(),
				),
				'schema' => array( $this, 'get_summary_schema' ),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/' . $this->rest_base . '/log',
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
		register_rest_route(
			self::REST_NAMESPACE,
			'/' . $this->rest_base . '/export',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( $this, 'export' ),
					'permission_callback' => array( $this, 'get_items_permissions_check' ),
					'args'                => $this->filter_params(),
				),
			)
		);
	}

	/**
	 * Only administrators (manage_options) see what the chat costs and who used it.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return true|WP_Error
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function get_items_permissions_check( $request ) {
		return Admin_Permission::check( __( 'Sorry, you are not allowed to see the chat’s usage.', 'voice-vision-chat' ) );
	}

	/**
	 * Cost per day and tier, totals, budgets, top models and recent errors for a range.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function get_summary( $request ) {
		$range = $this->range( $request, true );
		if ( is_wp_error( $range ) ) {
			return $range;
		}
		list( $from_day, $to_day, $from, $to ) = $range;

		$days = array();
		for ( $day = $from_day; $day <= $to_day; $day = $day->modify( '+1 day' ) ) {
			$days[ $day->format( 'Y-m-d' ) ] = array(
				'day'          => $day->format( 'Y-m-d' ),
				'requests'     => 0,
				'cost_micros'  => 0,
				'cache_hits'   => 0,
				'errors'       => 0,
				'cost_by_tier' => array(),
			);
		}
		$tiers = array();
		foreach ( $this->usage->daily_by_tier( $from, $to ) as $row ) {
			if ( ! isset( $days[ $row['day'] ] ) ) {
				continue; // A row on the range's edge that the site's offset moved out of it.
			}
			$tier           = '' === $row['tier'] ? self::NO_TIER : $row['tier'];
			$tiers[ $tier ] = true;
			$entry          = $days[ $row['day'] ];
			foreach ( array( 'requests', 'cost_micros', 'cache_hits', 'errors' ) as $key ) {
				$entry[ $key ] += $row[ $key ];
			}
			$entry['cost_by_tier'][ $tier ] = ( $entry['cost_by_tier'][ $tier ] ?? 0 ) + $row['cost_micros'];
			$days[ $row['day'] ]            = $entry;
		}

		$gauges = $this->spend->gauges();
		$state  = 'normal';
		foreach ( $gauges as $gauge ) {
			if ( 'visitor_day' !== $gauge['scope'] && ( 'hard' === $gauge['state'] || ( 'soft' === $gauge['state'] && 'normal' === $state ) ) ) {
				$state = $gauge['state'];
			}
		}

		$recent = array();
		foreach ( $this->usage->recent_errors( 10 ) as $row ) {
			$recent[] = array(
				'id'          => (int) $row['id'],
				'time'        => self::iso_time( (string) $row['created_at'] ),
				'route'       => (string) $row['route'],
				'tier'        => (string) $row['tier'],
				'model'       => (string) $row['model'],
				'status_code' => (int) $row['status_code'],
				'error_code'  => (string) $row['error_code'],
			);
		}
		$error_log = array();
		foreach ( $this->errors->recent( 5 ) as $entry ) {
			$error_log[] = array(
				'time'   => gmdate( 'Y-m-d\TH:i:s\Z', $entry['time'] ),
				'code'   => $entry['code'],
				'detail' => $entry['detail'],
			);
		}

		$response = new WP_REST_Response(
			array(
				'range'         => array(
					'from'     => $from_day->format( 'Y-m-d' ),
					'to'       => $to_day->format( 'Y-m-d' ),
					'days'     => count( $days ),
					'timezone' => wp_timezone_string(),
				),
				'totals'        => $this->usage->totals( $from, $to ),
				// cost_by_tier is an object even on a day without rows.
				'daily'         => array_map( static fn ( array $day ): array => array( 'cost_by_tier' => (object) $day['cost_by_tier'] ) + $day, array_values( $days ) ),
				'tiers'         => self::tier_order( array_map( 'strval', array_keys( $tiers ) ) ),
				'budgets'       => $gauges,
				'budget_state'  => $state,
				'top_models'    => $this->usage->top_models( $from, $to, 5 ),
				'recent_errors' => $recent,
				'error_log'     => $error_log,
			)
		);
		$response->header( 'Cache-Control', 'no-store' );
		return $response;
	}

	/**
	 * One page of the usage log, newest first; totals in X-WP-Total and X-WP-TotalPages.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function get_items( $request ) {
		$filters = $this->filters( $request );
		if ( is_wp_error( $filters ) ) {
			return $filters;
		}
		$per_page = (int) $request->get_param( 'per_page' );
		$page     = (int) $request->get_param( 'page' );
		$result   = $this->usage->query( $filters, $page, $per_page );
		$pages    = (int) ceil( $result['total'] / max( 1, $per_page ) );
		if ( $page > 1 && $page > $pages ) {
			return new WP_Error(
				'vvc_bad_request',
				__( 'The requested page is past the end of the usage log.', 'voice-vision-chat' ),
				array( 'status' => 400 )
			);
		}
		$rows = array();
		foreach ( $result['rows'] as $row ) {
			$rows[] = $this->prepare_response_for_collection( $this->prepare_item_for_response( $row, $request ) );
		}
		$response = new WP_REST_Response( $rows );
		$response->header( 'X-WP-Total', (string) $result['total'] );
		$response->header( 'X-WP-TotalPages', (string) $pages );
		$response->header( 'Cache-Control', 'no-store' );
		return $response;
	}

	/**
	 * The matching rows as a CSV download (served by serve_csv()).
	 *
	 * @param WP_REST_Request $request Request.
	 * @return Csv_Response|WP_Error
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function export( $request ) {
		$filters = $this->filters( $request );
		if ( is_wp_error( $filters ) ) {
			return $filters;
		}
		$name = 'vvc-usage-' . wp_date( 'Y-m-d-His', ( $this->clock )() ) . '.csv';
		return new Csv_Response( $this->usage->csv_rows( $filters ), $name );
	}

	/**
	 * Writes a CSV export instead of the JSON body (filter `rest_pre_serve_request`).
	 *
	 * The server has already sent the response's headers. Other responses pass through.
	 *
	 * @param bool             $served  Whether another filter already served the request.
	 * @param WP_HTTP_Response $result  The response.
	 * @param WP_REST_Request  $request The request.
	 * @return bool True when this wrote the body.
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function serve_csv( $served, $result, $request ): bool {
		if ( $served || ! $result instanceof Csv_Response || 'HEAD' === $request->get_method() ) {
			return (bool) $served;
		}
		$output = fopen( 'php://output', 'w' ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fopen -- the response body, not a file.
		if ( false === $output ) {
			return false;
		}
		$result->write( $output, true );
		fclose( $output ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fclose -- see fopen() above.
		return true;
	}

	/**
	 * A usage row as the log shows it: time in ISO 8601 UTC, flags as booleans, no IP hash.
	 *
	 * @param array<string, int|string> $item    Row from Usage_Repository.
	 * @param WP_REST_Request           $request Request.
	 * @return WP_REST_Response
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function prepare_item_for_response( $item, $request ) {
		$data = array(
			'id'   => (int) $item['id'],
			'time' => self::iso_time( (string) $item['created_at'] ),
		);
		foreach ( Usage_Table::columns() as $column ) {
			if ( in_array( $column, array( 'created_at', 'ip_hash' ), true ) ) {
				continue;
			}
			$value           = $item[ $column ] ?? '';
			$data[ $column ] = Usage_Table::is_numeric( $column ) ? (int) $value : (string) $value;
		}
		$data['cost_known'] = (bool) $data['cost_known'];
		$data['cache_hit']  = (bool) $data['cache_hit'];
		return new WP_REST_Response( $data );
	}

	/**
	 * Paging and filters of the usage log.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public function get_collection_params() {
		return array(
			'page'     => array(
				'description' => __( 'Page of the log, from 1.', 'voice-vision-chat' ),
				'type'        => 'integer',
				'default'     => 1,
				'minimum'     => 1,
			),
			'per_page' => array(
				'description' => __( 'Rows per page.', 'voice-vision-chat' ),
				'type'        => 'integer',
				'default'     => 25,
				'minimum'     => 1,
				'maximum'     => 100,
			),
		) + $this->filter_params();
	}

	/**
	 * Filters shared by the log and the export.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	private function filter_params(): array {
		return $this->range_params() + array(
			'tier'      => array(
				'description' => __( 'Only requests answered by this tier.', 'voice-vision-chat' ),
				'type'        => 'string',
				'enum'        => Model_Tier::ALL,
			),
			'route'     => array(
				'description' => __( 'Only requests to this route.', 'voice-vision-chat' ),
				'type'        => 'string',
				'enum'        => Usage_Table::ROUTES,
			),
			'model'     => array(
				'description' => __( 'Only requests answered by this model.', 'voice-vision-chat' ),
				'type'        => 'string',
				'pattern'     => '^[A-Za-z0-9._:\/-]{1,100}$',
			),
			'status'    => array(
				'description' => __( 'Only successful requests (ok) or failed ones (error, HTTP status 400 or more).', 'voice-vision-chat' ),
				'type'        => 'string',
				'enum'        => array( 'ok', 'error' ),
			),
			'cache_hit' => array(
				'description' => __( 'Only answers from the cache (true) or from the provider (false).', 'voice-vision-chat' ),
				'type'        => 'boolean',
			),
			'visitor'   => array(
				'description' => __( 'Only requests of one visitor (the hash shown in the log).', 'voice-vision-chat' ),
				'type'        => 'string',
				'pattern'     => '^[a-f0-9]{32}$',
			),
		);
	}

	/**
	 * The from/to arguments: site days, both inclusive.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	private function range_params(): array {
		$date = array(
			'type'              => 'string',
			'pattern'           => self::DATE_PATTERN,
			'validate_callback' => array( $this, 'validate_date' ),
		);
		return array(
			'from' => array( 'description' => __( 'First day, YYYY-MM-DD in the site’s time zone.', 'voice-vision-chat' ) ) + $date,
			'to'   => array( 'description' => __( 'Last day (included), YYYY-MM-DD in the site’s time zone.', 'voice-vision-chat' ) ) + $date,
		);
	}

	/**
	 * Schema validation, then a check that the date exists (2026-02-30 does not).
	 *
	 * @param mixed           $value   The value.
	 * @param WP_REST_Request $request Request.
	 * @param string          $param   Parameter name.
	 * @return true|WP_Error
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function validate_date( $value, $request, $param ) {
		$valid = rest_validate_request_arg( $value, $request, $param );
		if ( true !== $valid ) {
			return $valid;
		}
		list( $year, $month, $day ) = array_map( 'intval', explode( '-', (string) $value ) );
		if ( ! checkdate( $month, $day, $year ) ) {
			return new WP_Error(
				'rest_invalid_param',
				/* translators: %s: parameter name. */
				sprintf( __( '%s is not a date that exists.', 'voice-vision-chat' ), $param ),
				array( 'status' => 400 )
			);
		}
		return true;
	}

	/**
	 * The requested range as site days and Unix times [from, to).
	 *
	 * @param WP_REST_Request $request  Request.
	 * @param bool            $defaults Fill a missing end with the last DEFAULT_DAYS days.
	 * @return array{0: DateTimeImmutable, 1: DateTimeImmutable, 2: int, 3: int}|WP_Error
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	private function range( WP_REST_Request $request, bool $defaults ) {
		$zone  = wp_timezone();
		$today = ( new DateTimeImmutable( '@' . ( $this->clock )() ) )->setTimezone( $zone )->setTime( 0, 0 );
		$from  = $request->get_param( 'from' );
		$to    = $request->get_param( 'to' );
		$to    = is_string( $to ) ? new DateTimeImmutable( $to . ' 00:00:00', $zone ) : ( $defaults ? $today : null );
		$from  = is_string( $from ) ? new DateTimeImmutable( $from . ' 00:00:00', $zone ) : ( $defaults && null !== $to ? $to->modify( '-' . ( self::DEFAULT_DAYS - 1 ) . ' days' ) : null );

		if ( null !== $from && null !== $to ) {
			if ( $from > $to ) {
				return new WP_Error( 'vvc_bad_request', __( 'The first day comes after the last day.', 'voice-vision-chat' ), array( 'status' => 400 ) );
			}
			if ( $defaults && $from->diff( $to )->days >= self::MAX_DAYS ) {
				/* translators: %d: number of days. */
				return new WP_Error( 'vvc_bad_request', sprintf( __( 'Choose at most %d days.', 'voice-vision-chat' ), self::MAX_DAYS ), array( 'status' => 400 ) );
			}
		}
		$from = $from ?? new DateTimeImmutable( '@0' );
		$to   = $to ?? $today->modify( '+100 years' );
		return array( $from, $to, $from->getTimestamp(), $to->modify( '+1 day' )->getTimestamp() );
	}

	/**
	 * The repository's filters from the request.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return Usage_Filters|WP_Error
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	private function filters( WP_REST_Request $request ) {
		$range = $this->range( $request, false );
		if ( is_wp_error( $range ) ) {
			return $range;
		}
		$filters = array();
		if ( null !== $request->get_param( 'from' ) ) {
			$filters['from'] = $range[2];
		}
		if ( null !== $request->get_param( 'to' ) ) {
			$filters['to'] = $range[3];
		}
		foreach ( array( 'tier', 'route', 'model', 'status' ) as $key ) {
			$value = $request->get_param( $key );
			if ( is_string( $value ) && '' !== $value ) {
				$filters[ $key ] = $value;
			}
		}
		$visitor = $request->get_param( 'visitor' );
		if ( is_string( $visitor ) && '' !== $visitor ) {
			$filters['visitor_hash'] = $visitor;
		}
		$cache_hit = $request->get_param( 'cache_hit' );
		if ( null !== $cache_hit ) {
			$filters['cache_hit'] = (bool) $cache_hit;
		}
		return $filters;
	}

	/**
	 * Tiers in the order the admin knows them (cheapest first, then "other"), unknown ones last.
	 *
	 * @param array $tiers Tiers that have rows.
	 * @return list<string>
	 * @phpstan-param list<string> $tiers
	 */
	private static function tier_order( array $tiers ): array {
		$order = array_merge( Model_Tier::ALL, array( self::NO_TIER ) );
		$known = array_values( array_intersect( $order, $tiers ) );
		$other = array_values( array_diff( $tiers, $order ) );
		sort( $other );
		return array_merge( $known, $other );
	}

	/**
	 * A UTC DATETIME as ISO 8601 with the Z suffix.
	 *
	 * @param string $datetime Y-m-d H:i:s in UTC.
	 */
	private static function iso_time( string $datetime ): string {
		return str_replace( ' ', 'T', $datetime ) . 'Z';
	}

	/**
	 * Schema of one usage log row.
	 *
	 * @return array<string, mixed>
	 */
	public function get_item_schema() {
		if ( $this->schema ) {
			return $this->add_additional_fields_schema( $this->schema );
		}
		$integer      = static fn ( string $description ): array => array(
			'description' => $description,
			'type'        => 'integer',
			'context'     => array( 'view' ),
			'readonly'    => true,
		);
		$string       = static fn ( string $description ): array => array(
			'description' => $description,
			'type'        => 'string',
			'context'     => array( 'view' ),
			'readonly'    => true,
		);
		$boolean      = static fn ( string $description ): array => array(
			'description' => $description,
			'type'        => 'boolean',
			'context'     => array( 'view' ),
			'readonly'    => true,
		);
		$properties   = array(
			'id'                   => $integer( __( 'Row id.', 'voice-vision-chat' ) ),
			'time'                 => array( 'format' => 'date-time' ) + $string( __( 'When the request ended, ISO 8601 in UTC.', 'voice-vision-chat' ) ),
			'visitor_hash'         => $string( __( 'Keyed hash of the visitor (never the IP address).', 'voice-vision-chat' ) ),
			'route'                => $string( __( 'What was asked: chat, chat_stream, transcribe, speech, voice, realtime or faq.', 'voice-vision-chat' ) ),
			'tier'                 => $string( __( 'The tier that answered.', 'voice-vision-chat' ) ),
			'model'                => $string( __( 'The model that answered.', 'voice-vision-chat' ) ),
			'route_reasons'        => $string( __( 'Why the router chose the tier.', 'voice-vision-chat' ) ),
			'text_in_tokens'       => $integer( __( 'Uncached text and image input tokens.', 'voice-vision-chat' ) ),
			'cached_in_tokens'     => $integer( __( 'Cached input tokens.', 'voice-vision-chat' ) ),
			'image_in_tokens'      => $integer( __( 'Image input tokens (already in the text input).', 'voice-vision-chat' ) ),
			'audio_in_tokens'      => $integer( __( 'Audio input tokens.', 'voice-vision-chat' ) ),
			'text_out_tokens'      => $integer( __( 'Text output tokens, reasoning included.', 'voice-vision-chat' ) ),
			'reasoning_out_tokens' => $integer( __( 'Reasoning tokens (already in the text output).', 'voice-vision-chat' ) ),
			'audio_out_tokens'     => $integer( __( 'Audio output tokens.', 'voice-vision-chat' ) ),
			'audio_ms'             => $integer( __( 'Milliseconds of audio.', 'voice-vision-chat' ) ),
			'characters'           => $integer( __( 'Characters billed (speech).', 'voice-vision-chat' ) ),
			'estimated_micros'     => $integer( __( 'Worst-case cost reserved before the call, micro-dollars.', 'voice-vision-chat' ) ),
			'cost_micros'          => $integer( __( 'What the call cost, micro-dollars.', 'voice-vision-chat' ) ),
			'cost_known'           => $boolean( __( 'False when a price was missing and the cost is a lower bound.', 'voice-vision-chat' ) ),
			'cache_hit'            => $boolean( __( 'Whether the answer came from the cache.', 'voice-vision-chat' ) ),
			'latency_ms'           => $integer( __( 'How long the request took, milliseconds.', 'voice-vision-chat' ) ),
			'status_code'          => $integer( __( 'HTTP status the visitor got.', 'voice-vision-chat' ) ),
			'error_code'           => $string( __( 'Stable error code, when the request failed.', 'voice-vision-chat' ) ),
		);
		$this->schema = array(
			'$schema'    => 'http://json-schema.org/draft-04/schema#',
			'title'      => 'vvc-usage-row',
			'type'       => 'object',
			'properties' => $properties,
		);
		return $this->add_additional_fields_schema( $this->schema );
	}

	/**
	 * Schema of the summary.
	 *
	 * @return array<string, mixed>
	 */
	public function get_summary_schema(): array {
		$money_line = array(
			'type'       => 'object',
			'properties' => array(
				'scope'           => array( 'type' => 'string' ),
				'period'          => array( 'type' => 'string' ),
				'spent_micros'    => array( 'type' => 'integer' ),
				'reserved_micros' => array( 'type' => 'integer' ),
				'cap_micros'      => array(
					'type'        => 'integer',
					'description' => __( 'The hard limit; 0 means no limit.', 'voice-vision-chat' ),
				),
				'soft_micros'     => array( 'type' => 'integer' ),
				'state'           => array(
					'type' => 'string',
					'enum' => array( 'normal', 'soft', 'hard' ),
				),
			),
		);
		return array(
			'$schema'    => 'http://json-schema.org/draft-04/schema#',
			'title'      => 'vvc-usage-summary',
			'type'       => 'object',
			'properties' => array(
				'range'         => array(
					'type'       => 'object',
					'properties' => array(
						'from'     => array( 'type' => 'string' ),
						'to'       => array( 'type' => 'string' ),
						'days'     => array( 'type' => 'integer' ),
						'timezone' => array( 'type' => 'string' ),
					),
				),
				'totals'        => array(
					'type'        => 'object',
					'description' => __( 'Requests, cost (micro-dollars), cache hits, errors and tokens over the range.', 'voice-vision-chat' ),
				),
				'daily'         => array(
					'type'        => 'array',
					'description' => __( 'One entry per day of the range, with the cost of each tier in micro-dollars.', 'voice-vision-chat' ),
					'items'       => array( 'type' => 'object' ),
				),
				'tiers'         => array(
					'type'  => 'array',
					'items' => array( 'type' => 'string' ),
				),
				'budgets'       => array(
					'type'        => 'array',
					'description' => __( 'Spending against the daily, monthly and per-visitor limits now.', 'voice-vision-chat' ),
					'items'       => $money_line,
				),
				'budget_state'  => array(
					'type' => 'string',
					'enum' => array( 'normal', 'soft', 'hard' ),
				),
				'top_models'    => array(
					'type'  => 'array',
					'items' => array( 'type' => 'object' ),
				),
				'recent_errors' => array(
					'type'  => 'array',
					'items' => array( 'type' => 'object' ),
				),
				'error_log'     => array(
					'type'  => 'array',
					'items' => array( 'type' => 'object' ),
				),
			),
		);
	}
}
