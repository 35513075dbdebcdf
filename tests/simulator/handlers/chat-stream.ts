/**
 * The SSE chunks of a streamed chat completion: role chunk, content (or tool call, or audio)
 * pieces, the finish chunk, and with include_usage a last chunk with usage and no choices.
 */
import type { ToolCallOut } from './chat-tools';
import { randomId, splitText } from './context';

export interface StreamInput {
	id: string;
	created: number;
	model: string;
	n: number;
	finish: string;
	content: string | null;
	toolCalls: ToolCallOut[];
	audio?: { id: string; expires_at: number; transcript: string };
	/** 24 kHz 16-bit mono samples (streamed audio is always pcm16) */
	audioPcm?: Buffer;
	usage: unknown;
	chunkChars: number;
	streamOptions?: {
		include_usage?: boolean;
		include_obfuscation?: boolean;
	} | null;
}

export function buildStreamEvents( s: StreamInput ): unknown[] {
	const {
		id,
		created,
		model,
		n,
		finish,
		content,
		toolCalls,
		audio,
		audioPcm,
		usage,
		chunkChars,
		streamOptions,
	} = s;
	const includeUsage = streamOptions?.include_usage === true;
	const obfuscate = streamOptions?.include_obfuscation !== false;
	const events: unknown[] = [];
	const chunk = (
		index: number,
		delta: Record< string, unknown >,
		finishReason: string | null
	): Record< string, unknown > => {
		const ev: Record< string, unknown > = {
			id,
			object: 'chat.completion.chunk',
			created,
			model,
			service_tier: 'default',
			system_fingerprint: 'fp_simulator',
			choices: [
				{ index, delta, logprobs: null, finish_reason: finishReason },
			],
		};
		if ( includeUsage ) {
			ev.usage = null;
		}
		// OpenAI pads chunks with random characters so their sizes do not leak the text.
		if ( obfuscate ) {
			ev.obfuscation = randomId( '', 2 + ( events.length % 5 ) );
		}
		return ev;
	};
	for ( let index = 0; index < n; index++ ) {
		if ( audio && audioPcm ) {
			events.push(
				chunk(
					index,
					{
						role: 'assistant',
						content: null,
						refusal: null,
						audio: { id: audio.id, transcript: '' },
					},
					null
				)
			);
			for ( const piece of splitText( audio.transcript, chunkChars ) ) {
				events.push(
					chunk( index, { audio: { transcript: piece } }, null )
				);
			}
			// 0.25 s of 24 kHz 16-bit mono per chunk; an even byte count, so each piece decodes alone.
			const step = 12000;
			for ( let off = 0; off < audioPcm.length; off += step ) {
				events.push(
					chunk(
						index,
						{
							audio: {
								data: audioPcm
									.subarray( off, off + step )
									.toString( 'base64' ),
							},
						},
						null
					)
				);
			}
			events.push(
				chunk(
					index,
					{ audio: { expires_at: audio.expires_at } },
					null
				)
			);
		} else if ( toolCalls.length > 0 ) {
			events.push(
				chunk(
					index,
					{ role: 'assistant', content: null, refusal: null },
					null
				)
			);
			for ( const [ k, call ] of toolCalls.entries() ) {
				events.push(
					chunk(
						index,
						{
							tool_calls: [
								{
									index: k,
									id: call.id,
									type: 'function',
									function: {
										name: call.function.name,
										arguments: '',
									},
								},
							],
						},
						null
					)
				);
				for ( const piece of splitText(
					call.function.arguments,
					chunkChars
				) ) {
					events.push(
						chunk(
							index,
							{
								tool_calls: [
									{
										index: k,
										function: { arguments: piece },
									},
								],
							},
							null
						)
					);
				}
			}
		} else {
			events.push(
				chunk(
					index,
					{ role: 'assistant', content: '', refusal: null },
					null
				)
			);
			for ( const piece of splitText( content ?? '', chunkChars ) ) {
				events.push( chunk( index, { content: piece }, null ) );
			}
		}
		events.push( chunk( index, {}, finish ) );
	}
	if ( includeUsage ) {
		const last: Record< string, unknown > = {
			id,
			object: 'chat.completion.chunk',
			created,
			model,
			service_tier: 'default',
			system_fingerprint: 'fp_simulator',
			choices: [],
			usage,
		};
		if ( obfuscate ) {
			last.obfuscation = randomId( '', 3 );
		}
		events.push( last );
	}
	return events;
}
