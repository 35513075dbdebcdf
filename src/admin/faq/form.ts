/**
 * The FAQ screen's forms as plain data: the entry editor (new, edit, or an asked question
 * turned into an entry) and the cache settings. Checked here against the server's limits,
 * so the admin learns what is wrong before sending; the server checks again.
 */
import { __, _n, sprintf } from '@wordpress/i18n';

import type {
	AskedQuestion,
	FaqEntry,
	FaqLimits,
	FaqSettings,
	FaqSettingsUpdate,
} from './types';

/** What the entry editor edits. */
export interface EntryDraft {
	/** create: a new entry; edit: an existing one; promote: from an asked question. */
	mode: 'create' | 'edit' | 'promote';
	/** Entry id (edit). */
	id: string;
	/** Asked question's hash (promote). */
	hash: string;
	/** The asked question as shown, always part of the entry (promote). */
	asked: string;
	/** Question variants, one per line. */
	questions: string;
	answer: string;
}

export type EntryErrors = Partial< Record< 'questions' | 'answer', string > >;

/** What saving a draft sends. */
export type EntryRequest =
	| { kind: 'create'; questions: string[]; answer: string }
	| { kind: 'update'; id: string; questions: string[]; answer: string }
	| { kind: 'promote'; hash: string; questions: string[]; answer: string };

export function newDraft(): EntryDraft {
	return {
		mode: 'create',
		id: '',
		hash: '',
		asked: '',
		questions: '',
		answer: '',
	};
}

export function draftFromEntry( entry: FaqEntry ): EntryDraft {
	return {
		...newDraft(),
		mode: 'edit',
		id: entry.id,
		questions: entry.questions.join( '\n' ),
		answer: entry.answer,
	};
}

/**
 * A draft for an asked question: the visitor's wording when transcript logging kept it,
 * else the normalized text (which the server matches the same way).
 *
 * @param question An asked question from the statistics.
 */
export function draftFromAsked( question: AskedQuestion ): EntryDraft {
	return {
		...newDraft(),
		mode: 'promote',
		hash: question.hash,
		asked: question.sample !== '' ? question.sample : question.text,
	};
}

/**
 * Question variants from the textarea: one per line, trimmed, without empty lines and
 * repeats (the server drops them too).
 *
 * @param text The textarea's value.
 */
export function questionLines( text: string ): string[] {
	const out: string[] = [];
	for ( const line of text.split( /\r\n|\r|\n/ ) ) {
		const question = line.trim();
		if ( question !== '' && ! out.includes( question ) ) {
			out.push( question );
		}
	}
	return out;
}

/**
 * The variants to send: without the asked question when promoting (the server adds it).
 *
 * @param draft The editor's draft.
 */
function variants( draft: EntryDraft ): string[] {
	const lines = questionLines( draft.questions );
	return draft.mode === 'promote'
		? lines.filter( ( line ) => line !== draft.asked )
		: lines;
}

/**
 * What is wrong with a draft, by field.
 *
 * @param draft  The editor's draft.
 * @param limits What the server accepts.
 */
export function checkDraft(
	draft: EntryDraft,
	limits: FaqLimits
): EntryErrors {
	const errors: EntryErrors = {};
	const questions = variants( draft );
	const total = questions.length + ( draft.mode === 'promote' ? 1 : 0 );
	const long = questions.find(
		( question ) => question.length > limits.questionMaxChars
	);
	if ( total === 0 ) {
		errors.questions = __(
			'Write at least one question, as a visitor might ask it.',
			'voice-vision-chat'
		);
	} else if ( total > limits.maxQuestions ) {
		errors.questions = sprintf(
			/* translators: %d: most question variants per entry. */
			__(
				'An entry can have at most %d questions.',
				'voice-vision-chat'
			),
			limits.maxQuestions
		);
	} else if ( long !== undefined ) {
		errors.questions = sprintf(
			/* translators: %d: most characters in a question. */
			__(
				'Each question can have at most %d characters.',
				'voice-vision-chat'
			),
			limits.questionMaxChars
		);
	}
	const answer = draft.answer.trim();
	if ( answer === '' ) {
		errors.answer = __( 'Write the answer.', 'voice-vision-chat' );
	} else if ( answer.length > limits.answerMaxChars ) {
		errors.answer = sprintf(
			/* translators: %d: most characters in an answer. */
			__(
				'The answer can have at most %d characters.',
				'voice-vision-chat'
			),
			limits.answerMaxChars
		);
	}
	return errors;
}

/**
 * The request that saves a draft.
 *
 * @param draft The editor's draft (checked).
 */
export function entryRequest( draft: EntryDraft ): EntryRequest {
	const questions = variants( draft );
	const answer = draft.answer.trim();
	if ( draft.mode === 'promote' ) {
		return { kind: 'promote', hash: draft.hash, questions, answer };
	}
	if ( draft.mode === 'edit' ) {
		return { kind: 'update', id: draft.id, questions, answer };
	}
	return { kind: 'create', questions, answer };
}

/** Units the TTL is edited in. */
export type TtlUnit = 'seconds' | 'minutes' | 'hours' | 'days';

export const TTL_UNITS: Record< TtlUnit, number > = {
	seconds: 1,
	minutes: 60,
	hours: 3600,
	days: 86400,
};

/** The cache settings form: numbers stay text while the admin types. */
export interface SettingsForm {
	enabled: boolean;
	ttl: string;
	ttlUnit: TtlUnit;
	minAsks: string;
}

export type SettingsErrors = Partial< Record< 'ttl' | 'minAsks', string > >;

/**
 * The form for saved settings, the TTL in the largest unit that divides it.
 *
 * @param settings Saved settings.
 */
export function settingsForm( settings: FaqSettings ): SettingsForm {
	const units: TtlUnit[] = [ 'days', 'hours', 'minutes' ];
	const unit =
		units.find( ( name ) => settings.ttl % TTL_UNITS[ name ] === 0 ) ??
		'seconds';
	return {
		enabled: settings.enabled,
		ttl: String( settings.ttl / TTL_UNITS[ unit ] ),
		ttlUnit: unit,
		minAsks: String( settings.minAsks ),
	};
}

function wholeNumber( text: string ): number | null {
	const value = text.trim();
	return /^\d+$/.test( value ) ? Number( value ) : null;
}

/**
 * Errors by field, and the changes to send (only what differs from the saved settings).
 *
 * @param saved  Saved settings.
 * @param form   The form.
 * @param limits What the server accepts.
 */
export function checkSettings(
	saved: FaqSettings,
	form: SettingsForm,
	limits: FaqLimits
): { errors: SettingsErrors; update: FaqSettingsUpdate } {
	const errors: SettingsErrors = {};
	const update: FaqSettingsUpdate = {};
	if ( form.enabled !== saved.enabled ) {
		update.enabled = form.enabled;
	}
	const amount = wholeNumber( form.ttl );
	const ttl = amount === null ? null : amount * TTL_UNITS[ form.ttlUnit ];
	if ( ttl === null || ttl < limits.ttl.min || ttl > limits.ttl.max ) {
		errors.ttl = sprintf(
			/* translators: 1: shortest time, 2: longest time, e.g. "1 minute", "30 days". */
			__(
				'Enter a whole number from %1$s to %2$s.',
				'voice-vision-chat'
			),
			describeSeconds( limits.ttl.min ),
			describeSeconds( limits.ttl.max )
		);
	} else if ( ttl !== saved.ttl ) {
		update.ttl = ttl;
	}
	const minAsks = wholeNumber( form.minAsks );
	if (
		minAsks === null ||
		minAsks < limits.minAsks.min ||
		minAsks > limits.minAsks.max
	) {
		errors.minAsks = sprintf(
			/* translators: 1: smallest number, 2: largest number. */
			__(
				'Enter a whole number from %1$d to %2$d.',
				'voice-vision-chat'
			),
			limits.minAsks.min,
			limits.minAsks.max
		);
	} else if ( minAsks !== saved.minAsks ) {
		update.min_asks = minAsks;
	}
	return { errors, update };
}

/**
 * A duration for people, in the largest whole unit: "1 day", "6 hours", "90 seconds".
 *
 * @param seconds Duration.
 */
export function describeSeconds( seconds: number ): string {
	if ( seconds > 0 && seconds % TTL_UNITS.days === 0 ) {
		const days = seconds / TTL_UNITS.days;
		return sprintf(
			/* translators: %d: number of days. */
			_n( '%d day', '%d days', days, 'voice-vision-chat' ),
			days
		);
	}
	if ( seconds > 0 && seconds % TTL_UNITS.hours === 0 ) {
		const hours = seconds / TTL_UNITS.hours;
		return sprintf(
			/* translators: %d: number of hours. */
			_n( '%d hour', '%d hours', hours, 'voice-vision-chat' ),
			hours
		);
	}
	if ( seconds > 0 && seconds % TTL_UNITS.minutes === 0 ) {
		const minutes = seconds / TTL_UNITS.minutes;
		return sprintf(
			/* translators: %d: number of minutes. */
			_n( '%d minute', '%d minutes', minutes, 'voice-vision-chat' ),
			minutes
		);
	}
	return sprintf(
		/* translators: %d: number of seconds. */
		_n( '%d second', '%d seconds', seconds, 'voice-vision-chat' ),
		seconds
	);
}
