/**
 * The settings screen: loads the settings once, keeps the form, saves only what changed,
 * and runs the connection test. Everything goes through the admin REST routes.
 */
import { useCallback, useEffect, useRef, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import type { FormEvent } from 'react';

import { normalizeError, type SettingsApi } from './api';
import { ApiKeyCard } from './components/api-key-card';
import { ChatCard } from './components/chat-card';
import {
	ConnectionCard,
	type ConnectionTestState,
} from './components/connection-card';
import type { FieldGroupProps } from './components/form-props';
import { LimitsCard } from './components/limits-card';
import { ModelsCard } from './components/models-card';
import { LoadFailed, LoadingLine } from '../shared/load-state';
import { SaveBar } from '../shared/notices';
import type { NoticeMessage } from './components/notice-region';
import { SimulatorBanner } from './components/simulator-banner';
import { VoiceCard } from './components/voice-card';
import {
	buildUpdate,
	changedFields,
	initialFormState,
	isDirty,
	validateForm,
} from './form';
import type {
	ApiError,
	FieldErrors,
	FormState,
	FormValues,
	SettingsPayload,
} from './types';
import { useUnsavedChangesGuard } from './use-unsaved-changes-guard';

type LoadState =
	| { kind: 'loading' }
	| { kind: 'failed'; error: ApiError }
	| { kind: 'ready'; saved: SettingsPayload };

export function SettingsApp( { api }: { api: SettingsApi } ) {
	const [ load, setLoad ] = useState< LoadState >( { kind: 'loading' } );
	const [ form, setForm ] = useState< FormState | null >( null );
	const [ attempted, setAttempted ] = useState( false );
	const [ saving, setSaving ] = useState( false );
	const [ saveNotice, setSaveNotice ] = useState< NoticeMessage | null >(
		null
	);
	const [ test, setTest ] = useState< ConnectionTestState >( {
		kind: 'idle',
	} );
	const formRef = useRef< HTMLFormElement >( null );

	const fetchSettings = useCallback( () => {
		setLoad( { kind: 'loading' } );
		api.load().then(
			( saved ) => {
				setLoad( { kind: 'ready', saved } );
				setForm( initialFormState( saved.settings ) );
			},
			( error: unknown ) =>
				setLoad( { kind: 'failed', error: normalizeError( error ) } )
		);
	}, [ api ] );

	useEffect( fetchSettings, [ fetchSettings ] );

	const saved = load.kind === 'ready' ? load.saved : null;
	const dirty =
		saved !== null && form !== null && isDirty( saved.settings, form );
	useUnsavedChangesGuard( dirty );

	if ( load.kind === 'loading' ) {
		return (
			<LoadingLine
				className="vvc-settings__loading"
				label={ __( 'Loading settings…', 'voice-vision-chat' ) }
			/>
		);
	}
	if ( load.kind === 'failed' || ! saved || ! form ) {
		return (
			<LoadFailed
				format={
					/* translators: %s: the reason the server gave. */
					__(
						'The settings could not be loaded: %s',
						'voice-vision-chat'
					)
				}
				error={ load.kind === 'failed' ? load.error : null }
				onRetry={ fetchSettings }
			/>
		);
	}

	const errors: FieldErrors = validateForm( form );
	const changed = changedFields( saved.settings, form );
	// Errors show on fields the admin changed, and on every field after a save attempt.
	const touched = ( field: keyof FieldErrors ) =>
		field === 'newApiKey'
			? form.newApiKey !== ''
			: changed.some( ( name ) => name === field );
	const errorFor = ( field: keyof FieldErrors ) =>
		attempted || touched( field ) ? errors[ field ] : undefined;

	const update = ( next: Partial< FormState > ) =>
		setForm( { ...form, ...next } );
	const groupProps: FieldGroupProps = {
		values: form.values,
		errorFor,
		onChange: ( field, value ) =>
			update( {
				values: { ...form.values, [ field ]: value } as FormValues,
			} ),
	};

	const save = async ( event: FormEvent ) => {
		event.preventDefault();
		setAttempted( true );
		if ( Object.keys( errors ).length > 0 ) {
			setSaveNotice( {
				status: 'error',
				message: __(
					'Some settings need attention. Fix the marked fields, then save again.',
					'voice-vision-chat'
				),
			} );
			formRef.current
				?.querySelector< HTMLElement >( '[aria-invalid="true"]' )
				?.focus();
			return;
		}
		const body = buildUpdate( saved.settings, form );
		if ( Object.keys( body ).length === 0 ) {
			setSaveNotice( {
				status: 'info',
				message: __( 'Nothing has changed.', 'voice-vision-chat' ),
			} );
			return;
		}
		setSaving( true );
		setSaveNotice( null );
		try {
			const next = await api.save( body );
			setLoad( { kind: 'ready', saved: next } );
			setForm( initialFormState( next.settings ) );
			setAttempted( false );
			// An earlier test result described the old settings.
			setTest( { kind: 'idle' } );
			setSaveNotice( {
				status: 'success',
				message: __( 'Settings saved.', 'voice-vision-chat' ),
			} );
		} catch ( error ) {
			const reason = normalizeError( error );
			setSaveNotice( {
				status: 'error',
				message: sprintf(
					/* translators: %s: the reason the server gave. */
					__(
						'The settings were not saved: %s',
						'voice-vision-chat'
					),
					reason.message
				),
			} );
		} finally {
			setSaving( false );
		}
	};

	const runTest = async () => {
		setTest( { kind: 'testing' } );
		try {
			setTest( { kind: 'ok', result: await api.testConnection() } );
		} catch ( error ) {
			setTest( { kind: 'failed', error: normalizeError( error ) } );
		}
	};

	const simulator =
		saved.simulator || ( test.kind === 'ok' && test.result.simulator );

	return (
		<form
			ref={ formRef }
			className="vvc-settings"
			noValidate
			onSubmit={ save }
			aria-busy={ saving }
		>
			{ simulator && <SimulatorBanner /> }
			<ChatCard { ...groupProps } />
			<ApiKeyCard
				status={ saved.apiKey }
				form={ form }
				keyError={ errorFor( 'newApiKey' ) }
				onKeyChoice={ ( choice ) =>
					update( { values: { ...form.values, key_choice: choice } } )
				}
				onNewKey={ ( newApiKey ) => update( { newApiKey } ) }
				onDeleteKey={ ( deleteApiKey ) => update( { deleteApiKey } ) }
			/>
			<ConnectionCard
				{ ...groupProps }
				test={ test }
				dirty={ dirty }
				baseUrlLocked={ saved.baseUrlLocked }
				onTest={ runTest }
			/>
			<ModelsCard { ...groupProps } />
			<LimitsCard { ...groupProps } />
			<VoiceCard { ...groupProps } />
			<SaveBar
				label={ __( 'Save settings', 'voice-vision-chat' ) }
				saving={ saving }
				dirty={ dirty }
				notice={ saveNotice }
				onDismiss={ () => setSaveNotice( null ) }
			/>
		</form>
	);
}
