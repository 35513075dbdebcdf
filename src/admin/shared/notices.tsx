/**
 * Where an action's outcome appears: errors in an alert region (announced at once), every
 * other outcome in a polite status region. Both regions exist before any notice, so screen
 * readers announce what appears in them.
 */
import { Button } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import {
	NoticeRegion,
	type NoticeMessage,
} from '../settings/components/notice-region';

export function NoticePair( {
	notice,
	onDismiss,
}: {
	notice: NoticeMessage | null;
	onDismiss: () => void;
} ) {
	return (
		<>
			<NoticeRegion
				role="alert"
				notice={ notice?.status === 'error' ? notice : null }
				onDismiss={ onDismiss }
			/>
			<NoticeRegion
				role="status"
				notice={ notice && notice.status !== 'error' ? notice : null }
				onDismiss={ onDismiss }
			/>
		</>
	);
}

/**
 * The foot of a form: the submit button, "Unsaved changes" while there are some, and the
 * save's outcome.
 *
 * @param props
 * @param props.label     Label of the submit button.
 * @param props.saving    Whether a save is running.
 * @param props.dirty     Whether the form differs from what is saved.
 * @param props.notice    The last save's outcome.
 * @param props.onDismiss Clears the notice.
 */
export function SaveBar( {
	label,
	saving,
	dirty,
	notice,
	onDismiss,
}: {
	label: string;
	saving: boolean;
	dirty: boolean;
	notice: NoticeMessage | null;
	onDismiss: () => void;
} ) {
	return (
		<div className="vvc-admin-save">
			<div className="vvc-admin-save__actions">
				<Button
					__next40pxDefaultSize
					variant="primary"
					type="submit"
					isBusy={ saving }
					disabled={ saving }
					accessibleWhenDisabled
				>
					{ saving ? __( 'Saving…', 'voice-vision-chat' ) : label }
				</Button>
				{ dirty && ! saving && (
					<span className="vvc-admin-save__hint">
						{ __( 'Unsaved changes', 'voice-vision-chat' ) }
					</span>
				) }
			</div>
			<NoticePair notice={ notice } onDismiss={ onDismiss } />
		</div>
	);
}

/**
 * Moves focus to the first field marked invalid, so a keyboard user lands where to fix.
 *
 * @param form The form element.
 */
export function focusFirstInvalid( form: HTMLElement | null ): void {
	form?.querySelector< HTMLElement >( '[aria-invalid="true"]' )?.focus();
}
