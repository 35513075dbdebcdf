/**
 * The model catalog: every model with its prices, shutdown date and what the provider
 * said, with buttons to edit prices, restore shipped prices, add and remove models.
 */
import { Button, Card, CardBody, CardHeader } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { priceComponents, priceFields } from '../form';
import type {
	CatalogModel,
	ModelEdit,
	ModelKind,
	PriceFields,
	PriceKey,
} from '../types';
import { AddModelModal, type NewModel } from './add-model-modal';
import { kindLabel, priceShortLabel } from './labels';
import { PriceModal } from './price-modal';

interface ModelsCardProps {
	models: CatalogModel[];
	edits: Record< string, ModelEdit >;
	validateNewId: ( id: string ) => string | null;
	onEdit: ( id: string, edit: ModelEdit | null ) => void;
}

interface Row {
	id: string;
	kind: ModelKind;
	saved: CatalogModel | null;
	edit: ModelEdit | undefined;
}

/**
 * A typed price shown like money: at least two decimals ("0.6" as "0.60").
 *
 * @param value Price as typed.
 */
export function moneyText( value: string ): string {
	const match = /^(\d+)(?:\.(\d*))?$/.exec( value.trim() );
	if ( ! match ) {
		return value;
	}
	return `${ match[ 1 ] }.${ ( match[ 2 ] ?? '' ).padEnd( 2, '0' ) }`;
}

/**
 * Prices as a short line: "in $0.15 · out $0.60".
 *
 * @param fields Price text fields.
 */
export function priceSummary( fields: PriceFields ): string {
	const parts = ( Object.entries( fields ) as Array< [ PriceKey, string ] > )
		.filter( ( [ , value ] ) => value !== '' )
		.map(
			( [ key, value ] ) =>
				`${ priceShortLabel( key ) } $${ moneyText( value ) }`
		);
	return parts.length > 0
		? parts.join( ' · ' )
		: __( 'No price', 'voice-vision-chat' );
}

function currentPrice( row: Row ): PriceFields {
	if ( row.edit?.action === 'price' || row.edit?.action === 'add' ) {
		return row.edit.price;
	}
	if ( row.edit?.action === 'reset' ) {
		return priceFields( row.saved?.defaultPrice ?? null );
	}
	return priceFields( row.saved?.price ?? null );
}

function providerText( model: CatalogModel | null ): string {
	switch ( model?.provider ) {
		case 'listed':
			return __( 'Listed', 'voice-vision-chat' );
		case 'missing':
			return __( 'Not listed', 'voice-vision-chat' );
		default:
			return __( 'Not checked', 'voice-vision-chat' );
	}
}

export function ModelsCard( {
	models,
	edits,
	validateNewId,
	onEdit,
}: ModelsCardProps ) {
	const [ editing, setEditing ] = useState< string | null >( null );
	const [ adding, setAdding ] = useState( false );

	const rows: Row[] = models.map( ( model ) => ( {
		id: model.id,
		kind: model.kind,
		saved: model,
		edit: edits[ model.id ],
	} ) );
	for ( const [ id, edit ] of Object.entries( edits ) ) {
		if ( edit.action === 'add' && ! models.some( ( m ) => m.id === id ) ) {
			rows.push( { id, kind: edit.kind, saved: null, edit } );
		}
	}
	const editingRow = rows.find( ( row ) => row.id === editing );

	const add = ( model: NewModel ) => {
		onEdit( model.id, {
			action: 'add',
			kind: model.kind,
			images: model.images,
			context: model.context,
			price: model.price,
		} );
		setAdding( false );
	};

	return (
		<Card className="vvc-budget__card">
			<CardHeader>
				<h2>{ __( 'Models and prices', 'voice-vision-chat' ) }</h2>
			</CardHeader>
			<CardBody>
				<p className="vvc-budget__intro">
					{ __(
						'Prices in US dollars per 1M tokens unless noted. Models shipped without a verified price show “No price”: enter the price from your provider before visitors can use them.',
						'voice-vision-chat'
					) }
				</p>
				<div className="vvc-budget__scroll">
					<table className="widefat striped vvc-budget__models">
						<caption className="screen-reader-text">
							{ __( 'Model catalog', 'voice-vision-chat' ) }
						</caption>
						<thead>
							<tr>
								<th scope="col">
									{ __( 'Model', 'voice-vision-chat' ) }
								</th>
								<th scope="col">
									{ __( 'Kind', 'voice-vision-chat' ) }
								</th>
								<th scope="col">
									{ __( 'Price', 'voice-vision-chat' ) }
								</th>
								<th scope="col">
									{ __( 'Shutdown', 'voice-vision-chat' ) }
								</th>
								<th scope="col">
									{ __( 'Provider', 'voice-vision-chat' ) }
								</th>
								<th scope="col">
									{ __( 'Actions', 'voice-vision-chat' ) }
								</th>
							</tr>
						</thead>
						<tbody>
							{ rows.map( ( row ) => {
								const pending = row.edit !== undefined;
								const removed = row.edit?.action === 'remove';
								// A shipped model the admin changed; an added model has nothing to restore.
								const shippedEdited =
									!! row.saved?.edited && ! row.saved.custom;
								const shutdown =
									row.saved?.providerShutdown ??
									row.saved?.shutdown ??
									null;
								return (
									<tr
										key={ row.id }
										className={
											removed ? 'is-removed' : undefined
										}
									>
										<th scope="row">
											<code>{ row.id }</code>
											{ row.saved?.custom && (
												<span className="vvc-budget__tag">
													{ __(
														'Added',
														'voice-vision-chat'
													) }
												</span>
											) }
											{ shippedEdited && ! pending && (
												<span className="vvc-budget__tag">
													{ __(
														'Edited',
														'voice-vision-chat'
													) }
												</span>
											) }
											{ pending && (
												<span className="vvc-budget__tag is-pending">
													{ removed
														? __(
																'Removed when you save',
																'voice-vision-chat'
															)
														: __(
																'Unsaved change',
																'voice-vision-chat'
															) }
												</span>
											) }
										</th>
										<td>{ kindLabel( row.kind ) }</td>
										<td className="vvc-budget__price">
											{ row.kind === 'moderation'
												? __(
														'Free',
														'voice-vision-chat'
													)
												: priceSummary(
														currentPrice( row )
													) }
										</td>
										<td className="vvc-budget__date">
											{ shutdown ?? '—' }
										</td>
										<td>{ providerText( row.saved ) }</td>
										<td className="vvc-budget__actions">
											{ row.kind !== 'moderation' &&
												! removed && (
													<Button
														variant="secondary"
														size="compact"
														aria-label={ sprintf(
															/* translators: %s: model id. */
															__(
																'Edit prices of %s',
																'voice-vision-chat'
															),
															row.id
														) }
														onClick={ () =>
															setEditing( row.id )
														}
													>
														{ __(
															'Edit prices',
															'voice-vision-chat'
														) }
													</Button>
												) }
											{ pending && (
												<Button
													variant="tertiary"
													size="compact"
													aria-label={ sprintf(
														/* translators: %s: model id. */
														__(
															'Undo the change to %s',
															'voice-vision-chat'
														),
														row.id
													) }
													onClick={ () =>
														onEdit( row.id, null )
													}
												>
													{ __(
														'Undo',
														'voice-vision-chat'
													) }
												</Button>
											) }
											{ ! pending && shippedEdited && (
												<Button
													variant="tertiary"
													size="compact"
													aria-label={ sprintf(
														/* translators: %s: model id. */
														__(
															'Restore shipped prices of %s',
															'voice-vision-chat'
														),
														row.id
													) }
													onClick={ () =>
														onEdit( row.id, {
															action: 'reset',
														} )
													}
												>
													{ __(
														'Restore shipped prices',
														'voice-vision-chat'
													) }
												</Button>
											) }
											{ ! pending &&
												row.saved?.custom && (
													<Button
														variant="tertiary"
														size="compact"
														isDestructive
														aria-label={ sprintf(
															/* translators: %s: model id. */
															__(
																'Remove %s',
																'voice-vision-chat'
															),
															row.id
														) }
														onClick={ () =>
															onEdit( row.id, {
																action: 'remove',
															} )
														}
													>
														{ __(
															'Remove',
															'voice-vision-chat'
														) }
													</Button>
												) }
										</td>
									</tr>
								);
							} ) }
						</tbody>
					</table>
				</div>
				<p>
					<Button
						__next40pxDefaultSize
						variant="secondary"
						onClick={ () => setAdding( true ) }
					>
						{ __( 'Add a model', 'voice-vision-chat' ) }
					</Button>
				</p>
				{ editingRow && (
					<PriceModal
						modelId={ editingRow.id }
						components={ priceComponents(
							editingRow.kind,
							editingRow.saved?.price ?? null
						) }
						initial={ currentPrice( editingRow ) }
						onClose={ () => setEditing( null ) }
						onApply={ ( price ) => {
							const edit = editingRow.edit;
							onEdit(
								editingRow.id,
								edit?.action === 'add'
									? { ...edit, price }
									: { action: 'price', price }
							);
							setEditing( null );
						} }
					/>
				) }
				{ adding && (
					<AddModelModal
						validateId={ validateNewId }
						onAdd={ add }
						onClose={ () => setAdding( false ) }
					/>
				) }
			</CardBody>
		</Card>
	);
}
