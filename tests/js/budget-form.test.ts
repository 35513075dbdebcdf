/**
 * The budget form: made from the server's state, validated with its ranges, and turned
 * into a POST body of only what changed.
 */
import { describe, expect, it } from 'vitest';

import { parseBudgetPayload } from '../../src/admin/budget/api';
import {
	checkForm,
	isDirty,
	priceComponents,
	tierAccepts,
	tierChoices,
	toForm,
	validateNewModelId,
} from '../../src/admin/budget/form';
import type { BudgetForm } from '../../src/admin/budget/types';
import { budgetBody } from './budget-fixtures';

const payload = parseBudgetPayload( budgetBody() );

function edited( change: ( form: BudgetForm ) => void ): BudgetForm {
	const form = toForm( payload );
	change( form );
	return form;
}

describe( 'toForm', () => {
	it( 'shows money in dollars and roles without a cap as empty', () => {
		const form = toForm( payload );
		expect( form.limits.site_day_usd ).toBe( '5.00' );
		expect( form.limits.visitor_day_usd ).toBe( '0.20' );
		expect( form.limits.soft_percent ).toBe( '80' );
		expect( form.roleCaps ).toEqual( {
			administrator: '',
			editor: '1.00',
			subscriber: '',
		} );
		expect( form.tiers ).toEqual( {
			economy: 'gpt-5.4-nano',
			vision: 'gpt-4o-mini',
			voice: 'gpt-audio',
		} );
		expect( form.edits ).toEqual( {} );
	} );

	it( 'is clean until something changes', () => {
		expect( isDirty( payload, toForm( payload ) ) ).toBe( false );
		expect(
			isDirty(
				payload,
				edited( ( form ) => ( form.limits.site_day_usd = '6' ) )
			)
		).toBe( true );
	} );
} );

describe( 'checkForm', () => {
	it( 'sends nothing when nothing changed, even if retyped the same', () => {
		const form = edited( ( f ) => ( f.limits.site_day_usd = '$5' ) );
		expect( checkForm( payload, form ) ).toEqual( {
			errors: {},
			update: {},
		} );
	} );

	it( 'sends changed limits in micro-dollars, and the whole role map when it changed', () => {
		const form = edited( ( f ) => {
			f.limits.site_day_usd = '7.5';
			f.limits.visitor_day_usd = '0';
			f.limits.requests_per_hour = '100';
			f.limits.notify_email = ' owner@example.org ';
			f.roleCaps.subscriber = '0.5';
			f.roleCaps.editor = '';
		} );
		expect( checkForm( payload, form ) ).toEqual( {
			errors: {},
			update: {
				budget: {
					site_day_micros: 7_500_000,
					visitor_day_micros: 0,
					requests_per_hour: 100,
					notify_email: 'owner@example.org',
					role_day_micros: { subscriber: 500_000 },
				},
			},
		} );
	} );

	it( 'reports bad values per field and keeps them out of the body', () => {
		const form = edited( ( f ) => {
			f.limits.site_month_usd = 'lots';
			f.limits.soft_percent = '0';
			f.limits.requests_per_minute = '2.5';
			f.limits.notify_email = 'nobody';
			f.roleCaps.administrator = '-3';
		} );
		const { errors, update } = checkForm( payload, form );
		expect( Object.keys( errors ).sort() ).toEqual( [
			'limit:notify_email',
			'limit:requests_per_minute',
			'limit:site_month_usd',
			'limit:soft_percent',
			'role:administrator',
		] );
		expect( errors[ 'limit:soft_percent' ] ).toBe(
			'Enter a number from 1 to 100.'
		);
		expect( update.budget ).toBeUndefined();
	} );

	it( 'sends price edits, restores, removals and added models', () => {
		const form = edited( ( f ) => {
			f.edits[ 'gpt-4o-mini' ] = {
				action: 'price',
				price: { text_in: '0.2', cached_in: '', text_out: '0.80' },
			};
			f.edits[ 'gpt-audio' ] = { action: 'reset' };
			f.edits[ 'acme-1' ] = { action: 'remove' };
			f.edits[ 'acme-2' ] = {
				action: 'add',
				kind: 'chat',
				images: true,
				context: '32000',
				price: { text_in: '1', text_out: '3' },
			};
			f.edits[ 'acme-tts' ] = {
				action: 'add',
				kind: 'speech',
				images: false,
				context: '4096',
				price: { per_million_chars: '20' },
			};
			f.edits[ 'gpt-5.4-nano' ] = {
				action: 'price',
				price: { text_in: '', text_out: '' },
			};
		} );
		const { errors, update } = checkForm( payload, form );
		expect( errors ).toEqual( {} );
		expect( update.models ).toEqual( {
			'gpt-4o-mini': { price: { text_in: 0.2, text_out: 0.8 } },
			'gpt-audio': null,
			'acme-1': null,
			'acme-2': {
				kind: 'chat',
				context: 32000,
				price: { text_in: 1, text_out: 3 },
				input: [ 'text', 'image' ],
			},
			'acme-tts': {
				kind: 'speech',
				context: 4096,
				price: { per_million_chars: 20 },
			},
			'gpt-5.4-nano': { price: null },
		} );
	} );

	it( 'reports bad prices and contexts with the model in the key', () => {
		const form = edited( ( f ) => {
			f.edits[ 'gpt-4o-mini' ] = {
				action: 'price',
				price: { text_in: 'cheap' },
			};
			f.edits[ 'acme-2' ] = {
				action: 'add',
				kind: 'chat',
				images: false,
				context: 'big',
				price: {},
			};
		} );
		expect(
			Object.keys( checkForm( payload, form ).errors ).sort()
		).toEqual( [ 'add:acme-2:context', 'price:gpt-4o-mini:text_in' ] );
	} );

	it( 'sends changed tiers and the unknown-price policy', () => {
		const form = edited( ( f ) => {
			f.tiers.economy = 'gpt-4o-mini';
			f.countUnknownAtMax = true;
		} );
		expect( checkForm( payload, form ).update ).toEqual( {
			tiers: { economy: 'gpt-4o-mini' },
			count_unknown_at_max: true,
		} );
	} );
} );

describe( 'models and tiers', () => {
	it( 'offers the price components of each kind, and any already set', () => {
		expect( priceComponents( 'chat', null ) ).toEqual( [
			'text_in',
			'cached_in',
			'text_out',
		] );
		expect( priceComponents( 'speech', null ) ).toEqual( [
			'per_million_chars',
			'text_in',
			'audio_out',
		] );
		expect( priceComponents( 'chat', { audio_in: 1 } ) ).toEqual( [
			'text_in',
			'cached_in',
			'text_out',
			'audio_in',
		] );
		expect( priceComponents( 'moderation', null ) ).toEqual( [] );
	} );

	it( 'knows which kinds serve which tier', () => {
		expect( tierAccepts( 'economy', 'chat', false ) ).toBe( true );
		expect( tierAccepts( 'vision', 'chat', false ) ).toBe( false );
		expect( tierAccepts( 'vision', 'chat', true ) ).toBe( true );
		expect( tierAccepts( 'voice', 'realtime', false ) ).toBe( true );
		expect( tierAccepts( 'speech', 'chat', false ) ).toBe( false );
		expect( tierAccepts( 'premium', 'chat', false ) ).toBe( false );
	} );

	it( 'offers models added in the form and hides removed ones', () => {
		const form = edited( ( f ) => {
			f.edits[ 'acme-1' ] = { action: 'remove' };
			f.edits[ 'acme-eye' ] = {
				action: 'add',
				kind: 'chat',
				images: true,
				context: '1000',
				price: {},
			};
			f.edits[ 'acme-voice' ] = {
				action: 'add',
				kind: 'realtime',
				images: false,
				context: '1000',
				price: {},
			};
		} );
		expect( tierChoices( payload, form, 'economy' ) ).toEqual( [
			'gpt-4o-mini',
			'gpt-5.4-nano',
			'acme-eye',
		] );
		expect( tierChoices( payload, form, 'voice' ) ).toEqual( [
			'gpt-audio',
			'acme-voice',
		] );
	} );

	it( 'checks new model ids', () => {
		const form = toForm( payload );
		expect(
			validateNewModelId( 'acme-2', payload.models, form )
		).toBeNull();
		expect(
			validateNewModelId( 'gpt-4o-mini', payload.models, form )
		).toBe( 'This model is already in the catalog.' );
		expect( validateNewModelId( 'gpt 5', payload.models, form ) ).toMatch(
			/letters, digits/
		);
		expect( validateNewModelId( '', payload.models, form ) ).not.toBeNull();
	} );
} );
