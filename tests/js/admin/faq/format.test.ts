/**
 * How the FAQ screen words numbers and outcomes.
 */
import { describe, expect, it } from 'vitest';

import {
	fileProblem,
	formatWhen,
	importNotice,
	percent,
} from '../../../../src/admin/faq/format';

describe( 'FAQ formatting', () => {
	it( 'shows hit rates as whole percentages, one decimal below ten', () => {
		expect( percent( 0, 'en-US' ) ).toBe( '0%' );
		expect( percent( 0.8889, 'en-US' ) ).toBe( '89%' );
		expect( percent( 0.035, 'en-US' ) ).toBe( '3.5%' );
		expect( percent( 1, 'de-DE' ) ).toBe( '100\u00a0%' );
	} );

	it( 'shows no date for a missing time', () => {
		expect( formatWhen( 0, 'en-US' ) ).toBe( '' );
		expect( formatWhen( 1795305600, 'en-US' ) ).toMatch( /2026/ );
	} );

	it( 'says what an import did, and each refused row with its reason', () => {
		expect(
			importNotice( { created: 2, updated: 1, errors: [] } )
		).toEqual( {
			status: 'success',
			message: 'Imported: 2 new, 1 updated.',
		} );
		expect(
			importNotice( { created: 0, updated: 0, errors: [] } )
		).toEqual( {
			status: 'info',
			message: 'The file had no entries to import.',
		} );
		expect(
			importNotice( {
				created: 1,
				updated: 0,
				errors: [
					{
						row: 3,
						code: 'vvc_faq_duplicate',
						message:
							'The question "Hours?" already belongs to another entry.',
					},
					{
						row: 5,
						code: 'vvc_faq_invalid',
						message:
							'The answer must have between 1 and 10000 characters.',
					},
				],
			} )
		).toEqual( {
			status: 'warning',
			message: 'Imported: 1 new, 0 updated. 2 rows were not imported:',
			detail: 'Row 3: The question "Hours?" already belongs to another entry. Row 5: The answer must have between 1 and 10000 characters.',
		} );
	} );

	it( 'checks the chosen file before sending it', () => {
		const max = 2097152;
		expect( fileProblem( null, max ) ).toBe( 'Choose a CSV file first.' );
		expect( fileProblem( { name: 'faq.xlsx', size: 10 }, max ) ).toMatch(
			/^Choose a \.csv file/
		);
		expect( fileProblem( { name: 'FAQ.CSV', size: max + 1 }, max ) ).toBe(
			'The file is too large (at most 2 MB).'
		);
		expect( fileProblem( { name: 'faq.csv', size: max }, max ) ).toBeNull();
	} );
} );
