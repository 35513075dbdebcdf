/**
 * Asks before something that cannot be undone (delete an entry, purge the cache, replace
 * every entry). Escape and Cancel close it; focus returns to the button that opened it.
 */
import { Modal } from '@wordpress/components';
import type { ReactNode } from 'react';

import { ModalActions } from '../../shared/modal-actions';

interface ConfirmModalProps {
	title: string;
	confirmLabel: string;
	busy: boolean;
	onConfirm: () => void;
	onCancel: () => void;
	children: ReactNode;
}

export function ConfirmModal( {
	title,
	confirmLabel,
	busy,
	onConfirm,
	onCancel,
	children,
}: ConfirmModalProps ) {
	return (
		<Modal
			title={ title }
			onRequestClose={ onCancel }
			className="vvc-faq__modal"
			size="medium"
		>
			{ children }
			<ModalActions
				label={ confirmLabel }
				onConfirm={ onConfirm }
				onCancel={ onCancel }
				busy={ busy }
				destructive
			/>
		</Modal>
	);
}
