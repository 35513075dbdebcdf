/**
 * GET /v1/models, GET /v1/models/{model}, POST /v1/moderations and
 * POST /v1/realtime/client_secrets.
 */
import { invalidRequest, modelNotFound } from '../errors';
import type { Reply } from '../deliver';
import { MODELS, findModel, isShutDown, type ModelInfo } from '../models';
import { isRecord, nowSeconds, randomId, type HandlerContext } from './context';

function modelObject( m: ModelInfo ): Record< string, unknown > {
	return {
		id: m.id,
		object: 'model',
		created: m.created,
		owned_by: m.owned_by,
		shutdown_date: m.shutdown_date,
	};
}

export async function handleListModels(
	ctx: HandlerContext
): Promise< Reply > {
	const today = ctx.state.today();
	// Shut-down models vanish from the list, as they do at OpenAI.
	const data = MODELS.filter( ( m ) => ! isShutDown( m, today ) ).map(
		modelObject
	);
	return {
		kind: 'json',
		status: 200,
		body: { object: 'list', data },
		schema: { op: 'listModels' },
	};
}

export async function handleRetrieveModel(
	ctx: HandlerContext
): Promise< Reply > {
	const id = ctx.params.model ?? '';
	const m = findModel( id, ctx.state.today() );
	if ( ! m ) {
		throw modelNotFound( id );
	}
	return {
		kind: 'json',
		status: 200,
		body: modelObject( m ),
		schema: { op: 'retrieveModel' },
	};
}

export const MODERATION_CATEGORIES = [
	'harassment',
	'harassment/threatening',
	'hate',
	'hate/threatening',
	'illicit',
	'illicit/violent',
	'self-harm',
	'self-harm/intent',
	'self-harm/instructions',
	'sexual',
	'sexual/minors',
	'violence',
	'violence/graphic',
] as const;
type Category = ( typeof MODERATION_CATEGORIES )[ number ];

/** Categories that OpenAI also scores for images; the others are text-only. */
const IMAGE_CATEGORIES = new Set< Category >( [
	'self-harm',
	'self-harm/intent',
	'self-harm/instructions',
	'sexual',
	'violence',
	'violence/graphic',
] );

/** Deterministic "classifier": these words flag their category, everything else is clean. */
export const MODERATION_TRIGGERS: Readonly< Record< string, Category > > = {
	kill: 'violence',
	murder: 'violence',
	suicide: 'self-harm',
	'flag-harassment': 'harassment',
	'flag-hate': 'hate',
	'flag-sexual': 'sexual',
	'flag-illicit': 'illicit',
};

function moderate(
	texts: string[],
	hasImage: boolean
): Record< string, unknown > {
	const joined = texts.join( ' ' ).toLowerCase();
	const hit = new Set< Category >();
	for ( const [ word, cat ] of Object.entries( MODERATION_TRIGGERS ) ) {
		if ( new RegExp( `\\b${ word }\\b` ).test( joined ) ) {
			hit.add( cat );
		}
	}
	const categories: Record< string, boolean > = {};
	const scores: Record< string, number > = {};
	const applied: Record< string, string[] > = {};
	for ( const c of MODERATION_CATEGORIES ) {
		categories[ c ] = hit.has( c );
		scores[ c ] = hit.has( c ) ? 0.91 : 0.0001;
		applied[ c ] = [
			...( texts.length > 0 ? [ 'text' ] : [] ),
			...( hasImage && IMAGE_CATEGORIES.has( c ) ? [ 'image' ] : [] ),
		];
	}
	return {
		flagged: hit.size > 0,
		categories,
		category_scores: scores,
		category_applied_input_types: applied,
	};
}

export async function handleModeration(
	ctx: HandlerContext
): Promise< Reply > {
	const req = ctx.json as {
		input: string | string[] | Array< { type: string; text?: string } >;
		model?: string;
	};
	const modelId = req.model ?? 'omni-moderation-latest';
	const model = findModel( modelId, ctx.state.today() );
	if ( ! model || model.kind !== 'moderation' ) {
		throw modelNotFound( modelId );
	}
	ctx.record.model = model.id;
	let results: Record< string, unknown >[];
	if ( typeof req.input === 'string' ) {
		results = [ moderate( [ req.input ], false ) ];
	} else if ( req.input.every( ( x ) => typeof x === 'string' ) ) {
		results = ( req.input as string[] ).map( ( t ) =>
			moderate( [ t ], false )
		);
	} else {
		const parts = req.input as Array< { type: string; text?: string } >;
		results = [
			moderate(
				parts
					.filter( ( p ) => p.type === 'text' )
					.map( ( p ) => p.text ?? '' ),
				parts.some( ( p ) => p.type === 'image_url' )
			),
		];
	}
	// Moderation is free, but recording a zero bill row keeps the ledger comparison complete.
	ctx.record.bill_usage = {
		text_in: 0,
		cached_in: 0,
		audio_in: 0,
		text_out: 0,
		audio_out: 0,
	};
	ctx.record.cost_micro_usd = 0;
	const body = {
		id: randomId( 'modr-', 12 ),
		model:
			model.id === 'omni-moderation-latest'
				? 'omni-moderation-2024-09-26'
				: model.id,
		results,
	};
	return {
		kind: 'json',
		status: 200,
		body,
		schema: { op: 'createModeration' },
	};
}

export async function handleClientSecret(
	ctx: HandlerContext
): Promise< Reply > {
	const req = ( ctx.json ?? {} ) as {
		expires_after?: { seconds?: number };
		session?: Record< string, unknown >;
	};
	const session = req.session ?? { type: 'realtime' };
	const now = nowSeconds();
	const ttl = req.expires_after?.seconds ?? 600;
	const value = randomId( 'ek_', 16 );
	if ( session.type === 'transcription' ) {
		const body = {
			value,
			expires_at: now + ttl,
			session: {
				type: 'transcription',
				object: 'realtime.transcription_session',
				id: randomId( 'sess_', 12 ),
				expires_at: 0,
			},
		};
		return {
			kind: 'json',
			status: 200,
			body,
			schema: { op: 'create-realtime-client-secret' },
		};
	}
	const modelId =
		typeof session.model === 'string' ? session.model : 'gpt-realtime';
	const model = findModel( modelId, ctx.state.today() );
	if ( ! model ) {
		throw modelNotFound( modelId );
	}
	if ( model.kind !== 'realtime' ) {
		throw invalidRequest(
			`Invalid value: '${ modelId }'. The model is not a realtime model.`,
			'session.model',
			'invalid_value'
		);
	}
	ctx.record.model = model.id;
	const audio = isRecord( session.audio ) ? session.audio : {};
	const output = isRecord( audio.output ) ? audio.output : {};
	const voice = typeof output.voice === 'string' ? output.voice : 'alloy';
	const out: Record< string, unknown > = {
		type: 'realtime',
		object: 'realtime.session',
		id: randomId( 'sess_', 12 ),
		model: model.id,
		output_modalities: Array.isArray( session.output_modalities )
			? session.output_modalities
			: [ 'audio' ],
		instructions:
			typeof session.instructions === 'string'
				? session.instructions
				: '',
		expires_at: 0,
		audio: {
			input: {
				format: { type: 'audio/pcm', rate: 24000 },
				turn_detection: {
					type: 'server_vad',
					threshold: 0.5,
					prefix_padding_ms: 300,
					silence_duration_ms: 200,
				},
			},
			output: {
				format: { type: 'audio/pcm', rate: 24000 },
				voice,
				speed: typeof output.speed === 'number' ? output.speed : 1,
			},
		},
		tools: Array.isArray( session.tools ) ? session.tools : [],
		tool_choice: 'auto',
		max_output_tokens: 'inf',
	};
	ctx.record.notes = [
		`client secret ${ value.slice( 0, 8 ) }… issued for ${ model.id }, ttl ${ ttl }s`,
	];
	return {
		kind: 'json',
		status: 200,
		body: { value, expires_at: now + ttl, session: out },
		schema: { op: 'create-realtime-client-secret' },
	};
}
