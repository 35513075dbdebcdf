/**
 * Words for the API key status. The browser only ever knows the key's last four
 * characters and where it came from.
 */
import { __, sprintf } from '@wordpress/i18n';

import type { ApiKeyStatus, KeyChoice, KeySource } from './types';

/**
 * The last characters of a key behind a fixed mask, e.g. "••••1234".
 *
 * @param last4 Last four characters of the key (shorter when the key is).
 */
export function maskedKey( last4: string ): string {
	// Never trust the server to have cut it: show four characters at most.
	return '••••' + last4.slice( -4 );
}

/**
 * Where a key came from, in the admin's words.
 *
 * @param source Source reported by the server.
 */
export function keySourceLabel( source: KeySource ): string {
	switch ( source ) {
		case 'env':
			return __( 'environment variable', 'voice-vision-chat' );
		case 'constant':
			return __( 'constant', 'voice-vision-chat' );
		case 'connectors':
			return __( 'WordPress Connectors', 'voice-vision-chat' );
		case 'plugin':
			return __( 'this plugin', 'voice-vision-chat' );
		case 'none':
			return __( 'none', 'voice-vision-chat' );
	}
}

/**
 * One sentence saying whether a key is in use, its last four characters and its source.
 *
 * @param status Key status from the server.
 */
export function keyStatusText( status: ApiKeyStatus ): string {
	if ( ! status.configured || status.source === 'none' ) {
		return __(
			'No API key is set. The chat cannot answer until one is added.',
			'voice-vision-chat'
		);
	}
	return sprintf(
		/* translators: 1: masked key such as ••••1234, 2: where the key comes from, e.g. "environment variable". */
		__( 'Key saved, ending in %1$s (source: %2$s).', 'voice-vision-chat' ),
		maskedKey( status.last4 ),
		keySourceLabel( status.source )
	);
}

/**
 * Why the key field may not do what the admin expects, or null when it simply works.
 *
 * @param status Key status from the server.
 * @param choice Key choice currently selected in the form.
 */
export function keySourceExplanation(
	status: ApiKeyStatus,
	choice: KeyChoice
): string | null {
	if ( choice === 'plugin' ) {
		return null;
	}
	switch ( status.source ) {
		case 'env':
		case 'constant':
			return __(
				'This key is set on the server (OPENAI_API_KEY) and cannot be changed here. To give the chat its own key, choose “This plugin’s own key” and enter it below.',
				'voice-vision-chat'
			);
		case 'connectors':
			return __(
				'This key comes from Settings > Connectors and is shared with other AI features. Change it there, or choose “This plugin’s own key” to give the chat its own.',
				'voice-vision-chat'
			);
		default:
			return null;
	}
}
