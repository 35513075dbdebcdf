/**
 * One admin action at a time (save, delete, import, purge): busy while it runs, then one
 * notice saying what happened, with the server's precise reason when it failed.
 */
import { useCallback, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { normalizeError } from '../settings/api';
import type { NoticeMessage } from '../settings/components/notice-region';
import type { ApiError } from '../settings/types';
import { focusFirstInvalid } from './notices';

export interface ActionFlow {
	busy: boolean;
	notice: NoticeMessage | null;
	setNotice: ( notice: NoticeMessage | null ) => void;
	/**
	 * Runs the work and sets the notice from its outcome.
	 *
	 * @return The work's result, or undefined when it failed.
	 */
	run: < T >(
		work: () => Promise< T >,
		outcome: {
			success: ( result: T ) => NoticeMessage | null;
			failure: ( reason: ApiError ) => NoticeMessage;
		}
	) => Promise< T | undefined >;
}

/**
 * Fills the one %s of a translated message (sprintf's types and lint want a literal
 * format; this takes one chosen by the caller).
 *
 * @param format Translated message with %s.
 * @param value  What goes in.
 */
export function withReason( format: string, value: string ): string {
	return format.replace( '%s', () => value );
}

/**
 * An error notice: the translated message with the server's reason, and its code as
 * detail when asked (for the admin, who may need to look it up).
 *
 * @param format   Translated message with %s for the reason.
 * @param reason   The normalized error.
 * @param withCode Whether to add "Error code: …".
 */
export function failureNotice(
	format: string,
	reason: ApiError,
	withCode = true
): NoticeMessage {
	return {
		status: 'error',
		message: withReason( format, reason.message ),
		detail: withCode
			? sprintf(
					/* translators: %s: an error code such as vvc_faq_invalid. */
					__( 'Error code: %s', 'voice-vision-chat' ),
					reason.code
				)
			: undefined,
	};
}

export function useAction(): ActionFlow {
	const [ busy, setBusy ] = useState( false );
	const [ notice, setNotice ] = useState< NoticeMessage | null >( null );

	const run = useCallback( async function < T >(
		work: () => Promise< T >,
		outcome: {
			success: ( result: T ) => NoticeMessage | null;
			failure: ( reason: ApiError ) => NoticeMessage;
		}
	): Promise< T | undefined > {
		setBusy( true );
		setNotice( null );
		try {
			const result = await work();
			setNotice( outcome.success( result ) );
			return result;
		} catch ( error ) {
			setNotice( outcome.failure( normalizeError( error ) ) );
			return undefined;
		} finally {
			setBusy( false );
		}
	}, [] );

	return { busy, notice, setNotice, run };
}

/**
 * The checks before a form is sent: with errors, says so and moves focus to the first
 * marked field (once React has marked it); with nothing changed, says so.
 *
 * @param flow          The save's action flow (its notice is set).
 * @param form          The form element.
 * @param state         What the form holds.
 * @param state.invalid Whether some field has an error.
 * @param state.changed Whether anything differs from what is saved.
 * @param state.detail  Errors to list under the notice (for fields out of view).
 * @return Whether to send.
 */
export function readyToSave(
	flow: ActionFlow,
	form: HTMLElement | null,
	state: { invalid: boolean; changed: boolean; detail?: string }
): boolean {
	if ( state.invalid ) {
		flow.setNotice( {
			status: 'error',
			message: __(
				'Some values need attention. Fix the marked fields, then save again.',
				'voice-vision-chat'
			),
			detail: state.detail,
		} );
		window.setTimeout( () => focusFirstInvalid( form ), 0 );
		return false;
	}
	if ( ! state.changed ) {
		flow.setNotice( {
			status: 'info',
			message: __( 'Nothing has changed.', 'voice-vision-chat' ),
		} );
		return false;
	}
	return true;
}
