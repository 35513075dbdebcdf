/**
 * Reads a chat request's messages: counts text tokens with OpenAI's per-message overhead,
 * decodes and measures images and input audio, and remembers what the user last said.
 */
import { invalidRequest } from '../errors';
import { AudioRejected, analyseAudio } from '../media/audio';
import { ImageRejected, analyseImage, parseDataUrl } from '../media/image';
import { AUDIO_TOKENS_PER_SECOND_IN, type ModelInfo } from '../models';
import {
	REPLY_PRIMING_TOKENS,
	audioTokens,
	countTextTokens,
	imageTokens,
	messageOverheadTokens,
	type ImageDetail,
} from '../tokens';

export interface ContentPart {
	type: string;
	text?: string;
	refusal?: string;
	image_url?: { url: string; detail?: ImageDetail };
	input_audio?: { data: string; format: string };
	file?: { filename?: string; file_data?: string; file_id?: string };
}

export interface ChatMessage {
	role: string;
	content?: string | ContentPart[] | null;
	name?: string;
	tool_calls?: unknown[];
	tool_call_id?: string;
}

export interface ToolDef {
	type: string;
	function?: { name: string; parameters?: Record< string, unknown > };
	custom?: { name: string };
}

export interface ChatRequest {
	model: string;
	messages: ChatMessage[];
	stream?: boolean | null;
	stream_options?: {
		include_usage?: boolean;
		include_obfuscation?: boolean;
	} | null;
	modalities?: string[] | null;
	audio?: { voice: string | { id: string }; format: string } | null;
	tools?: ToolDef[];
	tool_choice?: string | { type: string; function?: { name: string } } | null;
	max_completion_tokens?: number | null;
	max_tokens?: number | null;
	n?: number | null;
	temperature?: number | null;
	reasoning_effort?: string | null;
}

export interface PromptFacts {
	promptTokens: number;
	imageTokens: number;
	audioTokens: number;
	lastUserText: string;
	lastUserMedia: string[];
	lastToolResult?: string;
	media: unknown[];
}

/** Width x height assumed for http(s) image URLs, which the offline simulator does not fetch. */
export const REMOTE_IMAGE_SIZE = { width: 512, height: 512 };

function partText( p: ContentPart ): string {
	if ( p.type === 'text' ) {
		return p.text ?? '';
	}
	return p.type === 'refusal' ? ( p.refusal ?? '' ) : '';
}

export async function analysePrompt(
	req: ChatRequest,
	model: ModelInfo
): Promise< PromptFacts > {
	let textTokens = REPLY_PRIMING_TOKENS;
	let imgTokens = 0;
	let audTokens = 0;
	let lastUserText = '';
	let lastUserMedia: string[] = [];
	let lastToolResult: string | undefined;
	const media: unknown[] = [];

	for ( const [ i, msg ] of req.messages.entries() ) {
		textTokens += messageOverheadTokens( msg.role, msg.name );
		const texts: string[] = [];
		const mediaNotes: string[] = [];
		if ( typeof msg.content === 'string' ) {
			texts.push( msg.content );
		} else if ( Array.isArray( msg.content ) ) {
			for ( const [ j, part ] of msg.content.entries() ) {
				const param = `messages[${ i }].content[${ j }]`;
				if ( part.type === 'text' || part.type === 'refusal' ) {
					texts.push( partText( part ) );
				} else if ( part.type === 'image_url' && part.image_url ) {
					if ( model.image.kind === 'none' ) {
						throw invalidRequest(
							`Invalid content type. image_url is only supported by certain models. The model ${ model.id } does not accept image input.`,
							`${ param }.type`,
							'invalid_value'
						);
					}
					const detail = part.image_url.detail ?? 'auto';
					let size = REMOTE_IMAGE_SIZE;
					try {
						const data = parseDataUrl( part.image_url.url );
						if ( data ) {
							const facts = await analyseImage(
								data.mime,
								data.bytes
							);
							size = { width: facts.width, height: facts.height };
							media.push( {
								param,
								kind: 'image',
								detail,
								...facts,
								tokens: imageTokens(
									model.image,
									facts.width,
									facts.height,
									detail
								),
							} );
							mediaNotes.push(
								`[image ${ facts.width }x${ facts.height }]`
							);
						} else {
							media.push( {
								param,
								kind: 'image',
								remote: true,
								url: part.image_url.url.slice( 0, 200 ),
								detail,
							} );
							mediaNotes.push( '[image remote]' );
						}
					} catch ( e ) {
						if ( e instanceof ImageRejected ) {
							throw invalidRequest(
								e.message,
								`${ param }.image_url.url`,
								e.code
							);
						}
						throw e;
					}
					imgTokens += imageTokens(
						model.image,
						size.width,
						size.height,
						detail
					);
				} else if ( part.type === 'input_audio' && part.input_audio ) {
					if ( ! model.input_audio ) {
						throw invalidRequest(
							`Invalid content type. input_audio is only supported by audio models; ${ model.id } does not accept audio input.`,
							`${ param }.type`,
							'invalid_value'
						);
					}
					const declared = part.input_audio.format;
					const bytes = Buffer.from(
						part.input_audio.data,
						'base64'
					);
					const wrongFormat = invalidRequest(
						`The data provided for 'input_audio' is not of valid ${ declared } format.`,
						`${ param }.input_audio.data`,
						'invalid_value'
					);
					let facts;
					try {
						facts = await analyseAudio( bytes );
					} catch ( e ) {
						if ( e instanceof AudioRejected ) {
							throw wrongFormat;
						}
						throw e;
					}
					if ( facts.format !== declared ) {
						throw wrongFormat;
					}
					const tokens = audioTokens(
						facts.duration_s,
						AUDIO_TOKENS_PER_SECOND_IN
					);
					audTokens += tokens;
					media.push( {
						param,
						kind: 'audio',
						declared_format: declared,
						...facts,
						tokens,
					} );
					mediaNotes.push(
						`[audio ${ facts.duration_s.toFixed( 2 ) } s]`
					);
				} else if ( part.type === 'file' ) {
					media.push( {
						param,
						kind: 'file',
						filename: part.file?.filename,
						file_id: part.file?.file_id,
						bytes: part.file?.file_data?.length,
					} );
					mediaNotes.push( '[file]' );
				}
			}
		}
		for ( const t of texts ) {
			textTokens += countTextTokens( t );
		}
		if ( msg.tool_calls ) {
			textTokens += countTextTokens( JSON.stringify( msg.tool_calls ) );
		}
		if ( msg.role === 'user' ) {
			lastUserText = texts.join( ' ' );
			lastUserMedia = mediaNotes;
			lastToolResult = undefined;
		} else if ( msg.role === 'tool' ) {
			lastToolResult = texts.join( ' ' );
		}
	}
	if ( req.tools && req.tools.length > 0 ) {
		textTokens += countTextTokens( JSON.stringify( req.tools ) );
	}
	return {
		promptTokens: textTokens + imgTokens + audTokens,
		imageTokens: imgTokens,
		audioTokens: audTokens,
		lastUserText,
		lastUserMedia,
		lastToolResult,
		media,
	};
}

/**
 * The deterministic answer: it quotes the last user message, so tests can see what arrived.
 * @param f
 */
export function defaultAnswer(
	f: Pick< PromptFacts, 'lastUserText' | 'lastUserMedia' | 'lastToolResult' >
): string {
	if ( f.lastToolResult !== undefined ) {
		return `Simulated answer using the tool result: ${ f.lastToolResult }`;
	}
	const parts = [ f.lastUserText, ...f.lastUserMedia ].filter(
		( p ) => p.trim() !== ''
	);
	return `Simulated answer to: ${ parts.join( ' ' ) }`.trimEnd();
}
