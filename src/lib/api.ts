/**
 * The widget's conversation with the plugin's REST API: a visitor session, then chat
 * requests sent as multipart (the photo as a file part, not base64 in JSON) and answered
 * as a Server-Sent Events stream.
 *
 * Framework-free: apiFetch and the token store are passed in, so tests hand in fakes.
 * Every failure reaches the caller as an ApiError, the shape of a WordPress REST error.
 */
import type { APIFetchOptions } from '@wordpress/api-fetch';

import { readEventStream, SseLineTooLongError } from './sse';

/** A link from the site's own search. */
export type SiteLink = {
	title: string;
	url: string;
};

/**
 * What still costs nothing when no model answers (the budget is spent, the provider is down):
 * curated questions the FAQ answers, links from the site's search for the question, the
 * search page. The server decides which errors carry them.
 */
export type FreeAlternatives = {
	questions: string[];
	links: SiteLink[];
	/** The site's search results for the question; '' when unknown. */
	searchUrl: string;
	/** Seconds until the budget's period ends; 0 when unknown. */
	retryAfter: number;
};

export type ApiError = {
	/** Stable code: the server's `vvc_…` codes, or one of the client codes below. */
	code: string;
	/** The server's visitor-facing message, '' when there is none. */
	message: string;
	/** HTTP status, 0 when no response arrived. */
	status: number;
	/** Which limit refused, for vvc_rate_limited and vvc_budget_exhausted (e.g. visitor_day). */
	scope?: string;
	/** The free alternatives the server offered with the error, if any. */
	alternatives?: FreeAlternatives;
};

/** The chat's budget is spent: only free answers (FAQ, the site's search) are left. */
export const CODE_BUDGET_EXHAUSTED = 'vvc_budget_exhausted';

/** vvc_rate_limited's scope when the visitor's own spending for today is used up. */
export const SCOPE_SPENT_TODAY = 'visitor_day';

/** The visitor stopped the request. */
export const CODE_ABORTED = 'vvc_aborted';
/** No answer from the server (offline, DNS, connection reset). */
export const CODE_NETWORK = 'vvc_network';
/** The answer ended before the server said it was done, or was not understood. */
export const CODE_INTERRUPTED = 'vvc_stream_interrupted';

export type ApiFetch = (
	options: APIFetchOptions< false >
) => Promise< Response >;

export type ChatTurn = {
	role: 'user' | 'assistant';
	content: string;
};

/** A piece of the spoken reply: 16-bit little-endian mono PCM, base64. */
export type ReplyAudioChunk = {
	format: 'pcm16';
	sampleRate: number;
	data: string;
	/** Text to show with the player, saying the voice is AI-generated. */
	label: string | null;
};

/** A recorded question, sent as the `audio` file part. */
export type VoiceUpload = {
	blob: Blob;
	/** voice.mp3 or voice.wav. */
	filename: string;
};

/** What one voice-related stream event means to the widget; null for other events. */
export type VoiceStreamEvent =
	| { type: 'transcript'; text: string }
	| { type: 'audio'; chunk: ReplyAudioChunk }
	| { type: 'audio_error'; message: string };

export type ChatRequest = {
	/** The typed question; may be '' when `audio` carries the question. */
	message: string;
	/** Earlier turns, oldest first; the server keeps only the last ones it allows. */
	history: ChatTurn[];
	image?: Blob | null;
	/** Aborting stops the browser's request; the server then stops upstream. */
	signal?: AbortSignal;
	/** Receives each piece of the reply as it arrives. */
	onDelta?: ( text: string ) => void;
	/** A recorded question (the server transcribes it). */
	audio?: VoiceUpload | null;
	/** What the visitor said, once the server has transcribed it. */
	onTranscript?: ( text: string ) => void;
	/** Each piece of the spoken reply as it arrives. */
	onAudio?: ( chunk: ReplyAudioChunk ) => void;
	/** The reply's speech failed (the text still arrives). */
	onAudioError?: ( message: string ) => void;
};

export type ChatResult = {
	reply: string;
	finishReason: string;
};

export type Session = {
	token: string;
	/** Unix time in seconds. */
	expiresAt: number;
};

export type TokenStore = {
	get: () => Session | null;
	set: ( session: Session ) => void;
	clear: () => void;
};

export type ChatApi = {
	/** Returns a valid visitor session, asking the server only when there is none. */
	ensureSession: () => Promise< Session >;
	send: ( request: ChatRequest ) => Promise< ChatResult >;
};

const SESSION_ROUTE = 'voice-vision-chat/v1/session';
const CHAT_ROUTE = 'voice-vision-chat/v1/chat';
/** A token this close to expiry is replaced before use rather than failing mid-request. */
const EXPIRY_MARGIN_SECONDS = 60;

function isRecord( value: unknown ): value is Record< string, unknown > {
	return typeof value === 'object' && value !== null;
}

function stringField( value: unknown, key: string ): string | null {
	if ( ! isRecord( value ) ) {
		return null;
	}
	const field = value[ key ];
	return typeof field === 'string' ? field : null;
}

function isSafeUrl( url: string ): boolean {
	try {
		// Relative URLs are the site's own; the base only lets URL() parse them.
		const parsed = new URL(
			url,
			globalThis.location?.href ?? 'http://localhost/'
		);
		return parsed.protocol === 'https:' || parsed.protocol === 'http:';
	} catch {
		return false;
	}
}

/**
 * Reads the free alternatives from an error's `data`, keeping only well-formed entries and
 * http(s) links.
 *
 * @param data The error's `data` object.
 */
export function readAlternatives( data: unknown ): FreeAlternatives {
	const record = isRecord( data ) ? data : {};
	const questions = Array.isArray( record.questions )
		? record.questions.filter(
				( question ): question is string =>
					typeof question === 'string' && question.trim() !== ''
			)
		: [];
	const links: SiteLink[] = [];
	if ( Array.isArray( record.links ) ) {
		for ( const link of record.links ) {
			const title = stringField( link, 'title' );
			const url = stringField( link, 'url' );
			if ( title && url && isSafeUrl( url ) ) {
				links.push( { title, url } );
			}
		}
	}
	const searchUrl = stringField( record, 'search_url' ) ?? '';
	const retryAfter =
		typeof record.retry_after === 'number' && record.retry_after > 0
			? record.retry_after
			: 0;
	return {
		questions,
		links,
		searchUrl: searchUrl && isSafeUrl( searchUrl ) ? searchUrl : '',
		retryAfter,
	};
}

/**
 * An ApiError with what the server's error data adds: the limit's scope, and the free
 * alternatives when the server sent some.
 *
 * @param error The error.
 * @param data  The server's `data` object (or a stream's `error` event).
 */
function withServerData( error: ApiError, data: unknown ): ApiError {
	if ( ! isRecord( data ) ) {
		return error;
	}
	const scope = stringField( data, 'scope' );
	const offered =
		'questions' in data || 'links' in data || 'search_url' in data;
	return {
		...error,
		...( scope ? { scope } : {} ),
		...( offered ? { alternatives: readAlternatives( data ) } : {} ),
	};
}

function isAbortError( error: unknown ): boolean {
	return isRecord( error ) && error.name === 'AbortError';
}

function isResponse( error: unknown ): error is Response {
	return (
		isRecord( error ) &&
		typeof error.status === 'number' &&
		typeof error.text === 'function' &&
		isRecord( error.headers )
	);
}

/**
 * Joins the REST root and a route, for both `/wp-json/` roots and plain-permalink roots
 * (`/?rest_route=/`), the way apiFetch's root-URL middleware does.
 *
 * @param root  The site's REST root.
 * @param route Route without a leading slash.
 */
export function restUrl( root: string, route: string ): string {
	const base = root.endsWith( '/' ) ? root : root + '/';
	return base + route.replace( /^\//, '' );
}

/**
 * Turns whatever a request threw (a Response from apiFetch with parse:false, apiFetch's
 * own error objects, an AbortError, a programming error) into an ApiError.
 *
 * @param error What was thrown.
 */
export async function normalizeError( error: unknown ): Promise< ApiError > {
	if ( isAbortError( error ) ) {
		return { code: CODE_ABORTED, message: '', status: 0 };
	}
	if ( isResponse( error ) ) {
		let body: unknown = null;
		try {
			body = JSON.parse( await error.text() );
		} catch {
			// A proxy's HTML error page, or an empty body: the status is all there is.
		}
		return withServerData(
			{
				code:
					stringField( body, 'code' ) ?? `vvc_http_${ error.status }`,
				message: stringField( body, 'message' ) ?? '',
				status: error.status,
			},
			isRecord( body ) ? body.data : null
		);
	}
	if ( isRecord( error ) && typeof error.code === 'string' ) {
		// apiFetch's network errors, a REST error body, or an ApiError passing through.
		const data = isRecord( error.data ) ? error.data : {};
		let status = 0;
		if ( typeof error.status === 'number' ) {
			status = error.status;
		} else if ( typeof data.status === 'number' ) {
			status = data.status;
		}
		const code =
			error.code === 'fetch_error' || error.code === 'offline_error'
				? CODE_NETWORK
				: error.code;
		if ( isRecord( error.alternatives ) ) {
			// An ApiError passing through keeps what was read already.
			return error as ApiError;
		}
		return withServerData(
			{
				code,
				message: stringField( error, 'message' ) ?? '',
				status,
			},
			data
		);
	}
	if ( error instanceof TypeError ) {
		// What fetch and stream reads reject with when the connection fails.
		return { code: CODE_NETWORK, message: '', status: 0 };
	}
	if (
		error instanceof SyntaxError ||
		error instanceof SseLineTooLongError
	) {
		return { code: CODE_INTERRUPTED, message: '', status: 0 };
	}
	// A bug or an unexpected value: no message, as it would not be meant for visitors.
	return { code: 'vvc_client_error', message: '', status: 0 };
}

/**
 * Keeps the visitor token in memory and, when allowed, in sessionStorage so a reload in
 * the same tab reuses it. Storage can be missing or throw (privacy modes): memory still works.
 *
 * @param storage sessionStorage, or null.
 * @param key     Storage key.
 */
export function createTokenStore(
	storage: Storage | null,
	key = 'vvc-chat-session'
): TokenStore {
	let memory: Session | null = null;
	return {
		get() {
			if ( memory ) {
				return memory;
			}
			try {
				const parsed: unknown = JSON.parse(
					storage?.getItem( key ) ?? 'null'
				);
				const token = stringField( parsed, 'token' );
				const expiresAt = isRecord( parsed ) ? parsed.expiresAt : null;
				if ( token && typeof expiresAt === 'number' ) {
					memory = { token, expiresAt };
				}
			} catch {
				// Unreadable storage is the same as an empty one.
			}
			return memory;
		},
		set( session ) {
			memory = session;
			try {
				storage?.setItem( key, JSON.stringify( session ) );
			} catch {
				// Full or forbidden storage: the token lives in memory only.
			}
		},
		clear() {
			memory = null;
			try {
				storage?.removeItem( key );
			} catch {
				// Nothing to clean.
			}
		},
	};
}

/**
 * Reads the stream events a voice turn adds (`transcript`, `audio`, `audio_error`).
 * Malformed audio events are dropped rather than failing the whole answer: the text still
 * matters more than the voice.
 *
 * @param event Event name.
 * @param data  The event's data line(s).
 */
export function parseVoiceEvent(
	event: string,
	data: string
): VoiceStreamEvent | null {
	if (
		event !== 'transcript' &&
		event !== 'audio' &&
		event !== 'audio_error'
	) {
		return null;
	}
	let parsed: unknown = null;
	try {
		parsed = JSON.parse( data );
	} catch {
		return null;
	}
	if ( event === 'transcript' ) {
		const text = stringField( parsed, 'text' );
		return text === null ? null : { type: 'transcript', text };
	}
	if ( event === 'audio_error' ) {
		return {
			type: 'audio_error',
			message: stringField( parsed, 'message' ) ?? '',
		};
	}
	const base64 = stringField( parsed, 'data' );
	const rate = isRecord( parsed ) ? parsed.sample_rate : null;
	if (
		stringField( parsed, 'format' ) !== 'pcm16' ||
		base64 === null ||
		typeof rate !== 'number' ||
		! ( rate > 0 )
	) {
		return null;
	}
	return {
		type: 'audio',
		chunk: {
			format: 'pcm16',
			sampleRate: rate,
			data: base64,
			label: stringField( parsed, 'label' ),
		},
	};
}

function parseDelta( data: string ): string {
	const parsed: unknown = JSON.parse( data );
	return stringField( parsed, 'text' ) ?? '';
}

export function createChatApi( deps: {
	apiFetch: ApiFetch;
	/** The site's REST root, e.g. https://example.com/wp-json/. */
	root: string;
	tokens: TokenStore;
	/** Current time in milliseconds (a parameter so tests control expiry). */
	now?: () => number;
} ): ChatApi {
	const { apiFetch, root, tokens } = deps;
	const now = deps.now ?? Date.now;
	let pending: Promise< Session > | null = null;

	async function requestSession(): Promise< Session > {
		try {
			const response = await apiFetch( {
				url: restUrl( root, SESSION_ROUTE ),
				method: 'POST',
				parse: false,
			} );
			const body: unknown = await response.json();
			const token = stringField( body, 'token' );
			const expiresAt = isRecord( body ) ? body.expires_at : null;
			if ( ! token || typeof expiresAt !== 'number' ) {
				throw { code: CODE_INTERRUPTED, message: '', status: 200 };
			}
			const session = { token, expiresAt };
			tokens.set( session );
			return session;
		} catch ( error ) {
			throw await normalizeError( error );
		}
	}

	function ensureSession(): Promise< Session > {
		const stored = tokens.get();
		if (
			stored &&
			stored.expiresAt - EXPIRY_MARGIN_SECONDS > now() / 1000
		) {
			return Promise.resolve( stored );
		}
		// Concurrent callers (prefetch on typing, then send) share one request.
		pending ??= requestSession().finally( () => {
			pending = null;
		} );
		return pending;
	}

	async function attempt(
		request: ChatRequest,
		session: Session
	): Promise< ChatResult > {
		const form = new FormData();
		if ( request.message !== '' || ! request.audio ) {
			form.append( 'message', request.message );
		}
		form.append( 'history', JSON.stringify( request.history ) );
		form.append( 'stream', '1' );
		if ( request.image ) {
			const extension =
				request.image.type === 'image/webp' ? 'webp' : 'jpg';
			form.append( 'image', request.image, `photo.${ extension }` );
		}
		if ( request.audio ) {
			form.append( 'audio', request.audio.blob, request.audio.filename );
		}

		const response = await apiFetch( {
			url: restUrl( root, CHAT_ROUTE ),
			method: 'POST',
			body: form,
			headers: {
				'X-VVC-Token': session.token,
				Accept: 'text/event-stream, application/json;q=0.5',
			},
			parse: false,
			signal: request.signal,
		} );

		const type = response.headers.get( 'Content-Type' ) ?? '';
		if ( ! type.includes( 'text/event-stream' ) || ! response.body ) {
			// A JSON answer (e.g. a proxy that does not stream): same result, in one piece.
			const body: unknown = await response.json();
			const reply = stringField( body, 'reply' );
			if ( reply === null ) {
				throw {
					code: CODE_INTERRUPTED,
					message: '',
					status: response.status,
				};
			}
			const transcript = stringField( body, 'transcript' );
			if ( transcript !== null ) {
				request.onTranscript?.( transcript );
			}
			request.onDelta?.( reply );
			return {
				reply,
				finishReason: stringField( body, 'finish_reason' ) ?? 'stop',
			};
		}

		let reply = '';
		let finishReason: string | null = null;
		let failure: ApiError | null = null;
		await readEventStream( response.body, ( event ) => {
			if ( event.event === 'delta' ) {
				const text = parseDelta( event.data );
				reply += text;
				request.onDelta?.( text );
			} else if ( event.event === 'done' ) {
				const data: unknown = JSON.parse( event.data );
				finishReason = stringField( data, 'finish_reason' ) ?? 'stop';
			} else if ( event.event !== 'error' ) {
				const voice = parseVoiceEvent( event.event, event.data );
				if ( voice?.type === 'transcript' ) {
					request.onTranscript?.( voice.text );
				} else if ( voice?.type === 'audio' ) {
					request.onAudio?.( voice.chunk );
				} else if ( voice?.type === 'audio_error' ) {
					request.onAudioError?.( voice.message );
				}
			} else {
				const data: unknown = JSON.parse( event.data );
				failure = withServerData(
					{
						code:
							stringField( data, 'code' ) ?? 'vvc_upstream_error',
						message: stringField( data, 'message' ) ?? '',
						status: response.status,
					},
					data
				);
			}
		} );
		if ( failure ) {
			throw failure;
		}
		if ( finishReason === null ) {
			throw {
				code: CODE_INTERRUPTED,
				message: '',
				status: response.status,
			};
		}
		return { reply, finishReason };
	}

	async function send( request: ChatRequest ): Promise< ChatResult > {
		let session = await ensureSession();
		try {
			return await attempt( request, session );
		} catch ( thrown ) {
			const error = await normalizeError( thrown );
			if ( error.status !== 401 || request.signal?.aborted ) {
				throw error;
			}
			// The token expired or the site's salts changed: one new session, one more try.
			tokens.clear();
			session = await ensureSession();
			try {
				return await attempt( request, session );
			} catch ( again ) {
				throw await normalizeError( again );
			}
		}
	}

	return { ensureSession, send };
}
