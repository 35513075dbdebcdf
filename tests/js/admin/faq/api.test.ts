/**
 * The FAQ routes as the screen calls them, and how it checks their answers.
 */
import { describe, expect, it } from 'vitest';

import {
	createFaqApi,
	parseImportResult,
	parseOverview,
	type FaqFetcher,
} from '../../../../src/admin/faq/api';
import { ENTRY_ID, RETURN_HASH, entryBody, overviewBody } from './fixtures';

function recorder( answer: ( path: string ) => unknown ) {
	const calls: Parameters< FaqFetcher >[ 0 ][] = [];
	const fetcher: FaqFetcher = async ( options ) => {
		calls.push( options );
		return answer( options.path );
	};
	return { calls, api: createFaqApi( fetcher ) };
}

describe( 'FAQ api', () => {
	it( 'types the overview', () => {
		const overview = parseOverview( overviewBody() );
		expect( overview.settings ).toEqual( {
			enabled: true,
			ttl: 86400,
			minAsks: 2,
			logTranscripts: false,
		} );
		expect( overview.cache ).toEqual( { version: 7, objectCache: false } );
		expect( overview.stats.questions[ 1 ] ).toMatchObject( {
			text: 'opening hours',
			hitRate: 0.8889,
			lastAsked: 1795307000,
			entryId: ENTRY_ID,
		} );
		expect( overview.limits.minAsks ).toEqual( { min: 1, max: 20 } );
	} );

	it( 'names the field of an answer it does not understand', () => {
		const body = overviewBody();
		expect( () =>
			parseOverview( { ...body, limits: undefined } )
		).toThrowError(
			expect.objectContaining( {
				code: 'vvc_bad_response',
				message: expect.stringContaining( '(limits)' ),
			} ) as Error
		);
		expect( () =>
			parseOverview( {
				...body,
				entries: [ entryBody( { questions: 'one' } ) ],
			} )
		).toThrowError(
			expect.objectContaining( {
				message: expect.stringContaining( '(questions)' ),
			} ) as Error
		);
		expect( () =>
			parseImportResult( { created: 1, updated: 0, errors: [ 'x' ] } )
		).toThrow();
	} );

	it( 'sends each action to its route with its method and body', async () => {
		const { calls, api } = recorder( ( path ) => {
			if ( path.endsWith( '/import' ) ) {
				return { created: 1, updated: 0, errors: [] };
			}
			if ( path.endsWith( '/purge' ) ) {
				return { version: 8, rows_deleted: 4 };
			}
			if (
				path.includes( '/entries/' ) &&
				calls.at( -1 )?.method === 'DELETE'
			) {
				return { deleted: true, previous: entryBody() };
			}
			if ( path.includes( '/entries' ) || path.endsWith( '/promote' ) ) {
				return entryBody();
			}
			return overviewBody();
		} );

		await api.load();
		await api.saveSettings( { ttl: 3600 } );
		await api.createEntry( [ 'Parking?' ], 'Yes' );
		await api.updateEntry( ENTRY_ID, [ 'Hours?' ], 'Nine' );
		await api.deleteEntry( ENTRY_ID );
		await api.promote( RETURN_HASH, 'Thirty days.', [ 'Returns?' ] );
		expect(
			await api.importCsv( 'questions,answer\n', 'replace' )
		).toEqual( { created: 1, updated: 0, errors: [] } );
		expect( await api.purge( true ) ).toEqual( {
			version: 8,
			rowsDeleted: 4,
		} );

		const base = '/voice-vision-chat/v1/admin/faq';
		expect( calls ).toEqual( [
			{ path: base },
			{ path: `${ base }/settings`, method: 'POST', data: { ttl: 3600 } },
			{
				path: `${ base }/entries`,
				method: 'POST',
				data: { questions: [ 'Parking?' ], answer: 'Yes' },
			},
			{
				path: `${ base }/entries/${ ENTRY_ID }`,
				method: 'PUT',
				data: { questions: [ 'Hours?' ], answer: 'Nine' },
			},
			{ path: `${ base }/entries/${ ENTRY_ID }`, method: 'DELETE' },
			{
				path: `${ base }/promote`,
				method: 'POST',
				data: {
					hash: RETURN_HASH,
					answer: 'Thirty days.',
					questions: [ 'Returns?' ],
				},
			},
			{
				path: `${ base }/import`,
				method: 'POST',
				data: { csv: 'questions,answer\n', mode: 'replace' },
			},
			{
				path: `${ base }/purge`,
				method: 'POST',
				data: { reset_stats: true },
			},
		] );
	} );

	it( 'does not take a delete that did not happen for one that did', async () => {
		const { api } = recorder( () => ( { deleted: false } ) );
		await expect( api.deleteEntry( ENTRY_ID ) ).rejects.toMatchObject( {
			code: 'vvc_bad_response',
		} );
	} );
} );
