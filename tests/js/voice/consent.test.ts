// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';

import {
	browserStorage,
	CONSENT_STORAGE_KEY,
	createVoiceConsent,
	noticeFingerprint,
} from '../../../src/voice/consent';
import type { ConsentStorage } from '../../../src/voice/consent';

const NOTICE =
	'Your recording is sent to OpenAI to answer your question. Nothing is stored on this site.';

describe( 'createVoiceConsent', () => {
	beforeEach( () => {
		window.localStorage.clear();
	} );

	it( 'asks until the visitor accepts, and remembers the answer in localStorage only', () => {
		const consent = createVoiceConsent( {
			storage: window.localStorage,
			notice: NOTICE,
			now: () => 1234,
		} );
		expect( consent.notice ).toBe( NOTICE );
		expect( consent.choice() ).toBeNull();
		expect( consent.needsConsent() ).toBe( true );

		consent.grant();
		expect( consent.needsConsent() ).toBe( false );
		expect( CONSENT_STORAGE_KEY.startsWith( 'vvc_' ) ).toBe( true );
		expect(
			JSON.parse( window.localStorage.getItem( CONSENT_STORAGE_KEY )! )
		).toEqual( {
			choice: 'granted',
			notice: noticeFingerprint( NOTICE ),
			at: 1234,
		} );
		expect( document.cookie ).toBe( '' );

		// A later page view.
		const later = createVoiceConsent( {
			storage: window.localStorage,
			notice: NOTICE,
		} );
		expect( later.choice() ).toBe( 'granted' );
		expect( later.needsConsent() ).toBe( false );
	} );

	it( 'remembers a refusal, and still asks before recording', () => {
		createVoiceConsent( {
			storage: window.localStorage,
			notice: NOTICE,
		} ).decline();
		const later = createVoiceConsent( {
			storage: window.localStorage,
			notice: NOTICE,
		} );
		expect( later.choice() ).toBe( 'declined' );
		expect( later.needsConsent() ).toBe( true );
	} );

	it( 'asks again when the site owner changes the notice', () => {
		createVoiceConsent( {
			storage: window.localStorage,
			notice: NOTICE,
		} ).grant();
		const changed = createVoiceConsent( {
			storage: window.localStorage,
			notice: NOTICE.replace(
				'Nothing is stored',
				'Recordings are kept for 30 days'
			),
		} );
		expect( changed.choice() ).toBeNull();
		expect( changed.needsConsent() ).toBe( true );
	} );

	it( 'forgets the answer on reset', () => {
		const consent = createVoiceConsent( {
			storage: window.localStorage,
			notice: NOTICE,
		} );
		consent.grant();
		consent.reset();
		expect( window.localStorage.getItem( CONSENT_STORAGE_KEY ) ).toBeNull();
		expect( consent.needsConsent() ).toBe( true );
	} );

	it( 'ignores a corrupt or foreign stored value', () => {
		window.localStorage.setItem( CONSENT_STORAGE_KEY, '{not json' );
		expect(
			createVoiceConsent( {
				storage: window.localStorage,
				notice: NOTICE,
			} ).choice()
		).toBeNull();
		window.localStorage.setItem(
			CONSENT_STORAGE_KEY,
			JSON.stringify( { choice: 'maybe', notice: 'x' } )
		);
		expect(
			createVoiceConsent( {
				storage: window.localStorage,
				notice: NOTICE,
			} ).choice()
		).toBeNull();
	} );

	it( 'keeps the answer for the page when storage is blocked', () => {
		const blocked: ConsentStorage = {
			getItem: () => {
				throw new DOMException( 'denied', 'SecurityError' );
			},
			setItem: () => {
				throw new DOMException( 'quota', 'QuotaExceededError' );
			},
			removeItem: () => {
				throw new DOMException( 'denied', 'SecurityError' );
			},
		};
		const consent = createVoiceConsent( {
			storage: blocked,
			notice: NOTICE,
		} );
		expect( consent.needsConsent() ).toBe( true );
		consent.grant();
		expect( consent.needsConsent() ).toBe( false );
		consent.reset();
		expect( consent.needsConsent() ).toBe( true );

		const none = createVoiceConsent( { storage: null, notice: NOTICE } );
		none.decline();
		expect( none.choice() ).toBe( 'declined' );
	} );
} );

describe( 'browserStorage', () => {
	it( 'returns localStorage, or null where reading it throws', () => {
		expect( browserStorage( window ) ).toBe( window.localStorage );
		const hostile = {
			get localStorage(): ConsentStorage {
				throw new DOMException(
					'The operation is insecure.',
					'SecurityError'
				);
			},
		};
		expect( browserStorage( hostile ) ).toBeNull();
	} );
} );

describe( 'noticeFingerprint', () => {
	it( 'is stable and tells different notices apart', () => {
		expect( noticeFingerprint( NOTICE ) ).toBe(
			noticeFingerprint( NOTICE )
		);
		expect( noticeFingerprint( NOTICE ) ).toMatch( /^[0-9a-f]{8}$/ );
		expect( noticeFingerprint( NOTICE ) ).not.toBe(
			noticeFingerprint( NOTICE + ' ' )
		);
	} );
} );
