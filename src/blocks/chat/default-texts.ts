/**
 * Texts shown when the site owner leaves a block setting empty.
 * Keep in sync with the defaults in render.php (PHP translates its own copy).
 */
import { __ } from '@wordpress/i18n';

export function defaultTexts() {
	return {
		title: __( 'Ask us anything', 'voice-vision-chat' ),
		greeting: __(
			'Hello! Type a question, or send a photo, and I will do my best to help.',
			'voice-vision-chat'
		),
		placeholder: __( 'Type your question…', 'voice-vision-chat' ),
	};
}
