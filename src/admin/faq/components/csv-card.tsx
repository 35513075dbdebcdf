/**
 * Export the curated entries as CSV for a spreadsheet, and import them back (added to the
 * entries, or replacing them all after a confirmation).
 */
import {
	Button,
	Card,
	CardBody,
	CardHeader,
	RadioControl,
} from '@wordpress/components';
import { useRef, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import { failureNotice, useAction } from '../../shared/action';
import { NoticePair } from '../../shared/notices';
import { fileProblem, importNotice } from '../format';
import type { ImportMode, ImportResult } from '../types';
import { ConfirmModal } from './confirm-modal';

interface CsvCardProps {
	/** GET /admin/faq/export with the REST nonce. */
	exportUrl: string;
	maxBytes: number;
	importCsv: ( csv: string, mode: ImportMode ) => Promise< ImportResult >;
	/** Called after an import changed something, to show the new entries. */
	onImported: () => void;
}

export function CsvCard( {
	exportUrl,
	maxBytes,
	importCsv,
	onImported,
}: CsvCardProps ) {
	const [ file, setFile ] = useState< File | null >( null );
	const [ mode, setMode ] = useState< ImportMode >( 'merge' );
	const [ confirming, setConfirming ] = useState( false );
	const importing = useAction();
	const input = useRef< HTMLInputElement >( null );

	const send = async () => {
		setConfirming( false );
		const problem = fileProblem( file, maxBytes );
		if ( problem !== null || ! file ) {
			importing.setNotice( {
				status: 'error',
				message: problem ?? '',
			} );
			input.current?.focus();
			return;
		}
		const result = await importing.run(
			async () => importCsv( await file.text(), mode ),
			{
				success: importNotice,
				failure: ( reason ) =>
					failureNotice(
						/* translators: %s: the reason the server gave. */
						__( 'Nothing was imported: %s', 'voice-vision-chat' ),
						reason
					),
			}
		);
		if ( result && result.created + result.updated > 0 ) {
			onImported();
		}
	};

	return (
		<Card className="vvc-faq__card">
			<CardHeader>
				<h2>{ __( 'Export and import', 'voice-vision-chat' ) }</h2>
			</CardHeader>
			<CardBody>
				<p className="vvc-faq__intro">
					{ __(
						'The CSV file has the columns id, questions (one per line in the cell) and answer, in UTF-8. Edit it in a spreadsheet and import it back: rows with a known id update that entry, the others are added.',
						'voice-vision-chat'
					) }
				</p>
				<p>
					<Button
						__next40pxDefaultSize
						variant="secondary"
						href={ exportUrl }
						download
					>
						{ __( 'Download CSV', 'voice-vision-chat' ) }
					</Button>
				</p>
				<div className="vvc-faq__import">
					<label
						htmlFor="vvc-faq-import-file"
						className="vvc-faq__label"
					>
						{ __( 'CSV file to import', 'voice-vision-chat' ) }
					</label>
					<input
						ref={ input }
						id="vvc-faq-import-file"
						type="file"
						accept=".csv,text/csv"
						onChange={ ( event ) =>
							setFile( event.currentTarget.files?.[ 0 ] ?? null )
						}
					/>
					<RadioControl
						label={ __( 'Existing entries', 'voice-vision-chat' ) }
						selected={ mode }
						options={ [
							{
								value: 'merge',
								label: __(
									'Keep them, update those in the file',
									'voice-vision-chat'
								),
							},
							{
								value: 'replace',
								label: __(
									'Delete them all, keep only the file’s entries',
									'voice-vision-chat'
								),
							},
						] }
						onChange={ ( value ) =>
							setMode( value === 'replace' ? 'replace' : 'merge' )
						}
					/>
					<Button
						__next40pxDefaultSize
						variant="secondary"
						isBusy={ importing.busy }
						disabled={ importing.busy }
						accessibleWhenDisabled
						onClick={ () =>
							mode === 'replace' && file
								? setConfirming( true )
								: send()
						}
					>
						{ importing.busy
							? __( 'Importing…', 'voice-vision-chat' )
							: __( 'Import', 'voice-vision-chat' ) }
					</Button>
				</div>
				<NoticePair
					notice={ importing.notice }
					onDismiss={ () => importing.setNotice( null ) }
				/>
				{ confirming && (
					<ConfirmModal
						title={ __(
							'Replace every entry?',
							'voice-vision-chat'
						) }
						confirmLabel={ __(
							'Delete and import',
							'voice-vision-chat'
						) }
						busy={ importing.busy }
						onConfirm={ send }
						onCancel={ () => setConfirming( false ) }
					>
						<p>
							{ __(
								'Every curated entry is deleted before the file’s entries are added. Download the CSV first if you may want them back.',
								'voice-vision-chat'
							) }
						</p>
					</ConfirmModal>
				) }
			</CardBody>
		</Card>
	);
}
