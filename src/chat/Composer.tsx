/**
 * The question box: text, an optional photo with its preview, and the Send/Stop button.
 */
import { __ } from '@wordpress/i18n';
import { useLayoutEffect } from '@wordpress/element';
import type {
	ChangeEvent,
	ClipboardEvent,
	FormEvent,
	KeyboardEvent,
	MouseEvent,
	RefObject,
} from 'react';

import type { VoiceConfig } from '../lib/boot';
import { PaperclipIcon } from '../lib/icons';
import type { Recording } from '../voice';
import { composerKeyAction } from './conversation';
import { VoiceButton } from './VoiceButton';
import type { VoiceButtonProps } from './VoiceButton';

export type Attachment = {
	url: string;
	width: number;
	height: number;
};

export type ComposerProps = {
	inputId: string;
	inputRef: RefObject< HTMLTextAreaElement >;
	value: string;
	placeholder: string;
	maxLength: number;
	busy: boolean;
	allowImages: boolean;
	attachment: Attachment | null;
	/** A photo is being scaled down. */
	preparing: boolean;
	/** Why the last photo was refused, or ''. */
	notice: string;
	onChange: ( value: string ) => void;
	onSend: () => void;
	onStop: () => void;
	onPickImage: ( file: File ) => void;
	onRemoveImage: () => void;
	fileInputRef: RefObject< HTMLInputElement >;
	attachRef: RefObject< HTMLButtonElement >;
	/** The microphone's settings; null hides it (the block does not allow voice). */
	voice?: VoiceConfig | null;
	onRecording?: ( recording: Recording ) => void;
	/** Runs inside the mic press, so the spoken reply may play. */
	onVoiceGesture?: () => void;
	loadVoice?: VoiceButtonProps[ 'loadVoice' ];
};

/** The textarea grows with its text up to this height, then scrolls. */
const MAX_INPUT_HEIGHT = 160;

export function Composer( props: ComposerProps ) {
	const {
		inputId,
		inputRef,
		value,
		busy,
		attachment,
		fileInputRef,
		onChange,
	} = props;

	useLayoutEffect( () => {
		const input = inputRef.current;
		if ( input ) {
			input.style.height = '';
			if ( input.scrollHeight > input.clientHeight ) {
				input.style.height =
					Math.min( input.scrollHeight + 2, MAX_INPUT_HEIGHT ) + 'px';
			}
		}
	}, [ value, inputRef ] );

	function onKeyDown( event: KeyboardEvent< HTMLTextAreaElement > ) {
		const action = composerKeyAction(
			{
				key: event.key,
				shiftKey: event.shiftKey,
				ctrlKey: event.ctrlKey,
				metaKey: event.metaKey,
				altKey: event.altKey,
				isComposing: event.nativeEvent.isComposing,
			},
			busy
		);
		if ( action === 'type' ) {
			return;
		}
		event.preventDefault();
		if ( action === 'send' ) {
			props.onSend();
		} else if ( action === 'stop' ) {
			props.onStop();
		}
	}

	function stop( event: MouseEvent ) {
		// Stopping re-renders this button as the submit button before the click's default
		// action runs, which would then submit the form: cancel that default.
		event.preventDefault();
		props.onStop();
	}

	function onSubmit( event: FormEvent ) {
		event.preventDefault();
		props.onSend();
	}

	function onFile( event: ChangeEvent< HTMLInputElement > ) {
		const file = event.target.files?.[ 0 ];
		// Cleared so picking the same file again still fires a change.
		event.target.value = '';
		if ( file ) {
			props.onPickImage( file );
		}
	}

	function onPaste( event: ClipboardEvent< HTMLTextAreaElement > ) {
		if ( ! props.allowImages ) {
			return;
		}
		const file = [ ...event.clipboardData.files ].find( ( item ) =>
			item.type.startsWith( 'image/' )
		);
		if ( file ) {
			event.preventDefault();
			props.onPickImage( file );
		}
	}

	return (
		<form
			className="vvc-chat__composer"
			action="#"
			method="post"
			onSubmit={ onSubmit }
		>
			{ attachment && (
				<div className="vvc-chat__attachment">
					<img
						className="vvc-chat__thumb"
						src={ attachment.url }
						width={ attachment.width }
						height={ attachment.height }
						alt={ __( 'Photo to send', 'voice-vision-chat' ) }
					/>
					<button
						type="button"
						className="vvc-chat__remove"
						onClick={ props.onRemoveImage }
					>
						{ __( 'Remove photo', 'voice-vision-chat' ) }
					</button>
				</div>
			) }
			<label className="screen-reader-text" htmlFor={ inputId }>
				{ __( 'Your question', 'voice-vision-chat' ) }
			</label>
			{ props.allowImages && (
				<>
					<button
						ref={ props.attachRef }
						type="button"
						className="vvc-chat__attach"
						onClick={ () => fileInputRef.current?.click() }
						aria-busy={ props.preparing || undefined }
						disabled={ props.preparing }
					>
						<PaperclipIcon />
						<span className="screen-reader-text">
							{ __( 'Attach a photo', 'voice-vision-chat' ) }
						</span>
					</button>
					<input
						ref={ fileInputRef }
						type="file"
						accept="image/*"
						hidden
						tabIndex={ -1 }
						onChange={ onFile }
					/>
				</>
			) }
			<textarea
				ref={ inputRef }
				id={ inputId }
				className="vvc-chat__input"
				name="question"
				rows={ 1 }
				value={ value }
				maxLength={ props.maxLength }
				placeholder={ props.placeholder }
				onChange={ ( event ) => onChange( event.target.value ) }
				onKeyDown={ onKeyDown }
				onPaste={ onPaste }
			/>
			{ props.voice && props.onRecording && (
				<VoiceButton
					config={ props.voice }
					disabled={ busy }
					onRecording={ props.onRecording }
					onGesture={ props.onVoiceGesture }
					loadVoice={ props.loadVoice }
					anchorRef={ inputRef }
				/>
			) }
			{ /* One element for both, so focus stays on it when it turns into Stop. */ }
			<button
				type={ busy ? 'button' : 'submit' }
				className={
					busy
						? 'vvc-chat__send vvc-chat__send--stop'
						: 'vvc-chat__send'
				}
				onClick={ busy ? stop : undefined }
			>
				{ busy
					? __( 'Stop', 'voice-vision-chat' )
					: __( 'Send', 'voice-vision-chat' ) }
			</button>
			{ props.notice && (
				<p className="vvc-chat__notice" role="alert">
					{ props.notice }
				</p>
			) }
		</form>
	);
}
