/**
 * The soft limit: once the site's spending crosses it, the admin gets one email per period
 * (captured by the stack's mail hook in .stack/logs/mail.jsonl) and questions that would go to
 * a dearer tier are answered by the economy model instead.
 *
 * The soft limit is set just above what the site has spent today (and this month), at 1% of a
 * hard limit a hundred times larger, so the first question crosses it and the hard limit
 * never gets in the way. The question is one the router scores as complex (a why, a
 * comparison), so it goes to the standard tier while the budget is normal.
 */
import { expect, test } from '@playwright/test';

import {
	CostRun,
	NO_LIMITS,
	TEST_TIERS,
	costMarker,
	expectNoInterference,
	ledgerRow,
	mailOffset,
	mailsSince,
	measured,
	simRequests,
	simScript,
} from './support/cost-stack';

/** Spending that crosses the soft limit: any answer of the standard model costs more. */
const HEADROOM = 50;
const ASKED = 4;

test( 'crossing the soft limit sends one email per period and routes to the economy model', async () => {
	test.setTimeout( 180_000 );
	const run = new CostRun();
	try {
		const { site_day: dayKey, site_month: monthKey } = run.snapshot.keys;
		const day = await ledgerRow( dayKey );
		const month = await ledgerRow( monthKey );
		const soft = {
			day: day.spent + day.reserved + HEADROOM,
			month: month.spent + month.reserved + HEADROOM,
		};
		run.configure( {
			budget: {
				...NO_LIMITS,
				soft_percent: 1,
				site_day_micros: soft.day * 100,
				site_month_micros: soft.month * 100,
				notify_email: '',
			},
			tiers: { ...TEST_TIERS },
			settings: { faq_enabled: false },
			reset_soft: true,
		} );
		const marker = costMarker( 'soft' );
		await simScript( [
			{
				match: { contains: marker },
				reply: {
					content:
						'The night tariff is cheaper because demand is lower.',
				},
				times: ASKED,
			},
		] );
		const mailLog = run.snapshot.mail;
		expect( mailLog ).not.toBe( '' );
		const offset = mailOffset( mailLog );

		const token = await run.token();
		const who = run.state( [ token ] ).visitors[ 0 ];
		const question = `${ marker } Why is the night tariff cheaper? Compare it with the day tariff and explain step by step.`;
		const spentAfter: number[] = [];
		for ( let i = 0; i < ASKED; i++ ) {
			const answer = await run.ask( token, { message: question } );
			expect( answer.status, answer.text ).toBe( 200 );
			spentAfter.push( ( await ledgerRow( dayKey ) ).spent );
		}

		const models = ( await simRequests( marker ) ).map( ( r ) => r.model );
		const rows = run.usage( [ who?.visitor_hash ?? '' ] );
		const mails = mailsSince( mailLog, offset ).filter( ( mail ) =>
			/budget/i.test( mail.subject )
		);
		measured(
			`soft limits day ${ soft.day } / month ${ soft.month } µ$; site day spent after each question ${ spentAfter.join(
				', '
			) }; models ${ models.join( ', ' ) }; tiers ${ rows
				.map( ( r ) => `${ r.tier } (${ r.route_reasons })` )
				.join( '; ' ) }; mails: ${ mails
				.map( ( m ) => `${ JSON.stringify( m.to ) } "${ m.subject }"` )
				.join( '; ' ) }`
		);

		expectNoInterference( run );
		// The first question ran at the normal state on the standard tier and crossed the limit.
		expect( spentAfter[ 0 ] ).toBeGreaterThanOrEqual( soft.day );
		expect( models ).toEqual( [
			TEST_TIERS.standard,
			...Array( ASKED - 1 ).fill( TEST_TIERS.economy ),
		] );
		expect( rows.map( ( r ) => r.tier ) ).toEqual( [
			'standard',
			...Array( ASKED - 1 ).fill( 'economy' ),
		] );
		for ( const row of rows.slice( 1 ) ) {
			expect( row.route_reasons.split( ',' ) ).toContain( 'soft_limit' );
		}
		// One email for the day and one for the month, to the admin, however many questions
		// were asked past the limit.
		expect( mails ).toHaveLength( 2 );
		expect( mails.map( ( m ) => m.to ) ).toEqual( [
			run.snapshot.admin,
			run.snapshot.admin,
		] );
		expect(
			mails.filter( ( m ) => /daily budget/i.test( m.subject ) )
		).toHaveLength( 1 );
		expect(
			mails.filter( ( m ) => /monthly budget/i.test( m.subject ) )
		).toHaveLength( 1 );
		expect( ( await ledgerRow( dayKey ) ).soft_notified ).toBe( 1 );
		expect( ( await ledgerRow( monthKey ) ).soft_notified ).toBe( 1 );
	} finally {
		run.restore();
	}
} );
