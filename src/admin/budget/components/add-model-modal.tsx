/**
 * Adds a model the catalog does not ship (a newer one, or a compatible server's), with what
 * it takes and what it costs. Kept in the form and saved with the screen.
 */
import { CheckboxControl, Modal, SelectControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import { priceComponents } from '../form';
import { parsePrice } from '../money';
import type { ModelKind, PriceFields } from '../types';
import { kindLabel, priceLabel } from './labels';
import { ModalActions } from '../../shared/modal-actions';
import { TextField } from '../../shared/text-field';

export interface NewModel {
	id: string;
	kind: ModelKind;
	images: boolean;
	context: string;
	price: PriceFields;
}

interface AddModelModalProps {
	/** Why an id cannot be added, or null. */
	validateId: ( id: string ) => string | null;
	onAdd: ( model: NewModel ) => void;
	onClose: () => void;
}

const KINDS: ModelKind[] = [
	'chat',
	'audio_chat',
	'realtime',
	'transcription',
	'speech',
];

export function AddModelModal( {
	validateId,
	onAdd,
	onClose,
}: AddModelModalProps ) {
	const [ model, setModel ] = useState< NewModel >( {
		id: '',
		kind: 'chat',
		images: true,
		context: '128000',
		price: {},
	} );
	const [ attempted, setAttempted ] = useState( false );
	const components = priceComponents( model.kind, null );
	const errors: Record< string, string > = {};
	const idError = validateId( model.id.trim() );
	if ( idError ) {
		errors.id = idError;
	}
	if (
		! /^\d+$/.test( model.context.trim() ) ||
		Number( model.context ) < 1
	) {
		errors.context = __(
			'Enter the context window in tokens, e.g. 128000.',
			'voice-vision-chat'
		);
	}
	for ( const key of components ) {
		const parsed = parsePrice( model.price[ key ] ?? '' );
		if ( ! parsed.ok ) {
			errors[ key ] = parsed.error;
		}
	}
	const show = ( key: string ) => ( attempted ? errors[ key ] : undefined );
	const add = () => {
		setAttempted( true );
		if ( Object.keys( errors ).length === 0 ) {
			onAdd( { ...model, id: model.id.trim() } );
		}
	};
	return (
		<Modal
			title={ __( 'Add a model', 'voice-vision-chat' ) }
			onRequestClose={ onClose }
			className="vvc-budget__modal"
		>
			<div className="vvc-budget__fields">
				<TextField
					label={ __( 'Model id', 'voice-vision-chat' ) }
					help={ __(
						'Exactly as the provider spells it, e.g. gpt-5.4-mini.',
						'voice-vision-chat'
					) }
					error={ show( 'id' ) }
					value={ model.id }
					onChange={ ( id ) => setModel( { ...model, id } ) }
				/>
				<SelectControl< ModelKind >
					__next40pxDefaultSize
					__nextHasNoMarginBottom
					label={ __( 'What it does', 'voice-vision-chat' ) }
					value={ model.kind }
					options={ KINDS.map( ( kind ) => ( {
						value: kind,
						label: kindLabel( kind ),
					} ) ) }
					onChange={ ( kind ) => setModel( { ...model, kind } ) }
				/>
				{ model.kind === 'chat' && (
					<CheckboxControl
						__nextHasNoMarginBottom
						label={ __( 'Takes images', 'voice-vision-chat' ) }
						help={ __(
							'Images are counted at the most expensive rule known until the provider’s bill says otherwise.',
							'voice-vision-chat'
						) }
						checked={ model.images }
						onChange={ ( images ) =>
							setModel( { ...model, images } )
						}
					/>
				) }
				<TextField
					label={ __(
						'Context window (tokens)',
						'voice-vision-chat'
					) }
					inputMode="numeric"
					error={ show( 'context' ) }
					value={ model.context }
					onChange={ ( context ) =>
						setModel( { ...model, context } )
					}
				/>
				{ components.map( ( key ) => (
					<TextField
						key={ key }
						label={ priceLabel( key ) }
						inputMode="decimal"
						error={ show( key ) }
						value={ model.price[ key ] ?? '' }
						onChange={ ( value ) =>
							setModel( {
								...model,
								price: { ...model.price, [ key ]: value },
							} )
						}
					/>
				) ) }
			</div>
			<ModalActions
				label={ __( 'Add', 'voice-vision-chat' ) }
				onConfirm={ add }
				onCancel={ onClose }
			/>
		</Modal>
	);
}
