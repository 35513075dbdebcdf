/**
 * The simulator's model catalogue: ids, lifecycle (shutdown dates), what each model accepts,
 * how it counts image tokens and what it costs. Data only, so tests can read the same table
 * the simulator bills from and compare it with the plugin's ledger.
 *
 * Sources: /work/shared/openai/README.md (lifecycle as of 2026-11, prices from OpenAI's
 * pricing page late 2025) and OpenAI's vision docs for the image rules.
 */

export type ModelKind =
	'chat' | 'audio-chat' | 'realtime' | 'transcription' | 'tts' | 'moderation';

/** USD per 1M tokens, except where the field name says otherwise. */
export interface Price {
	text_in?: number;
	cached_in?: number;
	text_out?: number;
	audio_in?: number;
	audio_out?: number;
	/** whisper-1 bills audio by the minute */
	usd_per_minute?: number;
	/** tts-1 / tts-1-hd bill input characters */
	usd_per_million_chars?: number;
}

/**
 * How image inputs become tokens.
 * - tile: gpt-4o/4.1-style; `low` costs `base`, `high` costs `base + tile * tiles(512 px)`
 *   after fitting into 2048x2048 and shrinking the short side to 768.
 * - patch: 4.1/5 -mini/-nano style; 32 px patches (at most 1536) times a multiplier.
 * - none: the model takes no images (the audio chat models).
 */
export type ImageRule =
	| { kind: 'tile'; base: number; tile: number }
	| { kind: 'patch'; multiplier: number }
	| { kind: 'none' };

export interface ModelInfo {
	id: string;
	kind: ModelKind;
	/** Unix seconds, as /v1/models reports it (values are plausible, not authoritative). */
	created: number;
	owned_by: string;
	/** YYYY-MM-DD, or null when no shutdown is announced. On or after it the model is gone. */
	shutdown_date: string | null;
	/** null: no verified price, a budget must not treat it as free */
	price: Price | null;
	image: ImageRule;
	input_audio: boolean;
	output_audio: boolean;
	/** context window in tokens, for context_length_exceeded */
	context: number;
	/** transcription models: allowed response_format values */
	transcription_formats?: readonly string[];
}

const TILE_4O = { kind: 'tile', base: 85, tile: 170 } as const;
const TILE_4O_MINI = { kind: 'tile', base: 2833, tile: 5667 } as const;
const TILE_5 = { kind: 'tile', base: 70, tile: 140 } as const;
const PATCH_MINI = { kind: 'patch', multiplier: 1.62 } as const;
const PATCH_NANO = { kind: 'patch', multiplier: 2.46 } as const;
const NO_IMAGES = { kind: 'none' } as const;

const JSON_TEXT = [ 'json', 'text' ] as const;
const ALL_TRANSCRIPTION = [
	'json',
	'text',
	'srt',
	'verbose_json',
	'vtt',
] as const;

function chat(
	id: string,
	created: number,
	shutdown: string | null,
	price: Price | null,
	image: ImageRule,
	context: number
): ModelInfo {
	return {
		id,
		kind: 'chat',
		created,
		owned_by: 'system',
		shutdown_date: shutdown,
		price,
		image,
		input_audio: false,
		output_audio: false,
		context,
	};
}

function audioChat(
	id: string,
	created: number,
	shutdown: string | null,
	price: Price | null
): ModelInfo {
	return {
		id,
		kind: 'audio-chat',
		created,
		owned_by: 'system',
		shutdown_date: shutdown,
		price,
		image: NO_IMAGES,
		input_audio: true,
		output_audio: true,
		context: 128000,
	};
}

function realtime(
	id: string,
	created: number,
	shutdown: string | null,
	price: Price | null
): ModelInfo {
	return {
		id,
		kind: 'realtime',
		created,
		owned_by: 'system',
		shutdown_date: shutdown,
		price,
		image: NO_IMAGES,
		input_audio: true,
		output_audio: true,
		context: 32000,
	};
}

function transcription(
	id: string,
	created: number,
	shutdown: string | null,
	price: Price | null,
	formats: readonly string[]
): ModelInfo {
	return {
		id,
		kind: 'transcription',
		created,
		owned_by: 'system',
		shutdown_date: shutdown,
		price,
		image: NO_IMAGES,
		input_audio: true,
		output_audio: false,
		context: 16000,
		transcription_formats: formats,
	};
}

function tts(
	id: string,
	created: number,
	shutdown: string | null,
	price: Price | null
): ModelInfo {
	return {
		id,
		kind: 'tts',
		created,
		owned_by: 'system',
		shutdown_date: shutdown,
		price,
		image: NO_IMAGES,
		input_audio: false,
		output_audio: true,
		context: 4096,
	};
}

const P = {
	gpt4o: { text_in: 2.5, cached_in: 1.25, text_out: 10 },
	gpt4oMini: { text_in: 0.15, cached_in: 0.075, text_out: 0.6 },
	gpt41: { text_in: 2, cached_in: 0.5, text_out: 8 },
	gpt41Mini: { text_in: 0.4, cached_in: 0.1, text_out: 1.6 },
	gpt5: { text_in: 1.25, cached_in: 0.125, text_out: 10 },
	gpt5Mini: { text_in: 0.25, cached_in: 0.025, text_out: 2 },
	gpt5Nano: { text_in: 0.05, cached_in: 0.005, text_out: 0.4 },
	gptAudio: { text_in: 2.5, text_out: 10, audio_in: 32, audio_out: 64 },
	gptAudioMini: { text_in: 0.6, text_out: 2.4, audio_in: 10, audio_out: 20 },
	gptRealtime: {
		text_in: 4,
		cached_in: 0.4,
		text_out: 16,
		audio_in: 32,
		audio_out: 64,
	},
	gptRealtimeMini: {
		text_in: 0.6,
		cached_in: 0.06,
		text_out: 2.4,
		audio_in: 10,
		audio_out: 20,
	},
	gpt4oTranscribe: { text_in: 2.5, text_out: 10, audio_in: 6 },
	gpt4oMiniTranscribe: { text_in: 1.25, text_out: 5, audio_in: 3 },
	gpt4oMiniTts: { text_in: 0.6, audio_out: 12 },
} satisfies Record< string, Price >;

export const MODELS: readonly ModelInfo[] = [
	// chat, text and vision
	chat( 'gpt-4o', 1715367049, '2027-01-14', P.gpt4o, TILE_4O, 128000 ),
	chat(
		'gpt-4o-2024-08-06',
		1722814719,
		'2027-01-14',
		P.gpt4o,
		TILE_4O,
		128000
	),
	chat(
		'gpt-4o-mini',
		1721172741,
		'2027-01-14',
		P.gpt4oMini,
		TILE_4O_MINI,
		128000
	),
	chat( 'gpt-4.1', 1744316542, '2027-01-14', P.gpt41, TILE_4O, 1047576 ),
	chat(
		'gpt-4.1-mini',
		1744318173,
		'2027-01-14',
		P.gpt41Mini,
		PATCH_MINI,
		1047576
	),
	chat( 'gpt-4.1-nano', 1744321707, '2026-10-23', null, PATCH_NANO, 1047576 ),
	chat( 'gpt-5', 1754425777, '2026-12-11', P.gpt5, TILE_5, 400000 ),
	chat(
		'gpt-5-mini',
		1754425928,
		'2026-12-11',
		P.gpt5Mini,
		PATCH_MINI,
		400000
	),
	chat(
		'gpt-5-nano',
		1754426384,
		'2026-12-11',
		P.gpt5Nano,
		PATCH_NANO,
		400000
	),
	// newer ids: no verified price or image rule; the rules below are assumptions by family
	chat( 'gpt-5.4-mini', 1773705600, null, null, PATCH_MINI, 400000 ),
	chat( 'gpt-5.4-nano', 1773705600, null, null, PATCH_NANO, 400000 ),
	chat( 'gpt-5.5', 1776902400, null, null, TILE_5, 400000 ),
	chat(
		'chatgpt-4o-latest',
		1723515131,
		'2026-02-17',
		P.gpt4o,
		TILE_4O,
		128000
	),
	// The README lists gpt-3.5-turbo* as already shut down without a date; any past date
	// has the same effect (gone from /v1/models, 404 on use).
	chat( 'gpt-3.5-turbo', 1677610602, '2026-01-01', null, NO_IMAGES, 16385 ),
	chat(
		'gpt-3.5-turbo-0125',
		1706048358,
		'2026-01-01',
		null,
		NO_IMAGES,
		16385
	),
	// chat with audio in/out
	audioChat( 'gpt-audio', 1756339249, null, P.gptAudio ),
	audioChat( 'gpt-audio-mini', 1759512027, '2027-01-20', P.gptAudioMini ),
	audioChat( 'gpt-audio-1.5', 1771372800, null, null ),
	audioChat( 'gpt-4o-audio-preview', 1727460443, '2026-05-07', P.gptAudio ),
	audioChat(
		'gpt-4o-audio-preview-2024-12-17',
		1734034239,
		'2026-05-07',
		P.gptAudio
	),
	audioChat(
		'gpt-4o-audio-preview-2025-06-03',
		1748908498,
		'2026-05-07',
		P.gptAudio
	),
	audioChat(
		'gpt-4o-mini-audio-preview',
		1734387424,
		'2026-05-07',
		P.gptAudioMini
	),
	audioChat(
		'gpt-4o-mini-audio-preview-2024-12-17',
		1734115920,
		'2026-05-07',
		P.gptAudioMini
	),
	// realtime (only used through /v1/realtime/client_secrets here)
	realtime( 'gpt-realtime', 1756271701, '2027-01-20', P.gptRealtime ),
	realtime(
		'gpt-realtime-mini',
		1759517133,
		'2027-01-20',
		P.gptRealtimeMini
	),
	realtime( 'gpt-realtime-2', 1771372800, null, null ),
	realtime( 'gpt-realtime-2.1', 1776902400, null, null ),
	realtime( 'gpt-realtime-2.1-mini', 1776902400, null, null ),
	// transcription
	transcription(
		'whisper-1',
		1677532384,
		'2027-02-26',
		{ usd_per_minute: 0.006 },
		ALL_TRANSCRIPTION
	),
	transcription(
		'gpt-4o-transcribe',
		1742068463,
		'2027-02-26',
		P.gpt4oTranscribe,
		JSON_TEXT
	),
	transcription(
		'gpt-4o-mini-transcribe',
		1742068596,
		'2027-02-26',
		P.gpt4oMiniTranscribe,
		JSON_TEXT
	),
	transcription( 'gpt-transcribe', 1776902400, null, null, JSON_TEXT ),
	// speech
	tts( 'tts-1', 1681940951, '2027-01-06', { usd_per_million_chars: 15 } ),
	tts( 'tts-1-hd', 1699046015, '2027-01-06', { usd_per_million_chars: 30 } ),
	tts( 'gpt-4o-mini-tts', 1742403959, '2027-01-06', P.gpt4oMiniTts ),
	// moderation is free
	{
		id: 'omni-moderation-latest',
		kind: 'moderation',
		created: 1731689265,
		owned_by: 'system',
		shutdown_date: null,
		price: {},
		image: NO_IMAGES,
		input_audio: false,
		output_audio: false,
		context: 32768,
	},
	{
		id: 'omni-moderation-2024-09-26',
		kind: 'moderation',
		created: 1732734466,
		owned_by: 'system',
		shutdown_date: null,
		price: {},
		image: NO_IMAGES,
		input_audio: false,
		output_audio: false,
		context: 32768,
	},
];

const BY_ID = new Map( MODELS.map( ( m ) => [ m.id, m ] ) );

/**
 * True when the model has been shut down at `today` (YYYY-MM-DD).
 * @param model
 * @param today
 */
export function isShutDown( model: ModelInfo, today: string ): boolean {
	return model.shutdown_date !== null && model.shutdown_date <= today;
}

/**
 * The model if it exists and is not shut down at `today`; undefined otherwise (-> 404).
 * @param id
 * @param today
 */
export function findModel( id: string, today: string ): ModelInfo | undefined {
	const m = BY_ID.get( id );
	return m && ! isShutDown( m, today ) ? m : undefined;
}

/**
 * Every model in the catalogue, alive or not (tests use it to check the lifecycle data).
 * @param id
 */
export function catalogueEntry( id: string ): ModelInfo | undefined {
	return BY_ID.get( id );
}

/**
 * gpt-5 family chat models reason before answering: they reject `max_tokens` and any
 * `temperature` but 1, and part of `completion_tokens` is reasoning nobody sees.
 * @param model
 */
export function isReasoningModel( model: ModelInfo ): boolean {
	return model.kind === 'chat' && /^gpt-5/.test( model.id );
}

/** Tokens per second of audio, the README's rule of thumb (input ~10/s, output ~20/s). */
export const AUDIO_TOKENS_PER_SECOND_IN = 10;
export const AUDIO_TOKENS_PER_SECOND_OUT = 20;
