/**
 * Visitor-facing messages for the server's error codes and the widget's own failures.
 * The server sends a friendly message too; translating here keeps the wording consistent
 * and lets the widget explain failures that never reached the server.
 */
import { __ } from '@wordpress/i18n';

import { SCOPE_SPENT_TODAY } from '../lib/api';
import type { ApiError } from '../lib/api';
import type { ImageErrorCode } from '../lib/image';

export function chatErrorMessage( error: ApiError ): string {
	switch ( error.code ) {
		case 'vvc_message_empty':
			return __( 'Please type a question first.', 'voice-vision-chat' );
		case 'vvc_message_too_long':
			return __(
				'Your message is too long. Please shorten it and try again.',
				'voice-vision-chat'
			);
		case 'vvc_image_too_large':
			return __(
				'This photo is too large. Please choose a smaller one.',
				'voice-vision-chat'
			);
		case 'vvc_image_unsupported':
			return __(
				'This kind of file cannot be sent. Please choose a JPEG, PNG, WebP or GIF photo.',
				'voice-vision-chat'
			);
		case 'vvc_rate_limited':
			return error.scope === SCOPE_SPENT_TODAY
				? __(
						'You have asked a lot of questions today. Please come back tomorrow.',
						'voice-vision-chat'
					)
				: __(
						'You are sending messages very quickly. Please wait a moment and try again.',
						'voice-vision-chat'
					);
		case 'vvc_upstream_timeout':
			return __(
				'The assistant took too long to answer. Please try again.',
				'voice-vision-chat'
			);
		case 'vvc_upstream_error':
		case 'vvc_upstream_auth':
			return __(
				'The assistant could not answer just now. Please try again in a moment.',
				'voice-vision-chat'
			);
		case 'vvc_upstream_quota':
		case 'vvc_not_configured':
		case 'vvc_disabled':
			return __(
				'The chat is not available right now. Please try again later.',
				'voice-vision-chat'
			);
		case 'vvc_budget_exhausted':
			// The server says whether it rests until tomorrow or next month.
			return (
				error.message ||
				__(
					'The chat is resting for now and cannot answer new questions. You can still browse and search the site.',
					'voice-vision-chat'
				)
			);
		case 'vvc_invalid_token':
		case 'vvc_forbidden':
			return __(
				'Your chat session could not be confirmed. Please reload the page and try again.',
				'voice-vision-chat'
			);
		case 'vvc_network':
			return __(
				'The site could not be reached. Please check your connection and try again.',
				'voice-vision-chat'
			);
		case 'vvc_stream_interrupted':
			return __(
				'The answer was interrupted. Please try again.',
				'voice-vision-chat'
			);
	}
	// A newer server code: its message is written for visitors. Anything else is not.
	if (
		error.code.startsWith( 'vvc_' ) &&
		error.message &&
		error.status > 0
	) {
		return error.message;
	}
	return __( 'Something went wrong. Please try again.', 'voice-vision-chat' );
}

export function imageErrorMessage( code: ImageErrorCode ): string {
	switch ( code ) {
		case 'not_image':
			return __(
				'This file is not a photo. Please choose a JPEG, PNG, WebP or GIF image.',
				'voice-vision-chat'
			);
		case 'heic_unsupported':
			return __(
				'This browser cannot open HEIC photos. Please send the photo as a JPEG (on iPhone: Settings > Camera > Formats > Most Compatible), or send a screenshot of it.',
				'voice-vision-chat'
			);
		case 'too_large':
			return __(
				'This photo is too large to process. Please choose a smaller one.',
				'voice-vision-chat'
			);
		case 'decode_failed':
			return __(
				'This photo could not be opened. It may be damaged; please try another one.',
				'voice-vision-chat'
			);
	}
	return __( 'Something went wrong. Please try again.', 'voice-vision-chat' );
}
