/**
 * The conversation log. Screen readers hear each finished answer once: the answer being
 * written is hidden from them (it changes many times a second), and when it is complete
 * it is replaced by a new node, which the polite live region announces as one addition.
 */
import { __ } from '@wordpress/i18n';
import { forwardRef, useEffect, useMemo, useState } from '@wordpress/element';
import type { ReactNode, UIEvent } from 'react';

import { loadMarkdown, markdownRenderer } from '../lib/markdown-loader';
import type { RenderMarkdown } from '../lib/markdown-loader';
import type { PcmPlayer } from '../lib/pcm-player';
import { ReplyAudio } from './ReplyAudio';
import { chatErrorMessage } from './errors';
import type { FreeAlternatives } from '../lib/api';
import { isRetryable } from './conversation';
import type { Message } from './conversation';

/** The Markdown renderer once its chunk is there (see markdown-loader), else null. */
function useMarkdownRenderer(): RenderMarkdown | null {
	const [ render, setRender ] = useState( markdownRenderer );
	useEffect( () => {
		if ( render ) {
			return undefined;
		}
		let mounted = true;
		loadMarkdown().then(
			( loaded ) => mounted && setRender( () => loaded ),
			() => undefined
		);
		return () => {
			mounted = false;
		};
	}, [ render ] );
	return render;
}

function Markdown( { text }: { text: string } ) {
	const render = useMarkdownRenderer();
	const html = useMemo( () => render?.( text ) ?? null, [ render, text ] );
	if ( html === null ) {
		return (
			<div className="vvc-chat__markdown">
				<p className="vvc-chat__plain">{ text }</p>
			</div>
		);
	}
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

/**
 * A heading and a list, or nothing when the list is empty.
 * @param root0
 * @param root0.heading
 * @param root0.className
 * @param root0.children
 */
function Choices( {
	heading,
	className,
	children,
}: {
	heading: string;
	className: string;
	children: ReactNode[];
} ) {
	if ( children.length === 0 ) {
		return null;
	}
	return (
		<>
			<p className="vvc-chat__note">{ heading }</p>
			<ul className={ className }>{ children }</ul>
		</>
	);
}

/**
 * What the visitor can still do when no model answers (budget spent, provider down): ask a
 * curated question (the FAQ answers it without the model), open a page from the site's
 * search, or search the site.
 * @param root0
 * @param root0.alternatives
 * @param root0.onAsk
 */
function Alternatives( {
	alternatives,
	onAsk,
}: {
	alternatives: FreeAlternatives;
	onAsk: ( question: string ) => void;
} ) {
	return (
		<div className="vvc-chat__alternatives">
			<Choices
				heading={ __(
					'These questions can still be answered:',
					'voice-vision-chat'
				) }
				className="vvc-chat__suggestions"
			>
				{ alternatives.questions.map( ( question ) => (
					<li key={ question }>
						<button
							type="button"
							className="vvc-chat__suggestion"
							onClick={ () => onAsk( question ) }
						>
							{ question }
						</button>
					</li>
				) ) }
			</Choices>
			<Choices
				heading={ __(
					'Pages on this site that may help:',
					'voice-vision-chat'
				) }
				className="vvc-chat__links"
			>
				{ alternatives.links.map( ( link ) => (
					<li key={ link.url }>
						<a href={ link.url }>{ link.title }</a>
					</li>
				) ) }
			</Choices>
			{ alternatives.searchUrl && (
				<p className="vvc-chat__note">
					<a href={ alternatives.searchUrl }>
						{ __( 'Search this site', 'voice-vision-chat' ) }
					</a>
				</p>
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
	onAsk,
}: {
	message: Message;
	onRetry: ( id: string ) => void;
	onAsk?: ( question: string ) => void;
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
	// No model answers (budget spent, provider down): not a failure the visitor caused or
	// can fix, so a notice with what still works rather than an error.
	const alternatives = error?.alternatives;
	let modifier = '';
	if ( alternatives ) {
		modifier = ' vvc-chat__message--notice';
	} else if ( error ) {
		modifier = ' vvc-chat__message--error';
	}
	return (
		<div
			id={ captionId( message.id ) }
			className={
				'vvc-chat__message vvc-chat__message--assistant' + modifier
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
			{ alternatives && onAsk && (
				<Alternatives alternatives={ alternatives } onAsk={ onAsk } />
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
	/** Asks a suggested question (the budget notice offers curated ones). */
	onAsk?: ( question: string ) => void;
	onScroll: ( event: UIEvent< HTMLDivElement > ) => void;
	/** The player of a reply that has audio. */
	playerFor?: ( id: string ) => PcmPlayer | undefined;
};

export const MessageList = forwardRef< HTMLDivElement, MessageListProps >(
	function ConversationLog(
		{ greeting, messages, onRetry, onAsk, onScroll, playerFor },
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
							onAsk={ onAsk }
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
