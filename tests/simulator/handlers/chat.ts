/**
 * POST /v1/chat/completions: text, images (data URLs decoded and measured), input audio
 * (decoded), audio output (real encoded audio), tools, streaming, usage and cost.
 */
import { ApiError, invalidRequest, modelNotFound } from '../errors';
import type { Reply } from '../deliver';
import { synthesize, type SpeechFormat } from '../media/synth';
import {
	AUDIO_TOKENS_PER_SECOND_OUT,
	findModel,
	isReasoningModel,
	type ModelInfo,
} from '../models';
import { costMicroUsd } from '../state';
import { audioTokens, countTextTokens, truncateToTokens } from '../tokens';
import { analysePrompt, defaultAnswer, type ChatRequest } from './chat-prompt';
import { buildStreamEvents } from './chat-stream';
import { decideToolCalls } from './chat-tools';
import { nowSeconds, randomId, type HandlerContext } from './context';

interface Usage {
	prompt_tokens: number;
	completion_tokens: number;
	total_tokens: number;
	prompt_tokens_details: {
		cached_tokens: number;
		audio_tokens: number;
		image_tokens: number;
		text_tokens: number;
	};
	completion_tokens_details: {
		reasoning_tokens: number;
		audio_tokens: number;
		accepted_prediction_tokens: number;
		rejected_prediction_tokens: number;
		text_tokens: number;
	};
}

/** Reasoning tokens the simulator reports for gpt-5 models, by reasoning_effort (deterministic). */
export const REASONING_TOKENS: Readonly< Record< string, number > > = {
	none: 0,
	minimal: 16,
	low: 32,
	medium: 64,
	high: 128,
	xhigh: 256,
};

function checkSemantics( req: ChatRequest, model: ModelInfo ): void {
	if ( model.kind !== 'chat' && model.kind !== 'audio-chat' ) {
		throw new ApiError(
			404,
			'This is not a chat model and thus not supported in the v1/chat/completions endpoint.',
			'invalid_request_error',
			'model',
			null
		);
	}
	if ( isReasoningModel( model ) ) {
		if ( req.max_tokens !== undefined && req.max_tokens !== null ) {
			throw invalidRequest(
				"Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
				'max_tokens',
				'unsupported_parameter'
			);
		}
		if (
			req.temperature !== undefined &&
			req.temperature !== null &&
			req.temperature !== 1
		) {
			throw invalidRequest(
				`Unsupported value: 'temperature' does not support ${ req.temperature } with this model. Only the default (1) value is supported.`,
				'temperature',
				'unsupported_value'
			);
		}
	}
	const wantsAudio = req.modalities?.includes( 'audio' ) ?? false;
	if ( wantsAudio ) {
		if ( ! model.output_audio ) {
			throw invalidRequest(
				`This model does not support the audio modality. Model ${ model.id } can only produce text.`,
				'modalities',
				'invalid_value'
			);
		}
		if ( ! req.audio ) {
			throw invalidRequest(
				"Missing required parameter: 'audio'. It is required when 'modalities' includes 'audio'.",
				'audio',
				'missing_required_parameter'
			);
		}
		if ( req.stream && req.audio.format !== 'pcm16' ) {
			throw invalidRequest(
				`Unsupported value: 'audio.format' does not support '${ req.audio.format }' with stream=true. Supported values are: 'pcm16'.`,
				'audio.format',
				'unsupported_value'
			);
		}
	}
	if ( req.stream_options && ! req.stream ) {
		throw invalidRequest(
			"The 'stream_options' parameter is only allowed when 'stream' is enabled.",
			'stream_options',
			'invalid_value'
		);
	}
}

export async function handleChat( ctx: HandlerContext ): Promise< Reply > {
	const req = ctx.json as ChatRequest;
	const model = findModel( req.model, ctx.state.today() );
	if ( ! model ) {
		throw modelNotFound( req.model );
	}
	checkSemantics( req, model );
	ctx.record.model = model.id;
	const notes: string[] = [];

	const prompt = await analysePrompt( req, model );
	ctx.record.media.push( ...prompt.media );
	if ( prompt.promptTokens > model.context ) {
		throw invalidRequest(
			`This model's maximum context length is ${ model.context } tokens. However, your messages resulted in ${ prompt.promptTokens } tokens. Please reduce the length of the messages.`,
			'messages',
			'context_length_exceeded'
		);
	}

	const reply = ctx.script?.reply;
	const toolCalls = decideToolCalls( req, reply?.tool_calls, notes );
	let content: string | null =
		reply?.content ??
		( toolCalls.length > 0 ? null : defaultAnswer( prompt ) );
	const reasoning = isReasoningModel( model )
		? ( REASONING_TOKENS[ req.reasoning_effort ?? 'medium' ] ?? 64 )
		: 0;
	const limit = req.max_completion_tokens ?? req.max_tokens ?? undefined;
	let finish: 'stop' | 'length' | 'tool_calls' =
		toolCalls.length > 0 ? 'tool_calls' : 'stop';
	if ( content !== null && limit !== undefined && toolCalls.length === 0 ) {
		// The limit covers reasoning too: a small limit on gpt-5 leaves an empty answer.
		const room = Math.max( 0, limit - reasoning );
		const cut = truncateToTokens( content, room );
		if ( cut !== content ) {
			content = cut;
			finish = 'length';
		}
	}

	const wantsAudio =
		( req.modalities?.includes( 'audio' ) ?? false ) &&
		req.audio !== null &&
		req.audio !== undefined;
	let audio:
		| { id: string; data: string; expires_at: number; transcript: string }
		| undefined;
	let audioPcm: Buffer | undefined;
	let audioOutTokens = 0;
	if ( wantsAudio && req.audio && toolCalls.length === 0 ) {
		const transcript = reply?.audio_transcript ?? content ?? '';
		const format: SpeechFormat =
			req.audio.format === 'pcm16'
				? 'pcm'
				: ( req.audio.format as SpeechFormat );
		const voice =
			typeof req.audio.voice === 'string'
				? req.audio.voice
				: req.audio.voice.id;
		const speech = await synthesize( transcript, format, 1, voice );
		audioOutTokens = audioTokens(
			speech.duration_s,
			AUDIO_TOKENS_PER_SECOND_OUT
		);
		audio = {
			id: randomId( 'audio_', 12 ),
			data: speech.bytes.toString( 'base64' ),
			expires_at: nowSeconds() + 3600,
			transcript,
		};
		if ( format === 'pcm' ) {
			audioPcm = speech.bytes;
		}
		ctx.record.media.push( {
			kind: 'audio_out',
			format: req.audio.format,
			duration_s: speech.duration_s,
			bytes: speech.bytes.length,
			tokens: audioOutTokens,
		} );
		content = null;
	}

	// Text the model "wrote": the spoken transcript, or the content, plus tool call JSON.
	const spokenOrWritten = audio ? audio.transcript : ( content ?? '' );
	const toolText = toolCalls
		.map( ( t ) => t.function.name + t.function.arguments )
		.join( '' );
	const textOut =
		countTextTokens( spokenOrWritten ) + countTextTokens( toolText );
	const n = req.n ?? 1;
	const completion = ( textOut + audioOutTokens + reasoning ) * n;
	const usage: Usage = {
		prompt_tokens: prompt.promptTokens,
		completion_tokens: completion,
		total_tokens: prompt.promptTokens + completion,
		prompt_tokens_details: {
			cached_tokens: 0,
			audio_tokens: prompt.audioTokens,
			image_tokens: prompt.imageTokens,
			text_tokens:
				prompt.promptTokens - prompt.audioTokens - prompt.imageTokens,
		},
		completion_tokens_details: {
			reasoning_tokens: reasoning * n,
			audio_tokens: audioOutTokens * n,
			accepted_prediction_tokens: 0,
			rejected_prediction_tokens: 0,
			text_tokens: textOut * n,
		},
	};
	ctx.record.usage = usage;
	ctx.record.stream = req.stream === true;
	// Image tokens are billed at the text input rate.
	ctx.record.bill_usage = {
		text_in: usage.prompt_tokens - prompt.audioTokens,
		cached_in: 0,
		audio_in: prompt.audioTokens,
		text_out: ( textOut + reasoning ) * n,
		audio_out: audioOutTokens * n,
	};
	ctx.record.cost_micro_usd = costMicroUsd(
		ctx.state.priceFor( model.id ),
		ctx.record.bill_usage
	);
	if ( notes.length > 0 ) {
		ctx.record.notes = notes;
	}

	const id = randomId( 'chatcmpl-sim', 10 );
	const created = nowSeconds();

	if ( ! req.stream ) {
		const message: Record< string, unknown > = {
			role: 'assistant',
			content,
			refusal: null,
			annotations: [],
		};
		if ( toolCalls.length > 0 ) {
			message.tool_calls = toolCalls;
		}
		if ( audio ) {
			message.audio = audio;
		}
		const choices = Array.from( { length: n }, ( _, index ) => ( {
			index,
			message,
			logprobs: null,
			finish_reason: finish,
		} ) );
		return {
			kind: 'json',
			status: 200,
			body: {
				id,
				object: 'chat.completion',
				created,
				model: model.id,
				choices,
				usage,
				service_tier: 'default',
				system_fingerprint: 'fp_simulator',
			},
			schema: { op: 'createChatCompletion' },
		};
	}

	return {
		kind: 'sse',
		events: buildStreamEvents( {
			id,
			created,
			model: model.id,
			n,
			finish,
			content,
			toolCalls,
			audio,
			audioPcm,
			usage,
			chunkChars: ctx.state.config.latency.chunk_chars,
			streamOptions: req.stream_options,
		} ),
		done: true,
		schema: { op: 'createChatCompletion' },
	};
}
