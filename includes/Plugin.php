<?php
/**
 * Composition root: builds the plugin's objects and attaches every hook.
 *
 * Read this file as the plugin's table of contents: each line below says which object
 * answers which WordPress event. Classes themselves never call add_action().
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat;

use VoiceVisionChat\Admin\App_Assets;
use VoiceVisionChat\Admin\Budget_Page;
use VoiceVisionChat\Admin\Dashboard_Page;
use VoiceVisionChat\Admin\Faq_Page;
use VoiceVisionChat\Admin\Model_Notices;
use VoiceVisionChat\Admin\Model_Problems;
use VoiceVisionChat\Admin\Settings_Page;
use VoiceVisionChat\Block\Chat_Block;
use VoiceVisionChat\Block\Widget_Loader;
use VoiceVisionChat\Cache\Cache_Version;
use VoiceVisionChat\Cache\Curated_Faq_Store;
use VoiceVisionChat\Cache\Faq_Cache;
use VoiceVisionChat\Cache\Faq_Csv;
use VoiceVisionChat\Cache\Faq_Stats;
use VoiceVisionChat\Cache\Personal_Data;
use VoiceVisionChat\Cache\Question_Normalizer;
use VoiceVisionChat\Chat\Free_Alternatives;
use VoiceVisionChat\Chat\Question_Router;
use VoiceVisionChat\Chat\Text_Answerer;
use VoiceVisionChat\Chat\Voice_Responder;
use VoiceVisionChat\Cost\Budget_Ledger;
use VoiceVisionChat\Cost\Budget_Settings;
use VoiceVisionChat\Cost\Rate_Limiter;
use VoiceVisionChat\Cost\Request_Meter;
use VoiceVisionChat\Cost\Spend_Report;
use VoiceVisionChat\Media\Image_Validator;
use VoiceVisionChat\Rest\Admin_Budget_Controller;
use VoiceVisionChat\Rest\Admin_Connection_Controller;
use VoiceVisionChat\Rest\Admin_Errors_Controller;
use VoiceVisionChat\Rest\Admin_Faq_Controller;
use VoiceVisionChat\Rest\Admin_Settings_Controller;
use VoiceVisionChat\Rest\Admin_Usage_Controller;
use VoiceVisionChat\Rest\Chat_Controller;
use VoiceVisionChat\Rest\Session_Controller;
use VoiceVisionChat\Rest\Sse_Writer;
use VoiceVisionChat\Security\Api_Key_Store;
use VoiceVisionChat\Security\Client_Ip;
use VoiceVisionChat\Security\Visitor_Token;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Storage\Maintenance;
use VoiceVisionChat\Storage\Schema;
use VoiceVisionChat\Storage\Usage_Repository;
use VoiceVisionChat\Support\Error_Log;
use VoiceVisionChat\Upstream\Chat_Request_Builder;
use VoiceVisionChat\Upstream\OpenAI_Client;
use VoiceVisionChat\Voice\Voice_Answerer;

defined( 'ABSPATH' ) || exit;

/**
 * Wires the plugin into WordPress.
 */
final class Plugin {

	/**
	 * Absolute path of the plugin folder, with a trailing slash.
	 *
	 * @var string
	 */
	private string $dir;

	/**
	 * Absolute path of plugin.php.
	 *
	 * @var string
	 */
	private string $file;

	/**
	 * Stores where the plugin lives; does nothing else.
	 *
	 * @param string $dir  Plugin folder with a trailing slash.
	 * @param string $file Main plugin file.
	 */
	public function __construct( string $dir, string $file ) {
		$this->dir  = $dir;
		$this->file = $file;
	}

	/**
	 * Attaches every hook the plugin uses.
	 */
	public function register(): void {
		$chat_block = new Chat_Block( $this->dir . 'build/blocks' );

		// Shared services: one instance each, so the settings are read once per request.
		$settings      = new Settings();
		$api_keys      = new Api_Key_Store( $settings );
		$error_log     = new Error_Log( $api_keys ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- the plugin's class, not PHP's error_log().
		$visitor_token = new Visitor_Token();
		$client_ip     = new Client_Ip();

		add_action( 'init', array( $chat_block, 'register' ) );

		// Cost control's tables: created on activation, upgraded whenever the schema version changes.
		$schema = new Schema();
		register_activation_hook( $this->file, array( $schema, 'install' ) );
		add_action( 'plugins_loaded', array( $schema, 'maybe_upgrade' ) );

		// Daily clean-up: expired reservations, old rate counters and budget periods, old usage rows.
		$budget_settings = new Budget_Settings();
		$maintenance     = new Maintenance( new Budget_Ledger( $budget_settings ), new Rate_Limiter( $budget_settings ), new Usage_Repository(), $budget_settings );
		add_action( Maintenance::HOOK, array( $maintenance, 'run' ) );
		add_action( 'init', array( $maintenance, 'schedule' ) );
		register_deactivation_hook( $this->file, array( $maintenance, 'unschedule' ) );

		// The chat widget loads on a visitor's first interaction; the block's loader gets its list.
		$widget_loader = new Widget_Loader( $this->dir . 'build', plugins_url( 'build', $this->file ), $this->dir . 'languages', $settings );
		add_action( 'init', array( $widget_loader, 'register' ) );
		add_filter( 'render_block_' . Chat_Block::NAME, array( $widget_loader, 'attach_boot' ), 10, 2 );
		add_filter( 'vvc_voice_available', array( $widget_loader, 'voice_available' ) );

		add_action( 'init', array( $settings, 'register' ) );

		// Tokens are rate-limited per client IP, so fetching new ones does not reset a visitor's limits.
		add_action( 'rest_api_init', array( new Session_Controller( $settings, $visitor_token, new Rate_Limiter( $budget_settings ), $client_ip ), 'register_routes' ) );
		add_action( 'rest_api_init', array( new Admin_Settings_Controller( $settings, $api_keys ), 'register_routes' ) );
		add_action( 'rest_api_init', array( new Admin_Errors_Controller( $error_log ), 'register_routes' ) );

		// FAQ cache: curated and repeated questions answered without a model call. A change to
		// the prompt or models starts a new cache generation; the admin routes manage it.
		$faq_normalizer = new Question_Normalizer();
		$faq_version    = new Cache_Version();
		$faq_entries    = new Curated_Faq_Store( $faq_normalizer, $faq_version );
		$faq_stats      = new Faq_Stats();
		$faq_cache      = new Faq_Cache( $settings, $faq_normalizer, $faq_entries, $faq_stats, $faq_version, new Personal_Data() );
		$faq_admin      = new Admin_Faq_Controller( $settings, $faq_cache, $faq_entries, $faq_stats, new Faq_Csv() );
		add_action( 'update_option_' . Settings::OPTION, array( $faq_cache, 'on_settings_updated' ), 10, 2 );
		add_action( 'add_option_' . Settings::OPTION, array( $faq_cache, 'on_settings_added' ), 10, 2 );
		add_action( 'rest_api_init', array( $faq_admin, 'register_routes' ) );
		add_filter( 'rest_pre_serve_request', array( $faq_admin, 'serve_csv' ), 10, 3 );

		// The chat proxy and the admin's "Test connection", both through the one upstream client.
		$openai_client = new OpenAI_Client( $settings, $api_keys, $error_log );
		$chat_builder  = new Chat_Request_Builder( $settings );
		$image_checks  = new Image_Validator( $settings );
		// Spoken questions go through the same FAQ cache as typed ones.
		$voice_answerer = Voice_Answerer::create( $settings, $openai_client, $chat_builder, null, $faq_cache );
		// Cost control: rates, routing, reservations and usage rows for every chat request.
		$chat_meter = new Request_Meter( new Budget_Ledger( $budget_settings ), new Rate_Limiter( $budget_settings ), new Usage_Repository(), $client_ip, $error_log );
		// The route checks the turn; typed and spoken turns are answered by their own classes,
		// routed alike (a spoken question's transcript gets a typed one's tier and FAQ key).
		$chat_writer       = new Sse_Writer();
		$chat_alternatives = new Free_Alternatives( $faq_entries, $faq_cache, $faq_normalizer );
		$chat_router       = new Question_Router( $settings, $chat_builder, $chat_meter );
		$text_answerer     = new Text_Answerer( $settings, $openai_client, $chat_builder, $chat_writer, $faq_cache, $chat_meter, $chat_alternatives, $chat_router );
		$voice_responder   = new Voice_Responder( $settings, $chat_builder, $chat_writer, $voice_answerer, $chat_meter, $chat_alternatives, $chat_router );
		add_action( 'rest_api_init', array( new Chat_Controller( $settings, $visitor_token, $image_checks, $chat_builder, $voice_answerer, $chat_meter, $text_answerer, $voice_responder ), 'register_routes' ) );
		add_action( 'rest_api_init', array( new Admin_Connection_Controller( $settings, $openai_client ), 'register_routes' ) );

		$admin_assets  = new App_Assets( $this->file, $this->dir . 'build/admin' );
		$settings_page = new Settings_Page( $admin_assets, $this->file );
		add_action( 'admin_menu', array( $settings_page, 'add_page' ) );
		add_action( 'admin_enqueue_scripts', array( $settings_page, 'enqueue' ) );
		add_filter( $settings_page->action_links_hook(), array( $settings_page, 'add_action_link' ) );

		// Cost control's admin: the usage dashboard, the budget/prices/tiers screen, their
		// routes, and warnings about configured models before visitors meet an error.
		$model_problems = new Model_Problems( $settings );
		$usage_admin    = new Admin_Usage_Controller( new Usage_Repository(), new Spend_Report( new Budget_Ledger( $budget_settings ), $budget_settings ), $error_log );
		add_action( 'rest_api_init', array( $usage_admin, 'register_routes' ) );
		add_filter( 'rest_pre_serve_request', array( $usage_admin, 'serve_csv' ), 10, 3 );
		add_action( 'rest_api_init', array( new Admin_Budget_Controller( $budget_settings, $model_problems, $openai_client ), 'register_routes' ) );
		$dashboard_page = new Dashboard_Page( $admin_assets );
		add_action( 'admin_menu', array( $dashboard_page, 'add_page' ) );
		add_action( 'admin_enqueue_scripts', array( $dashboard_page, 'enqueue' ) );
		$budget_page = new Budget_Page( $admin_assets );
		add_action( 'admin_menu', array( $budget_page, 'add_page' ) );
		add_action( 'admin_enqueue_scripts', array( $budget_page, 'enqueue' ) );
		$faq_page = new Faq_Page( $admin_assets );
		add_action( 'admin_menu', array( $faq_page, 'add_page' ) );
		add_action( 'admin_enqueue_scripts', array( $faq_page, 'enqueue' ) );
		$model_notices = new Model_Notices( $model_problems );
		add_action( 'admin_notices', array( $model_notices, 'render' ) );
		add_filter( 'site_status_tests', array( $model_notices, 'add_site_health_test' ) );
	}

	/**
	 * Main plugin file, for activation hooks and plugin_basename().
	 */
	public function file(): string {
		return $this->file;
	}
}
