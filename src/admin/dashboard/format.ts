/**
 * Pure formatting helpers for the usage dashboard: money, counts, shares, days and periods.
 * Each takes the locale explicitly so tests do not depend on the machine's.
 */
import { __ } from '@wordpress/i18n';

/** The admin's locale, from <html lang>; the browser's default otherwise. */
export function pageLocale(): string | undefined {
	const lang =
		typeof document === 'undefined'
			? ''
			: document.documentElement.lang.trim();
	return lang === '' ? undefined : lang;
}

/**
 * US dollars for people: two decimals, four below one cent so small costs do not show as
 * $0.00 (as the server's emails do).
 *
 * @param micros Micro-dollars.
 * @param locale BCP 47 locale.
 */
export function formatUsd( micros: number, locale?: string ): string {
	const small = micros > 0 && micros < 10000;
	return new Intl.NumberFormat( locale, {
		style: 'currency',
		currency: 'USD',
		minimumFractionDigits: small ? 4 : 2,
		maximumFractionDigits: small ? 4 : 2,
	} ).format( micros / 1_000_000 );
}

/**
 * A whole number with the locale's grouping.
 *
 * @param value  Number.
 * @param locale BCP 47 locale.
 */
export function formatCount( value: number, locale?: string ): string {
	return new Intl.NumberFormat( locale, { maximumFractionDigits: 0 } ).format(
		value
	);
}

/**
 * A share as a percentage with at most one decimal; 0 % when the whole is 0.
 *
 * @param part   Part.
 * @param whole  Whole.
 * @param locale BCP 47 locale.
 */
export function formatShare(
	part: number,
	whole: number,
	locale?: string
): string {
	const share = whole > 0 ? part / whole : 0;
	return new Intl.NumberFormat( locale, {
		style: 'percent',
		maximumFractionDigits: 1,
	} ).format( share );
}

/**
 * The day of a YYYY-MM-DD date, short (e.g. "Nov 3"), read as a calendar day so no time
 * zone can move it.
 *
 * @param day    YYYY-MM-DD.
 * @param locale BCP 47 locale.
 * @param long   Include the weekday and year.
 */
export function formatDay(
	day: string,
	locale?: string,
	long = false
): string {
	const [ year, month, date ] = day.split( '-' ).map( Number );
	if ( ! year || ! month || ! date ) {
		return day;
	}
	return new Intl.DateTimeFormat( locale, {
		timeZone: 'UTC',
		month: 'short',
		day: 'numeric',
		...( long ? { weekday: 'short', year: 'numeric' } : {} ),
	} ).format( new Date( Date.UTC( year, month - 1, date ) ) );
}

/**
 * A budget period as people say it: a day (2026-11-22) or a month (2026-11).
 *
 * @param period YYYY-MM-DD or YYYY-MM.
 * @param locale BCP 47 locale.
 */
export function formatPeriod( period: string, locale?: string ): string {
	if ( /^\d{4}-\d{2}$/.test( period ) ) {
		const [ year, month ] = period.split( '-' ).map( Number );
		return new Intl.DateTimeFormat( locale, {
			timeZone: 'UTC',
			month: 'long',
			year: 'numeric',
		} ).format(
			new Date( Date.UTC( year ?? 1970, ( month ?? 1 ) - 1, 1 ) )
		);
	}
	return formatDay( period, locale, true );
}

/**
 * A UTC ISO time in the admin's local time, date and time to the second.
 *
 * @param iso    ISO 8601 time.
 * @param locale BCP 47 locale.
 * @param zone   IANA time zone; the browser's when undefined.
 */
export function formatTime(
	iso: string,
	locale?: string,
	zone?: string
): string {
	const time = new Date( iso );
	if ( Number.isNaN( time.getTime() ) ) {
		return iso;
	}
	return new Intl.DateTimeFormat( locale, {
		timeZone: zone,
		dateStyle: 'medium',
		timeStyle: 'medium',
	} ).format( time );
}

/**
 * Milliseconds for people: "850 ms", "2.4 s".
 *
 * @param ms     Milliseconds.
 * @param locale BCP 47 locale.
 */
export function formatLatency( ms: number, locale?: string ): string {
	if ( ms < 1000 ) {
		return `${ formatCount( ms, locale ) } ms`;
	}
	return `${ new Intl.NumberFormat( locale, {
		maximumFractionDigits: 1,
	} ).format( ms / 1000 ) } s`;
}

/**
 * Short, translated tier names for the chart's legend and the log.
 * @param tier
 */
export function tierLabel( tier: string ): string {
	const labels: Record< string, string > = {
		economy: __( 'Economy', 'voice-vision-chat' ),
		standard: __( 'Standard', 'voice-vision-chat' ),
		vision: __( 'Vision', 'voice-vision-chat' ),
		long_context: __( 'Long context', 'voice-vision-chat' ),
		voice: __( 'Voice', 'voice-vision-chat' ),
		transcribe: __( 'Transcription', 'voice-vision-chat' ),
		speech: __( 'Speech', 'voice-vision-chat' ),
		other: __( 'Other (no tier)', 'voice-vision-chat' ),
	};
	return labels[ tier ] ?? tier;
}

/**
 * Translated names of the routes a usage row can come from.
 * @param route
 */
export function routeLabel( route: string ): string {
	const labels: Record< string, string > = {
		chat: __( 'Chat', 'voice-vision-chat' ),
		chat_stream: __( 'Chat (streamed)', 'voice-vision-chat' ),
		transcribe: __( 'Transcription', 'voice-vision-chat' ),
		speech: __( 'Speech', 'voice-vision-chat' ),
		voice: __( 'Voice', 'voice-vision-chat' ),
		realtime: __( 'Realtime voice', 'voice-vision-chat' ),
		faq: __( 'FAQ answer', 'voice-vision-chat' ),
	};
	return labels[ route ] ?? route;
}

/** The tiers the server knows, cheapest first. */
export const TIERS = [
	'economy',
	'standard',
	'vision',
	'long_context',
	'voice',
	'transcribe',
	'speech',
] as const;

/** The routes the server logs. */
export const ROUTES = [
	'chat',
	'chat_stream',
	'transcribe',
	'speech',
	'voice',
	'realtime',
	'faq',
] as const;
