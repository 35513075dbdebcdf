/**
 * Numbers, dates and outcomes of the FAQ screen as people read them.
 */
import { __, _n, sprintf } from '@wordpress/i18n';

import type { NoticeMessage } from '../settings/components/notice-region';
import type { ImportResult } from './types';

/**
 * A share as a percentage: "0%", "42%", "3.5%" (one decimal below 10%).
 *
 * @param rate   0 to 1.
 * @param locale Page locale.
 */
export function percent( rate: number, locale?: string ): string {
	return new Intl.NumberFormat( locale, {
		style: 'percent',
		maximumFractionDigits: rate > 0 && rate < 0.1 ? 1 : 0,
	} ).format( rate );
}

/**
 * A Unix time as a short date and time in the page's locale; '' for none.
 *
 * @param unix   Seconds since 1970.
 * @param locale Page locale.
 */
export function formatWhen( unix: number, locale?: string ): string {
	if ( unix <= 0 ) {
		return '';
	}
	return new Intl.DateTimeFormat( locale, {
		dateStyle: 'medium',
		timeStyle: 'short',
	} ).format( new Date( unix * 1000 ) );
}

/**
 * What an import did: created and updated counts, and each refused row with its reason.
 *
 * @param result The server's answer.
 */
export function importNotice( result: ImportResult ): NoticeMessage {
	const done = sprintf(
		/* translators: 1: entries created, 2: entries updated. */
		__( 'Imported: %1$d new, %2$d updated.', 'voice-vision-chat' ),
		result.created,
		result.updated
	);
	if ( result.errors.length === 0 ) {
		return {
			status: result.created + result.updated > 0 ? 'success' : 'info',
			message:
				result.created + result.updated > 0
					? done
					: __(
							'The file had no entries to import.',
							'voice-vision-chat'
						),
		};
	}
	return {
		status: 'warning',
		message: `${ done } ${ sprintf(
			/* translators: %d: rows not imported. */
			_n(
				'%d row was not imported:',
				'%d rows were not imported:',
				result.errors.length,
				'voice-vision-chat'
			),
			result.errors.length
		) }`,
		detail: result.errors
			.map( ( error ) =>
				sprintf(
					/* translators: 1: row number in the spreadsheet, 2: the reason. */
					__( 'Row %1$d: %2$s', 'voice-vision-chat' ),
					error.row,
					error.message
				)
			)
			.join( ' ' ),
	};
}

/**
 * Why a chosen file cannot be imported, or null when it can be sent.
 *
 * @param file     The chosen file (name and size).
 * @param maxBytes Largest file the server reads.
 */
export function fileProblem(
	file: { name: string; size: number } | null,
	maxBytes: number
): string | null {
	if ( ! file ) {
		return __( 'Choose a CSV file first.', 'voice-vision-chat' );
	}
	if ( ! /\.(csv|txt)$/i.test( file.name ) ) {
		return __(
			'Choose a .csv file (saved from a spreadsheet as CSV UTF-8).',
			'voice-vision-chat'
		);
	}
	if ( file.size > maxBytes ) {
		return sprintf(
			/* translators: %s: largest size, e.g. "2 MB". */
			__( 'The file is too large (at most %s).', 'voice-vision-chat' ),
			`${ Math.floor( maxBytes / 1048576 ) } MB`
		);
	}
	return null;
}
