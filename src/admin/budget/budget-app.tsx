/**
 * Settings > Chat budget: spending limits, request limits, the model for each tier and the
 * prices of every model, saved together; and the model check against the provider.
 */
import { useRef, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import type { FormEvent } from 'react';

import { failureNotice, readyToSave, useAction } from '../shared/action';
import { LoadFailed, LoadingLine, useLoad } from '../shared/load-state';
import { SaveBar } from '../shared/notices';
import { useUnsavedChangesGuard } from '../settings/use-unsaved-changes-guard';
import type { BudgetApi } from './api';
import { ModelCheckCard } from './components/model-check-card';
import { ModelsCard } from './components/models-card';
import { RatesCard } from './components/rates-card';
import { SpendingCard } from './components/spending-card';
import { TiersCard } from './components/tiers-card';
import {
	checkForm,
	isDirty,
	tierChoices,
	toForm,
	validateNewModelId,
	withLimit,
} from './form';
import type { BudgetForm, BudgetPayload, ModelEdit } from './types';

interface BudgetAppProps {
	api: BudgetApi;
	/** Address of the usage dashboard. */
	usageUrl: string;
	locale?: string;
}

export function BudgetApp( { api, usageUrl, locale }: BudgetAppProps ) {
	const [ form, setForm ] = useState< BudgetForm | null >( null );
	const [ attempted, setAttempted ] = useState( false );
	const saving = useAction();
	const checking = useAction();
	const formRef = useRef< HTMLFormElement >( null );
	const load = useLoad( api.load, ( saved: BudgetPayload ) =>
		setForm( toForm( saved ) )
	);

	const saved = load.state.kind === 'ready' ? load.state.data : null;
	const dirty = saved !== null && form !== null && isDirty( saved, form );
	useUnsavedChangesGuard( dirty );

	if ( load.state.kind === 'loading' ) {
		return (
			<LoadingLine
				label={ __( 'Loading the budget…', 'voice-vision-chat' ) }
			/>
		);
	}
	if ( ! saved || ! form ) {
		return (
			<LoadFailed
				format={
					/* translators: %s: the reason the server gave. */
					__(
						'The budget could not be loaded: %s',
						'voice-vision-chat'
					)
				}
				error={ load.state.kind === 'failed' ? load.state.error : null }
				onRetry={ load.reload }
			/>
		);
	}

	const { errors, update } = checkForm( saved, form );
	const initial = toForm( saved );
	// Errors show on fields the admin changed, and on every field after a save attempt.
	const changed = ( key: string ): boolean => {
		const [ kind, name ] = key.split( ':' );
		if ( kind === 'limit' && name ) {
			return (
				form.limits[ name as keyof typeof form.limits ] !==
				initial.limits[ name as keyof typeof initial.limits ]
			);
		}
		if ( kind === 'role' && name ) {
			return form.roleCaps[ name ] !== initial.roleCaps[ name ];
		}
		return true;
	};
	const errorFor = ( key: string ) =>
		attempted || changed( key ) ? errors[ key ] : undefined;

	const setEdit = ( id: string, edit: ModelEdit | null ) => {
		const edits = { ...form.edits };
		if ( edit === null ) {
			delete edits[ id ];
		} else {
			edits[ id ] = edit;
		}
		setForm( { ...form, edits } );
	};

	const save = async ( event: FormEvent ) => {
		event.preventDefault();
		setAttempted( true );
		// Price and new-model errors sit in dialogs, out of view: list them in the notice.
		const hidden = Object.entries( errors )
			.filter(
				( [ key ] ) =>
					key.startsWith( 'price:' ) || key.startsWith( 'add:' )
			)
			.map(
				( [ key, message ] ) =>
					`${ key.split( ':' )[ 1 ] }: ${ message }`
			)
			.join( ' ' );
		if (
			! readyToSave( saving, formRef.current, {
				invalid: Object.keys( errors ).length > 0,
				changed: Object.keys( update ).length > 0,
				detail: hidden || undefined,
			} )
		) {
			return;
		}
		await saving.run( () => api.save( update ), {
			success: ( next ) => {
				load.setData( next );
				setForm( toForm( next ) );
				setAttempted( false );
				return {
					status: 'success',
					message: __(
						'Budget and models saved.',
						'voice-vision-chat'
					),
				};
			},
			failure: ( reason ) =>
				failureNotice(
					/* translators: %s: the reason the server gave. */
					__( 'Nothing was saved: %s', 'voice-vision-chat' ),
					reason,
					false
				),
		} );
	};

	const refresh = () =>
		checking.run( api.refresh, {
			success: ( next ) => {
				// Only the provider's answer changed; the admin's unsaved edits stay.
				load.setData( next );
				const blocking = next.problems.filter(
					( problem ) => problem.severity === 'error'
				).length;
				return {
					status: next.problems.length > 0 ? 'warning' : 'success',
					message:
						next.problems.length > 0
							? sprintf(
									/* translators: 1: number of problems, 2: how many stop visitors' requests. */
									__(
										'Checked. %1$d problems found, %2$d of them stop visitors’ requests.',
										'voice-vision-chat'
									),
									next.problems.length,
									blocking
								)
							: __(
									'Checked. Every configured model is available.',
									'voice-vision-chat'
								),
				};
			},
			failure: ( reason ) =>
				failureNotice(
					/* translators: %s: the reason the server gave. */
					__( 'The check failed: %s', 'voice-vision-chat' ),
					reason
				),
		} );

	return (
		<form
			ref={ formRef }
			className="vvc-budget"
			noValidate
			onSubmit={ save }
			aria-busy={ saving.busy }
		>
			<p className="vvc-budget__lead">
				{ __(
					'Limit what the AI chat may spend, choose its models and keep their prices current.',
					'voice-vision-chat'
				) }{ ' ' }
				<a href={ usageUrl }>
					{ __( 'See the usage and costs', 'voice-vision-chat' ) }
				</a>
			</p>
			<ModelCheckCard
				problems={ saved.problems }
				checkedAt={ saved.provider.checkedAt }
				listed={ saved.provider.listed }
				refreshing={ checking.busy }
				notice={ checking.notice }
				onRefresh={ refresh }
				locale={ locale }
			/>
			<SpendingCard
				limits={ form.limits }
				roles={ saved.roles }
				roleCaps={ form.roleCaps }
				errorFor={ errorFor }
				onLimit={ ( field, value ) =>
					setForm( {
						...form,
						limits: withLimit( form.limits, field, value ),
					} )
				}
				onRoleCap={ ( role, value ) =>
					setForm( {
						...form,
						roleCaps: { ...form.roleCaps, [ role ]: value },
					} )
				}
			/>
			<RatesCard
				limits={ form.limits }
				errorFor={ errorFor }
				onLimit={ ( field, value ) =>
					setForm( {
						...form,
						limits: withLimit( form.limits, field, value ),
					} )
				}
			/>
			<TiersCard
				tiers={ saved.tiers }
				models={ saved.models }
				chosen={ form.tiers }
				edits={ form.edits }
				choicesFor={ ( tier ) => tierChoices( saved, form, tier ) }
				countUnknownAtMax={ form.countUnknownAtMax }
				onTier={ ( tier, model ) =>
					setForm( {
						...form,
						tiers: { ...form.tiers, [ tier ]: model },
					} )
				}
				onCountUnknownAtMax={ ( countUnknownAtMax ) =>
					setForm( { ...form, countUnknownAtMax } )
				}
			/>
			<ModelsCard
				models={ saved.models }
				edits={ form.edits }
				validateNewId={ ( id ) =>
					validateNewModelId( id, saved.models, form )
				}
				onEdit={ setEdit }
			/>
			<SaveBar
				label={ __( 'Save changes', 'voice-vision-chat' ) }
				saving={ saving.busy }
				dirty={ dirty }
				notice={ saving.notice }
				onDismiss={ () => saving.setNotice( null ) }
			/>
		</form>
	);
}
