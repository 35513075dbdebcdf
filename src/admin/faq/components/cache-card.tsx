/**
 * The FAQ cache's settings (on or off, how long answers are kept, after how many asks a
 * model answer is cached) and "Purge cache". Edited here only, not on the settings screen.
 */
import {
	Button,
	Card,
	CardBody,
	CardHeader,
	CheckboxControl,
	SelectControl,
	ToggleControl,
} from '@wordpress/components';
import { useRef, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import type { FormEvent } from 'react';

import { failureNotice, readyToSave, useAction } from '../../shared/action';
import { NoticePair, SaveBar } from '../../shared/notices';
import { TextField } from '../../shared/text-field';
import {
	checkSettings,
	describeSeconds,
	settingsForm,
	type SettingsForm,
	type TtlUnit,
} from '../form';
import type { FaqOverview, FaqSettingsUpdate, PurgeResult } from '../types';
import { ConfirmModal } from './confirm-modal';

interface CacheCardProps {
	overview: FaqOverview;
	saveSettings: ( update: FaqSettingsUpdate ) => Promise< FaqOverview >;
	purge: ( resetStats: boolean ) => Promise< PurgeResult >;
	/** Called with the server's answer after a save, or with nothing after a purge. */
	onChanged: ( overview?: FaqOverview ) => void;
}

function unitLabel( unit: TtlUnit ): string {
	switch ( unit ) {
		case 'seconds':
			return __( 'seconds', 'voice-vision-chat' );
		case 'minutes':
			return __( 'minutes', 'voice-vision-chat' );
		case 'hours':
			return __( 'hours', 'voice-vision-chat' );
		default:
			return __( 'days', 'voice-vision-chat' );
	}
}

export function CacheCard( {
	overview,
	saveSettings,
	purge,
	onChanged,
}: CacheCardProps ) {
	const { settings, limits, cache } = overview;
	const [ form, setForm ] = useState< SettingsForm >( () =>
		settingsForm( settings )
	);
	const [ attempted, setAttempted ] = useState( false );
	const [ purging, setPurging ] = useState( false );
	const [ resetStats, setResetStats ] = useState( false );
	const saving = useAction();
	const purger = useAction();
	const formRef = useRef< HTMLFormElement >( null );

	const { errors, update } = checkSettings( settings, form, limits );
	const initial = settingsForm( settings );
	const dirty =
		form.enabled !== initial.enabled ||
		form.ttl !== initial.ttl ||
		form.ttlUnit !== initial.ttlUnit ||
		form.minAsks !== initial.minAsks;
	const errorFor = ( field: 'ttl' | 'minAsks' ) =>
		attempted ? errors[ field ] : undefined;

	const save = async ( event: FormEvent ) => {
		event.preventDefault();
		setAttempted( true );
		if (
			! readyToSave( saving, formRef.current, {
				invalid: Object.keys( errors ).length > 0,
				changed: Object.keys( update ).length > 0,
			} )
		) {
			return;
		}
		await saving.run( () => saveSettings( update ), {
			success: ( next ) => {
				setForm( settingsForm( next.settings ) );
				setAttempted( false );
				onChanged( next );
				return {
					status: 'success',
					message: __( 'FAQ settings saved.', 'voice-vision-chat' ),
				};
			},
			failure: ( reason ) =>
				failureNotice(
					/* translators: %s: the reason the server gave. */
					__( 'Nothing was saved: %s', 'voice-vision-chat' ),
					reason
				),
		} );
	};

	const runPurge = async () => {
		const done = await purger.run( () => purge( resetStats ), {
			success: ( result ) => ( {
				status: 'success',
				message: resetStats
					? __(
							'The cache was emptied and the question statistics start afresh.',
							'voice-vision-chat'
						)
					: __(
							'The cache was emptied. Curated answers are kept.',
							'voice-vision-chat'
						),
				detail: sprintf(
					/* translators: %d: cache generation number. */
					__( 'Cache generation %d.', 'voice-vision-chat' ),
					result.version
				),
			} ),
			failure: ( reason ) =>
				failureNotice(
					/* translators: %s: the reason the server gave. */
					__( 'The cache was not purged: %s', 'voice-vision-chat' ),
					reason
				),
		} );
		setPurging( false );
		setResetStats( false );
		if ( done ) {
			onChanged();
		}
	};

	return (
		<Card className="vvc-faq__card">
			<CardHeader>
				<h2>{ __( 'Answer cache', 'voice-vision-chat' ) }</h2>
			</CardHeader>
			<CardBody>
				<form
					ref={ formRef }
					className="vvc-faq__fields"
					noValidate
					onSubmit={ save }
					aria-busy={ saving.busy }
				>
					<ToggleControl
						__nextHasNoMarginBottom
						label={ __(
							'Answer frequent questions from the FAQ',
							'voice-vision-chat'
						) }
						help={ __(
							'Off: every question goes to the model, and curated answers are not used either.',
							'voice-vision-chat'
						) }
						checked={ form.enabled }
						onChange={ ( enabled ) =>
							setForm( { ...form, enabled } )
						}
					/>
					<div className="vvc-faq__row">
						<TextField
							label={ __(
								'Keep answers for',
								'voice-vision-chat'
							) }
							inputMode="numeric"
							help={ sprintf(
								/* translators: 1: shortest time, 2: longest time. */
								__(
									'Also the time within which asks are counted. From %1$s to %2$s.',
									'voice-vision-chat'
								),
								describeSeconds( limits.ttl.min ),
								describeSeconds( limits.ttl.max )
							) }
							error={ errorFor( 'ttl' ) }
							value={ form.ttl }
							onChange={ ( ttl ) => setForm( { ...form, ttl } ) }
						/>
						<SelectControl< TtlUnit >
							__next40pxDefaultSize
							__nextHasNoMarginBottom
							label={ __( 'Unit', 'voice-vision-chat' ) }
							value={ form.ttlUnit }
							options={ (
								[
									'minutes',
									'hours',
									'days',
									'seconds',
								] as const
							 ).map( ( value ) => ( {
								value,
								label: unitLabel( value ),
							} ) ) }
							onChange={ ( ttlUnit ) =>
								setForm( { ...form, ttlUnit } )
							}
						/>
						<TextField
							label={ __(
								'Cache an answer after this many asks',
								'voice-vision-chat'
							) }
							inputMode="numeric"
							help={ __(
								'A model answer is kept once its question has been asked this often within that time; later asks are answered from the cache.',
								'voice-vision-chat'
							) }
							error={ errorFor( 'minAsks' ) }
							value={ form.minAsks }
							onChange={ ( minAsks ) =>
								setForm( { ...form, minAsks } )
							}
						/>
					</div>
					<SaveBar
						label={ __( 'Save FAQ settings', 'voice-vision-chat' ) }
						saving={ saving.busy }
						dirty={ dirty }
						notice={ saving.notice }
						onDismiss={ () => saving.setNotice( null ) }
					/>
				</form>
				<div className="vvc-faq__purge">
					<h3>{ __( 'Purge cache', 'voice-vision-chat' ) }</h3>
					<p className="vvc-faq__intro">
						{ cache.objectCache
							? __(
									'Cached answers are kept in the site’s persistent object cache.',
									'voice-vision-chat'
								)
							: __(
									'Cached answers are kept in the database (the site has no persistent object cache).',
									'voice-vision-chat'
								) }{ ' ' }
						{ __(
							'Purging forgets every cached model answer and spoken answer at once; curated answers stay. The cache also renews itself when the system prompt or a model changes.',
							'voice-vision-chat'
						) }
					</p>
					<Button
						__next40pxDefaultSize
						variant="secondary"
						isDestructive
						onClick={ () => setPurging( true ) }
					>
						{ __( 'Purge cache', 'voice-vision-chat' ) }
					</Button>
					<NoticePair
						notice={ purger.notice }
						onDismiss={ () => purger.setNotice( null ) }
					/>
				</div>
				{ purging && (
					<ConfirmModal
						title={ __(
							'Purge the FAQ cache?',
							'voice-vision-chat'
						) }
						confirmLabel={ __(
							'Purge cache',
							'voice-vision-chat'
						) }
						busy={ purger.busy }
						onConfirm={ runPurge }
						onCancel={ () => setPurging( false ) }
					>
						<p>
							{ __(
								'Visitors’ next questions go to the model again until they are asked often enough to be cached anew.',
								'voice-vision-chat'
							) }
						</p>
						<CheckboxControl
							__nextHasNoMarginBottom
							label={ __(
								'Also reset the question statistics',
								'voice-vision-chat'
							) }
							checked={ resetStats }
							onChange={ setResetStats }
						/>
					</ConfirmModal>
				) }
			</CardBody>
		</Card>
	);
}
