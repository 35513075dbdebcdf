// @vitest-environment jsdom
import { act } from 'react';
import { createRoot } from '@wordpress/element';
import {
	afterEach,
	beforeAll,
	beforeEach,
	describe,
	expect,
	it,
	vi,
} from 'vitest';

import type {
	ApiError,
	ChatApi,
	ChatRequest,
	ChatResult,
} from '../../src/lib/api';
import { Chat } from '../../src/chat/Chat';
import { loadMarkdown } from '../../src/lib/markdown-loader';
import { buildHistory, composerKeyAction } from '../../src/chat/conversation';
import type { ComposerKey, Message } from '../../src/chat/conversation';

(
	globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }
 ).IS_REACT_ACT_ENVIRONMENT = true;

// mount() fetches the Markdown renderer as the widget starts; these tests render Chat
// directly, so they fetch it first (before it arrives, see markdown-loader.test.tsx).
beforeAll( async () => {
	await loadMarkdown();
} );

const key = ( init: Partial< ComposerKey > ): ComposerKey => ( {
	key: 'Enter',
	shiftKey: false,
	ctrlKey: false,
	metaKey: false,
	altKey: false,
	isComposing: false,
	...init,
} );

describe( 'composerKeyAction', () => {
	it( 'sends on Enter and types a new line on Shift+Enter', () => {
		expect( composerKeyAction( key( {} ), false ) ).toBe( 'send' );
		expect( composerKeyAction( key( { ctrlKey: true } ), false ) ).toBe(
			'send'
		);
		expect( composerKeyAction( key( { shiftKey: true } ), false ) ).toBe(
			'type'
		);
		expect( composerKeyAction( key( { altKey: true } ), false ) ).toBe(
			'type'
		);
		expect( composerKeyAction( key( { key: 'a' } ), false ) ).toBe(
			'type'
		);
	} );

	it( 'leaves Enter to an input method that is composing', () => {
		expect( composerKeyAction( key( { isComposing: true } ), false ) ).toBe(
			'type'
		);
	} );

	it( 'does not send twice while an answer streams; Escape stops it', () => {
		expect( composerKeyAction( key( {} ), true ) ).toBe( 'block' );
		expect( composerKeyAction( key( { shiftKey: true } ), true ) ).toBe(
			'type'
		);
		expect( composerKeyAction( key( { key: 'Escape' } ), true ) ).toBe(
			'stop'
		);
		expect( composerKeyAction( key( { key: 'Escape' } ), false ) ).toBe(
			'type'
		);
	} );
} );

describe( 'buildHistory', () => {
	const message = (
		id: string,
		role: Message[ 'role' ],
		text: string,
		state: Message[ 'state' ] = 'done'
	): Message => ( { id, role, text, state } );

	it( 'keeps answered exchanges, drops failed ones, and cuts to the limits', () => {
		const messages = [
			message( '1', 'user', 'first question' ),
			message( '2', 'assistant', 'first answer' ),
			message( '3', 'user', 'failed question' ),
			message( '4', 'assistant', '', 'error' ),
			message( '5', 'user', 'stopped question' ),
			message( '6', 'assistant', 'partial', 'stopped' ),
		];
		expect( buildHistory( messages, 10, 1000 ) ).toEqual( [
			{ role: 'user', content: 'first question' },
			{ role: 'assistant', content: 'first answer' },
			{ role: 'user', content: 'stopped question' },
			{ role: 'assistant', content: 'partial' },
		] );
		expect( buildHistory( messages, 3, 5 ) ).toEqual( [
			{ role: 'user', content: 'stopp' },
			{ role: 'assistant', content: 'parti' },
		] );
		expect( buildHistory( messages, 0, 1000 ) ).toEqual( [] );
	} );
} );

type Pending = {
	request: ChatRequest;
	resolve: ( result: ChatResult ) => void;
	reject: ( error: ApiError ) => void;
};

function fakeApi() {
	const pending: Pending[] = [];
	const api: ChatApi = {
		ensureSession: vi.fn( async () => ( { token: 't', expiresAt: 0 } ) ),
		send: vi.fn(
			( request: ChatRequest ) =>
				new Promise< ChatResult >( ( resolve, reject ) => {
					pending.push( { request, resolve, reject } );
					request.signal?.addEventListener( 'abort', () =>
						reject( {
							code: 'vvc_aborted',
							message: '',
							status: 0,
						} )
					);
				} )
		),
	};
	return { api, pending };
}

const config = {
	restRoot: '/wp-json/',
	imageMaxSide: 1024,
	historyTurns: 10,
	turnMaxChars: 4000,
};
const handoff = {
	text: '',
	focused: false,
	selectionStart: 0,
	selectionEnd: 0,
	submit: false,
	attach: false,
};
const texts = {
	title: 'Ask us',
	greeting: 'Hello!',
	placeholder: 'Type…',
	inputId: 'q',
};

let container: HTMLElement;
let unmount: () => void;

async function renderChat(
	api: ChatApi,
	extra: Partial< typeof handoff > = {}
) {
	container = document.createElement( 'section' );
	document.body.appendChild( container );
	const root = createRoot( container );
	await act( async () => {
		root.render(
			<Chat
				api={ api }
				config={ config }
				options={ { allowImages: true, allowVoice: false } }
				texts={ texts }
				handoff={ { ...handoff, ...extra } }
			/>
		);
	} );
	unmount = () => act( () => root.unmount() );
}

const input = () => container.querySelector( 'textarea' )!;
const log = () => container.querySelector( '[role="log"]' )!;

async function typeText( value: string ) {
	await act( async () => {
		const setter = Object.getOwnPropertyDescriptor(
			HTMLTextAreaElement.prototype,
			'value'
		)!.set!;
		setter.call( input(), value );
		input().dispatchEvent( new Event( 'input', { bubbles: true } ) );
	} );
}

async function press( init: KeyboardEventInit ): Promise< boolean > {
	let allowed = true;
	await act( async () => {
		allowed = input().dispatchEvent(
			new KeyboardEvent( 'keydown', {
				bubbles: true,
				cancelable: true,
				...init,
			} )
		);
	} );
	return allowed;
}

async function frames() {
	await act( async () => {
		await new Promise( ( resolve ) => setTimeout( resolve, 40 ) );
	} );
}

describe( 'Chat widget', () => {
	beforeEach( () => {
		document.body.innerHTML = '';
	} );
	afterEach( () => unmount() );

	it( 'renders the shell structure with labelled controls', async () => {
		await renderChat( fakeApi().api );
		expect( container.querySelector( 'h2' )?.textContent ).toBe( 'Ask us' );
		expect( log().getAttribute( 'aria-live' ) ).toBe( 'polite' );
		expect( log().textContent ).toBe( 'Hello!' );
		expect( container.querySelector( 'label[for="q"]' )?.textContent ).toBe(
			'Your question'
		);
		expect(
			container.querySelector( '.vvc-chat__attach' )?.textContent
		).toBe( 'Attach a photo' );
		expect(
			container.querySelector( '.vvc-chat__send' )?.textContent
		).toBe( 'Send' );
	} );

	it( 'sends on Enter, keeps Shift+Enter as a new line, and asks for a session while typing', async () => {
		const { api, pending } = fakeApi();
		await renderChat( api );
		await typeText( 'line one' );
		expect( api.ensureSession ).toHaveBeenCalledTimes( 1 );

		expect( await press( { key: 'Enter', shiftKey: true } ) ).toBe( true );
		expect( api.send ).not.toHaveBeenCalled();

		expect( await press( { key: 'Enter' } ) ).toBe( false );
		expect( api.send ).toHaveBeenCalledTimes( 1 );
		expect( pending[ 0 ]?.request.message ).toBe( 'line one' );
		expect( input().value ).toBe( '' );
		expect(
			container.querySelector( '.vvc-chat__send' )?.textContent
		).toBe( 'Stop' );

		// Enter while the answer streams neither sends again nor adds a line.
		await typeText( 'next' );
		expect( await press( { key: 'Enter' } ) ).toBe( false );
		expect( api.send ).toHaveBeenCalledTimes( 1 );
	} );

	it( 'hides the streaming answer from screen readers, then adds it once finished', async () => {
		const { api, pending } = fakeApi();
		await renderChat( api );
		await typeText( 'Question' );
		await press( { key: 'Enter' } );

		const request = pending[ 0 ]!.request;
		await act( async () => {
			request.onDelta?.( '**Hel' );
			request.onDelta?.( 'lo**' );
		} );
		await frames();
		const streaming = container.querySelector(
			'.vvc-chat__message--streaming'
		);
		expect( streaming?.getAttribute( 'aria-hidden' ) ).toBe( 'true' );
		expect( streaming?.textContent?.trim() ).toBe( 'Hello' );
		expect(
			container.querySelector( '[role="status"]' )?.textContent
		).toMatch( /answering/ );

		const added: Node[] = [];
		const observer = new MutationObserver( ( records ) =>
			records.forEach( ( record ) => added.push( ...record.addedNodes ) )
		);
		observer.observe( log(), { childList: true } );
		await act( async () =>
			pending[ 0 ]!.resolve( {
				reply: '**Hello**',
				finishReason: 'stop',
			} )
		);
		observer.disconnect();

		const answers = container.querySelectorAll(
			'.vvc-chat__message--assistant'
		);
		const answer = answers[ answers.length - 1 ]!;
		expect( answer.hasAttribute( 'aria-hidden' ) ).toBe( false );
		expect( answer.querySelector( 'strong' )?.textContent ).toBe( 'Hello' );
		expect( answer ).not.toBe( streaming );
		expect( added ).toEqual( [ answer ] );
		expect(
			container.querySelector( '[role="status"]' )?.textContent
		).toBe( '' );
		expect(
			container.querySelector( '.vvc-chat__send' )?.textContent
		).toBe( 'Send' );
	} );

	it( 'stops with Escape, keeping what was written', async () => {
		const { api, pending } = fakeApi();
		await renderChat( api );
		await typeText( 'Long question' );
		await press( { key: 'Enter' } );
		await act( async () =>
			pending[ 0 ]!.request.onDelta?.( 'Partial answer' )
		);
		await press( { key: 'Escape' } );

		expect( pending[ 0 ]!.request.signal?.aborted ).toBe( true );
		expect( log().textContent ).toContain( 'Partial answer' );
		expect( log().textContent ).toContain( '(Stopped)' );
		expect(
			container.querySelector( '.vvc-chat__send' )?.textContent
		).toBe( 'Send' );
	} );

	it( 'explains an error in words and retries the same question', async () => {
		const { api, pending } = fakeApi();
		await renderChat( api );
		await typeText( 'Question' );
		await press( { key: 'Enter' } );
		await act( async () =>
			pending[ 0 ]!.reject( {
				code: 'vvc_rate_limited',
				message: 'raw server text',
				status: 429,
			} )
		);

		expect( log().textContent ).toContain(
			'You are sending messages very quickly'
		);
		const retry =
			container.querySelector< HTMLButtonElement >( '.vvc-chat__retry' )!;
		expect( retry.textContent ).toBe( 'Try again' );
		await act( async () => retry.click() );

		expect( api.send ).toHaveBeenCalledTimes( 2 );
		expect( pending[ 1 ]!.request.message ).toBe( 'Question' );
		expect( input().ownerDocument.activeElement ).toBe( input() );
		await act( async () =>
			pending[ 1 ]!.resolve( { reply: 'Fine now', finishReason: 'stop' } )
		);
		expect( log().textContent ).toContain( 'Fine now' );
		expect( container.querySelector( '.vvc-chat__retry' ) ).toBeNull();
	} );

	it( 'offers no retry for a mistake only the visitor can fix', async () => {
		const { api, pending } = fakeApi();
		await renderChat( api );
		await typeText( 'x' );
		await press( { key: 'Enter' } );
		await act( async () =>
			pending[ 0 ]!.reject( {
				code: 'vvc_message_too_long',
				message: '',
				status: 400,
			} )
		);
		expect( log().textContent ).toContain( 'Your message is too long' );
		expect( container.querySelector( '.vvc-chat__retry' ) ).toBeNull();
	} );

	it( 'answers a spent budget with a notice and what still costs nothing, without a retry', async () => {
		const { api, pending } = fakeApi();
		await renderChat( api );
		await typeText( 'Opening hours?' );
		await press( { key: 'Enter' } );
		const added: Node[] = [];
		const observer = new MutationObserver( ( records ) =>
			records.forEach( ( record ) => added.push( ...record.addedNodes ) )
		);
		observer.observe( log(), { childList: true } );
		await act( async () =>
			pending[ 0 ]!.reject( {
				code: 'vvc_budget_exhausted',
				message:
					'The chat is resting until tomorrow. You can still browse and search the site.',
				status: 503,
				alternatives: {
					questions: [ 'When do you open?' ],
					links: [
						{
							title: 'Opening hours',
							url: 'https://example.com/hours/',
						},
					],
					searchUrl: 'https://example.com/?s=Opening+hours',
					retryAfter: 3600,
				},
			} )
		);
		observer.disconnect();

		const notice = container.querySelector( '.vvc-chat__message--notice' )!;
		expect( notice ).not.toBeNull();
		expect( added ).toEqual( [ notice ] ); // Announced once by the polite log.
		expect(
			container.querySelector( '.vvc-chat__message--error' )
		).toBeNull();
		expect( notice.textContent ).toContain(
			'The chat is resting until tomorrow.'
		);
		expect( container.querySelector( '.vvc-chat__retry' ) ).toBeNull();
		const link =
			notice.querySelector< HTMLAnchorElement >( '.vvc-chat__links a' )!;
		expect( link.textContent ).toBe( 'Opening hours' );
		expect( link.href ).toBe( 'https://example.com/hours/' );
		const search = [ ...notice.querySelectorAll( 'a' ) ].find(
			( anchor ) => anchor.textContent === 'Search this site'
		);
		expect( search?.href ).toBe( 'https://example.com/?s=Opening+hours' );

		// A suggested question is asked as it is: the FAQ answers it for free.
		const suggestion = notice.querySelector< HTMLButtonElement >(
			'.vvc-chat__suggestion'
		)!;
		expect( suggestion.textContent ).toBe( 'When do you open?' );
		await act( async () => suggestion.click() );
		expect( api.send ).toHaveBeenCalledTimes( 2 );
		expect( pending[ 1 ]!.request.message ).toBe( 'When do you open?' );
		expect( input().ownerDocument.activeElement ).toBe( input() );
		await act( async () =>
			pending[ 1 ]!.resolve( {
				reply: 'Nine to five.',
				finishReason: 'stop',
			} )
		);
		expect( log().textContent ).toContain( 'Nine to five.' );
	} );

	it( 'offers what still works when the provider is down, and keeps "Try again"', async () => {
		const { api, pending } = fakeApi();
		await renderChat( api );
		await typeText( 'Opening hours?' );
		await press( { key: 'Enter' } );
		await act( async () =>
			pending[ 0 ]!.reject( {
				code: 'vvc_upstream_error',
				message: 'The assistant could not answer just now.',
				status: 502,
				alternatives: {
					questions: [ 'When do you open?' ],
					links: [],
					searchUrl: 'https://example.com/?s=Opening+hours',
					retryAfter: 0,
				},
			} )
		);

		const notice = container.querySelector( '.vvc-chat__message--notice' )!;
		expect( notice ).not.toBeNull();
		expect( notice.textContent ).toContain(
			'The assistant could not answer just now. Please try again in a moment.'
		);
		expect( notice.querySelector( '.vvc-chat__links' ) ).toBeNull();
		const suggestion = notice.querySelector< HTMLButtonElement >(
			'.vvc-chat__suggestion'
		)!;
		expect( suggestion.textContent ).toBe( 'When do you open?' );

		// The same question again, once the provider is back...
		const retry =
			notice.querySelector< HTMLButtonElement >( '.vvc-chat__retry' )!;
		expect( retry.textContent ).toBe( 'Try again' );
		await act( async () => retry.click() );
		expect( pending[ 1 ]!.request.message ).toBe( 'Opening hours?' );
		await act( async () =>
			pending[ 1 ]!.resolve( {
				reply: 'Nine to five.',
				finishReason: 'stop',
			} )
		);
		expect( log().textContent ).toContain( 'Nine to five.' );
		expect(
			container.querySelector( '.vvc-chat__message--notice' )
		).toBeNull();
	} );

	it( 'tells a visitor whose own daily spending is used up to come back tomorrow, offering the FAQ', async () => {
		const { api, pending } = fakeApi();
		await renderChat( api );
		await typeText( 'Another question' );
		await press( { key: 'Enter' } );
		await act( async () =>
			pending[ 0 ]!.reject( {
				code: 'vvc_rate_limited',
				message: 'You have asked a lot of questions today.',
				status: 429,
				scope: 'visitor_day',
				alternatives: {
					questions: [ 'When do you open?' ],
					links: [],
					searchUrl: '',
					retryAfter: 0,
				},
			} )
		);
		const notice = container.querySelector( '.vvc-chat__message--notice' )!;
		expect( notice.textContent ).toContain(
			'You have asked a lot of questions today. Please come back tomorrow.'
		);
		expect( notice.textContent ).not.toContain( 'very quickly' );
		expect(
			notice.querySelector( '.vvc-chat__suggestion' )
		).not.toBeNull();
		expect( container.querySelector( '.vvc-chat__retry' ) ).toBeNull();
	} );

	it( 'sends earlier turns with the next question and starts over on "New conversation"', async () => {
		const { api, pending } = fakeApi();
		await renderChat( api );
		await typeText( 'One' );
		await press( { key: 'Enter' } );
		await act( async () =>
			pending[ 0 ]!.resolve( {
				reply: 'Answer one',
				finishReason: 'stop',
			} )
		);
		await typeText( 'Two' );
		await press( { key: 'Enter' } );
		expect( pending[ 1 ]!.request.history ).toEqual( [
			{ role: 'user', content: 'One' },
			{ role: 'assistant', content: 'Answer one' },
		] );

		const fresh =
			container.querySelector< HTMLButtonElement >( '.vvc-chat__new' )!;
		expect( fresh.textContent ).toBe( 'New conversation' );
		await act( async () => fresh.click() );
		expect( pending[ 1 ]!.request.signal?.aborted ).toBe( true );
		expect( log().textContent ).toBe( 'Hello!' );
		expect( container.querySelector( '.vvc-chat__new' ) ).toBeNull();
		expect( input().ownerDocument.activeElement ).toBe( input() );
	} );

	it( 'takes over what the visitor typed and sent before it loaded', async () => {
		const { api, pending } = fakeApi();
		await renderChat( api, {
			text: 'Typed early',
			focused: true,
			selectionStart: 5,
			selectionEnd: 5,
			submit: true,
		} );
		expect( pending[ 0 ]?.request.message ).toBe( 'Typed early' );
		expect( input().ownerDocument.activeElement ).toBe( input() );
	} );
} );
