/**
 * Which model answers each kind of question, and what happens to models without a price.
 */
import {
	Card,
	CardBody,
	CardHeader,
	SelectControl,
	ToggleControl,
} from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

import type { CatalogModel, ModelEdit, TierChoice } from '../types';

interface TiersCardProps {
	tiers: TierChoice[];
	models: CatalogModel[];
	chosen: Record< string, string >;
	edits: Record< string, ModelEdit >;
	/** Models that may serve each tier, including ones added but not saved. */
	choicesFor: ( tier: string ) => string[];
	countUnknownAtMax: boolean;
	onTier: ( tier: string, model: string ) => void;
	onCountUnknownAtMax: ( value: boolean ) => void;
}

/**
 * A model's name in the tier lists, with what the admin should know about it.
 *
 * @param id     Model id.
 * @param model  Catalog entry, if saved.
 * @param edit   Pending change, if any.
 * @param counts Whether unknown prices are counted at the dearest rate.
 */
function optionLabel(
	id: string,
	model: CatalogModel | undefined,
	edit: ModelEdit | undefined,
	counts: boolean
): string {
	const notes: string[] = [];
	if ( edit?.action === 'add' ) {
		notes.push( __( 'not saved yet', 'voice-vision-chat' ) );
	}
	const priced =
		edit?.action === 'price' || edit?.action === 'add'
			? Object.values( edit.price ).some( ( value ) => value !== '' )
			: model?.price !== null && model?.price !== undefined;
	if ( ! priced && ! counts ) {
		notes.push( __( 'no price', 'voice-vision-chat' ) );
	}
	const shutdown = model?.providerShutdown ?? model?.shutdown ?? null;
	if ( shutdown ) {
		notes.push(
			sprintf(
				/* translators: %s: a date, YYYY-MM-DD. */
				__( 'shuts down %s', 'voice-vision-chat' ),
				shutdown
			)
		);
	}
	if ( model?.provider === 'missing' ) {
		notes.push( __( 'not listed by the provider', 'voice-vision-chat' ) );
	}
	return notes.length > 0 ? `${ id } (${ notes.join( ', ' ) })` : id;
}

export function TiersCard( {
	tiers,
	models,
	chosen,
	edits,
	choicesFor,
	countUnknownAtMax,
	onTier,
	onCountUnknownAtMax,
}: TiersCardProps ) {
	const byId = new Map( models.map( ( model ) => [ model.id, model ] ) );
	return (
		<Card className="vvc-budget__card">
			<CardHeader>
				<h2>{ __( 'Models for each tier', 'voice-vision-chat' ) }</h2>
			</CardHeader>
			<CardBody className="vvc-budget__fields">
				<p className="vvc-budget__intro">
					{ __(
						'The chat sends each question to the cheapest tier that can answer it: short simple questions to economy, photos to vision, long conversations to long context. Near a spending limit it prefers economy.',
						'voice-vision-chat'
					) }
				</p>
				<div className="vvc-budget__tiers">
					{ tiers.map( ( tier ) => {
						const current = chosen[ tier.tier ] ?? tier.model;
						const choices = choicesFor( tier.tier );
						// A stored choice that no longer fits is still shown, so it is not
						// silently replaced.
						const options = choices.includes( current )
							? choices
							: [ current, ...choices ];
						return (
							<SelectControl
								key={ tier.tier }
								__next40pxDefaultSize
								__nextHasNoMarginBottom
								label={ tier.label }
								help={
									current === tier.defaultModel
										? __(
												'The shipped choice.',
												'voice-vision-chat'
											)
										: sprintf(
												/* translators: %s: model id. */
												__(
													'Shipped choice: %s.',
													'voice-vision-chat'
												),
												tier.defaultModel
											)
								}
								value={ current }
								options={ options.map( ( id ) => ( {
									value: id,
									label: optionLabel(
										id,
										byId.get( id ),
										edits[ id ],
										countUnknownAtMax
									),
								} ) ) }
								onChange={ ( value ) =>
									onTier( tier.tier, value )
								}
							/>
						);
					} ) }
				</div>
				<ToggleControl
					__nextHasNoMarginBottom
					label={ __(
						'Count models without a price at the most expensive known rate',
						'voice-vision-chat'
					) }
					help={ __(
						'Off: a model without a price is not used for visitors until you enter one. On: it is used, and every token is counted at the dearest rate any model in the catalog has, so the limits still hold.',
						'voice-vision-chat'
					) }
					checked={ countUnknownAtMax }
					onChange={ onCountUnknownAtMax }
				/>
			</CardBody>
		</Card>
	);
}
