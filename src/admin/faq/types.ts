/**
 * Shapes exchanged with /voice-vision-chat/v1/admin/faq/* (see
 * includes/Rest/Admin_Faq_Controller.php); the server owns validation.
 */

/** The FAQ cache's settings, and whether visitors' own wording is kept. */
export interface FaqSettings {
	enabled: boolean;
	/** Seconds a cached answer is kept and asks are counted. */
	ttl: number;
	/** Asks within the TTL before a model answer is cached. */
	minAsks: number;
	/** Transcript logging (edited on the chat settings screen). */
	logTranscripts: boolean;
}

/** A question visitors asked, as the statistics keep it. */
export interface AskedQuestion {
	/** Id of the normalized question (what promote takes). */
	hash: string;
	/** Normalized text: no capitals, punctuation or filler words. */
	text: string;
	/** The latest original wording; '' unless transcript logging is on. */
	sample: string;
	asks: number;
	/** Asks answered from the cache or a curated entry. */
	hits: number;
	hitRate: number;
	/** Unix time. */
	lastAsked: number;
	/** The curated entry that answers it, '' when none. */
	entryId: string;
}

export interface FaqEntry {
	id: string;
	questions: string[];
	/** Markdown, shown to visitors like a model's answer. */
	answer: string;
	/** Unix time of the last change. */
	updated: number;
}

export interface Range {
	min: number;
	max: number;
}

/** What the server accepts, so the screen can say what is wrong before sending. */
export interface FaqLimits {
	ttl: Range;
	minAsks: Range;
	maxEntries: number;
	maxQuestions: number;
	questionMaxChars: number;
	answerMaxChars: number;
	importMaxBytes: number;
	importMaxRows: number;
}

export interface FaqOverview {
	settings: FaqSettings;
	cache: {
		version: number;
		/** Whether a persistent object cache (Redis, Memcached) holds the cache. */
		objectCache: boolean;
	};
	stats: {
		asks: number;
		hits: number;
		hitRate: number;
		/** Unix time the counting started. */
		since: number;
		questions: AskedQuestion[];
	};
	entries: FaqEntry[];
	limits: FaqLimits;
}

/** Body of POST /admin/faq/settings: any subset. */
export interface FaqSettingsUpdate {
	enabled?: boolean;
	ttl?: number;
	min_asks?: number;
}

export type ImportMode = 'merge' | 'replace';

export interface ImportResult {
	created: number;
	updated: number;
	/** Rows the server refused, numbered as a spreadsheet shows them. */
	errors: Array< { row: number; code: string; message: string } >;
}

export interface PurgeResult {
	version: number;
	rowsDeleted: number;
}
