/**
 * Controls for the spoken reply: play/pause, speed, time heard, and the label saying the
 * voice is AI-generated. The reply's text, shown right above, is its caption.
 */
import { __, sprintf } from '@wordpress/i18n';
import { useEffect, useState, useSyncExternalStore } from '@wordpress/element';

import { PLAYBACK_RATES } from '../lib/pcm-player';
import type { PcmPlayer } from '../lib/pcm-player';
import { formatDuration } from './VoiceButton';

export type ReplyAudioProps = {
	player: PcmPlayer;
	/** The server's label for the voice ('' for the default). */
	label: string;
	/** Id of the element holding the reply's text (the caption). */
	captionId: string;
	/** Why the speech failed, if it did. */
	error?: string;
};

/** How often the time heard is redrawn while playing. */
const TICK_MS = 250;

export function ReplyAudio( {
	player,
	label,
	captionId,
	error,
}: ReplyAudioProps ) {
	const state = useSyncExternalStore( player.subscribe, player.getSnapshot );
	const [ position, setPosition ] = useState( state.position );

	useEffect( () => {
		setPosition( player.currentPosition() );
		if ( ! state.playing ) {
			return undefined;
		}
		const timer = window.setInterval(
			() => setPosition( player.currentPosition() ),
			TICK_MS
		);
		return () => window.clearInterval( timer );
	}, [ player, state ] );

	return (
		<div
			className="vvc-chat__voice-reply"
			role="group"
			aria-label={ __( 'Spoken answer', 'voice-vision-chat' ) }
			aria-describedby={ captionId }
		>
			<button
				type="button"
				className="vvc-chat__play"
				onClick={ () =>
					state.playing ? player.pause() : player.play()
				}
			>
				{ state.playing
					? __( 'Pause', 'voice-vision-chat' )
					: __( 'Play', 'voice-vision-chat' ) }
			</button>{ ' ' }
			<label className="vvc-chat__speed" htmlFor={ captionId + '-speed' }>
				{ __( 'Speed', 'voice-vision-chat' ) }
			</label>{ ' ' }
			<select
				id={ captionId + '-speed' }
				value={ String( state.rate ) }
				onChange={ ( event ) =>
					player.setRate( Number( event.target.value ) )
				}
			>
				{ PLAYBACK_RATES.map( ( rate ) => (
					<option key={ rate } value={ String( rate ) }>
						{ sprintf(
							/* translators: %s: playback speed, e.g. 1.5 */
							__( '%s×', 'voice-vision-chat' ),
							rate.toLocaleString()
						) }
					</option>
				) ) }
			</select>{ ' ' }
			<span
				className="vvc-chat__voice-time"
				data-position={ position.toFixed( 2 ) }
			>
				{ formatDuration( position * 1000 ) } /{ ' ' }
				{ formatDuration( state.duration * 1000 ) }
			</span>{ ' ' }
			<small className="vvc-chat__ai-label">
				{ label || __( 'AI-generated voice', 'voice-vision-chat' ) }
			</small>
			{ error && <p className="vvc-chat__note">{ error }</p> }
		</div>
	);
}
