/**
 * The visitor's answer to the voice consent notice, remembered in this browser only
 * (localStorage; nothing is sent to the site). The answer is tied to the notice's wording:
 * when the site owner changes the notice (say, to announce that recordings are now kept),
 * visitors are asked again.
 *
 * When storage is unavailable (blocked cookies, some private modes) the answer lasts until
 * the page is closed.
 */

export const CONSENT_STORAGE_KEY = 'vvc_voice_consent';

export type ConsentChoice = 'granted' | 'declined';

/** The parts of Storage used here (window.localStorage fits). */
export type ConsentStorage = {
	getItem: ( key: string ) => string | null;
	setItem: ( key: string, value: string ) => void;
	removeItem: ( key: string ) => void;
};

export type VoiceConsent = {
	/** The site owner's notice, to show before the first recording. */
	readonly notice: string;
	/** The visitor's answer to this notice, if any. */
	choice: () => ConsentChoice | null;
	/** True until the visitor has accepted this notice. */
	needsConsent: () => boolean;
	grant: () => void;
	decline: () => void;
	/** Forgets the answer (e.g. from a "change my choice" link). */
	reset: () => void;
};

type StoredConsent = { choice: ConsentChoice; notice: string; at: number };

/**
 * FNV-1a hash of the notice, so the stored answer names the wording without copying it.
 *
 * @param text Notice text.
 */
export function noticeFingerprint( text: string ): string {
	let hash = 0x811c9dc5;
	for ( let i = 0; i < text.length; i++ ) {
		hash = Math.imul( hash ^ text.charCodeAt( i ), 0x01000193 ); // eslint-disable-line no-bitwise -- FNV-1a is defined on bits.
	}
	return ( hash >>> 0 ).toString( 16 ).padStart( 8, '0' ); // eslint-disable-line no-bitwise -- unsigned view of the hash.
}

/**
 * Returns window.localStorage, or null where merely reading the property throws.
 *
 * @param win              The window.
 * @param win.localStorage
 */
export function browserStorage( win: {
	localStorage: ConsentStorage;
} ): ConsentStorage | null {
	try {
		return win.localStorage;
	} catch {
		return null;
	}
}

function isStoredConsent( value: unknown ): value is StoredConsent {
	if ( typeof value !== 'object' || value === null ) {
		return false;
	}
	const record = value as Record< string, unknown >;
	return (
		( record.choice === 'granted' || record.choice === 'declined' ) &&
		typeof record.notice === 'string'
	);
}

/**
 * Creates the consent record for a notice.
 *
 * @param options         Where to keep the answer and the notice to ask about.
 * @param options.storage localStorage, or null when unavailable.
 * @param options.notice  The site owner's notice text.
 * @param options.now     Clock (ms), for the time of the answer.
 */
export function createVoiceConsent( options: {
	storage: ConsentStorage | null;
	notice: string;
	now?: () => number;
} ): VoiceConsent {
	const { storage, notice } = options;
	const now = options.now ?? Date.now;
	const fingerprint = noticeFingerprint( notice );
	// Used when storage throws, so the visitor is not asked again on every press.
	let memory: StoredConsent | null = null;

	function read(): StoredConsent | null {
		// This page's own answer is the newest, even if storing it failed.
		if ( memory ) {
			return memory;
		}
		if ( storage ) {
			try {
				const raw = storage.getItem( CONSENT_STORAGE_KEY );
				if ( raw !== null ) {
					const parsed: unknown = JSON.parse( raw );
					return isStoredConsent( parsed ) ? parsed : null;
				}
			} catch {
				// Unreadable or corrupt: as if nothing was stored.
			}
		}
		return null;
	}

	function write( answer: ConsentChoice ) {
		memory = { choice: answer, notice: fingerprint, at: now() };
		try {
			storage?.setItem( CONSENT_STORAGE_KEY, JSON.stringify( memory ) );
		} catch {
			// Quota or blocked storage: the in-memory answer lasts for this page.
		}
	}

	function choice(): ConsentChoice | null {
		const stored = read();
		return stored && stored.notice === fingerprint ? stored.choice : null;
	}

	return {
		notice,
		choice,
		needsConsent: () => choice() !== 'granted',
		grant: () => write( 'granted' ),
		decline: () => write( 'declined' ),
		reset() {
			memory = null;
			try {
				storage?.removeItem( CONSENT_STORAGE_KEY );
			} catch {
				// Nothing stored that could be removed.
			}
		},
	};
}
