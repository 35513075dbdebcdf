/**
 * Bodies as GET /admin/faq answers them (see Admin_Faq_Controller::get_overview()).
 */
export const ENTRY_ID = '0b8f5c8e-1c1a-4e55-9d3f-3c1f5f0e9a11';
export const RETURN_HASH = 'a1b2c3d4e5f6a1b2c3d4e5f6';
export const HOURS_HASH = 'f0e1d2c3b4a5f0e1d2c3b4a5';

type Body = Record< string, unknown >;

export function entryBody( overrides: Body = {} ): Body {
	return {
		id: ENTRY_ID,
		questions: [ 'When are you open?', 'opening hours' ],
		answer: 'Nine to five, **Monday to Friday**.',
		updated: 1795305600,
		...overrides,
	};
}

export function overviewBody( overrides: Body = {} ): Body {
	return {
		settings: {
			enabled: true,
			ttl: 86400,
			min_asks: 2,
			log_transcripts: false,
		},
		cache: { version: 7, object_cache: false },
		stats: {
			asks: 40,
			hits: 10,
			hit_rate: 0.25,
			since: 1795219200,
			questions: [
				{
					hash: RETURN_HASH,
					text: 'what return policy',
					sample: '',
					asks: 12,
					hits: 0,
					hit_rate: 0,
					last_asked: 1795308000,
					entry_id: '',
				},
				{
					hash: HOURS_HASH,
					text: 'opening hours',
					sample: '',
					asks: 9,
					hits: 8,
					hit_rate: 0.8889,
					last_asked: 1795307000,
					entry_id: ENTRY_ID,
				},
			],
		},
		entries: [ entryBody() ],
		limits: {
			ttl: { min: 60, max: 2592000 },
			min_asks: { min: 1, max: 20 },
			max_entries: 500,
			max_questions: 20,
			question_max_chars: 500,
			answer_max_chars: 10000,
			import_max_bytes: 2097152,
			import_max_rows: 1000,
		},
		...overrides,
	};
}
