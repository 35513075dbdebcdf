/**
 * Everything a test can read or steer: configuration (latency, prices, clock), the queue of
 * scripted behaviours, the request log and the bill.
 */
import { MODELS, type Price } from './models';

export const FAULT_TYPES = [
	'rate_limit',
	'rate_limit_retry_after',
	'insufficient_quota',
	'invalid_api_key',
	'server_error',
	'unavailable',
	'timeout',
	'malformed_json',
	'cut_stream',
] as const;
export type FaultType = ( typeof FAULT_TYPES )[ number ];

export interface Fault {
	type: FaultType;
	/** seconds for the Retry-After header (rate_limit_retry_after), default 1 */
	retry_after?: number;
	/** cut_stream: chunks sent before the socket is closed, default 2 */
	after_chunks?: number;
	/** timeout: how long the connection is held without an answer, default 30000 */
	ms?: number;
}

export interface ScriptedToolCall {
	name: string;
	/** an object is serialised; a string is sent as is (so tests can send broken JSON) */
	arguments?: string | Record< string, unknown >;
}

export interface ScriptReply {
	content?: string;
	tool_calls?: ScriptedToolCall[];
	transcript?: string;
	audio_transcript?: string;
}

export interface ScriptMatch {
	/** request path, with or without the /v1 prefix */
	path?: string;
	model?: string;
	/** substring of the request body (JSON text, or the text fields of a multipart body) */
	contains?: string;
}

export interface ScriptEntry {
	id: number;
	match?: ScriptMatch;
	reply?: ScriptReply;
	fault?: Fault;
	/** this entry's own pacing, over the configured latency (e.g. one slow answer) */
	latency?: Partial< Pick< LatencyConfig, 'ttfb_ms' | 'chunk_ms' > >;
	/** how many matching requests it applies to (default 1) */
	times: number;
	used: number;
}

export interface LatencyConfig {
	/** delay before the status line is sent */
	ttfb_ms: number;
	/** delay between stream chunks (SSE events, or binary chunks of /audio/speech) */
	chunk_ms: number;
	/** characters of text per stream chunk */
	chunk_chars: number;
}

export interface SimConfig {
	latency: LatencyConfig;
	/** per-model price overrides on top of models.ts */
	prices: Record< string, Price >;
	/** keys starting with one of these get 401 invalid_api_key */
	invalid_key_prefixes: string[];
	/** the simulator's "today" (YYYY-MM-DD) for shutdown dates; null = the real date */
	today: string | null;
}

/** What a request consumed, in billing units, before prices are applied. */
export interface BillUsage {
	text_in: number;
	cached_in: number;
	audio_in: number;
	text_out: number;
	audio_out: number;
	/** whisper-1 */
	seconds?: number;
	/** tts-1 / tts-1-hd */
	chars?: number;
}

export interface RequestRecord {
	id: string;
	time: string;
	method: string;
	path: string;
	headers: Record< string, string >;
	body?: unknown;
	multipart?: {
		fields: Record< string, string | string[] >;
		files: FileRecord[];
	};
	/** decoded facts about images and audio in the request */
	media: unknown[];
	validation: { ok: boolean; errors?: string[] };
	script_id?: number;
	fault?: FaultType;
	status?: number;
	/** "complete", or how the response ended otherwise (cut, timeout, malformed) */
	outcome?: string;
	error?: {
		message: string;
		type: string;
		param: string | null;
		code: string | null;
	};
	stream?: boolean;
	chunks_sent?: number;
	model?: string;
	usage?: unknown;
	bill_usage?: BillUsage;
	cost_micro_usd?: number | null;
	duration_ms?: number;
	/** things a test may want to know, e.g. a scripted tool call the request had no tool for */
	notes?: string[];
}

export interface FileRecord {
	field: string;
	filename: string;
	mime: string;
	size: number;
	sha256: string;
	audio?: unknown;
	error?: string;
}

export const DEFAULT_LATENCY: LatencyConfig = {
	ttfb_ms: 0,
	chunk_ms: 0,
	chunk_chars: 16,
};

const MICRO_DIGITS = 1e6;
const round6 = ( x: number ): number =>
	Math.round( x * MICRO_DIGITS ) / MICRO_DIGITS;

/**
 * Micro-dollars for `usage` at `price`. Prices are USD per 1M tokens, so tokens x price is
 * exactly micro-dollars. null means "no price known", never "free".
 * @param price
 * @param u
 */
export function costMicroUsd(
	price: Price | null | undefined,
	u: BillUsage
): number | null {
	if ( ! price ) {
		return null;
	}
	if ( price.usd_per_minute !== undefined && u.seconds !== undefined ) {
		return round6( ( u.seconds / 60 ) * price.usd_per_minute * 1e6 );
	}
	if ( price.usd_per_million_chars !== undefined && u.chars !== undefined ) {
		return round6( u.chars * price.usd_per_million_chars );
	}
	const need = ( tokens: number, p: number | undefined ): number | null => {
		if ( tokens === 0 ) {
			return 0;
		}
		return p === undefined ? null : tokens * p;
	};
	const parts = [
		need( u.text_in, price.text_in ),
		need( u.cached_in, price.cached_in ?? price.text_in ),
		need( u.audio_in, price.audio_in ),
		need( u.text_out, price.text_out ),
		need( u.audio_out, price.audio_out ),
	];
	if ( parts.some( ( p ) => p === null ) ) {
		return null;
	}
	return round6( parts.reduce< number >( ( a, b ) => a + ( b ?? 0 ), 0 ) );
}

export class SimState {
	config: SimConfig;
	readonly requests: RequestRecord[] = [];
	private scripts: ScriptEntry[] = [];
	private nextScriptId = 1;
	private nextRequestId = 1;

	constructor( latency: Partial< LatencyConfig > = {} ) {
		this.config = {
			latency: { ...DEFAULT_LATENCY, ...latency },
			prices: {},
			invalid_key_prefixes: [ 'sk-invalid' ],
			today: null,
		};
	}

	today(): string {
		return this.config.today ?? new Date().toISOString().slice( 0, 10 );
	}

	priceFor( model: string ): Price | null {
		const override = this.config.prices[ model ];
		if ( override ) {
			return override;
		}
		return MODELS.find( ( m ) => m.id === model )?.price ?? null;
	}

	newRequestId(): string {
		return `sim_${ String( this.nextRequestId++ ).padStart( 6, '0' ) }`;
	}

	addScript( entry: Omit< ScriptEntry, 'id' | 'used' > ): ScriptEntry {
		const full: ScriptEntry = {
			...entry,
			id: this.nextScriptId++,
			used: 0,
		};
		this.scripts.push( full );
		return full;
	}

	pendingScripts(): readonly ScriptEntry[] {
		return this.scripts;
	}

	clearScripts(): void {
		this.scripts = [];
	}

	/**
	 * Takes the first queued entry matching this request, consuming one of its `times`.
	 * @param path
	 * @param model
	 * @param bodyText
	 */
	takeScript(
		path: string,
		model: string | undefined,
		bodyText: string
	): ScriptEntry | undefined {
		const norm = ( p: string ): string => p.replace( /^\/v1(?=\/)/, '' );
		const idx = this.scripts.findIndex( ( s ) => {
			const m = s.match;
			if ( ! m ) {
				return true;
			}
			if ( m.path !== undefined && norm( m.path ) !== norm( path ) ) {
				return false;
			}
			if ( m.model !== undefined && m.model !== model ) {
				return false;
			}
			if (
				m.contains !== undefined &&
				! bodyText.includes( m.contains )
			) {
				return false;
			}
			return true;
		} );
		if ( idx < 0 ) {
			return undefined;
		}
		const entry = this.scripts[ idx ];
		if ( ! entry ) {
			return undefined;
		}
		entry.used++;
		if ( entry.used >= entry.times ) {
			this.scripts.splice( idx, 1 );
		}
		return entry;
	}

	reset(): void {
		this.requests.length = 0;
	}

	bill(): {
		unit: 'micro_usd';
		total_micro_usd: number;
		unpriced_requests: string[];
		requests: Array< {
			id: string;
			path: string;
			model?: string;
			status?: number;
			bill_usage?: BillUsage;
			cost_micro_usd: number | null;
		} >;
	} {
		const billed = this.requests.filter(
			( r ) => r.bill_usage !== undefined
		);
		const rows = billed.map( ( r ) => ( {
			id: r.id,
			path: r.path,
			model: r.model,
			status: r.status,
			bill_usage: r.bill_usage,
			cost_micro_usd: r.cost_micro_usd ?? null,
		} ) );
		return {
			unit: 'micro_usd',
			total_micro_usd: round6(
				rows.reduce( ( a, r ) => a + ( r.cost_micro_usd ?? 0 ), 0 )
			),
			unpriced_requests: rows
				.filter( ( r ) => r.cost_micro_usd === null )
				.map( ( r ) => r.id ),
			requests: rows,
		};
	}
}
