/**
 * The conversation's data and the pure rules about it: which earlier turns go with a
 * question, and what the composer does with a key press.
 */
import { CODE_BUDGET_EXHAUSTED, SCOPE_SPENT_TODAY } from '../lib/api';
import type { ApiError, ChatTurn } from '../lib/api';

export type MessageState = 'streaming' | 'done' | 'stopped' | 'error';

export type Message = {
	id: string;
	role: 'user' | 'assistant';
	text: string;
	state: MessageState;
	/** Object URL of the photo sent with a user message. */
	imageUrl?: string;
	error?: ApiError;
	/** A spoken question: its text is the transcript, '' until it arrives. */
	voice?: boolean;
	/** The reply has audio (a player exists for it); the label to show with it. */
	audioLabel?: string;
	/** Why the reply's speech failed. */
	audioError?: string;
};

/**
 * The earlier turns to send with a new question: each question with the answer it got
 * (failed exchanges are left out), the most recent ones, each cut to the site's limit.
 * The server applies the same limits; trimming here keeps uploads small.
 *
 * @param messages The conversation so far, oldest first.
 * @param maxTurns Most turns the site accepts.
 * @param maxChars Most characters in one turn.
 */
export function buildHistory(
	messages: Message[],
	maxTurns: number,
	maxChars: number
): ChatTurn[] {
	const turns: ChatTurn[] = [];
	messages.forEach( ( message, index ) => {
		const reply = messages[ index + 1 ];
		if (
			message.role === 'user' &&
			reply?.role === 'assistant' &&
			( reply.state === 'done' || reply.state === 'stopped' ) &&
			reply.text !== ''
		) {
			turns.push(
				{ role: 'user', content: message.text.slice( 0, maxChars ) },
				{ role: 'assistant', content: reply.text.slice( 0, maxChars ) }
			);
		}
	} );
	if ( maxTurns <= 0 ) {
		return [];
	}
	const recent = turns.slice( -maxTurns );
	// Cut in the middle of an exchange: start with the question, not a lone answer.
	return recent[ 0 ]?.role === 'assistant' ? recent.slice( 1 ) : recent;
}

export type ComposerKey = {
	key: string;
	shiftKey: boolean;
	ctrlKey: boolean;
	metaKey: boolean;
	altKey: boolean;
	/** True while an input method (Chinese, Japanese…) is composing: Enter confirms it. */
	isComposing: boolean;
};

/**
 * What a key press in the composer does: Enter sends, Shift+Enter is a new line, Escape
 * stops an answer being written; while an answer streams Enter does nothing.
 *
 * @param event The key press.
 * @param busy  An answer is on its way.
 * @return 'send', 'stop', 'block' (swallow the key) or 'type' (let the textarea have it).
 */
export function composerKeyAction(
	event: ComposerKey,
	busy: boolean
): 'send' | 'stop' | 'block' | 'type' {
	if ( event.isComposing ) {
		return 'type';
	}
	if ( event.key === 'Escape' && busy ) {
		return 'stop';
	}
	if ( event.key !== 'Enter' || event.shiftKey || event.altKey ) {
		return 'type';
	}
	return busy ? 'block' : 'send';
}

/**
 * Codes worth another try as they are; the others need the visitor to change something.
 * @param error
 */
export function isRetryable( error: ApiError ): boolean {
	if (
		error.code === CODE_BUDGET_EXHAUSTED ||
		error.scope === SCOPE_SPENT_TODAY
	) {
		return false; // Nothing changes before the budget's period ends.
	}
	return (
		error.status === 0 ||
		error.status >= 500 ||
		error.code === 'vvc_rate_limited' ||
		error.code === 'vvc_stream_interrupted' ||
		error.code === 'vvc_invalid_token' ||
		error.code.startsWith( 'vvc_upstream' )
	);
}
