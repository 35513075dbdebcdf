/**
 * POST /v1/audio/transcriptions (multipart, real decoding) and POST /v1/audio/speech (real
 * encoded audio).
 */
import { invalidRequest, modelNotFound } from '../errors';
import type { Reply } from '../deliver';
import { AudioRejected, EXTENSION_FORMATS, analyseAudio } from '../media/audio';
import { CONTENT_TYPES, synthesize, type SpeechFormat } from '../media/synth';
import {
	AUDIO_TOKENS_PER_SECOND_IN,
	AUDIO_TOKENS_PER_SECOND_OUT,
	findModel,
} from '../models';
import { costMicroUsd } from '../state';
import { audioTokens, countTextTokens } from '../tokens';
import { splitText, type HandlerContext } from './context';

const SUPPORTED_FORMATS_MESSAGE =
	"Invalid file format. Supported formats: ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm']";

/** Voices /v1/audio/speech accepts (README; the spec's enum lacks fable, nova and onyx). */
export const SPEECH_VOICES = [
	'alloy',
	'ash',
	'ballad',
	'coral',
	'echo',
	'fable',
	'nova',
	'onyx',
	'sage',
	'shimmer',
	'verse',
	'marin',
	'cedar',
] as const;

export function defaultTranscript( seconds: number ): string {
	return `Simulated transcript of ${ seconds.toFixed( 2 ) } seconds of audio.`;
}

function srtTime( s: number, sep: string ): string {
	const ms = Math.round( s * 1000 );
	const h = Math.floor( ms / 3600000 );
	const m = Math.floor( ( ms % 3600000 ) / 60000 );
	const sec = Math.floor( ( ms % 60000 ) / 1000 );
	const pad = ( x: number, w = 2 ): string => String( x ).padStart( w, '0' );
	return `${ pad( h ) }:${ pad( m ) }:${ pad( sec ) }${ sep }${ pad( ms % 1000, 3 ) }`;
}

export async function handleTranscription(
	ctx: HandlerContext
): Promise< Reply > {
	const form = ctx.multipart;
	if ( ! form ) {
		throw invalidRequest( 'Expected multipart/form-data.' );
	}
	const body = ctx.json as {
		model: string;
		response_format?: string;
		stream?: boolean | null;
		prompt?: string;
		language?: string;
		timestamp_granularities?: string[];
	};
	const model = findModel( body.model, ctx.state.today() );
	if ( ! model ) {
		throw modelNotFound( body.model );
	}
	if ( model.kind !== 'transcription' ) {
		throw invalidRequest(
			`Invalid value: '${ body.model }'. The model cannot transcribe audio.`,
			'model',
			'invalid_value'
		);
	}
	ctx.record.model = model.id;
	const responseFormat = body.response_format ?? 'json';
	const allowed = model.transcription_formats ?? [ 'json' ];
	if ( ! allowed.includes( responseFormat ) ) {
		throw invalidRequest(
			`response_format '${ responseFormat }' is not compatible with model '${ model.id }'. Use ${ allowed.map( ( f ) => `'${ f }'` ).join( ' or ' ) } instead.`,
			'response_format',
			'unsupported_value'
		);
	}

	const file = form.files.find( ( f ) => f.field === 'file' );
	if ( ! file ) {
		throw invalidRequest(
			"Missing required parameter: 'file'.",
			'file',
			'missing_required_parameter'
		);
	}
	const ext = ( file.filename.split( '.' ).pop() ?? '' ).toLowerCase();
	const fileRecord = ctx.record.multipart?.files.find(
		( f ) => f.field === 'file'
	);
	const expected = file.filename.includes( '.' )
		? EXTENSION_FORMATS[ ext ]
		: undefined;
	if ( ! expected ) {
		throw invalidRequest(
			SUPPORTED_FORMATS_MESSAGE,
			'file',
			'invalid_value'
		);
	}
	let facts;
	try {
		facts = await analyseAudio( file.data );
	} catch ( e ) {
		if ( e instanceof AudioRejected ) {
			if ( fileRecord ) {
				fileRecord.error = e.message;
			}
			throw invalidRequest(
				e.message.startsWith( 'Audio file' )
					? 'Audio file might be corrupted or unsupported'
					: e.message,
				'file',
				'invalid_value'
			);
		}
		throw e;
	}
	if ( fileRecord ) {
		fileRecord.audio = facts;
	}
	ctx.record.media.push( {
		kind: 'audio',
		param: 'file',
		filename: file.filename,
		...facts,
	} );
	if ( ! expected.includes( facts.format ) ) {
		const msg = `${ SUPPORTED_FORMATS_MESSAGE }. The file is named '.${ ext }' but contains ${ facts.format } audio.`;
		if ( fileRecord ) {
			fileRecord.error = msg;
		}
		throw invalidRequest( msg, 'file', 'invalid_value' );
	}

	const text =
		ctx.script?.reply?.transcript ?? defaultTranscript( facts.duration_s );
	const audioIn = audioTokens( facts.duration_s, AUDIO_TOKENS_PER_SECOND_IN );
	const promptTokens = body.prompt ? countTextTokens( body.prompt ) : 0;
	const outTokens = countTextTokens( text );
	const isWhisper = model.id === 'whisper-1';
	const seconds = Math.ceil( facts.duration_s );
	const tokenUsage = {
		type: 'tokens' as const,
		input_tokens: audioIn + promptTokens,
		input_token_details: {
			text_tokens: promptTokens,
			audio_tokens: audioIn,
		},
		output_tokens: outTokens,
		total_tokens: audioIn + promptTokens + outTokens,
	};
	const usage = isWhisper
		? { type: 'duration' as const, seconds }
		: tokenUsage;
	ctx.record.usage = usage;
	ctx.record.bill_usage = isWhisper
		? {
				text_in: 0,
				cached_in: 0,
				audio_in: 0,
				text_out: 0,
				audio_out: 0,
				seconds,
			}
		: {
				text_in: promptTokens,
				cached_in: 0,
				audio_in: audioIn,
				text_out: outTokens,
				audio_out: 0,
			};
	ctx.record.cost_micro_usd = costMicroUsd(
		ctx.state.priceFor( model.id ),
		ctx.record.bill_usage
	);

	// whisper-1 ignores `stream` (README), the gpt-4o models stream transcript events.
	if ( body.stream === true && ! isWhisper ) {
		ctx.record.stream = true;
		const events: unknown[] = splitText(
			text,
			ctx.state.config.latency.chunk_chars
		).map( ( delta ) => ( { type: 'transcript.text.delta', delta } ) );
		events.push( {
			type: 'transcript.text.done',
			text,
			usage: tokenUsage,
		} );
		return {
			kind: 'sse',
			events,
			done: false,
			schema: { op: 'createTranscription' },
		};
	}

	switch ( responseFormat ) {
		case 'text':
			return {
				kind: 'text',
				contentType: 'text/plain; charset=utf-8',
				body: `${ text }\n`,
			};
		case 'srt':
			return {
				kind: 'text',
				contentType: 'text/plain; charset=utf-8',
				body: `1\n${ srtTime( 0, ',' ) } --> ${ srtTime( facts.duration_s, ',' ) }\n${ text }\n\n`,
			};
		case 'vtt':
			return {
				kind: 'text',
				contentType: 'text/plain; charset=utf-8',
				body: `WEBVTT\n\n${ srtTime( 0, '.' ) } --> ${ srtTime( facts.duration_s, '.' ) }\n${ text }\n\n`,
			};
		case 'verbose_json': {
			const words = text.split( /\s+/ ).filter( Boolean );
			const per = words.length > 0 ? facts.duration_s / words.length : 0;
			const verbose: Record< string, unknown > = {
				task: 'transcribe',
				language: body.language ?? 'english',
				duration: facts.duration_s,
				text,
				segments: [
					{
						id: 0,
						seek: 0,
						start: 0,
						end: facts.duration_s,
						text,
						tokens: [],
						temperature: 0,
						avg_logprob: -0.2,
						compression_ratio: 1,
						no_speech_prob: facts.silent ? 0.9 : 0.01,
					},
				],
				usage: { type: 'duration', seconds },
			};
			if ( body.timestamp_granularities?.includes( 'word' ) ) {
				verbose.words = words.map( ( word, i ) => ( {
					word,
					start: Math.round( i * per * 1000 ) / 1000,
					end: Math.round( ( i + 1 ) * per * 1000 ) / 1000,
				} ) );
			}
			// The op-level schema is a oneOf whose branches overlap (every verbose body is also a
			// valid plain one), so the verbose component is checked directly.
			return {
				kind: 'json',
				status: 200,
				body: verbose,
				schema: { component: 'CreateTranscriptionResponseVerboseJson' },
			};
		}
		default:
			return {
				kind: 'json',
				status: 200,
				body: { text, usage },
				schema: { component: 'CreateTranscriptionResponseJson' },
			};
	}
}

interface SpeechRequest {
	model: string;
	input: string;
	voice: string | { id: string };
	instructions?: string;
	response_format?: SpeechFormat;
	speed?: number;
	stream_format?: 'sse' | 'audio';
}

export async function handleSpeech( ctx: HandlerContext ): Promise< Reply > {
	const req = ctx.json as SpeechRequest;
	const model = findModel( req.model, ctx.state.today() );
	if ( ! model ) {
		throw modelNotFound( req.model );
	}
	if ( model.kind !== 'tts' ) {
		throw invalidRequest(
			`Invalid value: '${ req.model }'. The model cannot generate speech.`,
			'model',
			'invalid_value'
		);
	}
	ctx.record.model = model.id;
	const legacy = model.id === 'tts-1' || model.id === 'tts-1-hd';
	if (
		typeof req.voice === 'string' &&
		! ( SPEECH_VOICES as readonly string[] ).includes( req.voice )
	) {
		throw invalidRequest(
			`Invalid value: '${ req.voice }'. Supported values are: ${ SPEECH_VOICES.map( ( v ) => `'${ v }'` ).join( ', ' ) }.`,
			'voice',
			'invalid_value'
		);
	}
	if ( legacy && req.instructions !== undefined ) {
		throw invalidRequest(
			`Unsupported parameter: 'instructions' is not supported with model '${ model.id }'.`,
			'instructions',
			'unsupported_parameter'
		);
	}
	if ( legacy && req.stream_format === 'sse' ) {
		throw invalidRequest(
			`Unsupported value: 'stream_format' does not support 'sse' with model '${ model.id }'.`,
			'stream_format',
			'unsupported_value'
		);
	}
	if ( req.input.trim() === '' ) {
		throw invalidRequest(
			"Invalid 'input': empty string.",
			'input',
			'empty_string'
		);
	}
	const format = req.response_format ?? 'mp3';
	const speed = req.speed ?? 1;
	const voice = typeof req.voice === 'string' ? req.voice : req.voice.id;
	const speech = await synthesize( req.input, format, speed, voice );
	const inTokens =
		countTextTokens( req.input ) +
		( req.instructions ? countTextTokens( req.instructions ) : 0 );
	const outTokens = audioTokens(
		speech.duration_s,
		AUDIO_TOKENS_PER_SECOND_OUT
	);
	ctx.record.media.push( {
		kind: 'audio_out',
		format,
		speed,
		voice,
		duration_s: speech.duration_s,
		bytes: speech.bytes.length,
	} );
	ctx.record.usage = {
		input_tokens: inTokens,
		output_tokens: outTokens,
		total_tokens: inTokens + outTokens,
	};
	ctx.record.bill_usage = legacy
		? {
				text_in: 0,
				cached_in: 0,
				audio_in: 0,
				text_out: 0,
				audio_out: 0,
				chars: [ ...req.input ].length,
			}
		: {
				text_in: inTokens,
				cached_in: 0,
				audio_in: 0,
				text_out: 0,
				audio_out: outTokens,
			};
	ctx.record.cost_micro_usd = costMicroUsd(
		ctx.state.priceFor( model.id ),
		ctx.record.bill_usage
	);

	if ( req.stream_format === 'sse' ) {
		ctx.record.stream = true;
		const events: unknown[] = [];
		const step = 6000;
		for ( let off = 0; off < speech.bytes.length; off += step ) {
			events.push( {
				type: 'speech.audio.delta',
				audio: speech.bytes
					.subarray( off, off + step )
					.toString( 'base64' ),
			} );
		}
		events.push( {
			type: 'speech.audio.done',
			usage: {
				input_tokens: inTokens,
				output_tokens: outTokens,
				total_tokens: inTokens + outTokens,
			},
		} );
		return {
			kind: 'sse',
			events,
			done: false,
			schema: { op: 'createSpeech' },
		};
	}
	return {
		kind: 'bytes',
		contentType: CONTENT_TYPES[ format ],
		data: speech.bytes,
	};
}
