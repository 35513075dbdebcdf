/**
 * Settings > Chat FAQ: what visitors ask most, curated answers for them, CSV export and
 * import, and the answer cache's settings and purge. Everything goes through
 * /voice-vision-chat/v1/admin/faq/*.
 */
import { Notice } from '@wordpress/components';
import { useEffect, useRef, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import { failureNotice, useAction } from '../shared/action';
import { LoadFailed, LoadingLine, useLoad } from '../shared/load-state';
import { NoticePair } from '../shared/notices';
import type { FaqApi } from './api';
import { AskedCard } from './components/asked-card';
import { CacheCard } from './components/cache-card';
import { ConfirmModal } from './components/confirm-modal';
import { CsvCard } from './components/csv-card';
import { EntriesCard } from './components/entries-card';
import { EntryEditor } from './components/entry-editor';
import {
	draftFromAsked,
	draftFromEntry,
	entryRequest,
	newDraft,
	type EntryDraft,
	type EntryRequest,
} from './form';
import type { FaqEntry } from './types';

export interface FaqAppProps {
	api: FaqApi;
	/** GET /admin/faq/export with the REST nonce, printed by the page. */
	exportUrl: string;
	/** The chat settings screen, where transcript logging is switched. */
	settingsUrl: string;
	locale?: string;
}

/**
 * Sends what saving an entry means.
 *
 * @param api     The FAQ routes.
 * @param request What to save.
 */
export function sendEntry(
	api: FaqApi,
	request: EntryRequest
): Promise< FaqEntry > {
	switch ( request.kind ) {
		case 'promote':
			return api.promote(
				request.hash,
				request.answer,
				request.questions
			);
		case 'update':
			return api.updateEntry(
				request.id,
				request.questions,
				request.answer
			);
		default:
			return api.createEntry( request.questions, request.answer );
	}
}

export function FaqApp( { api, exportUrl, settingsUrl, locale }: FaqAppProps ) {
	const load = useLoad( api.load );
	const [ editing, setEditing ] = useState< EntryDraft | null >( null );
	const [ deleting, setDeleting ] = useState< FaqEntry | null >( null );
	// Focus goes to the entries' heading once an entry is saved or deleted (the button that
	// opened the dialog may be gone).
	const [ focusEntries, setFocusEntries ] = useState( false );
	const entryAction = useAction();
	const editorError = useAction();
	const entriesHeading = useRef< HTMLHeadingElement >( null );

	useEffect( () => {
		if ( focusEntries && load.state.kind === 'ready' ) {
			entriesHeading.current?.focus();
			setFocusEntries( false );
		}
	}, [ focusEntries, load.state.kind ] );

	if ( load.state.kind === 'loading' ) {
		return (
			<LoadingLine
				label={ __( 'Loading the FAQ…', 'voice-vision-chat' ) }
			/>
		);
	}
	if ( load.state.kind === 'failed' ) {
		return (
			<LoadFailed
				format={
					/* translators: %s: the reason the server gave. */
					__( 'The FAQ could not be loaded: %s', 'voice-vision-chat' )
				}
				error={ load.state.error }
				onRetry={ load.reload }
			/>
		);
	}
	const overview = load.state.data;

	const openEditor = ( draft: EntryDraft ) => {
		editorError.setNotice( null );
		setEditing( draft );
	};

	const saveEntry = async ( draft: EntryDraft ) => {
		const saved = await editorError.run(
			() => sendEntry( api, entryRequest( draft ) ),
			{
				success: () => null,
				failure: ( reason ) =>
					failureNotice(
						/* translators: %s: the reason the server gave. */
						__(
							'The entry was not saved: %s',
							'voice-vision-chat'
						),
						reason
					),
			}
		);
		if ( saved ) {
			setEditing( null );
			entryAction.setNotice( {
				status: 'success',
				message:
					draft.mode === 'edit'
						? __( 'Entry saved.', 'voice-vision-chat' )
						: __(
								'Entry added. Visitors asking one of its questions now get this answer.',
								'voice-vision-chat'
							),
			} );
			setFocusEntries( true );
			load.refresh();
		}
	};

	const deleteEntry = async () => {
		if ( ! deleting ) {
			return;
		}
		const entry = deleting;
		const done = await entryAction.run( () => api.deleteEntry( entry.id ), {
			success: () => ( {
				status: 'success',
				message: __( 'Entry deleted.', 'voice-vision-chat' ),
			} ),
			failure: ( reason ) =>
				failureNotice(
					/* translators: %s: the reason the server gave. */
					__( 'The entry was not deleted: %s', 'voice-vision-chat' ),
					reason
				),
		} );
		setDeleting( null );
		setFocusEntries( true );
		if ( done ) {
			load.refresh();
		}
	};

	const editEntryById = ( id: string ) => {
		const entry = overview.entries.find( ( item ) => item.id === id );
		if ( entry ) {
			openEditor( draftFromEntry( entry ) );
		}
	};

	return (
		<div className="vvc-faq">
			<Notice status="info" isDismissible={ false }>
				<p>
					{ overview.settings.logTranscripts
						? __(
								'Transcript logging is on: besides the normalized text and counts, the latest wording of each question is kept and shown here.',
								'voice-vision-chat'
							)
						: __(
								'Questions are stored only as normalized text (no capitals, punctuation or greetings) and counts. Visitors’ own wording is kept only while transcript logging is on.',
								'voice-vision-chat'
							) }{ ' ' }
					<a href={ settingsUrl }>
						{ __( 'Chat settings', 'voice-vision-chat' ) }
					</a>
				</p>
			</Notice>
			{ ! overview.settings.enabled && (
				<Notice status="warning" isDismissible={ false }>
					<p>
						{ __(
							'The FAQ is off: every question goes to the model and curated answers are not used. Switch it on under “Answer cache” below.',
							'voice-vision-chat'
						) }
					</p>
				</Notice>
			) }
			<AskedCard
				stats={ overview.stats }
				locale={ locale }
				onAnswer={ ( question ) =>
					openEditor( draftFromAsked( question ) )
				}
				onEditEntry={ editEntryById }
			/>
			<EntriesCard
				entries={ overview.entries }
				maxEntries={ overview.limits.maxEntries }
				locale={ locale }
				headingRef={ entriesHeading }
				notices={
					<NoticePair
						notice={ entryAction.notice }
						onDismiss={ () => entryAction.setNotice( null ) }
					/>
				}
				onNew={ () => openEditor( newDraft() ) }
				onEdit={ ( entry ) => openEditor( draftFromEntry( entry ) ) }
				onDelete={ setDeleting }
			/>
			<CsvCard
				exportUrl={ exportUrl }
				maxBytes={ overview.limits.importMaxBytes }
				importCsv={ api.importCsv }
				onImported={ load.refresh }
			/>
			<CacheCard
				overview={ overview }
				saveSettings={ api.saveSettings }
				purge={ api.purge }
				onChanged={ ( next ) =>
					next ? load.setData( next ) : load.refresh()
				}
			/>
			{ editing && (
				<EntryEditor
					initial={ editing }
					limits={ overview.limits }
					saving={ editorError.busy }
					error={ editorError.notice }
					onSave={ saveEntry }
					onClose={ () => setEditing( null ) }
				/>
			) }
			{ deleting && (
				<ConfirmModal
					title={ __( 'Delete this entry?', 'voice-vision-chat' ) }
					confirmLabel={ __( 'Delete entry', 'voice-vision-chat' ) }
					busy={ entryAction.busy }
					onConfirm={ deleteEntry }
					onCancel={ () => setDeleting( null ) }
				>
					<p>{ deleting.questions.join( ' · ' ) }</p>
					<p>
						{ __(
							'Visitors asking these questions get the model’s answer again.',
							'voice-vision-chat'
						) }
					</p>
				</ConfirmModal>
			) }
		</div>
	);
}
