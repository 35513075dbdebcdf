/**
 * Writes or edits a curated entry: question variants (one per line) and the answer. When
 * an asked question is turned into an entry, that question is shown and always included.
 */
import { Modal, TextareaControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import type { FormEvent } from 'react';

import { fieldHelp } from '../../settings/components/field-help';
import {
	NoticeRegion,
	type NoticeMessage,
} from '../../settings/components/notice-region';
import { ModalActions } from '../../shared/modal-actions';
import { focusFirstInvalid } from '../../shared/notices';
import { checkDraft, type EntryDraft } from '../form';
import type { FaqLimits } from '../types';

interface EntryEditorProps {
	initial: EntryDraft;
	limits: FaqLimits;
	saving: boolean;
	/** Why the last save failed; shown in the dialog so nothing typed is lost. */
	error: NoticeMessage | null;
	onSave: ( draft: EntryDraft ) => void;
	onClose: () => void;
}

function title( draft: EntryDraft ): string {
	if ( draft.mode === 'promote' ) {
		return __( 'Answer an asked question', 'voice-vision-chat' );
	}
	return draft.mode === 'edit'
		? __( 'Edit FAQ entry', 'voice-vision-chat' )
		: __( 'New FAQ entry', 'voice-vision-chat' );
}

export function EntryEditor( {
	initial,
	limits,
	saving,
	error,
	onSave,
	onClose,
}: EntryEditorProps ) {
	const [ draft, setDraft ] = useState< EntryDraft >( initial );
	const [ attempted, setAttempted ] = useState( false );
	const errors = checkDraft( draft, limits );
	const shown = attempted ? errors : {};
	const promote = draft.mode === 'promote';

	const submit = ( event: FormEvent< HTMLFormElement > ) => {
		event.preventDefault();
		setAttempted( true );
		if ( Object.keys( errors ).length > 0 ) {
			const form = event.currentTarget;
			// After React has marked the fields.
			window.setTimeout( () => focusFirstInvalid( form ), 0 );
			return;
		}
		onSave( draft );
	};

	return (
		<Modal
			title={ title( draft ) }
			onRequestClose={ onClose }
			className="vvc-faq__modal"
			size="large"
		>
			<form className="vvc-faq__editor" noValidate onSubmit={ submit }>
				{ promote && (
					<div className="vvc-faq__asked">
						<p className="vvc-faq__label">
							{ __( 'Asked question', 'voice-vision-chat' ) }
						</p>
						<p className="vvc-faq__asked-text">{ draft.asked }</p>
						<p className="vvc-faq__hint">
							{ __(
								'Always part of the entry, so this question gets your answer from its next ask.',
								'voice-vision-chat'
							) }
						</p>
					</div>
				) }
				<TextareaControl
					__nextHasNoMarginBottom
					label={
						promote
							? __(
									'Other ways to ask it (one per line, optional)',
									'voice-vision-chat'
								)
							: __(
									'Questions (one per line)',
									'voice-vision-chat'
								)
					}
					help={ fieldHelp(
						sprintf(
							/* translators: %d: most questions per entry. */
							__(
								'Visitors get this answer when their question matches one of these after capitals, punctuation and greetings are ignored. At most %d questions.',
								'voice-vision-chat'
							),
							limits.maxQuestions
						),
						shown.questions
					) }
					aria-invalid={ shown.questions ? true : undefined }
					rows={ 4 }
					value={ draft.questions }
					onChange={ ( questions ) =>
						setDraft( { ...draft, questions } )
					}
				/>
				<TextareaControl
					__nextHasNoMarginBottom
					label={ __( 'Answer', 'voice-vision-chat' ) }
					help={ fieldHelp(
						sprintf(
							/* translators: 1: characters used, 2: most characters. */
							__(
								'Markdown is allowed, as in the model’s answers. %1$d of %2$d characters.',
								'voice-vision-chat'
							),
							draft.answer.trim().length,
							limits.answerMaxChars
						),
						shown.answer
					) }
					aria-invalid={ shown.answer ? true : undefined }
					rows={ 8 }
					value={ draft.answer }
					onChange={ ( answer ) => setDraft( { ...draft, answer } ) }
				/>
				<NoticeRegion role="alert" notice={ error } />
				<ModalActions
					label={
						saving
							? __( 'Saving…', 'voice-vision-chat' )
							: __( 'Save entry', 'voice-vision-chat' )
					}
					onCancel={ onClose }
					busy={ saving }
				/>
			</form>
		</Modal>
	);
}
