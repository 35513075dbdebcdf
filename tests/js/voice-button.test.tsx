// @vitest-environment jsdom
import { act } from 'react';
import { createRoot } from '@wordpress/element';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import * as voiceModule from '../../src/voice';
import type { Recorder, RecorderSnapshot, Recording } from '../../src/voice';
import {
	formatDuration,
	panelStyle,
	VoiceButton,
	voiceButtonView,
} from '../../src/chat/VoiceButton';
import type { VoiceModule } from '../../src/chat/VoiceButton';
import { Chat } from '../../src/chat/Chat';
import type { ChatApi, ChatRequest, ChatResult } from '../../src/lib/api';

(
	globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }
 ).IS_REACT_ACT_ENVIRONMENT = true;

const voiceConfig = {
	workletUrl: '/build/voice/recorder-worklet.js?ver=1',
	workerUrl: '/build/voice/encoder-worker.js?ver=1',
	maxSeconds: 60,
	consentText:
		'Your recording goes to OpenAI to be transcribed. Nothing is kept.',
};

/** A recorder the test drives: it records calls and shows whatever state it is given. */
function fakeRecorder() {
	const listeners = new Set< () => void >();
	const calls: string[] = [];
	let snapshot: RecorderSnapshot = {
		state: 'idle',
		elapsedMs: 0,
		maxDurationMs: 60_000,
		level: 0,
		holding: false,
		recording: null,
		error: null,
	};
	const recorder: Recorder = {
		getSnapshot: () => snapshot,
		subscribe( listener ) {
			listeners.add( listener );
			return () => listeners.delete( listener );
		},
		start: async () => {
			calls.push( 'start' );
		},
		stop: async () => null,
		cancel: () => calls.push( 'cancel' ),
		toggle: () => calls.push( 'toggle' ),
		press: () => calls.push( 'press' ),
		release: () => calls.push( 'release' ),
		dispose: () => calls.push( 'dispose' ),
	};
	return {
		recorder,
		calls,
		set( change: Partial< RecorderSnapshot > ) {
			snapshot = { ...snapshot, ...change };
			act( () => listeners.forEach( ( listener ) => listener() ) );
		},
	};
}

function fakeVoice( recorder: Recorder ) {
	const preload = vi.fn( async () => undefined );
	const module: VoiceModule = {
		...voiceModule,
		createRecorder: vi.fn( () => recorder ),
		browserRecorderDeps: vi.fn(
			() => ( {} ) as ReturnType< VoiceModule[ 'browserRecorderDeps' ] >
		),
		preloadVoiceAssets: preload,
	};
	return { module, load: vi.fn( async () => module ), preload };
}

let container: HTMLElement;
let root: ReturnType< typeof createRoot >;

beforeEach( () => {
	window.localStorage.clear();
	container = document.createElement( 'div' );
	document.body.appendChild( container );
	root = createRoot( container );
} );

afterEach( () => {
	act( () => root.unmount() );
	container.remove();
} );

const mic = () =>
	container.querySelector< HTMLButtonElement >( '.vvc-chat__mic' )!;
const byText = ( text: string ) =>
	[ ...container.querySelectorAll< HTMLButtonElement >( 'button' ) ].find(
		( button ) => button.textContent === text
	);

async function pointer( type: 'pointerdown' | 'pointerup', target: Element ) {
	await act( async () => {
		target.dispatchEvent(
			new MouseEvent( type, { bubbles: true, button: 0 } )
		);
	} );
}

async function renderButton(
	load: () => Promise< VoiceModule >,
	onRecording: ( recording: Recording ) => void = () => undefined,
	disabled = false
) {
	await act( async () => {
		root.render(
			<VoiceButton
				config={ voiceConfig }
				disabled={ disabled }
				onRecording={ onRecording }
				loadVoice={ load }
			/>
		);
	} );
}

describe( 'panelStyle', () => {
	it( 'places the recording panel over the question box, in physical pixels', () => {
		expect(
			panelStyle( { left: 52, top: 8, width: 300, height: 44 } )
		).toEqual( { left: 52, top: 8, width: 300, height: 44 } );
		expect( panelStyle( null ) ).toEqual( {} );
	} );
} );

describe( 'voiceButtonView', () => {
	it( 'names the action the button will take in each state', () => {
		expect( voiceButtonView( null, false ) ).toEqual( {
			label: 'Ask by voice',
			active: false,
			status: '',
		} );
		expect( voiceButtonView( null, true ).status ).toBe(
			'Preparing the microphone…'
		);
		expect(
			voiceButtonView( { state: 'recording', holding: true }, false )
		).toEqual( {
			label: 'Stop recording and send',
			active: true,
			status: 'Listening… release to send.',
		} );
		expect(
			voiceButtonView( { state: 'recording', holding: false }, false )
				.status
		).toBe( 'Listening… press again to send.' );
		expect(
			voiceButtonView(
				{ state: 'requesting-permission', holding: false },
				false
			).label
		).toBe( 'Cancel recording' );
		expect(
			voiceButtonView( { state: 'error', holding: false }, false ).active
		).toBe( false );
	} );

	it( 'formats times as m:ss', () => {
		expect( formatDuration( 0 ) ).toBe( '0:00' );
		expect( formatDuration( 4999 ) ).toBe( '0:04' );
		expect( formatDuration( 60_000 ) ).toBe( '1:00' );
		expect( formatDuration( 125_000 ) ).toBe( '2:05' );
	} );
} );

describe( 'VoiceButton', () => {
	it( 'loads the voice code only when the visitor reaches for the button', async () => {
		const fake = fakeRecorder();
		const { load, preload } = fakeVoice( fake.recorder );
		await renderButton( load );
		expect( load ).not.toHaveBeenCalled();
		expect( mic().getAttribute( 'aria-label' ) ).toBe( 'Ask by voice' );
		expect( mic().getAttribute( 'aria-pressed' ) ).toBe( 'false' );

		await act( async () => mic().focus() );
		expect( load ).toHaveBeenCalledTimes( 1 );
		expect( preload ).toHaveBeenCalledWith(
			{
				workletUrl: voiceConfig.workletUrl,
				workerUrl: voiceConfig.workerUrl,
			},
			expect.any( Function )
		);
	} );

	it( 'asks for consent before the first recording and remembers it in this browser', async () => {
		const fake = fakeRecorder();
		const { load } = fakeVoice( fake.recorder );
		await renderButton( load );
		await pointer( 'pointerdown', mic() );
		await act( async () => undefined );

		const dialog = container.querySelector( '[role="dialog"]' );
		expect( dialog?.textContent ).toContain( voiceConfig.consentText );
		expect( fake.calls ).toEqual( [] );
		expect( container.ownerDocument.activeElement ).toBe(
			byText( 'Agree and record' )
		);

		await act( async () => byText( 'Agree and record' )!.click() );
		expect( fake.calls ).toEqual( [ 'start' ] );
		expect( container.querySelector( '[role="dialog"]' ) ).toBeNull();
		expect( window.localStorage.getItem( 'vvc_voice_consent' ) ).toContain(
			'granted'
		);

		// A new widget on the next page: no notice, the press goes to the recorder.
		act( () => root.unmount() );
		root = createRoot( container );
		const next = fakeRecorder();
		await renderButton( fakeVoice( next.recorder ).load );
		await act( async () => mic().focus() );
		await pointer( 'pointerdown', mic() );
		await pointer( 'pointerup', mic() );
		expect( container.querySelector( '[role="dialog"]' ) ).toBeNull();
		expect( next.calls ).toEqual( [ 'press', 'release' ] );
	} );

	it( 'does not record when the visitor declines', async () => {
		const fake = fakeRecorder();
		await renderButton( fakeVoice( fake.recorder ).load );
		await pointer( 'pointerdown', mic() );
		await act( async () => undefined );
		await act( async () => byText( 'Not now' )!.click() );
		expect( fake.calls ).toEqual( [] );
		expect( container.ownerDocument.activeElement ).toBe( mic() );
		expect( window.localStorage.getItem( 'vvc_voice_consent' ) ).toContain(
			'declined'
		);
	} );

	it( 'shows the level, elapsed time, the limit and cancel while recording', async () => {
		// Granted on an earlier visit.
		voiceModule
			.createVoiceConsent( {
				storage: window.localStorage,
				notice: voiceConfig.consentText,
			} )
			.grant();
		const fake = fakeRecorder();
		await renderButton( fakeVoice( fake.recorder ).load );
		await act( async () => mic().focus() );
		fake.set( {
			state: 'recording',
			elapsedMs: 4200,
			level: 0.5,
			holding: false,
		} );

		expect( mic().getAttribute( 'aria-label' ) ).toBe(
			'Stop recording and send'
		);
		expect( mic().getAttribute( 'aria-pressed' ) ).toBe( 'true' );
		// Sized by the stylesheet like the shell's button, so nothing moves on mount.
		expect( mic().hasAttribute( 'style' ) ).toBe( false );
		expect(
			container.querySelector( '.vvc-chat__elapsed' )?.textContent
		).toBe( '0:04 of 1:00' );
		expect(
			container
				.querySelector< HTMLElement >( '.vvc-chat__meter-level' )
				?.style.getPropertyValue( '--vvc-level' )
		).toBe( '0.500' );
		expect(
			container.querySelector( '[role="status"]' )?.textContent
		).toBe( 'Listening… press again to send.' );

		// Keyboard: Enter/Space give a click with detail 0.
		await act( async () => {
			mic().dispatchEvent(
				new MouseEvent( 'click', { bubbles: true, detail: 0 } )
			);
		} );
		expect( fake.calls ).toContain( 'toggle' );

		await act( async () => byText( 'Cancel' )!.click() );
		expect( fake.calls ).toContain( 'cancel' );
	} );

	it( 'shows the recorder’s error message and hands over each recording once', async () => {
		const fake = fakeRecorder();
		const onRecording = vi.fn();
		await renderButton( fakeVoice( fake.recorder ).load, onRecording );
		await act( async () => mic().focus() );

		fake.set( {
			state: 'error',
			error: {
				code: 'vvc_mic_permission_denied',
				message: voiceModule.voiceErrorMessage(
					'vvc_mic_permission_denied'
				),
				status: 0,
			},
		} );
		expect(
			container.querySelector( '[role="alert"]' )?.textContent
		).toMatch( /Microphone access is blocked/ );

		const recording: Recording = {
			blob: new Blob( [ 'x' ] ),
			format: 'mp3',
			mimeType: 'audio/mpeg',
			filename: 'voice.mp3',
			sampleRate: 16000,
			durationMs: 3000,
			capturedMs: 3200,
			autoStopped: false,
		};
		fake.set( { state: 'done', error: null, recording } );
		fake.set( { elapsedMs: 3300 } );
		expect( onRecording ).toHaveBeenCalledTimes( 1 );
		expect( onRecording ).toHaveBeenCalledWith( recording );
		expect( container.querySelector( '[role="alert"]' ) ).toBeNull();
	} );

	it( 'reports a failed download and tries again on the next press', async () => {
		const fake = fakeRecorder();
		const { module } = fakeVoice( fake.recorder );
		const load = vi
			.fn< () => Promise< VoiceModule > >()
			.mockRejectedValueOnce( new Error( 'offline' ) )
			.mockResolvedValue( module );
		await renderButton( load );
		await pointer( 'pointerdown', mic() );
		await act( async () => undefined );
		expect(
			container.querySelector( '[role="alert"]' )?.textContent
		).toMatch( /could not be prepared/ );
		await pointer( 'pointerdown', mic() );
		await act( async () => undefined );
		expect( load ).toHaveBeenCalledTimes( 2 );
		expect( container.querySelector( '[role="dialog"]' ) ).not.toBeNull();
	} );
} );

describe( 'Chat with voice', () => {
	const config = {
		restRoot: '/wp-json/',
		imageMaxSide: 1024,
		historyTurns: 10,
		turnMaxChars: 4000,
		voice: voiceConfig,
	};
	const texts = {
		title: 'Ask us',
		greeting: 'Hello!',
		placeholder: 'Type…',
		inputId: 'q',
		voiceSlot: true,
	};
	const handoff = {
		text: '',
		focused: false,
		selectionStart: 0,
		selectionEnd: 0,
		submit: false,
		attach: false,
	};

	async function renderChat(
		api: ChatApi,
		allowVoice: boolean,
		load: () => Promise< VoiceModule >
	) {
		await act( async () => {
			root.render(
				<Chat
					api={ api }
					config={ config }
					options={ { allowImages: true, allowVoice } }
					texts={ texts }
					handoff={ handoff }
					loadVoice={ load }
				/>
			);
		} );
	}

	it( 'has no microphone without a place for it in the shell', async () => {
		const fake = fakeRecorder();
		const api: ChatApi = { ensureSession: vi.fn(), send: vi.fn() };
		await act( async () => {
			root.render(
				<Chat
					api={ api }
					config={ config }
					options={ { allowImages: true, allowVoice: true } }
					texts={ { ...texts, voiceSlot: false } }
					handoff={ handoff }
					loadVoice={ fakeVoice( fake.recorder ).load }
				/>
			);
		} );
		expect( container.querySelector( '.vvc-chat__mic' ) ).toBeNull();
	} );

	it( 'has no microphone when the block does not allow voice', async () => {
		const fake = fakeRecorder();
		const api: ChatApi = {
			ensureSession: vi.fn(),
			send: vi.fn(),
		};
		await renderChat( api, false, fakeVoice( fake.recorder ).load );
		expect( container.querySelector( '.vvc-chat__mic' ) ).toBeNull();
	} );

	it( 'sends the recording, shows the transcript as the question and plays the spoken reply', async () => {
		const started: number[] = [];
		class FakeAudioContext {
			currentTime = 0;
			destination = {};
			state = 'running';
			resume = async () => undefined;
			close = async () => undefined;
			createBuffer( _channels: number, length: number, rate: number ) {
				return {
					duration: length / rate,
					copyToChannel: () => undefined,
				};
			}
			createBufferSource() {
				return {
					buffer: null,
					playbackRate: { value: 1 },
					onended: null,
					connect: () => undefined,
					start: ( when: number ) => started.push( when ),
					stop: () => undefined,
				};
			}
		}
		vi.stubGlobal( 'AudioContext', FakeAudioContext );
		voiceModule
			.createVoiceConsent( {
				storage: window.localStorage,
				notice: voiceConfig.consentText,
			} )
			.grant();

		let request: ChatRequest | null = null;
		let finish: () => void = () => undefined;
		const api: ChatApi = {
			ensureSession: vi.fn(),
			send: vi.fn( ( sent: ChatRequest ) => {
				request = sent;
				return new Promise< ChatResult >( ( resolve ) => {
					finish = () =>
						resolve( {
							reply: 'It is noon.',
							finishReason: 'stop',
						} );
				} );
			} ),
		};
		const fake = fakeRecorder();
		await renderChat( api, true, fakeVoice( fake.recorder ).load );
		await act( async () => mic().focus() );
		await pointer( 'pointerdown', mic() );
		await pointer( 'pointerup', mic() );
		expect( fake.calls ).toEqual( [ 'press', 'release' ] );

		const recording: Recording = {
			blob: new Blob( [ 'mp3' ], { type: 'audio/mpeg' } ),
			format: 'mp3',
			mimeType: 'audio/mpeg',
			filename: 'voice.mp3',
			sampleRate: 16000,
			durationMs: 2000,
			capturedMs: 2100,
			autoStopped: false,
		};
		fake.set( { state: 'done', recording } );
		const sent = request as unknown as ChatRequest;
		expect( sent.message ).toBe( '' );
		expect( sent.audio ).toEqual( {
			blob: recording.blob,
			filename: 'voice.mp3',
		} );
		const question = () =>
			container.querySelector( '.vvc-chat__message--user' )!;
		expect( question().textContent ).toContain( 'Voice question…' );

		await act( async () => {
			sent.onDelta?.( 'It is ' );
			sent.onTranscript?.( 'What time is it?' );
			// 0.1 s of pcm16 at 24 kHz.
			sent.onAudio?.( {
				format: 'pcm16',
				sampleRate: 24000,
				data: btoa(
					String.fromCharCode( ...new Array( 4800 ).fill( 0 ) )
				),
				label: 'AI-generated voice (demo)',
			} );
		} );
		expect( question().textContent ).toContain( 'What time is it?' );
		expect( started ).toEqual( [ 0 ] );
		const group = container.querySelector( '[role="group"]' )!;
		expect( group.getAttribute( 'aria-label' ) ).toBe( 'Spoken answer' );
		expect( group.textContent ).toContain( 'AI-generated voice (demo)' );
		const caption = container.querySelector(
			'#' + group.getAttribute( 'aria-describedby' )
		);
		expect( caption?.className ).toContain(
			'vvc-chat__message--assistant'
		);
		expect( byText( 'Pause' ) ).toBeDefined();
		expect( group.querySelector( 'select' )?.value ).toBe( '1' );

		await act( async () => finish() );
		expect( caption?.isConnected ).toBe( false );
		// The finished answer is a new node with the full text; the player stays.
		expect( container.textContent ).toContain( 'It is noon.' );
		expect( container.querySelector( '[role="group"]' ) ).toBe( group );
		await act( async () => byText( 'Pause' )!.click() );
		expect( byText( 'Play' ) ).toBeDefined();
		vi.unstubAllGlobals();
	} );
} );
