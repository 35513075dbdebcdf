/**
 * Error answers for injected faults, worded and shaped like OpenAI's. Faults that change how
 * a normal answer is delivered (cut_stream, malformed_json) live in deliver.ts, and `timeout`
 * in server.ts.
 */
import { ApiError } from './errors';
import type { Fault } from './state';

/**
 * The answer for a fault that replaces the response, or undefined for delivery faults.
 * @param fault
 * @param model
 * @param apiKey
 */
export function faultError(
	fault: Fault,
	model: string | undefined,
	apiKey: string
): ApiError | undefined {
	const m = model ?? 'gpt-4o';
	switch ( fault.type ) {
		case 'rate_limit':
			return new ApiError(
				429,
				`Rate limit reached for ${ m } in organization org-simulator on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again later.`,
				'requests',
				null,
				'rate_limit_exceeded',
				{
					'x-ratelimit-remaining-requests': '0',
					'x-ratelimit-reset-requests': '20s',
				}
			);
		case 'rate_limit_retry_after': {
			const seconds = Math.max( 0, Math.round( fault.retry_after ?? 1 ) );
			return new ApiError(
				429,
				`Rate limit reached for ${ m } in organization org-simulator on tokens per min (TPM): Limit 30000, Used 30000, Requested 500. Please try again in ${ seconds }s.`,
				'tokens',
				null,
				'rate_limit_exceeded',
				{
					'retry-after': String( seconds ),
					'x-ratelimit-remaining-tokens': '0',
					'x-ratelimit-reset-tokens': `${ seconds }s`,
				}
			);
		}
		case 'insufficient_quota':
			return new ApiError(
				429,
				'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
				'insufficient_quota',
				null,
				'insufficient_quota'
			);
		case 'invalid_api_key':
			return invalidKey( apiKey );
		case 'server_error':
			return new ApiError(
				500,
				'The server had an error while processing your request. Sorry about that!',
				'server_error',
				null,
				null
			);
		case 'unavailable':
			return new ApiError(
				503,
				'The engine is currently overloaded, please try again later.',
				'server_error',
				null,
				null
			);
		default:
			return undefined;
	}
}

/**
 * OpenAI shows the first and last characters of a rejected key, never the whole key.
 * @param apiKey
 */
export function invalidKey( apiKey: string ): ApiError {
	const shown =
		apiKey.length > 12
			? `${ apiKey.slice( 0, 8 ) }${ '*'.repeat( Math.min( 20, apiKey.length - 12 ) ) }${ apiKey.slice( -4 ) }`
			: '****';
	return new ApiError(
		401,
		`Incorrect API key provided: ${ shown }. You can find your API key at https://platform.openai.com/account/api-keys.`,
		'invalid_request_error',
		null,
		'invalid_api_key'
	);
}

export function missingKey(): ApiError {
	return new ApiError(
		401,
		"You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username.",
		'invalid_request_error',
		null,
		null
	);
}
