/**
 * The foot of a dialog: the action, then Cancel. Shared by the budget and FAQ dialogs.
 */
import { Button } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

interface ModalActionsProps {
	/** The action's label, e.g. "Apply". */
	label: string;
	/** Runs the action; omit when the button submits the dialog's form. */
	onConfirm?: () => void;
	onCancel: () => void;
	busy?: boolean;
	/** The action deletes or forgets something. */
	destructive?: boolean;
}

export function ModalActions( {
	label,
	onConfirm,
	onCancel,
	busy = false,
	destructive = false,
}: ModalActionsProps ) {
	return (
		<div className="vvc-admin-modal-actions">
			<Button
				__next40pxDefaultSize
				variant="primary"
				type={ onConfirm ? 'button' : 'submit' }
				isDestructive={ destructive }
				isBusy={ busy }
				disabled={ busy }
				accessibleWhenDisabled
				onClick={ onConfirm }
			>
				{ label }
			</Button>
			<Button
				__next40pxDefaultSize
				variant="tertiary"
				onClick={ onCancel }
			>
				{ __( 'Cancel', 'voice-vision-chat' ) }
			</Button>
		</div>
	);
}
