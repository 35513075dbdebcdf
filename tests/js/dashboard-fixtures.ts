/**
 * Bodies of the usage routes as the server sends them.
 */

export function summaryBody(
	overrides: Record< string, unknown > = {}
): Record< string, unknown > {
	return {
		range: {
			from: '2026-11-20',
			to: '2026-11-22',
			days: 3,
			timezone: '+00:00',
		},
		totals: {
			requests: 6,
			cost_micros: 36000,
			cache_hits: 1,
			errors: 1,
			input_tokens: 1200,
			output_tokens: 600,
		},
		daily: [
			{
				cost_by_tier: { economy: 1000, vision: 26000 },
				day: '2026-11-20',
				requests: 3,
				cost_micros: 27000,
				cache_hits: 1,
				errors: 0,
			},
			{
				cost_by_tier: {},
				day: '2026-11-21',
				requests: 0,
				cost_micros: 0,
				cache_hits: 0,
				errors: 0,
			},
			{
				cost_by_tier: { standard: 9000 },
				day: '2026-11-22',
				requests: 3,
				cost_micros: 9000,
				cache_hits: 0,
				errors: 1,
			},
		],
		tiers: [ 'economy', 'standard', 'vision' ],
		budgets: [
			{
				scope: 'site_day',
				period: '2026-11-22',
				spent_micros: 4_200_000,
				reserved_micros: 100_000,
				cap_micros: 5_000_000,
				soft_micros: 4_000_000,
				state: 'soft',
			},
			{
				scope: 'site_month',
				period: '2026-11',
				spent_micros: 9_000_000,
				reserved_micros: 0,
				cap_micros: 0,
				soft_micros: 0,
				state: 'normal',
			},
			{
				scope: 'visitor_day',
				period: '2026-11-22',
				spent_micros: 200_000,
				reserved_micros: 0,
				cap_micros: 200_000,
				soft_micros: 0,
				state: 'hard',
				visitors: 14,
				at_cap: 1,
			},
		],
		budget_state: 'soft',
		top_models: [
			{ model: 'gpt-4o-mini', requests: 1, cost_micros: 26000 },
			{ model: 'gpt-5-mini', requests: 3, cost_micros: 9000 },
		],
		recent_errors: [
			{
				id: 41,
				time: '2026-11-22T09:00:00Z',
				route: 'chat_stream',
				tier: 'standard',
				model: 'gpt-5-mini',
				status_code: 502,
				error_code: 'vvc_upstream_error',
			},
		],
		error_log: [
			{
				time: '2026-11-22T09:00:01Z',
				code: 'vvc_upstream_error',
				detail: 'HTTP 500 server_error: The server had an error',
			},
		],
		...overrides,
	};
}

export function usageRowBody(
	id: number,
	overrides: Record< string, unknown > = {}
): Record< string, unknown > {
	return {
		id,
		time: '2026-11-22T09:00:00Z',
		visitor_hash: 'a'.repeat( 32 ),
		route: 'chat',
		tier: 'economy',
		model: 'gpt-5-nano',
		route_reasons: 'short',
		text_in_tokens: 100,
		cached_in_tokens: 20,
		image_in_tokens: 0,
		audio_in_tokens: 0,
		text_out_tokens: 50,
		reasoning_out_tokens: 0,
		audio_out_tokens: 0,
		audio_ms: 0,
		characters: 0,
		estimated_micros: 900,
		cost_micros: 300,
		cost_known: true,
		cache_hit: false,
		latency_ms: 640,
		status_code: 200,
		error_code: '',
		...overrides,
	};
}

/**
 * A fetch Response as api-fetch hands it back with `parse: false`.
 * @param body
 * @param headers
 */
export function rawResponse(
	body: unknown,
	headers: Record< string, string > = {}
) {
	const lower = Object.fromEntries(
		Object.entries( headers ).map( ( [ key, value ] ) => [
			key.toLowerCase(),
			value,
		] )
	);
	return {
		json: async () => body,
		headers: {
			get: ( name: string ) => lower[ name.toLowerCase() ] ?? null,
		},
	};
}
