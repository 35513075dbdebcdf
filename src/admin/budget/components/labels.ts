/**
 * Translated names for price components, model kinds and provider states.
 */
import { __ } from '@wordpress/i18n';

import type { ModelKind, PriceKey } from '../types';

export function priceLabel( key: PriceKey ): string {
	const labels: Record< PriceKey, string > = {
		text_in: __( 'Input, per 1M tokens', 'voice-vision-chat' ),
		cached_in: __( 'Cached input, per 1M tokens', 'voice-vision-chat' ),
		text_out: __( 'Output, per 1M tokens', 'voice-vision-chat' ),
		audio_in: __( 'Audio input, per 1M tokens', 'voice-vision-chat' ),
		audio_out: __( 'Audio output, per 1M tokens', 'voice-vision-chat' ),
		per_minute: __( 'Per minute of audio', 'voice-vision-chat' ),
		per_million_chars: __( 'Per 1M characters', 'voice-vision-chat' ),
	};
	return labels[ key ];
}

/**
 * Short names for the price summary in the models table.
 * @param key
 */
export function priceShortLabel( key: PriceKey ): string {
	const labels: Record< PriceKey, string > = {
		text_in: __( 'in', 'voice-vision-chat' ),
		cached_in: __( 'cached', 'voice-vision-chat' ),
		text_out: __( 'out', 'voice-vision-chat' ),
		audio_in: __( 'audio in', 'voice-vision-chat' ),
		audio_out: __( 'audio out', 'voice-vision-chat' ),
		per_minute: __( 'per minute', 'voice-vision-chat' ),
		per_million_chars: __( 'per 1M chars', 'voice-vision-chat' ),
	};
	return labels[ key ];
}

export function kindLabel( kind: ModelKind ): string {
	const labels: Record< ModelKind, string > = {
		chat: __( 'Text and images', 'voice-vision-chat' ),
		audio_chat: __( 'Voice (audio chat)', 'voice-vision-chat' ),
		realtime: __( 'Realtime voice', 'voice-vision-chat' ),
		transcription: __( 'Transcription', 'voice-vision-chat' ),
		speech: __( 'Speech', 'voice-vision-chat' ),
		moderation: __( 'Moderation', 'voice-vision-chat' ),
	};
	return labels[ kind ];
}
