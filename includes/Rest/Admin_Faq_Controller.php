<?php
/**
 * /voice-vision-chat/v1/admin/faq: FAQ statistics, curated entries, purge, CSV export/import.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Rest;

use VoiceVisionChat\Cache\Curated_Faq_Store;
use VoiceVisionChat\Cache\Faq_Cache;
use VoiceVisionChat\Cache\Faq_Csv;
use VoiceVisionChat\Cache\Faq_Stats;
use VoiceVisionChat\Settings\Settings;
use WP_Error;
use WP_HTTP_Response;
use WP_REST_Controller;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * The admin's view of the FAQ cache. Every route needs manage_options.
 *
 * - GET    /admin/faq                 statistics, curated entries, cache state, limits
 * - POST   /admin/faq/settings        change faq_enabled, faq_ttl, faq_min_asks {enabled?, ttl?, min_asks?}
 * - POST   /admin/faq/entries         create an entry {questions: string[], answer}
 * - PUT    /admin/faq/entries/<id>    replace an entry's questions and answer
 * - DELETE /admin/faq/entries/<id>    delete an entry
 * - POST   /admin/faq/purge           forget every cached answer {reset_stats?: bool}
 * - GET    /admin/faq/export          the entries as a CSV download (see Faq_Csv)
 * - POST   /admin/faq/import          CSV as `csv` text or a `file` upload, mode merge|replace
 * - POST   /admin/faq/promote         turn an asked question into an entry {hash, answer, questions?}
 *
 * @phpstan-import-type Faq_Entry from Curated_Faq_Store
 */
final class Admin_Faq_Controller extends WP_REST_Controller {

	/**
	 * REST namespace of every plugin route.
	 */
	public const ROUTE_NAMESPACE = 'voice-vision-chat/v1';

	/**
	 * Questions listed by GET /admin/faq.
	 */
	private const TOP_QUESTIONS = 100;

	/**
	 * Parameters of POST /admin/faq/settings and the settings they change.
	 */
	private const SETTING_KEYS = array(
		'enabled'  => 'faq_enabled',
		'ttl'      => 'faq_ttl',
		'min_asks' => 'faq_min_asks',
	);

	/**
	 * Settings.
	 *
	 * @var Settings
	 */
	private Settings $settings;

	/**
	 * The FAQ cache.
	 *
	 * @var Faq_Cache
	 */
	private Faq_Cache $cache;

	/**
	 * Curated entries.
	 *
	 * @var Curated_Faq_Store
	 */
	private Curated_Faq_Store $entries;

	/**
	 * Ask statistics.
	 *
	 * @var Faq_Stats
	 */
	private Faq_Stats $stats;

	/**
	 * CSV reader and writer.
	 *
	 * @var Faq_Csv
	 */
	private Faq_Csv $csv;

	/**
	 * Stores collaborators.
	 *
	 * @param Settings          $settings Plugin settings.
	 * @param Faq_Cache         $cache    The FAQ cache.
	 * @param Curated_Faq_Store $entries  Curated entries.
	 * @param Faq_Stats         $stats    Ask statistics.
	 * @param Faq_Csv           $csv      CSV reader and writer.
	 */
	public function __construct( Settings $settings, Faq_Cache $cache, Curated_Faq_Store $entries, Faq_Stats $stats, Faq_Csv $csv ) {
		$this->namespace = self::ROUTE_NAMESPACE;
		$this->rest_base = 'admin/faq';
		$this->settings  = $settings;
		$this->cache     = $cache;
		$this->entries   = $entries;
		$this->stats     = $stats;
		$this->csv       = $csv;
	}

	/**
	 * Registers the routes.
	 */
	public function register_routes(): void {
		$permission = array( $this, 'permissions_check' );
		$entry_args = array(
			'questions' => array(
				'description' => __( 'Question variants, as visitors might ask them.', 'voice-vision-chat' ),
				'type'        => 'array',
				'items'       => array(
					'type'      => 'string',
					'maxLength' => Curated_Faq_Store::QUESTION_MAX_CHARS,
				),
				'minItems'    => 1,
				'maxItems'    => Curated_Faq_Store::MAX_QUESTIONS,
				'required'    => true,
			),
			'answer'    => array(
				'description' => __( 'The answer, as Markdown.', 'voice-vision-chat' ),
				'type'        => 'string',
				'minLength'   => 1,
				'maxLength'   => Curated_Faq_Store::ANSWER_MAX_CHARS,
				'required'    => true,
			),
		);

		register_rest_route(
			self::ROUTE_NAMESPACE,
			'/' . $this->rest_base,
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( $this, 'get_overview' ),
					'permission_callback' => $permission,
				),
				'schema' => array( $this, 'get_public_item_schema' ),
			)
		);
		$setting_args = array();
		$schema       = Settings::schema();
		foreach ( self::SETTING_KEYS as $param => $key ) {
			$setting_args[ $param ] = $schema[ $key ];
		}
		register_rest_route(
			self::ROUTE_NAMESPACE,
			'/' . $this->rest_base . '/settings',
			array(
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'update_settings' ),
					'permission_callback' => $permission,
					'args'                => $setting_args,
				),
			)
		);
		register_rest_route(
			self::ROUTE_NAMESPACE,
			'/' . $this->rest_base . '/entries',
			array(
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'create_item' ),
					'permission_callback' => $permission,
					'args'                => $entry_args,
				),
			)
		);
		register_rest_route(
			self::ROUTE_NAMESPACE,
			'/' . $this->rest_base . '/entries/(?P<id>[0-9a-f-]{36})',
			array(
				'args' => array(
					'id' => array(
						'description' => __( 'Entry id.', 'voice-vision-chat' ),
						'type'        => 'string',
					),
				),
				array(
					'methods'             => WP_REST_Server::EDITABLE,
					'callback'            => array( $this, 'update_item' ),
					'permission_callback' => $permission,
					'args'                => $entry_args,
				),
				array(
					'methods'             => WP_REST_Server::DELETABLE,
					'callback'            => array( $this, 'delete_item' ),
					'permission_callback' => $permission,
				),
			)
		);
		register_rest_route(
			self::ROUTE_NAMESPACE,
			'/' . $this->rest_base . '/purge',
			array(
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'purge' ),
					'permission_callback' => $permission,
					'args'                => array(
						'reset_stats' => array(
							'description' => __( 'Also start the question statistics afresh.', 'voice-vision-chat' ),
							'type'        => 'boolean',
							'default'     => false,
						),
					),
				),
			)
		);
		register_rest_route(
			self::ROUTE_NAMESPACE,
			'/' . $this->rest_base . '/export',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( $this, 'export' ),
					'permission_callback' => $permission,
				),
			)
		);
		register_rest_route(
			self::ROUTE_NAMESPACE,
			'/' . $this->rest_base . '/import',
			array(
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'import' ),
					'permission_callback' => $permission,
					'args'                => array(
						'csv'  => array(
							'description' => __( 'CSV text (or upload it as the file part "file").', 'voice-vision-chat' ),
							'type'        => 'string',
						),
						'mode' => array(
							'description' => __( 'merge: add new entries and update those whose id matches; replace: delete every entry first.', 'voice-vision-chat' ),
							'type'        => 'string',
							'enum'        => array( 'merge', 'replace' ),
							'default'     => 'merge',
						),
					),
				),
			)
		);
		register_rest_route(
			self::ROUTE_NAMESPACE,
			'/' . $this->rest_base . '/promote',
			array(
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'promote' ),
					'permission_callback' => $permission,
					'args'                => array(
						'hash'      => array(
							'description' => __( 'The asked question, as listed by GET /admin/faq.', 'voice-vision-chat' ),
							'type'        => 'string',
							'pattern'     => '^[0-9a-f]{24}$',
							'required'    => true,
						),
						'answer'    => $entry_args['answer'],
						'questions' => array(
							'description' => __( 'More question variants for the entry.', 'voice-vision-chat' ),
							'type'        => 'array',
							'items'       => array(
								'type'      => 'string',
								'maxLength' => Curated_Faq_Store::QUESTION_MAX_CHARS,
							),
							'maxItems'    => Curated_Faq_Store::MAX_QUESTIONS - 1,
							'default'     => array(),
						),
					),
				),
			)
		);
	}

	/**
	 * Only administrators (manage_options).
	 *
	 * @param WP_REST_Request $request Request.
	 * @return true|WP_Error
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function permissions_check( $request ) {
		return Admin_Permission::check( __( 'Sorry, you are not allowed to manage the chat\'s FAQ.', 'voice-vision-chat' ) );
	}

	/**
	 * Statistics, curated entries and the cache's state.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function get_overview( $request ) {
		$with_samples = (bool) $this->settings->get( 'log_transcripts' );
		$curated      = array();
		foreach ( $this->entries->all() as $entry ) {
			$curated[] = $entry;
		}
		$questions = array();
		foreach ( $this->stats->top( self::TOP_QUESTIONS, $with_samples ) as $question ) {
			$match       = $this->entries->match( $question['text'] );
			$questions[] = $question + array( 'entry_id' => null === $match ? '' : $match['id'] );
		}
		return $this->no_store(
			new WP_REST_Response(
				array(
					'settings' => array(
						'enabled'         => $this->cache->enabled(),
						'ttl'             => $this->cache->ttl(),
						'min_asks'        => $this->cache->min_asks(),
						'log_transcripts' => $with_samples,
					),
					'cache'    => array(
						'version'      => $this->cache->version(),
						'object_cache' => (bool) wp_using_ext_object_cache(),
					),
					'stats'    => $this->stats->totals() + array( 'questions' => $questions ),
					'entries'  => $curated,
					'limits'   => self::limits(),
				)
			)
		);
	}

	/**
	 * Changes the FAQ cache's settings (any subset); answers like GET /admin/faq.
	 *
	 * The values go through Settings::update(), so they are clamped and sanitized as on the
	 * settings screen, and the cache hooks on the option (version bump) run as usual.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function update_settings( $request ) {
		$changes = array();
		foreach ( self::SETTING_KEYS as $param => $key ) {
			if ( null !== $request->get_param( $param ) ) {
				$changes[ $key ] = $request->get_param( $param );
			}
		}
		if ( $changes ) {
			$this->settings->update( $changes );
		}
		return $this->get_overview( $request );
	}

	/**
	 * What the screen may send: setting ranges and entry, import sizes, so it can say what
	 * is wrong before a request fails.
	 *
	 * @return array{ttl: array{min: int, max: int}, min_asks: array{min: int, max: int}, max_entries: int, max_questions: int, question_max_chars: int, answer_max_chars: int, import_max_bytes: int, import_max_rows: int}
	 */
	private static function limits(): array {
		$schema = Settings::schema();
		$range  = static fn ( string $key ): array => array(
			'min' => (int) ( $schema[ $key ]['minimum'] ?? 0 ),
			'max' => (int) ( $schema[ $key ]['maximum'] ?? 0 ),
		);
		return array(
			'ttl'                => $range( 'faq_ttl' ),
			'min_asks'           => $range( 'faq_min_asks' ),
			'max_entries'        => Curated_Faq_Store::MAX_ENTRIES,
			'max_questions'      => Curated_Faq_Store::MAX_QUESTIONS,
			'question_max_chars' => Curated_Faq_Store::QUESTION_MAX_CHARS,
			'answer_max_chars'   => Curated_Faq_Store::ANSWER_MAX_CHARS,
			'import_max_bytes'   => Faq_Csv::MAX_BYTES,
			'import_max_rows'    => Faq_Csv::MAX_ROWS,
		);
	}

	/**
	 * Creates a curated entry.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function create_item( $request ) {
		$entry = $this->entries->create( $this->string_list( $request->get_param( 'questions' ) ), (string) $request->get_param( 'answer' ) );
		if ( is_wp_error( $entry ) ) {
			return $entry;
		}
		$response = $this->no_store( new WP_REST_Response( $entry, 201 ) );
		$response->header( 'Location', rest_url( self::ROUTE_NAMESPACE . '/' . $this->rest_base . '/entries/' . $entry['id'] ) );
		return $response;
	}

	/**
	 * Replaces a curated entry's questions and answer.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function update_item( $request ) {
		$entry = $this->entries->update( (string) $request->get_param( 'id' ), $this->string_list( $request->get_param( 'questions' ) ), (string) $request->get_param( 'answer' ) );
		return is_wp_error( $entry ) ? $entry : $this->no_store( new WP_REST_Response( $entry ) );
	}

	/**
	 * Deletes a curated entry.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function delete_item( $request ) {
		$entry = $this->entries->delete( (string) $request->get_param( 'id' ) );
		if ( is_wp_error( $entry ) ) {
			return $entry;
		}
		return $this->no_store(
			new WP_REST_Response(
				array(
					'deleted'  => true,
					'previous' => $entry,
				)
			)
		);
	}

	/**
	 * Forgets every cached answer; optionally the statistics too.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function purge( $request ) {
		$deleted = $this->cache->purge();
		if ( $request->get_param( 'reset_stats' ) ) {
			$this->stats->reset();
		}
		return $this->no_store(
			new WP_REST_Response(
				array(
					'version'      => $this->cache->version(),
					'rows_deleted' => $deleted,
				)
			)
		);
	}

	/**
	 * The curated entries as CSV. The response's data is the CSV text; serve_csv() sends it
	 * as is instead of JSON.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function export( $request ) {
		$response = $this->no_store( new WP_REST_Response( $this->csv->export( $this->entries->all() ) ) );
		$response->header( 'Content-Type', 'text/csv; charset=utf-8' );
		$response->header( 'Content-Disposition', 'attachment; filename="chat-faq-' . gmdate( 'Y-m-d' ) . '.csv"' );
		$response->header( 'X-Content-Type-Options', 'nosniff' );
		return $response;
	}

	/**
	 * Sends the export's CSV text as the body, not as a JSON string. Hooked to
	 * rest_pre_serve_request; the headers were already sent by the REST server.
	 *
	 * @param bool             $served  Whether the request was already served.
	 * @param WP_HTTP_Response $result  The response.
	 * @param WP_REST_Request  $request The request.
	 * @return bool
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function serve_csv( $served, $result, $request ) {
		if ( $served || '/' . self::ROUTE_NAMESPACE . '/' . $this->rest_base . '/export' !== $request->get_route() || 'GET' !== $request->get_method() ) {
			return (bool) $served;
		}
		$type = $result->get_headers()['Content-Type'] ?? '';
		if ( 200 !== $result->get_status() || ! is_string( $result->get_data() ) || ! str_starts_with( (string) $type, 'text/csv' ) ) {
			return false;
		}
		echo $result->get_data(); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- a CSV download, not HTML; formulas are guarded by Faq_Csv.
		return true;
	}

	/**
	 * Imports entries from CSV.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error `{created, updated, errors: [{row, code, message}]}`.
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function import( $request ) {
		$text = $request->get_param( 'csv' );
		if ( ! is_string( $text ) || '' === $text ) {
			$text = $this->uploaded_text( $request );
			if ( is_wp_error( $text ) ) {
				return $text;
			}
		}
		$rows = $this->csv->parse( $text );
		if ( is_wp_error( $rows ) ) {
			return $rows;
		}
		if ( 'replace' === $request->get_param( 'mode' ) ) {
			$this->entries->delete_all();
		}

		$created = 0;
		$updated = 0;
		$errors  = array();
		foreach ( $rows as $row ) {
			$existing = '' !== $row['id'] ? $this->entries->get( $row['id'] ) : null;
			$result   = null === $existing
				? $this->entries->create( $row['questions'], $row['answer'], $row['id'] )
				: $this->entries->update( $row['id'], $row['questions'], $row['answer'] );
			if ( is_wp_error( $result ) ) {
				$errors[] = array(
					'row'     => $row['row'],
					'code'    => (string) $result->get_error_code(),
					'message' => $result->get_error_message(),
				);
			} elseif ( null === $existing ) {
				++$created;
			} else {
				++$updated;
			}
		}
		return $this->no_store(
			new WP_REST_Response(
				array(
					'created' => $created,
					'updated' => $updated,
					'errors'  => $errors,
				)
			)
		);
	}

	/**
	 * Turns an asked question into a curated entry with the admin's answer.
	 *
	 * The entry's first question is the visitor's wording when transcript logging kept one,
	 * else the normalized text (which normalizes to itself, so it matches the same asks).
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	public function promote( $request ) {
		$asked = $this->stats->find( (string) $request->get_param( 'hash' ) );
		if ( null === $asked ) {
			return new WP_Error( 'vvc_faq_not_found', __( 'That question is no longer in the statistics.', 'voice-vision-chat' ), array( 'status' => 404 ) );
		}
		$first     = ( $this->settings->get( 'log_transcripts' ) && isset( $asked['sample'] ) ) ? $asked['sample'] : $asked['text'];
		$questions = array_merge( array( $first ), $this->string_list( $request->get_param( 'questions' ) ) );
		$entry     = $this->entries->create( $questions, (string) $request->get_param( 'answer' ) );
		return is_wp_error( $entry ) ? $entry : $this->no_store( new WP_REST_Response( $entry, 201 ) );
	}

	/**
	 * Schema of GET /admin/faq.
	 *
	 * @return array<string, mixed>
	 */
	public function get_item_schema() {
		if ( $this->schema ) {
			return $this->add_additional_fields_schema( $this->schema );
		}
		$range        = array(
			'type'       => 'object',
			'properties' => array(
				'min' => array( 'type' => 'integer' ),
				'max' => array( 'type' => 'integer' ),
			),
		);
		$entry        = array(
			'type'       => 'object',
			'properties' => array(
				'id'        => array( 'type' => 'string' ),
				'questions' => array(
					'type'  => 'array',
					'items' => array( 'type' => 'string' ),
				),
				'answer'    => array( 'type' => 'string' ),
				'updated'   => array( 'type' => 'integer' ),
			),
		);
		$this->schema = array(
			'$schema'    => 'http://json-schema.org/draft-04/schema#',
			'title'      => 'vvc-faq',
			'type'       => 'object',
			'properties' => array(
				'settings' => array(
					'description' => __( 'The FAQ settings in effect.', 'voice-vision-chat' ),
					'type'        => 'object',
					'readonly'    => true,
					'properties'  => array(
						'enabled'         => array( 'type' => 'boolean' ),
						'ttl'             => array( 'type' => 'integer' ),
						'min_asks'        => array( 'type' => 'integer' ),
						'log_transcripts' => array( 'type' => 'boolean' ),
					),
				),
				'cache'    => array(
					'description' => __( 'Cache generation, and whether a persistent object cache stores it.', 'voice-vision-chat' ),
					'type'        => 'object',
					'readonly'    => true,
					'properties'  => array(
						'version'      => array( 'type' => 'integer' ),
						'object_cache' => array( 'type' => 'boolean' ),
					),
				),
				'stats'    => array(
					'description' => __( 'Asks and hits since the last reset, and the most asked questions (normalized text; the original wording only while transcript logging is on).', 'voice-vision-chat' ),
					'type'        => 'object',
					'readonly'    => true,
					'properties'  => array(
						'asks'      => array( 'type' => 'integer' ),
						'hits'      => array( 'type' => 'integer' ),
						'hit_rate'  => array( 'type' => 'number' ),
						'since'     => array( 'type' => 'integer' ),
						'questions' => array(
							'type'  => 'array',
							'items' => array(
								'type'       => 'object',
								'properties' => array(
									'hash'       => array( 'type' => 'string' ),
									'text'       => array( 'type' => 'string' ),
									'sample'     => array( 'type' => 'string' ),
									'asks'       => array( 'type' => 'integer' ),
									'hits'       => array( 'type' => 'integer' ),
									'hit_rate'   => array( 'type' => 'number' ),
									'last_asked' => array( 'type' => 'integer' ),
									'entry_id'   => array( 'type' => 'string' ),
								),
							),
						),
					),
				),
				'entries'  => array(
					'description' => __( 'Curated entries.', 'voice-vision-chat' ),
					'type'        => 'array',
					'readonly'    => true,
					'items'       => $entry,
				),
				'limits'   => array(
					'description' => __( 'Ranges of the settings and sizes of entries and imports the server accepts.', 'voice-vision-chat' ),
					'type'        => 'object',
					'readonly'    => true,
					'properties'  => array(
						'ttl'                => $range,
						'min_asks'           => $range,
						'max_entries'        => array( 'type' => 'integer' ),
						'max_questions'      => array( 'type' => 'integer' ),
						'question_max_chars' => array( 'type' => 'integer' ),
						'answer_max_chars'   => array( 'type' => 'integer' ),
						'import_max_bytes'   => array( 'type' => 'integer' ),
						'import_max_rows'    => array( 'type' => 'integer' ),
					),
				),
			),
		);
		return $this->add_additional_fields_schema( $this->schema );
	}

	/**
	 * Text of an uploaded CSV file (field `file`).
	 *
	 * @param WP_REST_Request $request Request.
	 * @return string|WP_Error
	 *
	 * @phpstan-param WP_REST_Request<array<string, mixed>> $request
	 */
	private function uploaded_text( $request ) {
		/**
		 * Uploads by field name.
		 *
		 * @var array<string, mixed> $files
		 */
		$files = $request->get_file_params();
		$file  = $files['file'] ?? null;
		if ( ! is_array( $file ) || ! is_string( $file['tmp_name'] ?? null ) || UPLOAD_ERR_OK !== ( $file['error'] ?? null ) || ! is_uploaded_file( $file['tmp_name'] ) ) {
			return new WP_Error( 'vvc_bad_request', __( 'Send the CSV as the "csv" field or as the file upload "file".', 'voice-vision-chat' ), array( 'status' => 400 ) );
		}
		if ( (int) filesize( $file['tmp_name'] ) > Faq_Csv::MAX_BYTES ) {
			return new WP_Error( 'vvc_faq_import_too_large', __( 'The CSV file is too large.', 'voice-vision-chat' ), array( 'status' => 413 ) );
		}
		return (string) file_get_contents( $file['tmp_name'] ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- PHP's upload temp file.
	}

	/**
	 * A list of strings from a parameter.
	 *
	 * @param mixed $value Parameter value.
	 * @return list<string>
	 */
	private function string_list( $value ): array {
		return is_array( $value ) ? array_values( array_filter( $value, 'is_string' ) ) : array();
	}

	/**
	 * Marks a response as never cacheable.
	 *
	 * @param WP_REST_Response $response Response.
	 */
	private function no_store( WP_REST_Response $response ): WP_REST_Response {
		$response->header( 'Cache-Control', 'no-store' );
		return $response;
	}
}
