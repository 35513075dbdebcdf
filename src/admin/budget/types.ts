/**
 * Shapes of GET/POST /admin/budget and POST /admin/models/refresh. Money limits are integer
 * micro-dollars; prices are USD per 1M tokens (per minute of audio for `per_minute`, per
 * 1M characters for `per_million_chars`), as the server keeps them.
 */

export const PRICE_KEYS = [
	'text_in',
	'cached_in',
	'text_out',
	'audio_in',
	'audio_out',
	'per_minute',
	'per_million_chars',
] as const;

export type PriceKey = ( typeof PRICE_KEYS )[ number ];
export type Price = Partial< Record< PriceKey, number > >;

export const MODEL_KINDS = [
	'chat',
	'audio_chat',
	'realtime',
	'transcription',
	'speech',
	'moderation',
] as const;

export type ModelKind = ( typeof MODEL_KINDS )[ number ];

export interface Limits {
	site_day_micros: number;
	site_month_micros: number;
	soft_percent: number;
	visitor_day_micros: number;
	/** Role slug => daily cap; roles without an entry use the visitor cap; 0 = no limit. */
	role_day_micros: Record< string, number >;
	requests_per_minute: number;
	requests_per_hour: number;
	sessions_per_ip_hour: number;
	usage_retention_days: number;
	notify_email: string;
}

export interface Role {
	slug: string;
	name: string;
}

export interface CatalogModel {
	id: string;
	kind: ModelKind;
	input: string[];
	output: string[];
	context: number;
	price: Price | null;
	/** The shipped price; null for a model the admin added or one shipped without. */
	defaultPrice: Price | null;
	/** Price components an ordinary request of this model is billed on. */
	billed: PriceKey[];
	shutdown: string | null;
	/** Added by the admin (not shipped). */
	custom: boolean;
	/** The admin changed a shipped model. */
	edited: boolean;
	provider: 'unchecked' | 'listed' | 'missing';
	providerShutdown: string | null;
}

export interface TierChoice {
	tier: string;
	label: string;
	model: string;
	defaultModel: string;
	/** Models that can serve the tier. */
	choices: string[];
}

export interface ModelProblem {
	model: string;
	code: string;
	date: string | null;
	severity: 'error' | 'warning';
	message: string;
	usedBy: string[];
}

export interface BudgetPayload {
	limits: Limits;
	roles: Role[];
	models: CatalogModel[];
	tiers: TierChoice[];
	countUnknownAtMax: boolean;
	provider: { checkedAt: number | null; listed: number };
	problems: ModelProblem[];
}

/** A model change in POST /admin/budget: fields to merge, or null to restore / remove. */
export type ModelChange = {
	kind?: ModelKind;
	input?: string[];
	output?: string[];
	context?: number;
	price?: Price | null;
} | null;

export interface BudgetUpdate {
	budget?: Partial< Limits >;
	models?: Record< string, ModelChange >;
	tiers?: Record< string, string >;
	count_unknown_at_max?: boolean;
}

/** Text fields of the limits, as typed (USD for money). */
export interface LimitFields {
	site_day_usd: string;
	site_month_usd: string;
	soft_percent: string;
	visitor_day_usd: string;
	requests_per_minute: string;
	requests_per_hour: string;
	sessions_per_ip_hour: string;
	usage_retention_days: string;
	notify_email: string;
}

export type LimitField = keyof LimitFields;

/** A price being edited: one text field per component ('' = no price for it). */
export type PriceFields = Partial< Record< PriceKey, string > >;

/** What the admin did to a model since the last save. */
export type ModelEdit =
	| { action: 'price'; price: PriceFields }
	| { action: 'reset' }
	| {
			action: 'add';
			kind: ModelKind;
			images: boolean;
			context: string;
			price: PriceFields;
	  }
	| { action: 'remove' };

export interface BudgetForm {
	limits: LimitFields;
	/** Role slug => USD typed; '' = the visitor cap applies. */
	roleCaps: Record< string, string >;
	tiers: Record< string, string >;
	edits: Record< string, ModelEdit >;
	countUnknownAtMax: boolean;
}

export type FormErrors = Record< string, string >;
