/**
 * Calls to /admin/faq/*, with the answers checked at runtime so the screen can rely on the
 * types.
 */
import {
	badResponse,
	isObject,
	requireObject,
	readBoolean as bool,
	readNumber as num,
	readList as list,
	readObject as obj,
	readString as str,
	readStrings as strings,
	type Json,
} from '../shared/json';

import type {
	AskedQuestion,
	FaqEntry,
	FaqOverview,
	FaqSettingsUpdate,
	ImportMode,
	ImportResult,
	PurgeResult,
	Range,
} from './types';

export const FAQ_PATH = '/voice-vision-chat/v1/admin/faq';

/** The part of @wordpress/api-fetch this screen uses; tests hand in a fake. */
export type FaqFetcher = ( options: {
	path: string;
	method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
	data?: Record< string, unknown >;
} ) => Promise< unknown >;

export interface FaqApi {
	load: () => Promise< FaqOverview >;
	saveSettings: ( update: FaqSettingsUpdate ) => Promise< FaqOverview >;
	createEntry: ( questions: string[], answer: string ) => Promise< FaqEntry >;
	updateEntry: (
		id: string,
		questions: string[],
		answer: string
	) => Promise< FaqEntry >;
	deleteEntry: ( id: string ) => Promise< FaqEntry >;
	/** Turns an asked question into an entry; `questions` are extra variants. */
	promote: (
		hash: string,
		answer: string,
		questions: string[]
	) => Promise< FaqEntry >;
	importCsv: ( csv: string, mode: ImportMode ) => Promise< ImportResult >;
	purge: ( resetStats: boolean ) => Promise< PurgeResult >;
}

function range( source: Json, key: string ): Range {
	const value = obj( source, key );
	return { min: num( value, 'min' ), max: num( value, 'max' ) };
}

/**
 * Checks and types a curated entry.
 *
 * @param json One entry from the server.
 */
export function parseEntry( json: unknown ): FaqEntry {
	const raw = requireObject( json, 'entry' );
	return {
		id: str( raw, 'id' ),
		questions: strings( raw, 'questions' ),
		answer: str( raw, 'answer' ),
		updated: num( raw, 'updated' ),
	};
}

function parseAsked( raw: Json ): AskedQuestion {
	return {
		hash: str( raw, 'hash' ),
		text: str( raw, 'text' ),
		sample: str( raw, 'sample' ),
		asks: num( raw, 'asks' ),
		hits: num( raw, 'hits' ),
		hitRate: num( raw, 'hit_rate' ),
		lastAsked: num( raw, 'last_asked' ),
		entryId: str( raw, 'entry_id' ),
	};
}

/**
 * Checks and types the body of GET /admin/faq and POST /admin/faq/settings.
 *
 * @param json Parsed JSON.
 */
export function parseOverview( json: unknown ): FaqOverview {
	const body = requireObject( json, 'faq' );
	const settings = obj( body, 'settings' );
	const cache = obj( body, 'cache' );
	const stats = obj( body, 'stats' );
	const limits = obj( body, 'limits' );
	return {
		settings: {
			enabled: bool( settings, 'enabled' ),
			ttl: num( settings, 'ttl' ),
			minAsks: num( settings, 'min_asks' ),
			logTranscripts: bool( settings, 'log_transcripts' ),
		},
		cache: {
			version: num( cache, 'version' ),
			objectCache: bool( cache, 'object_cache' ),
		},
		stats: {
			asks: num( stats, 'asks' ),
			hits: num( stats, 'hits' ),
			hitRate: num( stats, 'hit_rate' ),
			since: num( stats, 'since' ),
			questions: list( stats, 'questions' ).map( parseAsked ),
		},
		entries: list( body, 'entries' ).map( parseEntry ),
		limits: {
			ttl: range( limits, 'ttl' ),
			minAsks: range( limits, 'min_asks' ),
			maxEntries: num( limits, 'max_entries' ),
			maxQuestions: num( limits, 'max_questions' ),
			questionMaxChars: num( limits, 'question_max_chars' ),
			answerMaxChars: num( limits, 'answer_max_chars' ),
			importMaxBytes: num( limits, 'import_max_bytes' ),
			importMaxRows: num( limits, 'import_max_rows' ),
		},
	};
}

/**
 * Checks and types the body of POST /admin/faq/import.
 *
 * @param json Parsed JSON.
 */
export function parseImportResult( json: unknown ): ImportResult {
	const body = requireObject( json, 'import' );
	return {
		created: num( body, 'created' ),
		updated: num( body, 'updated' ),
		errors: list( body, 'errors' ).map( ( row ) => ( {
			row: num( row, 'row' ),
			code: str( row, 'code' ),
			message: str( row, 'message' ),
		} ) ),
	};
}

/**
 * The FAQ routes on top of the given fetcher (api-fetch in the browser).
 *
 * @param fetcher Sends a request to the REST API with the admin's nonce.
 */
export function createFaqApi( fetcher: FaqFetcher ): FaqApi {
	const entryPath = ( id: string ) =>
		`${ FAQ_PATH }/entries/${ encodeURIComponent( id ) }`;
	return {
		async load() {
			return parseOverview( await fetcher( { path: FAQ_PATH } ) );
		},
		async saveSettings( update ) {
			return parseOverview(
				await fetcher( {
					path: `${ FAQ_PATH }/settings`,
					method: 'POST',
					data: { ...update },
				} )
			);
		},
		async createEntry( questions, answer ) {
			return parseEntry(
				await fetcher( {
					path: `${ FAQ_PATH }/entries`,
					method: 'POST',
					data: { questions, answer },
				} )
			);
		},
		async updateEntry( id, questions, answer ) {
			return parseEntry(
				await fetcher( {
					path: entryPath( id ),
					method: 'PUT',
					data: { questions, answer },
				} )
			);
		},
		async deleteEntry( id ) {
			const body = await fetcher( {
				path: entryPath( id ),
				method: 'DELETE',
			} );
			if ( ! isObject( body ) || body.deleted !== true ) {
				throw badResponse( 'deleted' );
			}
			return parseEntry( body.previous );
		},
		async promote( hash, answer, questions ) {
			return parseEntry(
				await fetcher( {
					path: `${ FAQ_PATH }/promote`,
					method: 'POST',
					data: { hash, answer, questions },
				} )
			);
		},
		async importCsv( csv, mode ) {
			return parseImportResult(
				await fetcher( {
					path: `${ FAQ_PATH }/import`,
					method: 'POST',
					data: { csv, mode },
				} )
			);
		},
		async purge( resetStats ) {
			const body = requireObject(
				await fetcher( {
					path: `${ FAQ_PATH }/purge`,
					method: 'POST',
					data: { reset_stats: resetStats },
				} ),
				'purge'
			);
			return {
				version: num( body, 'version' ),
				rowsDeleted: num( body, 'rows_deleted' ),
			};
		},
	};
}
