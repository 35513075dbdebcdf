<?php
/**
 * Warns the admin about configured models with problems: an admin notice and a Site Health test.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Admin;

defined( 'ABSPATH' ) || exit;

/**
 * Tells administrators, before visitors meet an error, that a configured model is shut down
 * or shutting down, unknown to the catalog or to the provider, or has no price.
 *
 * The notice shows on the screens an owner passes through (Dashboard, Plugins, the chat's
 * settings and usage screens) and only to users who can fix it; the budget screen lists the
 * same problems itself. Site Health's direct test lists them too, with a link to fix them.
 *
 * @phpstan-import-type Problem_Report from Model_Problems
 */
final class Model_Notices {

	/**
	 * Id of the Site Health test.
	 */
	public const TEST = 'vvc_models';

	/**
	 * Screens that show the notice.
	 */
	public const SCREENS = array( 'dashboard', 'plugins', 'settings_page_voice-vision-chat', 'dashboard_page_' . Dashboard_Page::SLUG );

	/**
	 * Who sees the notice.
	 */
	private const CAPABILITY = 'manage_options';

	/**
	 * The configured models' problems.
	 *
	 * @var Model_Problems
	 */
	private Model_Problems $problems;

	/**
	 * Stores collaborators.
	 *
	 * @param Model_Problems $problems Problems of the configured models.
	 */
	public function __construct( Model_Problems $problems ) {
		$this->problems = $problems;
	}

	/**
	 * Prints the notice on the chosen screens (action `admin_notices`).
	 */
	public function render(): void {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			return;
		}
		$screen = function_exists( 'get_current_screen' ) ? get_current_screen() : null;
		if ( null === $screen || ! in_array( $screen->id, self::SCREENS, true ) ) {
			return;
		}
		$reports = $this->problems->all();
		if ( ! $reports ) {
			return;
		}
		$class = Model_Problems::has_errors( $reports ) ? 'notice-error' : 'notice-warning';
		?>
		<div class="notice <?php echo esc_attr( $class ); ?> vvc-model-notice">
			<p><strong><?php esc_html_e( 'Voice & Vision Chat: some configured AI models need attention.', 'voice-vision-chat' ); ?></strong></p>
			<?php $this->print_list( $reports ); ?>
			<p><a href="<?php echo esc_url( Budget_Page::url() ); ?>"><?php esc_html_e( 'Review models and prices', 'voice-vision-chat' ); ?></a></p>
		</div>
		<?php
	}

	/**
	 * Adds the direct test to Site Health (filter `site_status_tests`).
	 *
	 * @param mixed $tests Tests by type (an array, unless another filter broke it).
	 * @return array<mixed>
	 */
	public function add_site_health_test( $tests ): array {
		$tests                = is_array( $tests ) ? $tests : array();
		$direct               = isset( $tests['direct'] ) && is_array( $tests['direct'] ) ? $tests['direct'] : array();
		$direct[ self::TEST ] = array(
			'label' => __( 'AI chat models', 'voice-vision-chat' ),
			'test'  => array( $this, 'site_health_test' ),
		);
		$tests['direct']      = $direct;
		return $tests;
	}

	/**
	 * The Site Health result: good, recommended (only scheduled shutdowns) or critical
	 * (a model visitors cannot use now).
	 *
	 * @return array{label: string, status: string, badge: array{label: string, color: string}, description: string, actions: string, test: string}
	 */
	public function site_health_test(): array {
		$reports = $this->problems->all();
		$result  = array(
			'label'       => __( 'The AI chat’s models are available and priced', 'voice-vision-chat' ),
			'status'      => 'good',
			'badge'       => array(
				'label' => __( 'Voice & Vision Chat', 'voice-vision-chat' ),
				'color' => 'blue',
			),
			'description' => '<p>' . esc_html__( 'Every model the chat is configured to use is in the catalog, has a price, and has no shutdown date.', 'voice-vision-chat' ) . '</p>',
			'actions'     => sprintf( '<p><a href="%s">%s</a></p>', esc_url( Budget_Page::url() ), esc_html__( 'Review models and prices', 'voice-vision-chat' ) ),
			'test'        => self::TEST,
		);
		if ( ! $reports ) {
			return $result;
		}
		$critical                 = Model_Problems::has_errors( $reports );
		$result['status']         = $critical ? 'critical' : 'recommended';
		$result['label']          = $critical
			? __( 'Some of the AI chat’s models cannot answer visitors', 'voice-vision-chat' )
			: __( 'Some of the AI chat’s models will be shut down', 'voice-vision-chat' );
		$result['badge']['color'] = $critical ? 'red' : 'orange';
		ob_start();
		echo '<p>' . esc_html__( 'Choose other models or enter the missing prices before visitors get errors. Refresh the models on the budget screen to check them against the provider.', 'voice-vision-chat' ) . '</p>';
		$this->print_list( $reports );
		$result['description'] = (string) ob_get_clean();
		return $result;
	}

	/**
	 * Prints the problems as a list: the sentence, then where the model is used.
	 *
	 * @param array $reports From Model_Problems::all().
	 * @phpstan-param list<Problem_Report> $reports
	 */
	private function print_list( array $reports ): void {
		echo '<ul class="ul-disc vvc-model-problems">';
		foreach ( $reports as $report ) {
			echo '<li>' . esc_html( $report['message'] );
			if ( $report['used_by'] ) {
				echo ' <em>' . esc_html(
					sprintf(
						/* translators: %s: comma-separated list of tiers or settings. */
						__( 'Used for: %s.', 'voice-vision-chat' ),
						implode( ', ', $report['used_by'] )
					)
				) . '</em>';
			}
			echo '</li>';
		}
		echo '</ul>';
	}
}
