/**
 * Token counting as the simulator reports it in `usage`:
 * - text: o200k_base (js-tiktoken), the tokenizer of every current OpenAI chat model;
 * - chat overhead: OpenAI's documented recipe (cookbook "How to count tokens"): every message
 *   costs 3 tokens plus the tokens of its role (and of `name`, +1), and every reply is primed
 *   with 3 more tokens;
 * - images: tile or patch rule per model (models.ts);
 * - audio: ~10 tokens per second in, ~20 per second out (README).
 */
import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import type { ImageRule } from './models';

export const TOKENS_PER_MESSAGE = 3;
export const TOKENS_PER_NAME = 1;
export const REPLY_PRIMING_TOKENS = 3;

let encoder: Tiktoken | undefined;
/** Building the o200k ranks takes ~1 s, so it happens once per process, on first use. */
export function getEncoder(): Tiktoken {
	encoder ??= new Tiktoken( o200kBase );
	return encoder;
}

export function countTextTokens( text: string ): number {
	// Special-token strings such as <|endoftext|> count as plain text, as they do in API input.
	return text === '' ? 0 : getEncoder().encode( text, [], [] ).length;
}

/**
 * The first `max` tokens of `text` (for finish_reason "length").
 * @param text
 * @param max
 */
export function truncateToTokens( text: string, max: number ): string {
	const enc = getEncoder();
	const ids = enc.encode( text, [], [] );
	return ids.length <= max
		? text
		: enc.decode( ids.slice( 0, Math.max( 0, max ) ) );
}

/**
 * Text-only part of a chat prompt's cost: overhead + role + name + text.
 * @param role
 * @param name
 */
export function messageOverheadTokens( role: string, name?: string ): number {
	return (
		TOKENS_PER_MESSAGE +
		countTextTokens( role ) +
		( name ? countTextTokens( name ) + TOKENS_PER_NAME : 0 )
	);
}

export type ImageDetail = 'low' | 'high' | 'auto';

/**
 * Tokens for one image of width x height on a model with `rule`. `auto` is treated as `high`
 * (OpenAI picks per image; high is the upper bound, so budgets stay safe).
 * @param rule
 * @param width
 * @param height
 * @param detail
 */
export function imageTokens(
	rule: ImageRule,
	width: number,
	height: number,
	detail: ImageDetail = 'auto'
): number {
	if ( rule.kind === 'none' ) {
		return 0;
	}
	if ( rule.kind === 'tile' ) {
		if ( detail === 'low' ) {
			return rule.base;
		}
		let w = width;
		let h = height;
		if ( w > 2048 || h > 2048 ) {
			const s = 2048 / Math.max( w, h );
			w = Math.floor( w * s );
			h = Math.floor( h * s );
		}
		if ( Math.min( w, h ) > 768 ) {
			const s = 768 / Math.min( w, h );
			w = Math.floor( w * s );
			h = Math.floor( h * s );
		}
		return (
			rule.base + rule.tile * Math.ceil( w / 512 ) * Math.ceil( h / 512 )
		);
	}
	return Math.ceil( imagePatches( width, height ) * rule.multiplier );
}

/**
 * 32 px patches, shrunk to fit 1536 patches as OpenAI's vision guide describes.
 * @param width
 * @param height
 */
export function imagePatches( width: number, height: number ): number {
	const MAX = 1536;
	let patches = Math.ceil( width / 32 ) * Math.ceil( height / 32 );
	if ( patches > MAX ) {
		const shrink = Math.sqrt( ( 32 * 32 * MAX ) / ( width * height ) );
		const adjusted =
			shrink *
			Math.min(
				Math.floor( ( width * shrink ) / 32 ) /
					( ( width * shrink ) / 32 ),
				Math.floor( ( height * shrink ) / 32 ) /
					( ( height * shrink ) / 32 )
			);
		// The adjusted sizes are whole multiples of 32 in exact arithmetic; the epsilon keeps
		// float noise (44.0000001) from adding a row, as in the guide's 1800x2400 -> 1452 example.
		patches =
			Math.ceil( ( width * adjusted ) / 32 - 1e-9 ) *
			Math.ceil( ( height * adjusted ) / 32 - 1e-9 );
	}
	return Math.min( patches, MAX );
}

export function audioTokens( seconds: number, perSecond: number ): number {
	return Math.ceil( seconds * perSecond );
}
