/**
 * Pure helpers of the budget screen: the editable form made from the server's state,
 * validation with the server's ranges, and the POST body holding only what changed.
 */
import { __, sprintf } from '@wordpress/i18n';

import { microsToUsd, parsePrice, parseUsd, priceText } from './money';
import type {
	BudgetForm,
	BudgetPayload,
	BudgetUpdate,
	CatalogModel,
	FormErrors,
	LimitField,
	LimitFields,
	Limits,
	ModelChange,
	ModelKind,
	Price,
	PriceFields,
	PriceKey,
} from './types';

/** Ranges the server enforces (Budget_Settings); money in micro-dollars. */
export const MONEY_LIMITS = {
	site_day_usd: { key: 'site_day_micros', max: 1_000_000_000_000 },
	site_month_usd: { key: 'site_month_micros', max: 10_000_000_000_000 },
	visitor_day_usd: { key: 'visitor_day_micros', max: 1_000_000_000_000 },
} as const;

export const COUNT_LIMITS = {
	soft_percent: { min: 1, max: 100 },
	requests_per_minute: { min: 0, max: 10000 },
	requests_per_hour: { min: 0, max: 100000 },
	sessions_per_ip_hour: { min: 0, max: 100000 },
	usage_retention_days: { min: 1, max: 3650 },
} as const;

type MoneyField = keyof typeof MONEY_LIMITS;
type CountField = keyof typeof COUNT_LIMITS;

const MODEL_ID = /^[A-Za-z0-9._:/-]{1,100}$/;

/** A loose check; the server validates the address with is_email(). */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Price components worth editing for each kind of model. */
const KIND_COMPONENTS: Record< ModelKind, PriceKey[] > = {
	chat: [ 'text_in', 'cached_in', 'text_out' ],
	audio_chat: [ 'text_in', 'cached_in', 'text_out', 'audio_in', 'audio_out' ],
	realtime: [ 'text_in', 'cached_in', 'text_out', 'audio_in', 'audio_out' ],
	transcription: [ 'per_minute', 'audio_in', 'text_in', 'text_out' ],
	speech: [ 'per_million_chars', 'text_in', 'audio_out' ],
	moderation: [],
};

/** Model kinds each tier may use (the server's rule, for models not saved yet). */
const TIER_KINDS: Record< string, ModelKind[] > = {
	economy: [ 'chat' ],
	standard: [ 'chat' ],
	vision: [ 'chat' ],
	long_context: [ 'chat' ],
	voice: [ 'audio_chat', 'realtime' ],
	transcribe: [ 'transcription' ],
	speech: [ 'speech' ],
};

/**
 * The price components to offer for a model: those of its kind, and any it already has.
 *
 * @param kind  Model kind.
 * @param price Current price.
 */
export function priceComponents(
	kind: ModelKind,
	price: Price | null
): PriceKey[] {
	const keys = [ ...KIND_COMPONENTS[ kind ] ];
	for ( const key of Object.keys( price ?? {} ) as PriceKey[] ) {
		if ( ! keys.includes( key ) ) {
			keys.push( key );
		}
	}
	return keys;
}

/**
 * Whether a model of a kind can serve a tier.
 *
 * @param tier   Tier.
 * @param kind   Model kind.
 * @param images Whether the model takes images.
 */
export function tierAccepts(
	tier: string,
	kind: ModelKind,
	images: boolean
): boolean {
	if ( ! ( TIER_KINDS[ tier ] ?? [] ).includes( kind ) ) {
		return false;
	}
	return tier !== 'vision' || images;
}

/**
 * A price as text fields.
 *
 * @param price Price.
 */
export function priceFields( price: Price | null ): PriceFields {
	const fields: PriceFields = {};
	for ( const [ key, value ] of Object.entries( price ?? {} ) ) {
		fields[ key as PriceKey ] = priceText( value );
	}
	return fields;
}

/**
 * The form for the saved state.
 *
 * @param payload Server state.
 */
export function toForm( payload: BudgetPayload ): BudgetForm {
	const { limits } = payload;
	const roleCaps: Record< string, string > = {};
	for ( const role of payload.roles ) {
		const cap = limits.role_day_micros[ role.slug ];
		roleCaps[ role.slug ] = cap === undefined ? '' : microsToUsd( cap );
	}
	const tiers: Record< string, string > = {};
	for ( const tier of payload.tiers ) {
		tiers[ tier.tier ] = tier.model;
	}
	return {
		limits: {
			site_day_usd: microsToUsd( limits.site_day_micros ),
			site_month_usd: microsToUsd( limits.site_month_micros ),
			soft_percent: String( limits.soft_percent ),
			visitor_day_usd: microsToUsd( limits.visitor_day_micros ),
			requests_per_minute: String( limits.requests_per_minute ),
			requests_per_hour: String( limits.requests_per_hour ),
			sessions_per_ip_hour: String( limits.sessions_per_ip_hour ),
			usage_retention_days: String( limits.usage_retention_days ),
			notify_email: limits.notify_email,
		},
		roleCaps,
		tiers,
		edits: {},
		countUnknownAtMax: payload.countUnknownAtMax,
	};
}

/**
 * Whether leaving now would lose something.
 *
 * @param payload Server state.
 * @param form    Current form.
 */
export function isDirty( payload: BudgetPayload, form: BudgetForm ): boolean {
	return JSON.stringify( toForm( payload ) ) !== JSON.stringify( form );
}

function parseCount( raw: string, field: CountField ): number | string {
	const { min, max } = COUNT_LIMITS[ field ];
	const text = raw.trim();
	if ( ! /^\d+$/.test( text ) ) {
		return __( 'Enter a whole number.', 'voice-vision-chat' );
	}
	const value = Number( text );
	if ( value < min || value > max ) {
		return sprintf(
			/* translators: 1: smallest allowed number, 2: largest allowed number. */
			__( 'Enter a number from %1$s to %2$s.', 'voice-vision-chat' ),
			String( min ),
			String( max )
		);
	}
	return value;
}

/**
 * A price's text fields as a price; null when every field is empty.
 *
 * @param fields Text fields.
 * @param errors Receives one message per bad field, keyed `${ prefix }:${ key }`.
 * @param prefix Error key prefix.
 */
function readPrice(
	fields: PriceFields,
	errors: FormErrors,
	prefix: string
): Price | null {
	const price: Price = {};
	for ( const [ key, raw ] of Object.entries( fields ) ) {
		const parsed = parsePrice( raw ?? '' );
		if ( ! parsed.ok ) {
			errors[ `${ prefix }:${ key }` ] = parsed.error;
		} else if ( parsed.value !== null ) {
			price[ key as PriceKey ] = parsed.value;
		}
	}
	return Object.keys( price ).length > 0 ? price : null;
}

export interface Checked {
	errors: FormErrors;
	update: BudgetUpdate;
}

/**
 * Validates the form and builds the POST body of what changed.
 *
 * @param payload Server state.
 * @param form    Current form.
 */
export function checkForm( payload: BudgetPayload, form: BudgetForm ): Checked {
	const errors: FormErrors = {};
	const budget: Partial< Limits > = {};
	const saved = payload.limits;

	for ( const field of Object.keys( MONEY_LIMITS ) as MoneyField[] ) {
		const { key, max } = MONEY_LIMITS[ field ];
		const parsed = parseUsd( form.limits[ field ], max );
		if ( ! parsed.ok ) {
			errors[ `limit:${ field }` ] = parsed.error;
		} else if ( parsed.value !== saved[ key ] ) {
			budget[ key ] = parsed.value;
		}
	}
	for ( const field of Object.keys( COUNT_LIMITS ) as CountField[] ) {
		const parsed = parseCount( form.limits[ field ], field );
		if ( typeof parsed === 'string' ) {
			errors[ `limit:${ field }` ] = parsed;
		} else if ( parsed !== saved[ field ] ) {
			budget[ field ] = parsed;
		}
	}
	const email = form.limits.notify_email.trim();
	if ( email !== '' && ! EMAIL.test( email ) ) {
		errors[ 'limit:notify_email' ] = __(
			'Enter an email address, or leave empty to use the site’s admin address.',
			'voice-vision-chat'
		);
	} else if ( email !== saved.notify_email ) {
		budget.notify_email = email;
	}

	const roleCaps: Record< string, number > = {};
	for ( const [ role, raw ] of Object.entries( form.roleCaps ) ) {
		if ( raw.trim() === '' ) {
			continue;
		}
		const parsed = parseUsd( raw, MONEY_LIMITS.visitor_day_usd.max );
		if ( parsed.ok ) {
			roleCaps[ role ] = parsed.value;
		} else {
			errors[ `role:${ role }` ] = parsed.error;
		}
	}
	const sortedJson = ( map: Record< string, number > ) =>
		JSON.stringify( Object.entries( map ).sort() );
	if ( sortedJson( roleCaps ) !== sortedJson( saved.role_day_micros ) ) {
		budget.role_day_micros = roleCaps;
	}

	const models: Record< string, ModelChange > = {};
	for ( const [ id, edit ] of Object.entries( form.edits ) ) {
		switch ( edit.action ) {
			case 'price':
				models[ id ] = {
					price: readPrice( edit.price, errors, `price:${ id }` ),
				};
				break;
			case 'add': {
				const price = readPrice( edit.price, errors, `price:${ id }` );
				const context = Number( edit.context.trim() );
				if (
					! /^\d+$/.test( edit.context.trim() ) ||
					context < 1 ||
					context > 10_000_000
				) {
					errors[ `add:${ id }:context` ] = __(
						'Enter the context window in tokens, e.g. 128000.',
						'voice-vision-chat'
					);
				}
				models[ id ] = {
					kind: edit.kind,
					context,
					price,
					...( edit.kind === 'chat'
						? {
								input: edit.images
									? [ 'text', 'image' ]
									: [ 'text' ],
							}
						: {} ),
				};
				break;
			}
			default:
				models[ id ] = null;
		}
	}

	const tiers: Record< string, string > = {};
	for ( const tier of payload.tiers ) {
		const chosen = form.tiers[ tier.tier ];
		if ( chosen !== undefined && chosen !== tier.model ) {
			tiers[ tier.tier ] = chosen;
		}
	}

	const update: BudgetUpdate = {};
	if ( Object.keys( budget ).length > 0 ) {
		update.budget = budget;
	}
	if ( Object.keys( models ).length > 0 ) {
		update.models = models;
	}
	if ( Object.keys( tiers ).length > 0 ) {
		update.tiers = tiers;
	}
	if ( form.countUnknownAtMax !== payload.countUnknownAtMax ) {
		update.count_unknown_at_max = form.countUnknownAtMax;
	}
	return { errors, update };
}

/**
 * Checks a model id the admin wants to add.
 *
 * @param id     Typed id.
 * @param models The catalog.
 * @param form   The form (models added but not saved yet).
 * @return An error message, or null.
 */
export function validateNewModelId(
	id: string,
	models: CatalogModel[],
	form: BudgetForm
): string | null {
	if ( ! MODEL_ID.test( id ) ) {
		return __(
			'A model id has only letters, digits and . _ : / - (e.g. gpt-5.4-mini).',
			'voice-vision-chat'
		);
	}
	const removed = form.edits[ id ]?.action === 'remove';
	if (
		( models.some( ( model ) => model.id === id ) && ! removed ) ||
		form.edits[ id ]?.action === 'add'
	) {
		return __(
			'This model is already in the catalog.',
			'voice-vision-chat'
		);
	}
	return null;
}

/**
 * Models that can serve a tier: the server's list, plus models added in this form that
 * fit, minus models removed in it.
 *
 * @param payload Server state.
 * @param form    Current form.
 * @param tier    Tier.
 */
export function tierChoices(
	payload: BudgetPayload,
	form: BudgetForm,
	tier: string
): string[] {
	const server = payload.tiers.find( ( entry ) => entry.tier === tier );
	const choices = ( server?.choices ?? [] ).filter(
		( id ) => form.edits[ id ]?.action !== 'remove'
	);
	for ( const [ id, edit ] of Object.entries( form.edits ) ) {
		if (
			edit.action === 'add' &&
			tierAccepts( tier, edit.kind, edit.images ) &&
			! choices.includes( id )
		) {
			choices.push( id );
		}
	}
	return choices;
}

/**
 * The limit fields with one changed.
 *
 * @param limits Current fields.
 * @param field  Field.
 * @param value  New text.
 */
export function withLimit(
	limits: LimitFields,
	field: LimitField,
	value: string
): LimitFields {
	return { ...limits, [ field ]: value };
}
