import { Notice } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

/** Says plainly that answers come from the test double, not from OpenAI. */
export function SimulatorBanner() {
	return (
		<Notice
			status="warning"
			isDismissible={ false }
			// Part of the page, not news: no announcement on load.
			spokenMessage={ null }
			className="vvc-settings__simulator"
		>
			<p>
				<strong>
					{ __(
						'This site is connected to the local OpenAI simulator, not OpenAI.',
						'voice-vision-chat'
					) }
				</strong>{ ' ' }
				{ __(
					'Answers are made up by a test server and cost nothing. Remove VVC_OPENAI_BASE_URL from wp-config.php to talk to the real provider.',
					'voice-vision-chat'
				) }
			</p>
		</Notice>
	);
}
