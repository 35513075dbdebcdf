/**
 * The microphone button: tap to start and tap again to send, or hold to talk and release to
 * send; Enter/Space toggle it from the keyboard. The recorder (worklet, encoder worker) is
 * downloaded only when the visitor first reaches for the button, and the site owner's
 * consent notice is shown before the first recording.
 */
import { __, sprintf } from '@wordpress/i18n';
import {
	useCallback,
	useEffect,
	useLayoutEffect,
	useRef,
	useState,
} from '@wordpress/element';
import type { CSSProperties, MouseEvent, PointerEvent, RefObject } from 'react';

import type { VoiceConfig } from '../lib/boot';
import { MicIcon } from '../lib/icons';
import type {
	Recorder,
	RecorderSnapshot,
	Recording,
	VoiceConsent,
} from '../voice';

export type VoiceModule = typeof import( '../voice' );

export type VoiceButtonProps = {
	config: VoiceConfig;
	/** An answer is on its way: no new question yet. */
	disabled: boolean;
	/** A finished recording, to send. */
	onRecording: ( recording: Recording ) => void;
	/** Runs inside the visitor's gesture, so the reply's audio may play later. */
	onGesture?: () => void;
	/** Loads the voice modules (a parameter so tests hand in fakes). */
	loadVoice?: () => Promise< VoiceModule >;
	/**
	 * The question box: while recording, the level meter, time and Cancel cover it (typing
	 * is not needed then), so showing them moves nothing.
	 */
	anchorRef?: RefObject< HTMLElement >;
};

type Overlay = { left: number; top: number; width: number; height: number };

/**
 * Where the recording panel goes: over the question box. Only the measured geometry is
 * inline, in physical pixels (offsetLeft is physical, and right-to-left stylesheets flip
 * `left`); everything else is in the block's stylesheet.
 *
 * @param overlay The question box's place in the form, null before it is measured.
 */
export function panelStyle( overlay: Overlay | null ): CSSProperties {
	if ( ! overlay ) {
		return {};
	}
	return {
		left: overlay.left,
		top: overlay.top,
		width: overlay.width,
		height: overlay.height,
	};
}

export type VoiceButtonView = {
	/** The button's accessible name. */
	label: string;
	/** Capture is starting, running or being finished. */
	active: boolean;
	/** What is happening, for the visible status line ('' when idle). */
	status: string;
};

function loadVoiceChunk(): Promise< VoiceModule > {
	return import( /* webpackChunkName: "voice/recorder" */ '../voice' );
}

/**
 * m:ss for a duration.
 *
 * @param ms Milliseconds.
 */
export function formatDuration( ms: number ): string {
	const total = Math.max( 0, Math.floor( ms / 1000 ) );
	const seconds = total % 60;
	return `${ Math.floor( total / 60 ) }:${ seconds < 10 ? '0' : '' }${ seconds }`;
}

/**
 * What the button says for the recorder's state.
 *
 * @param snapshot The recorder's state, null before it exists.
 * @param loading  The voice modules are being downloaded.
 */
export function voiceButtonView(
	snapshot: Pick< RecorderSnapshot, 'state' | 'holding' > | null,
	loading: boolean
): VoiceButtonView {
	const state = snapshot?.state ?? 'idle';
	if ( loading ) {
		return {
			label: __( 'Ask by voice', 'voice-vision-chat' ),
			active: false,
			status: __( 'Preparing the microphone…', 'voice-vision-chat' ),
		};
	}
	switch ( state ) {
		case 'requesting-permission':
			return {
				label: __( 'Cancel recording', 'voice-vision-chat' ),
				active: true,
				status: __( 'Starting the microphone…', 'voice-vision-chat' ),
			};
		case 'recording':
			return {
				label: __( 'Stop recording and send', 'voice-vision-chat' ),
				active: true,
				status: snapshot?.holding
					? __( 'Listening… release to send.', 'voice-vision-chat' )
					: __(
							'Listening… press again to send.',
							'voice-vision-chat'
						),
			};
		case 'stopping':
			return {
				label: __( 'Sending your recording', 'voice-vision-chat' ),
				active: true,
				status: __( 'Preparing your recording…', 'voice-vision-chat' ),
			};
	}
	return {
		label: __( 'Ask by voice', 'voice-vision-chat' ),
		active: false,
		status: '',
	};
}

export function VoiceButton( {
	config,
	disabled,
	onRecording,
	onGesture,
	loadVoice = loadVoiceChunk,
	anchorRef,
}: VoiceButtonProps ) {
	const [ overlay, setOverlay ] = useState< Overlay | null >( null );
	useLayoutEffect( () => {
		const anchor = anchorRef?.current;
		if ( ! anchor ) {
			return undefined;
		}
		const place = () =>
			setOverlay( {
				left: anchor.offsetLeft,
				top: anchor.offsetTop,
				width: anchor.offsetWidth,
				height: anchor.offsetHeight,
			} );
		place();
		if ( typeof ResizeObserver === 'undefined' ) {
			return undefined;
		}
		const observer = new ResizeObserver( place );
		observer.observe( anchor );
		return () => observer.disconnect();
	}, [ anchorRef ] );
	const [ snapshot, setSnapshot ] = useState< RecorderSnapshot | null >(
		null
	);
	const [ loading, setLoading ] = useState( false );
	const [ loadFailed, setLoadFailed ] = useState( false );
	const [ asking, setAsking ] = useState( false );
	const voiceRef = useRef< {
		recorder: Recorder;
		consent: VoiceConsent;
	} | null >( null );
	const pendingLoad = useRef< Promise< boolean > | null >( null );
	const handled = useRef< Recording | null >( null );
	const onRecordingRef = useRef( onRecording );
	onRecordingRef.current = onRecording;
	const buttonRef = useRef< HTMLButtonElement >( null );
	const allowRef = useRef< HTMLButtonElement >( null );

	const ensureLoaded = useCallback( (): Promise< boolean > => {
		if ( voiceRef.current ) {
			return Promise.resolve( true );
		}
		if ( ! pendingLoad.current ) {
			setLoading( true );
			setLoadFailed( false );
			pendingLoad.current = loadVoice()
				.then( ( voice ) => {
					const urls = {
						workletUrl: config.workletUrl,
						workerUrl: config.workerUrl,
					};
					const recorder = voice.createRecorder(
						voice.browserRecorderDeps( window, urls ),
						{ maxDurationMs: config.maxSeconds * 1000 }
					);
					const consent = voice.createVoiceConsent( {
						storage: voice.browserStorage( window ),
						notice: config.consentText,
					} );
					recorder.subscribe( () => {
						const next = recorder.getSnapshot();
						setSnapshot( next );
						if (
							next.state === 'done' &&
							next.recording &&
							next.recording !== handled.current
						) {
							handled.current = next.recording;
							onRecordingRef.current( next.recording );
						}
					} );
					voiceRef.current = { recorder, consent };
					setSnapshot( recorder.getSnapshot() );
					// Warm the cache while the visitor reads the notice or starts speaking.
					voice
						.preloadVoiceAssets( urls, ( url, init ) =>
							window.fetch( url, init )
						)
						.catch( () => undefined );
					return true;
				} )
				.catch( () => {
					// A failed download may be retried on the next press.
					pendingLoad.current = null;
					setLoadFailed( true );
					return false;
				} )
				.finally( () => setLoading( false ) );
		}
		return pendingLoad.current;
	}, [ config, loadVoice ] );

	useEffect(
		() => () => {
			voiceRef.current?.recorder.dispose();
		},
		[]
	);

	useEffect( () => {
		if ( asking ) {
			allowRef.current?.focus();
		}
	}, [ asking ] );

	/**
	 * First use: download, then ask for consent or start.
	 *
	 * @param mode 'press' for a pointer, 'toggle' for a keyboard or assistive technology.
	 */
	function begin( mode: 'press' | 'toggle' ) {
		onGesture?.();
		const voice = voiceRef.current;
		if ( voice && ! voice.consent.needsConsent() ) {
			if ( mode === 'press' ) {
				voice.recorder.press();
			} else {
				voice.recorder.toggle();
			}
			return;
		}
		ensureLoaded().then( ( ready ) => {
			const loaded = voiceRef.current;
			if ( ! ready || ! loaded ) {
				return;
			}
			if ( loaded.consent.needsConsent() ) {
				setAsking( true );
			} else {
				void loaded.recorder.start();
			}
		} );
	}

	function onPointerDown( event: PointerEvent< HTMLButtonElement > ) {
		if ( event.button !== 0 || disabled ) {
			return;
		}
		begin( 'press' );
	}

	function onPointerUp() {
		voiceRef.current?.recorder.release();
	}

	function onClick( event: MouseEvent< HTMLButtonElement > ) {
		// Pointer clicks were handled on pointerdown; detail 0 is Enter, Space or a screen
		// reader's activation.
		if ( event.detail === 0 && ! disabled ) {
			begin( 'toggle' );
		}
	}

	function allow() {
		const voice = voiceRef.current;
		setAsking( false );
		if ( voice ) {
			voice.consent.grant();
			onGesture?.();
			void voice.recorder.start();
		}
		buttonRef.current?.focus();
	}

	function decline() {
		voiceRef.current?.consent.decline();
		setAsking( false );
		buttonRef.current?.focus();
	}

	function cancel() {
		voiceRef.current?.recorder.cancel();
		buttonRef.current?.focus();
	}

	const view = voiceButtonView( snapshot, loading );
	const recording = snapshot?.state === 'recording';
	const error = snapshot?.state === 'error' ? snapshot.error : null;
	const maxMs = snapshot?.maxDurationMs ?? config.maxSeconds * 1000;
	const level = recording ? ( snapshot?.level ?? 0 ) : 0;
	return (
		// Laid out as if its children were the form's own (display: contents in the stylesheet).
		<div className="vvc-chat__voice">
			<button
				ref={ buttonRef }
				type="button"
				className={
					'vvc-chat__mic' +
					( view.active ? ' vvc-chat__mic--active' : '' )
				}
				aria-label={ view.label }
				aria-pressed={ view.active }
				aria-busy={ loading || undefined }
				disabled={ disabled && ! view.active }
				onPointerEnter={ () => {
					ensureLoaded().catch( () => undefined );
				} }
				onFocus={ () => {
					ensureLoaded().catch( () => undefined );
				} }
				onPointerDown={ onPointerDown }
				onPointerUp={ onPointerUp }
				onPointerCancel={ onPointerUp }
				onClick={ onClick }
				// A long press would open the context menu on phones.
				onContextMenu={ ( event ) => event.preventDefault() }
			>
				<MicIcon />
			</button>
			{ asking && (
				<div
					className="vvc-chat__consent"
					role="dialog"
					aria-modal="false"
					aria-label={ __(
						'Before you record',
						'voice-vision-chat'
					) }
				>
					<p className="vvc-chat__consent-text">
						{ config.consentText }
					</p>
					<button
						ref={ allowRef }
						type="button"
						className="vvc-chat__consent-allow"
						onClick={ allow }
					>
						{ __( 'Agree and record', 'voice-vision-chat' ) }
					</button>
					<button
						type="button"
						className="vvc-chat__consent-decline"
						onClick={ decline }
					>
						{ __( 'Not now', 'voice-vision-chat' ) }
					</button>
				</div>
			) }
			{ view.active && (
				<div
					className="vvc-chat__recording"
					style={ panelStyle( overlay ) }
				>
					<span className="vvc-chat__meter" aria-hidden="true">
						<span
							className="vvc-chat__meter-level"
							style={
								{
									'--vvc-level': level.toFixed( 3 ),
								} as CSSProperties
							}
						/>
					</span>{ ' ' }
					<span className="vvc-chat__elapsed">
						{ sprintf(
							/* translators: 1: time recorded, 2: longest recording allowed (both m:ss). */
							__( '%1$s of %2$s', 'voice-vision-chat' ),
							formatDuration( snapshot?.elapsedMs ?? 0 ),
							formatDuration( maxMs )
						) }
					</span>{ ' ' }
					<button
						type="button"
						className="vvc-chat__cancel"
						onClick={ cancel }
					>
						{ __( 'Cancel', 'voice-vision-chat' ) }
					</button>
				</div>
			) }
			<p className="screen-reader-text" role="status">
				{ view.status }
			</p>
			{ ( error || loadFailed ) && (
				<p className="vvc-chat__notice" role="alert">
					{ error
						? error.message
						: __(
								'The microphone could not be prepared. Please check your connection and try again.',
								'voice-vision-chat'
							) }
				</p>
			) }
		</div>
	);
}
