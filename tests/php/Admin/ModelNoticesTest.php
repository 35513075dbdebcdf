<?php
/**
 * The admin notice and the Site Health test about configured models with problems.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Admin;

use VoiceVisionChat\Admin\Model_Notices;
use VoiceVisionChat\Admin\Model_Problems;
use VoiceVisionChat\Routing\Model_Catalog;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Tests\Support\TestCase;

/**
 * Model_Notices and Model_Problems on a catalog with a fixed date (2026-11-22).
 */
final class ModelNoticesTest extends TestCase {

	private const TODAY = '2026-11-22';

	/**
	 * The screen before the test.
	 *
	 * @var mixed
	 */
	private $saved_screen;

	protected function setUp(): void {
		parent::setUp();
		require_once ABSPATH . 'wp-admin/includes/class-wp-screen.php';
		require_once ABSPATH . 'wp-admin/includes/screen.php';
		$this->saved_screen = $GLOBALS['current_screen'] ?? null;
		update_option( Settings::OPTION, array() );
	}

	protected function tearDown(): void {
		$GLOBALS['current_screen'] = $this->saved_screen;
		parent::tearDown();
	}

	/**
	 * Problems on a catalog with these overrides and the fixed date.
	 *
	 * @param array<string, mixed> $stored Catalog option value.
	 */
	private static function problems( array $stored = array() ): Model_Problems {
		return new Model_Problems( new Settings(), static fn (): Model_Catalog => new Model_Catalog( $stored, static fn (): string => self::TODAY ) );
	}

	/**
	 * A catalog option where every configured model is priced and has no shutdown date: an
	 * added speech model (every shipped one has a date) and priced text models.
	 *
	 * @return array<string, mixed>
	 */
	private static function healthy(): array {
		$price = array(
			'text_in'  => 1,
			'text_out' => 2,
		);
		return array(
			'models' => array(
				'gpt-5.4-nano'   => array( 'price' => $price ),
				'gpt-5.4-mini'   => array( 'price' => $price ),
				'gpt-transcribe' => array( 'price' => array( 'per_minute' => 0.01 ) ),
				'gpt-audio-1.5'  => array(
					'price' => array(
						'text_in'   => 1,
						'text_out'  => 2,
						'audio_in'  => 3,
						'audio_out' => 4,
					),
				),
				'acme-speech'    => array(
					'kind'   => 'speech',
					'input'  => array( 'text' ),
					'output' => array( 'audio' ),
					'price'  => array( 'per_million_chars' => 20 ),
				),
			),
			'tiers'  => array( 'speech' => 'acme-speech' ),
		);
	}

	/**
	 * Prints the notice on a screen.
	 *
	 * @param Model_Notices $notices Notices.
	 * @param string        $screen  Screen id.
	 */
	private static function notice_on( Model_Notices $notices, string $screen ): string {
		set_current_screen( $screen );
		ob_start();
		$notices->render();
		return (string) ob_get_clean();
	}

	public function test_problems_name_the_model_what_is_wrong_and_where_it_is_used(): void {
		$reports = self::problems()->all();

		$by_model = array();
		foreach ( $reports as $report ) {
			$by_model[ $report['model'] ][] = $report;
		}
		$this->assertSame( 'no_price', $by_model['gpt-5.4-mini'][0]['code'] );
		$this->assertSame( 'error', $by_model['gpt-5.4-mini'][0]['severity'] );
		$this->assertContains( 'Standard', $by_model['gpt-5.4-mini'][0]['used_by'] );
		$this->assertContains( 'Text model (settings screen)', $by_model['gpt-5.4-mini'][0]['used_by'] );
		$this->assertSame( 'shutdown_scheduled', $by_model['gpt-4o-mini-tts'][0]['code'] );
		$this->assertSame( 'warning', $by_model['gpt-4o-mini-tts'][0]['severity'] );
		$this->assertSame( 'gpt-4o-mini-tts will be shut down by the provider on January 6, 2027. Choose a newer model before then.', $by_model['gpt-4o-mini-tts'][0]['message'] );
		$this->assertSame( 'warning', end( $reports )['severity'], 'errors first, warnings last' );
		$this->assertArrayNotHasKey( 'gpt-audio', $by_model, 'a priced model without a date has no problem' );
		// The voice models are tiers too, chosen on either screen.
		$this->assertSame( 'no_price', $by_model['gpt-audio-1.5'][0]['code'] );
		$this->assertSame( array( 'Voice (spoken questions and answers)', 'Audio chat model (settings screen)' ), $by_model['gpt-audio-1.5'][0]['used_by'] );
		$this->assertSame( array( 'Transcription', 'Transcription model (settings screen)' ), $by_model['gpt-transcribe'][0]['used_by'] );
		$this->assertSame( array( 'Speech', 'Speech model (settings screen)' ), $by_model['gpt-4o-mini-tts'][0]['used_by'] );
	}

	public function test_a_voice_model_chosen_on_the_settings_screen_is_checked_under_its_name(): void {
		update_option( Settings::OPTION, array_merge( Settings::defaults(), array( 'transcribe_model' => 'gpt-4o-mini-transcribe' ) ) );

		$stored   = self::healthy();
		$problems = new Model_Problems( new Settings(), static fn (): Model_Catalog => new Model_Catalog( $stored, static fn (): string => self::TODAY, get_option( Settings::OPTION ) ) );
		$by_model = array();
		foreach ( $problems->all() as $report ) {
			$by_model[ $report['model'] ][] = $report;
		}

		$this->assertSame( 'shutdown_scheduled', $by_model['gpt-4o-mini-transcribe'][0]['code'], 'a legacy saved value stays in use, so it is checked' );
		$this->assertSame( array( 'Transcription', 'Transcription model (settings screen)' ), $by_model['gpt-4o-mini-transcribe'][0]['used_by'] );
		$this->assertArrayNotHasKey( 'gpt-transcribe', $by_model, 'the default it replaces is not in use' );
	}

	public function test_every_kind_of_problem_is_explained(): void {
		$stored            = self::healthy();
		$stored['tiers']  += array(
			'economy'  => 'gpt-9-imaginary',
			'standard' => 'gpt-4.1-nano',
			'voice'    => 'gpt-audio',
		);
		$stored['provider'] = array(
			'checked_at' => 1,
			'ids'        => array(
				'gpt-5.4-mini'   => null,
				'gpt-transcribe' => null,
				'gpt-4.1-nano'   => '2026-10-23',
			),
		);

		$messages = array();
		foreach ( self::problems( $stored )->all() as $report ) {
			$messages[ $report['model'] . ' ' . $report['code'] ] = $report['message'];
		}

		$this->assertStringContainsString( 'not in the model catalog', $messages['gpt-9-imaginary unknown_model'] );
		$this->assertStringContainsString( 'was shut down by the provider on October 23, 2026', $messages['gpt-4.1-nano shut_down'] );
		$this->assertStringContainsString( 'not in the provider’s list', $messages['gpt-audio unknown_to_provider'] );
		$this->assertStringContainsString( 'not in the provider’s list', $messages['acme-speech unknown_to_provider'] );
		$this->assertArrayNotHasKey( 'gpt-5.4-mini unknown_to_provider', $messages );
	}

	public function test_the_notice_lists_the_problems_on_the_chosen_screens_for_administrators(): void {
		$this->log_in_as( 'administrator' );
		$notices = new Model_Notices( self::problems() );

		foreach ( Model_Notices::SCREENS as $screen ) {
			$html = self::notice_on( $notices, $screen );
			$this->assertStringContainsString( 'notice-error', $html, $screen );
			$this->assertStringContainsString( 'gpt-5.4-nano has no price', $html, $screen );
			$this->assertStringContainsString( 'gpt-4o-mini-tts will be shut down', $html );
			$this->assertStringContainsString( 'Used for: Speech, Speech model (settings screen).', $html );
			$this->assertStringContainsString( 'href="' . esc_url( admin_url( 'options-general.php?page=vvc-budget' ) ) . '"', $html );
		}
		foreach ( array( 'edit-post', 'settings_page_vvc-budget', 'users', 'options-general' ) as $screen ) {
			$this->assertSame( '', self::notice_on( $notices, $screen ), "nothing on $screen" );
		}
	}

	public function test_the_notice_is_a_warning_when_models_only_shut_down_later(): void {
		$this->log_in_as( 'administrator' );
		$stored                    = self::healthy();
		$stored['tiers']['speech'] = 'gpt-4o-mini-tts';

		$html = self::notice_on( new Model_Notices( self::problems( $stored ) ), 'dashboard' );

		$this->assertStringContainsString( 'notice-warning', $html );
		$this->assertStringNotContainsString( 'notice-error', $html );
	}

	public function test_no_problem_no_notice(): void {
		$this->log_in_as( 'administrator' );

		$this->assertSame( array(), self::problems( self::healthy() )->all() );
		$this->assertSame( '', self::notice_on( new Model_Notices( self::problems( self::healthy() ) ), 'dashboard' ) );
	}

	public function test_users_who_cannot_fix_it_see_no_notice(): void {
		$this->log_in_as( 'editor' );

		$this->assertSame( '', self::notice_on( new Model_Notices( self::problems() ), 'dashboard' ) );
	}

	public function test_site_health_reports_critical_recommended_or_good(): void {
		$critical = ( new Model_Notices( self::problems() ) )->site_health_test();
		$this->assertSame( 'critical', $critical['status'] );
		$this->assertSame( 'vvc_models', $critical['test'] );
		$this->assertSame( 'red', $critical['badge']['color'] );
		$this->assertStringContainsString( '<li>gpt-5.4-nano has no price', $critical['description'] );
		$this->assertStringContainsString( 'options-general.php?page=vvc-budget', $critical['actions'] );

		$stored                    = self::healthy();
		$stored['tiers']['speech'] = 'gpt-4o-mini-tts';
		$later                     = ( new Model_Notices( self::problems( $stored ) ) )->site_health_test();
		$this->assertSame( 'recommended', $later['status'] );
		$this->assertStringContainsString( 'January 6, 2027', $later['description'] );

		$good = ( new Model_Notices( self::problems( self::healthy() ) ) )->site_health_test();
		$this->assertSame( 'good', $good['status'] );
		$this->assertSame( 'blue', $good['badge']['color'] );
	}

	public function test_the_site_health_test_is_registered_as_a_direct_test(): void {
		// Through the real filter, which also proves Plugin::register() attached it.
		$tests = apply_filters(
			'site_status_tests',
			array(
				'direct' => array( 'core' => array( 'test' => 'core' ) ),
				'async'  => array(),
			)
		);

		$this->assertArrayHasKey( 'core', $tests['direct'], 'other tests are kept' );
		$this->assertArrayHasKey( Model_Notices::TEST, $tests['direct'] );
		$test = $tests['direct'][ Model_Notices::TEST ]['test'];
		$this->assertIsCallable( $test );
		$this->assertContains( call_user_func( $test )['status'], array( 'good', 'recommended', 'critical' ) );
	}

	public function test_plugin_register_attaches_the_notice(): void {
		$found = false;
		foreach ( $GLOBALS['wp_filter']['admin_notices']->callbacks ?? array() as $callbacks ) {
			foreach ( $callbacks as $callback ) {
				if ( is_array( $callback['function'] ) && $callback['function'][0] instanceof Model_Notices && 'render' === $callback['function'][1] ) {
					$found = true;
				}
			}
		}
		$this->assertTrue( $found, 'Model_Notices::render is attached to admin_notices' );
	}
}
