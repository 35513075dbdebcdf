/**
 * Pure conversions between what the admin types and what the server stores: US dollars
 * and integer micro-dollars, prices per 1M tokens. Decimal text is read digit by digit, so
 * "0.29" is exactly 290000 micro-dollars, never 289999.99999999997.
 */
import { __, sprintf } from '@wordpress/i18n';

export type Parsed< T > = { ok: true; value: T } | { ok: false; error: string };

const DECIMAL = /^(\d*)(?:\.(\d*))?$/;

/**
 * Cleans typed money: spaces, a leading $ and "USD" go; one comma is read as the decimal
 * separator (as many locales type it).
 *
 * @param raw What the admin typed.
 */
function clean( raw: string ): string {
	let text = raw
		.trim()
		.replace( /^\$\s*/, '' )
		.replace( /\s*usd$/i, '' );
	if ( ! text.includes( '.' ) && ( text.match( /,/g ) ?? [] ).length === 1 ) {
		text = text.replace( ',', '.' );
	}
	return text;
}

/**
 * US dollars typed by the admin as micro-dollars.
 *
 * @param raw       What the admin typed.
 * @param maxMicros Largest amount allowed.
 */
export function parseUsd( raw: string, maxMicros: number ): Parsed< number > {
	const text = clean( raw );
	const match = DECIMAL.exec( text );
	if ( text === '' || text === '.' || ! match ) {
		return {
			ok: false,
			error: __(
				'Enter an amount in US dollars, such as 5 or 0.50.',
				'voice-vision-chat'
			),
		};
	}
	const whole = match[ 1 ] ?? '';
	const fraction = match[ 2 ] ?? '';
	if ( fraction.length > 6 ) {
		return {
			ok: false,
			error: __(
				'Use at most six decimals (a millionth of a dollar).',
				'voice-vision-chat'
			),
		};
	}
	const micros =
		Number( whole || '0' ) * 1_000_000 +
		Number( ( fraction + '000000' ).slice( 0, 6 ) );
	if ( ! Number.isSafeInteger( micros ) || micros > maxMicros ) {
		return {
			ok: false,
			error: sprintf(
				/* translators: %s: the largest amount allowed, in US dollars. */
				__( 'Enter at most %s.', 'voice-vision-chat' ),
				`$${ microsToUsd( maxMicros ) }`
			),
		};
	}
	return { ok: true, value: micros };
}

/**
 * Micro-dollars as a plain decimal for an input field: at least two decimals, more only
 * when needed ("5.00", "0.125", "0.000001").
 *
 * @param micros Micro-dollars.
 */
export function microsToUsd( micros: number ): string {
	const whole = Math.floor( micros / 1_000_000 );
	const fraction = String( micros % 1_000_000 )
		.padStart( 6, '0' )
		.replace( /0+$/, '' );
	return `${ whole }.${ fraction.padEnd( 2, '0' ) }`;
}

/** Largest price accepted (the server's limit), USD per unit. */
export const MAX_PRICE = 100000;

/**
 * A price typed by the admin: USD per 1M tokens (or per minute / per 1M characters).
 * An empty field means "no price for this component" (null).
 *
 * @param raw What the admin typed.
 */
export function parsePrice( raw: string ): Parsed< number | null > {
	const text = clean( raw );
	if ( text === '' ) {
		return { ok: true, value: null };
	}
	const match = DECIMAL.exec( text );
	if ( text === '.' || ! match ) {
		return {
			ok: false,
			error: __(
				'Enter a price in US dollars, such as 0.15.',
				'voice-vision-chat'
			),
		};
	}
	if ( ( match[ 2 ] ?? '' ).length > 6 ) {
		return {
			ok: false,
			error: __( 'Use at most six decimals.', 'voice-vision-chat' ),
		};
	}
	const value = Number( text );
	if ( value > MAX_PRICE ) {
		return {
			ok: false,
			error: sprintf(
				/* translators: %s: the largest price allowed. */
				__( 'Enter at most %s.', 'voice-vision-chat' ),
				String( MAX_PRICE )
			),
		};
	}
	return { ok: true, value };
}

/**
 * A price as an input field shows it: the number without trailing zeros.
 *
 * @param value Price, or undefined when the component has none.
 */
export function priceText( value: number | undefined ): string {
	if ( value === undefined ) {
		return '';
	}
	// Six decimals at most, as the server rounds them; no exponent notation.
	return value.toFixed( 6 ).replace( /\.?0+$/, '' );
}
