/**
 * The FAQ screen's form logic: entry drafts (new, edit, promote) and the cache settings.
 */
import { describe, expect, it } from 'vitest';

import { parseOverview } from '../../../../src/admin/faq/api';
import {
	checkDraft,
	checkSettings,
	describeSeconds,
	draftFromAsked,
	draftFromEntry,
	entryRequest,
	newDraft,
	questionLines,
	settingsForm,
} from '../../../../src/admin/faq/form';
import { ENTRY_ID, RETURN_HASH, overviewBody } from './fixtures';

const overview = parseOverview( overviewBody() );
const { limits, settings } = overview;
const [ asked ] = overview.stats.questions;
const [ entry ] = overview.entries;
if ( ! asked || ! entry ) {
	throw new Error( 'fixture' );
}

describe( 'entry drafts', () => {
	it( 'reads one question per line, trimmed, without blanks and repeats', () => {
		expect(
			questionLines(
				'  Do you ship?\r\n\n  do you ship \nDo you ship?\rCanada?'
			)
		).toEqual( [ 'Do you ship?', 'do you ship', 'Canada?' ] );
	} );

	it( 'promotes an asked question: shown as asked, never sent twice', () => {
		const draft = {
			...draftFromAsked( asked ),
			questions: 'what return policy\nCan I return things?',
			answer: '  Thirty days.  ',
		};
		expect( draft.asked ).toBe( 'what return policy' );
		expect( checkDraft( draft, limits ) ).toEqual( {} );
		expect( entryRequest( draft ) ).toEqual( {
			kind: 'promote',
			hash: RETURN_HASH,
			questions: [ 'Can I return things?' ],
			answer: 'Thirty days.',
		} );
	} );

	it( 'prefers the visitor’s wording when transcript logging kept it', () => {
		expect(
			draftFromAsked( {
				...asked,
				sample: 'What is your RETURN policy?',
			} ).asked
		).toBe( 'What is your RETURN policy?' );
	} );

	it( 'needs only an answer when promoting, a question and an answer otherwise', () => {
		expect( checkDraft( draftFromAsked( asked ), limits ) ).toEqual( {
			answer: 'Write the answer.',
		} );
		expect( checkDraft( newDraft(), limits ) ).toEqual( {
			questions:
				'Write at least one question, as a visitor might ask it.',
			answer: 'Write the answer.',
		} );
	} );

	it( 'counts the asked question against the most questions, and checks lengths', () => {
		const many = Array.from(
			{ length: limits.maxQuestions },
			( _, i ) => `question ${ i }`
		).join( '\n' );
		expect(
			checkDraft(
				{ ...newDraft(), questions: many, answer: 'x' },
				limits
			)
		).toEqual( {} );
		expect(
			checkDraft(
				{ ...draftFromAsked( asked ), questions: many, answer: 'x' },
				limits
			).questions
		).toBe( 'An entry can have at most 20 questions.' );
		expect(
			checkDraft(
				{
					...newDraft(),
					questions: 'q'.repeat( 501 ),
					answer: 'a'.repeat( 10001 ),
				},
				limits
			)
		).toEqual( {
			questions: 'Each question can have at most 500 characters.',
			answer: 'The answer can have at most 10000 characters.',
		} );
	} );

	it( 'edits an entry by id, and creates a new one', () => {
		const draft = draftFromEntry( entry );
		expect( draft.questions ).toBe( 'When are you open?\nopening hours' );
		expect( entryRequest( { ...draft, answer: 'Ten to six.' } ) ).toEqual( {
			kind: 'update',
			id: ENTRY_ID,
			questions: [ 'When are you open?', 'opening hours' ],
			answer: 'Ten to six.',
		} );
		expect(
			entryRequest( {
				...newDraft(),
				questions: 'Parking?',
				answer: 'Yes',
			} )
		).toEqual( {
			kind: 'create',
			questions: [ 'Parking?' ],
			answer: 'Yes',
		} );
	} );
} );

describe( 'cache settings', () => {
	it( 'shows the TTL in the largest whole unit', () => {
		expect( settingsForm( settings ) ).toEqual( {
			enabled: true,
			ttl: '1',
			ttlUnit: 'days',
			minAsks: '2',
		} );
		expect( settingsForm( { ...settings, ttl: 5400 } ).ttl ).toBe( '90' );
		expect( settingsForm( { ...settings, ttl: 5400 } ).ttlUnit ).toBe(
			'minutes'
		);
		expect( settingsForm( { ...settings, ttl: 90 } ) ).toMatchObject( {
			ttl: '90',
			ttlUnit: 'seconds',
		} );
	} );

	it( 'sends only what changed, in seconds', () => {
		const form = settingsForm( settings );
		expect( checkSettings( settings, form, limits ) ).toEqual( {
			errors: {},
			update: {},
		} );
		expect(
			checkSettings(
				settings,
				{ ...form, ttl: '6', ttlUnit: 'hours', enabled: false },
				limits
			)
		).toEqual( { errors: {}, update: { ttl: 21600, enabled: false } } );
		expect(
			checkSettings( settings, { ...form, minAsks: ' 3 ' }, limits )
				.update
		).toEqual( { min_asks: 3 } );
	} );

	it( 'refuses values the server would refuse, saying the range', () => {
		const form = settingsForm( settings );
		for ( const bad of [
			{ ttl: '31' },
			{ ttl: '0' },
			{ ttl: '1.5' },
			{ ttl: '' },
		] ) {
			expect(
				checkSettings( settings, { ...form, ...bad }, limits ).errors
					.ttl
			).toBe( 'Enter a whole number from 1 minute to 30 days.' );
		}
		expect(
			checkSettings(
				settings,
				{ ...form, ttl: '59', ttlUnit: 'seconds' },
				limits
			).errors.ttl
		).toBeDefined();
		const result = checkSettings(
			settings,
			{ ...form, minAsks: '21', enabled: false },
			limits
		);
		expect( result.errors.minAsks ).toBe(
			'Enter a whole number from 1 to 20.'
		);
	} );

	it( 'describes durations in the largest whole unit', () => {
		expect( describeSeconds( 86400 ) ).toBe( '1 day' );
		expect( describeSeconds( 2592000 ) ).toBe( '30 days' );
		expect( describeSeconds( 7200 ) ).toBe( '2 hours' );
		expect( describeSeconds( 60 ) ).toBe( '1 minute' );
		expect( describeSeconds( 90 ) ).toBe( '90 seconds' );
	} );
} );
