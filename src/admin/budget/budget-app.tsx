/**
 * Settings > Chat budget: spending limits, request limits, the model for each tier and the
 * prices of every model, saved together; and the model check against the provider.
 */
import { Button, Notice, Spinner } from '@wordpress/components';
import { useCallback, useEffect, useRef, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import type { FormEvent } from 'react';

import { normalizeError } from '../settings/api';
import {
	NoticeRegion,
	type NoticeMessage,
} from '../settings/components/notice-region';
import type { ApiError } from '../settings/types';
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

type LoadState =
	| { kind: 'loading' }
	| { kind: 'failed'; error: ApiError }
	| { kind: 'ready'; saved: BudgetPayload };

interface BudgetAppProps {
	api: BudgetApi;
	/** Address of the usage dashboard. */
	usageUrl: string;
	locale?: string;
}

export function BudgetApp( { api, usageUrl, locale }: BudgetAppProps ) {
	const [ load, setLoad ] = useState< LoadState >( { kind: 'loading' } );
	const [ form, setForm ] = useState< BudgetForm | null >( null );
	const [ attempted, setAttempted ] = useState( false );
	const [ saving, setSaving ] = useState( false );
	const [ refreshing, setRefreshing ] = useState( false );
	const [ saveNotice, setSaveNotice ] = useState< NoticeMessage | null >(
		null
	);
	const [ checkNotice, setCheckNotice ] = useState< NoticeMessage | null >(
		null
	);
	const formRef = useRef< HTMLFormElement >( null );

	const fetchState = useCallback( () => {
		setLoad( { kind: 'loading' } );
		api.load().then(
			( saved ) => {
				setLoad( { kind: 'ready', saved } );
				setForm( toForm( saved ) );
			},
			( error: unknown ) =>
				setLoad( { kind: 'failed', error: normalizeError( error ) } )
		);
	}, [ api ] );

	useEffect( fetchState, [ fetchState ] );

	const saved = load.kind === 'ready' ? load.saved : null;
	const dirty = saved !== null && form !== null && isDirty( saved, form );
	useUnsavedChangesGuard( dirty );

	if ( load.kind === 'loading' ) {
		return (
			<p className="vvc-budget__loading">
				<Spinner />
				{ __( 'Loading the budget…', 'voice-vision-chat' ) }
			</p>
		);
	}
	if ( load.kind === 'failed' || ! saved || ! form ) {
		return (
			<div role="alert">
				<Notice
					status="error"
					isDismissible={ false }
					spokenMessage={ null }
				>
					<p>
						{ sprintf(
							/* translators: %s: the reason the server gave. */
							__(
								'The budget could not be loaded: %s',
								'voice-vision-chat'
							),
							load.kind === 'failed' ? load.error.message : ''
						) }
					</p>
				</Notice>
				<Button variant="secondary" onClick={ fetchState }>
					{ __( 'Try again', 'voice-vision-chat' ) }
				</Button>
			</div>
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
		if ( Object.keys( errors ).length > 0 ) {
			setSaveNotice( {
				status: 'error',
				message: __(
					'Some values need attention. Fix the marked fields, then save again.',
					'voice-vision-chat'
				),
				detail:
					Object.entries( errors )
						.filter(
							( [ key ] ) =>
								key.startsWith( 'price:' ) ||
								key.startsWith( 'add:' )
						)
						.map(
							( [ key, message ] ) =>
								`${ key.split( ':' )[ 1 ] }: ${ message }`
						)
						.join( ' ' ) || undefined,
			} );
			formRef.current
				?.querySelector< HTMLElement >( '[aria-invalid="true"]' )
				?.focus();
			return;
		}
		if ( Object.keys( update ).length === 0 ) {
			setSaveNotice( {
				status: 'info',
				message: __( 'Nothing has changed.', 'voice-vision-chat' ),
			} );
			return;
		}
		setSaving( true );
		setSaveNotice( null );
		try {
			const next = await api.save( update );
			setLoad( { kind: 'ready', saved: next } );
			setForm( toForm( next ) );
			setAttempted( false );
			setSaveNotice( {
				status: 'success',
				message: __( 'Budget and models saved.', 'voice-vision-chat' ),
			} );
		} catch ( error ) {
			setSaveNotice( {
				status: 'error',
				message: sprintf(
					/* translators: %s: the reason the server gave. */
					__( 'Nothing was saved: %s', 'voice-vision-chat' ),
					normalizeError( error ).message
				),
			} );
		} finally {
			setSaving( false );
		}
	};

	const refresh = async () => {
		setRefreshing( true );
		setCheckNotice( null );
		try {
			const next = await api.refresh();
			// Only the provider's answer changed; the admin's unsaved edits stay.
			setLoad( { kind: 'ready', saved: next } );
			const blocking = next.problems.filter(
				( problem ) => problem.severity === 'error'
			).length;
			setCheckNotice( {
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
			} );
		} catch ( error ) {
			const reason = normalizeError( error );
			setCheckNotice( {
				status: 'error',
				message: sprintf(
					/* translators: %s: the reason the server gave. */
					__( 'The check failed: %s', 'voice-vision-chat' ),
					reason.message
				),
				detail: sprintf(
					/* translators: %s: an error code such as vvc_upstream_auth. */
					__( 'Error code: %s', 'voice-vision-chat' ),
					reason.code
				),
			} );
		} finally {
			setRefreshing( false );
		}
	};

	return (
		<form
			ref={ formRef }
			className="vvc-budget"
			noValidate
			onSubmit={ save }
			aria-busy={ saving }
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
				refreshing={ refreshing }
				notice={ checkNotice }
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
			<div className="vvc-budget__save">
				<div className="vvc-budget__actions-row">
					<Button
						__next40pxDefaultSize
						variant="primary"
						type="submit"
						isBusy={ saving }
						disabled={ saving }
						accessibleWhenDisabled
					>
						{ saving
							? __( 'Saving…', 'voice-vision-chat' )
							: __( 'Save changes', 'voice-vision-chat' ) }
					</Button>
					{ dirty && ! saving && (
						<span className="vvc-budget__hint">
							{ __( 'Unsaved changes', 'voice-vision-chat' ) }
						</span>
					) }
				</div>
				<NoticeRegion
					role="alert"
					notice={
						saveNotice?.status === 'error' ? saveNotice : null
					}
					onDismiss={ () => setSaveNotice( null ) }
				/>
				<NoticeRegion
					role="status"
					notice={
						saveNotice && saveNotice.status !== 'error'
							? saveNotice
							: null
					}
					onDismiss={ () => setSaveNotice( null ) }
				/>
			</div>
		</form>
	);
}
