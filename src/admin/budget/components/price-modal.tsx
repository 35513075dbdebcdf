/**
 * Edits one model's prices. The change is kept in the form and saved with the screen.
 */
import { Modal } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { parsePrice } from '../money';
import type { PriceFields, PriceKey } from '../types';
import { priceLabel } from './labels';
import { ModalActions } from '../../shared/modal-actions';
import { TextField } from '../../shared/text-field';

interface PriceModalProps {
	modelId: string;
	components: PriceKey[];
	initial: PriceFields;
	onApply: ( price: PriceFields ) => void;
	onClose: () => void;
}

export function PriceModal( {
	modelId,
	components,
	initial,
	onApply,
	onClose,
}: PriceModalProps ) {
	const [ fields, setFields ] = useState< PriceFields >( initial );
	const [ attempted, setAttempted ] = useState( false );
	const errors: Partial< Record< PriceKey, string > > = {};
	for ( const key of components ) {
		const parsed = parsePrice( fields[ key ] ?? '' );
		if ( ! parsed.ok ) {
			errors[ key ] = parsed.error;
		}
	}
	const apply = () => {
		setAttempted( true );
		if ( Object.keys( errors ).length === 0 ) {
			onApply( fields );
		}
	};
	return (
		<Modal
			title={ sprintf(
				/* translators: %s: model id. */
				__( 'Prices of %s', 'voice-vision-chat' ),
				modelId
			) }
			onRequestClose={ onClose }
			className="vvc-budget__modal"
		>
			<p>
				{ __(
					'US dollars, as on the provider’s pricing page. Leave a field empty when the model has no such price. Changes apply when you save the screen.',
					'voice-vision-chat'
				) }
			</p>
			<div className="vvc-budget__fields">
				{ components.map( ( key ) => (
					<TextField
						key={ key }
						label={ priceLabel( key ) }
						inputMode="decimal"
						error={
							attempted || fields[ key ] !== initial[ key ]
								? errors[ key ]
								: undefined
						}
						value={ fields[ key ] ?? '' }
						onChange={ ( value ) =>
							setFields( { ...fields, [ key ]: value } )
						}
					/>
				) ) }
			</div>
			<ModalActions
				label={ __( 'Apply', 'voice-vision-chat' ) }
				onConfirm={ apply }
				onCancel={ onClose }
			/>
		</Modal>
	);
}
