/**
 * The conversation log. Screen readers hear each finished answer once: the answer being
 * written is hidden from them (it changes many times a second), and when it is complete
 * it is replaced by a new node, which the polite live region announces as one addition.
 */
import { __ } from '@wordpress/i18n';
import { forwardRef, useMemo } from '@wordpress/element';
import type { UIEvent } from 'react';

import { renderMarkdown } from '../lib/markdown';
import type { PcmPlayer } from '../lib/pcm-player';
import { ReplyAudio } from './ReplyAudio';
import { chatErrorMessage } from './errors';
import { isRetryable } from './conversation';
import type { Message } from './conversation';

function Markdown( { text }: { text: string } ) {
	const html = useMemo( () => renderMarkdown( text ), [ text ] );
	return (
		<div
			className="vvc-chat__markdown"
			// Sanitized by renderMarkdown (marked without raw HTML, then DOMPurify).
			dangerouslySetInnerHTML={ { __html: html } }
		/>
	);
}

function UserMessage( { message }: { message: Message } ) {
	return (
		<div className="vvc-chat__message vvc-chat__message--user">
			<span className="screen-reader-text">
				{ __( 'You:', 'voice-vision-chat' ) }{ ' ' }
			</span>
			{ message.imageUrl && (
				<img
					className="vvc-chat__photo"
					src={ message.imageUrl }
					alt={ __( 'Your photo', 'voice-vision-chat' ) }
				/>
			) }
			{ message.voice && message.text === '' ? (
				<p className="vvc-chat__text vvc-chat__text--pending">
					{ __( 'Voice question…', 'voice-vision-chat' ) }
				</p>
			) : (
				<p className="vvc-chat__text">{ message.text }</p>
			) }
		</div>
	);
}

function captionId( id: string ): string {
	return `vvc-chat-reply-${ id }`;
}

function AssistantMessage( {
	message,
	onRetry,
}: {
	message: Message;
	onRetry: ( id: string ) => void;
} ) {
	if ( message.state === 'streaming' ) {
		return (
			<div
				id={ captionId( message.id ) }
				className="vvc-chat__message vvc-chat__message--assistant vvc-chat__message--streaming"
				aria-hidden="true"
			>
				{ message.text ? (
					<Markdown text={ message.text } />
				) : (
					<span className="vvc-chat__typing">
						<span />
						<span />
						<span />
					</span>
				) }
			</div>
		);
	}
	const error = message.state === 'error' ? message.error : undefined;
	return (
		<div
			id={ captionId( message.id ) }
			className={
				'vvc-chat__message vvc-chat__message--assistant' +
				( error ? ' vvc-chat__message--error' : '' )
			}
		>
			<span className="screen-reader-text">
				{ __( 'Assistant:', 'voice-vision-chat' ) }{ ' ' }
			</span>
			{ message.text && <Markdown text={ message.text } /> }
			{ message.state === 'stopped' && (
				<p className="vvc-chat__note">
					{ __( '(Stopped)', 'voice-vision-chat' ) }
				</p>
			) }
			{ error && (
				<p className="vvc-chat__error-text">
					{ chatErrorMessage( error ) }
				</p>
			) }
			{ error && isRetryable( error ) && (
				<button
					type="button"
					className="vvc-chat__retry"
					onClick={ () => onRetry( message.id ) }
				>
					{ __( 'Try again', 'voice-vision-chat' ) }
				</button>
			) }
		</div>
	);
}

export type MessageListProps = {
	greeting: string;
	messages: Message[];
	onRetry: ( id: string ) => void;
	onScroll: ( event: UIEvent< HTMLDivElement > ) => void;
	/** The player of a reply that has audio. */
	playerFor?: ( id: string ) => PcmPlayer | undefined;
};

export const MessageList = forwardRef< HTMLDivElement, MessageListProps >(
	function ConversationLog(
		{ greeting, messages, onRetry, onScroll, playerFor },
		ref
	) {
		return (
			<div
				ref={ ref }
				className="vvc-chat__log"
				role="log"
				aria-live="polite"
				aria-relevant="additions"
				aria-label={ __( 'Conversation', 'voice-vision-chat' ) }
				// Focusable so keyboard users can scroll a long conversation.
				tabIndex={ 0 }
				onScroll={ onScroll }
			>
				<p className="vvc-chat__message vvc-chat__message--assistant">
					{ greeting }
				</p>
				{ messages.map( ( message ) => {
					if ( message.role === 'user' ) {
						return (
							<UserMessage
								key={ message.id }
								message={ message }
							/>
						);
					}
					const player =
						message.audioLabel !== undefined
							? playerFor?.( message.id )
							: undefined;
					return [
						<AssistantMessage
							// A new key once finished: a new node for the live region.
							key={
								( message.state === 'streaming' ? 's' : 'm' ) +
								message.id
							}
							message={ message }
							onRetry={ onRetry }
						/>,
						// Its own stable key: the controls keep focus when the text finishes.
						player && (
							<ReplyAudio
								key={ 'a' + message.id }
								player={ player }
								label={ message.audioLabel ?? '' }
								captionId={ captionId( message.id ) }
								error={ message.audioError }
							/>
						),
						! player && message.audioError && (
							<p
								key={ 'e' + message.id }
								className="vvc-chat__note"
							>
								{ message.audioError }
							</p>
						),
					];
				} ) }
			</div>
		);
	}
);
