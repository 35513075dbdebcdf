<?php
/**
 * The chat route wired as Plugin::register() wires it, for REST tests against the simulator.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Rest;

use VoiceVisionChat\Cache\Cache_Version;
use VoiceVisionChat\Cache\Curated_Faq_Store;
use VoiceVisionChat\Cache\Faq_Cache;
use VoiceVisionChat\Cache\Faq_Stats;
use VoiceVisionChat\Cache\Personal_Data;
use VoiceVisionChat\Cache\Question_Normalizer;
use VoiceVisionChat\Chat\Free_Alternatives;
use VoiceVisionChat\Cost\Budget_Ledger;
use VoiceVisionChat\Cost\Budget_Settings;
use VoiceVisionChat\Cost\Rate_Limiter;
use VoiceVisionChat\Cost\Request_Meter;
use VoiceVisionChat\Media\Image_Validator;
use VoiceVisionChat\Rest\Chat_Controller;
use VoiceVisionChat\Rest\Sse_Writer;
use VoiceVisionChat\Security\Client_Ip;
use VoiceVisionChat\Security\Visitor_Token;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Storage\Usage_Repository;
use VoiceVisionChat\Support\Error_Log;
use VoiceVisionChat\Tests\Upstream\Simulator;
use VoiceVisionChat\Upstream\Chat_Request_Builder;
use VoiceVisionChat\Voice\Voice_Answerer;
use VoiceVisionChat\Tests\Voice\Voice_Test_Support;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

require_once __DIR__ . '/../Upstream/Simulator.php';
require_once __DIR__ . '/../Voice/Voice_Test_Support.php';

/**
 * Builds and registers POST /chat on the current options.
 */
final class Chat_Test_Stack {

	/**
	 * The FAQ cache answers typed and spoken questions (the plugin's wiring).
	 */
	public const FAQ_ALL = 'all';

	/**
	 * The FAQ cache answers typed questions only.
	 */
	public const FAQ_TYPED = 'typed';

	/**
	 * No FAQ cache: every question reaches the model.
	 */
	public const FAQ_OFF = 'off';

	/**
	 * Registers /chat on a fresh REST server: a client that does not sleep between retries,
	 * uploads that may be fixture files, the FAQ cache and cost control on the stored options.
	 *
	 * @param Sse_Writer $writer Collects the events.
	 * @param string     $faq    Which questions the FAQ cache answers: one of the FAQ_* constants.
	 * @return Curated_Faq_Store The curated entries the cache answers from.
	 */
	public static function serve( Sse_Writer $writer, string $faq = self::FAQ_ALL ): Curated_Faq_Store {
		rest_get_server(); // Lets rest_api_init run once, so routes may be registered.
		$GLOBALS['wp_rest_server'] = new WP_REST_Server();
		$settings                  = new Settings();
		$sleeps                    = array();
		$client                    = Simulator::client( $sleeps, array( 'total' => 3 ) );
		$builder                   = new Chat_Request_Builder( $settings );
		$is_file                   = static fn ( string $path ): bool => is_file( $path );
		$normalizer                = new Question_Normalizer();
		$version                   = new Cache_Version();
		$curated                   = new Curated_Faq_Store( $normalizer, $version );
		$cache                     = self::FAQ_OFF === $faq ? null : new Faq_Cache( $settings, $normalizer, $curated, new Faq_Stats(), $version, new Personal_Data() );
		$budget                    = new Budget_Settings();
		Chat_Controller::create(
			$settings,
			new Visitor_Token(),
			$client,
			new Image_Validator( $settings, $is_file ),
			$builder,
			$writer,
			Voice_Answerer::create( $settings, $client, $builder, $is_file, self::FAQ_ALL === $faq ? $cache : null ),
			$cache,
			new Request_Meter( new Budget_Ledger( $budget ), new Rate_Limiter( $budget ), new Usage_Repository(), new Client_Ip(), new Error_Log() ),
			new Free_Alternatives( $curated, $cache, $normalizer )
		)->register_routes();
		return $curated;
	}

	/**
	 * Asks aloud: the simulator transcribes the next recording whose request carries the
	 * marker (the test's `vvc_transcription_prompt` puts it there) as $heard.
	 *
	 * @param string $route  Route.
	 * @param string $marker The test's marker.
	 * @param string $heard  What the visitor "says".
	 * @param bool   $stream Whether to ask for events.
	 */
	public static function say( string $route, string $marker, string $heard, bool $stream = false ): WP_REST_Response {
		Simulator::script(
			array(
				'match' => array(
					'path'     => '/v1/audio/transcriptions',
					'contains' => $marker,
				),
				'reply' => array( 'transcript' => $heard ),
				'times' => 1,
			)
		);
		$request = self::voice_request( $route, Voice_Test_Support::FIXTURES . 'question-16k-mono.wav' );
		if ( $stream ) {
			$request->set_param( 'stream', '1' );
		}
		return rest_do_request( $request );
	}

	/**
	 * A spoken question to /chat: a fresh visitor token and a fixture recording as the upload.
	 *
	 * @param string $route   Route.
	 * @param string $fixture Path of the recording.
	 */
	public static function voice_request( string $route, string $fixture ): WP_REST_Request {
		$request = new WP_REST_Request( 'POST', $route );
		$request->set_header( 'X-VVC-Token', ( new Visitor_Token() )->issue()['token'] );
		$request->set_file_params(
			array(
				'audio' => array(
					'name'     => 'voice.wav',
					'type'     => 'audio/wav',
					'tmp_name' => $fixture,
					'error'    => UPLOAD_ERR_OK,
					'size'     => (int) filesize( $fixture ),
				),
			)
		);
		return $request;
	}
}
