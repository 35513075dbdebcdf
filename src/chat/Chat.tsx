/**
 * The chat widget: takes over the server-rendered shell with the same structure, so the
 * page does not move when it mounts.
 */
import { __ } from '@wordpress/i18n';
import {
	useCallback,
	useEffect,
	useLayoutEffect,
	useRef,
	useState,
} from '@wordpress/element';
import type { UIEvent } from 'react';

import type { ApiError, ChatApi, ChatRequest } from '../lib/api';
import { CODE_ABORTED, normalizeError } from '../lib/api';
import type { BlockOptions, Handoff, WidgetConfig } from '../lib/boot';
import { ImageError, prepareImage } from '../lib/image';
import type { PreparedImage } from '../lib/image';
import { createPcmPlayer } from '../lib/pcm-player';
import type { PcmPlayer, PlayerContextLike } from '../lib/pcm-player';
import type { Recording } from '../voice';
import { Composer } from './Composer';
import type { Attachment } from './Composer';
import { buildHistory } from './conversation';
import type { Message } from './conversation';
import { imageErrorMessage } from './errors';
import { MessageList } from './MessageList';
import type { VoiceButtonProps } from './VoiceButton';

export type ShellTexts = {
	title: string;
	greeting: string;
	placeholder: string;
	inputId: string;
	/**
	 * The shell reserves the microphone's place (render.php prints `.vvc-chat__mic`), so
	 * adding it on mount moves nothing. Without that the widget shows no microphone.
	 */
	voiceSlot?: boolean;
};

export type ChatProps = {
	api: ChatApi;
	config: WidgetConfig;
	options: BlockOptions;
	texts: ShellTexts;
	handoff: Handoff;
	/** Loads the voice modules (tests hand in fakes; the default downloads the chunk). */
	loadVoice?: VoiceButtonProps[ 'loadVoice' ];
};

type PendingRequest = Omit<
	ChatRequest,
	'signal' | 'onDelta' | 'onTranscript' | 'onAudio' | 'onAudioError'
>;

type AudioWindow = {
	AudioContext?: new () => AudioContext;
	webkitAudioContext?: new () => AudioContext;
};

/** Within this distance of the bottom, new text keeps the log scrolled to the end. */
const STICK_DISTANCE = 48;

let lastId = 0;
function nextId(): string {
	lastId += 1;
	return String( lastId );
}

export function Chat( {
	api,
	config,
	options,
	texts,
	handoff,
	loadVoice,
}: ChatProps ) {
	const [ messages, setMessages ] = useState< Message[] >( [] );
	const [ input, setInput ] = useState( handoff.text );
	const [ busy, setBusy ] = useState( false );
	const [ photo, setPhoto ] = useState< {
		prepared: PreparedImage;
		preview: Attachment;
	} | null >( null );
	const [ preparing, setPreparing ] = useState( false );
	const [ notice, setNotice ] = useState( '' );

	const inputRef = useRef< HTMLTextAreaElement >( null );
	const fileInputRef = useRef< HTMLInputElement >( null );
	const attachRef = useRef< HTMLButtonElement >( null );
	const logRef = useRef< HTMLDivElement >( null );
	const stickToBottom = useRef( true );
	const abortRef = useRef< AbortController | null >( null );
	const messagesRef = useRef( messages );
	messagesRef.current = messages;
	// What each answer was asked with, so "Try again" can resend it.
	const requests = useRef( new Map< string, PendingRequest >() );
	const objectUrls = useRef< string[] >( [] );
	const sessionAsked = useRef( false );
	// Which question each answer belongs to, so its transcript lands on the right message.
	const questionOf = useRef( new Map< string, string >() );
	const players = useRef( new Map< string, PcmPlayer >() );
	const audioContext = useRef< PlayerContextLike | null >( null );

	const disposePlayer = useCallback( ( id: string ) => {
		players.current.get( id )?.dispose();
		players.current.delete( id );
	}, [] );

	// Created inside the visitor's gesture (the mic press): browsers only let a context
	// started that way make sound once the reply arrives.
	const unlockAudio = useCallback( () => {
		if ( ! audioContext.current ) {
			const win = window as unknown as AudioWindow;
			const Context = win.AudioContext ?? win.webkitAudioContext;
			if ( ! Context ) {
				return;
			}
			audioContext.current =
				new Context() as unknown as PlayerContextLike;
		}
		if ( audioContext.current.state === 'suspended' ) {
			audioContext.current.resume().catch( () => undefined );
		}
	}, [] );

	const update = useCallback( ( id: string, change: Partial< Message > ) => {
		setMessages( ( list ) =>
			list.map( ( message ) =>
				message.id === id ? { ...message, ...change } : message
			)
		);
	}, [] );

	const run = useCallback(
		async ( replyId: string, request: PendingRequest ) => {
			const controller = new AbortController();
			abortRef.current = controller;
			setBusy( true );
			let text = '';
			let frame = 0;
			let player: PcmPlayer | undefined;
			const questionId = questionOf.current.get( replyId );
			// One render per frame however fast the pieces arrive.
			const flush = () => {
				frame = 0;
				update( replyId, { text } );
			};
			try {
				const result = await api.send( {
					...request,
					signal: controller.signal,
					onDelta: ( piece ) => {
						text += piece;
						frame ||= requestAnimationFrame( flush );
					},
					onTranscript: ( transcript ) => {
						if ( questionId ) {
							update( questionId, { text: transcript } );
						}
					},
					onAudio: ( chunk ) => {
						const context = audioContext.current;
						if ( ! context ) {
							return;
						}
						if ( ! player ) {
							player = createPcmPlayer( context );
							players.current.set( replyId, player );
							update( replyId, {
								audioLabel: chunk.label ?? '',
							} );
						}
						player.append( chunk.data, chunk.sampleRate );
					},
					onAudioError: ( audioError ) => {
						update( replyId, { audioError } );
					},
				} );
				cancelAnimationFrame( frame );
				update( replyId, {
					text: result.reply || text,
					state: 'done',
				} );
			} catch ( thrown ) {
				cancelAnimationFrame( frame );
				const error: ApiError = await normalizeError( thrown );
				if ( error.code === CODE_ABORTED ) {
					update( replyId, { text, state: 'stopped' } );
				} else {
					update( replyId, { text, state: 'error', error } );
				}
			} finally {
				player?.end();
				if ( abortRef.current === controller ) {
					abortRef.current = null;
					setBusy( false );
				}
			}
		},
		[ api, update ]
	);

	/**
	 * Adds a question and its answer-to-be to the log and sends it, with the photo when
	 * there is one (typed, suggested and spoken questions alike).
	 * @param message The question's text ('' for a recording).
	 * @param audio   The recording of a spoken question.
	 */
	const ask = useCallback(
		( message: string, audio?: ChatRequest[ 'audio' ] ) => {
			const request: PendingRequest = {
				message,
				history: buildHistory(
					messagesRef.current,
					config.historyTurns,
					config.turnMaxChars
				),
				image: photo?.prepared.blob ?? null,
				...( audio ? { audio } : {} ),
			};
			const userId = nextId();
			const replyId = nextId();
			requests.current.set( replyId, request );
			if ( audio ) {
				questionOf.current.set( replyId, userId );
			}
			setMessages( ( list ) => [
				...list,
				{
					id: userId,
					role: 'user',
					text: message,
					state: 'done',
					imageUrl: photo?.preview.url,
					...( audio ? { voice: true } : {} ),
				},
				{
					id: replyId,
					role: 'assistant',
					text: '',
					state: 'streaming',
				},
			] );
			setPhoto( null );
			setNotice( '' );
			stickToBottom.current = true;
			run( replyId, request );
		},
		[ photo, config, run ]
	);

	const send = useCallback( () => {
		const text = input.trim();
		if ( busy || preparing || ( ! text && ! photo ) ) {
			inputRef.current?.focus();
			return;
		}
		setInput( '' );
		ask(
			text ||
				__(
					'What can you tell me about this photo?',
					'voice-vision-chat'
				)
		);
	}, [ input, busy, preparing, photo, ask ] );

	// A question suggested by the budget notice: answered by the FAQ, which costs nothing.
	const askSuggested = useCallback(
		( question: string ) => {
			if ( abortRef.current ) {
				return;
			}
			inputRef.current?.focus();
			ask( question );
		},
		[ ask ]
	);

	const sendVoice = useCallback(
		( recording: Recording ) => {
			if ( abortRef.current ) {
				return;
			}
			// The question is the recording, so the text box keeps what was typed.
			ask( '', { blob: recording.blob, filename: recording.filename } );
		},
		[ ask ]
	);

	const playerFor = useCallback(
		( id: string ) => players.current.get( id ),
		[]
	);

	const stop = useCallback( () => abortRef.current?.abort(), [] );

	const retry = useCallback(
		( replyId: string ) => {
			const request = requests.current.get( replyId );
			if ( ! request || abortRef.current ) {
				return;
			}
			disposePlayer( replyId );
			update( replyId, {
				text: '',
				state: 'streaming',
				error: undefined,
				audioLabel: undefined,
				audioError: undefined,
			} );
			stickToBottom.current = true;
			// The Try again button goes away: keep the keyboard in the composer.
			inputRef.current?.focus();
			run( replyId, request );
		},
		[ run, update, disposePlayer ]
	);

	const reset = useCallback( () => {
		abortRef.current?.abort();
		abortRef.current = null;
		setBusy( false );
		setMessages( [] );
		requests.current.clear();
		questionOf.current.clear();
		players.current.forEach( ( player ) => player.dispose() );
		players.current.clear();
		objectUrls.current.forEach( ( url ) => URL.revokeObjectURL( url ) );
		objectUrls.current = [];
		setPhoto( null );
		setNotice( '' );
		inputRef.current?.focus();
	}, [] );

	const pickImage = useCallback(
		async ( file: File ) => {
			setPreparing( true );
			setNotice( '' );
			try {
				const prepared = await prepareImage(
					file,
					config.imageMaxSide
				);
				const url = URL.createObjectURL( prepared.blob );
				objectUrls.current.push( url );
				setPhoto( {
					prepared,
					preview: {
						url,
						width: prepared.width,
						height: prepared.height,
					},
				} );
			} catch ( error ) {
				setNotice(
					imageErrorMessage(
						error instanceof ImageError
							? error.code
							: 'decode_failed'
					)
				);
			} finally {
				setPreparing( false );
			}
		},
		[ config.imageMaxSide ]
	);

	const removeImage = useCallback( () => {
		setPhoto( null );
		attachRef.current?.focus();
	}, [] );

	const changeInput = useCallback(
		( value: string ) => {
			setInput( value );
			// The visitor is writing: get the session now so sending does not wait for it.
			if ( ! sessionAsked.current ) {
				sessionAsked.current = true;
				api.ensureSession().catch( () => undefined );
			}
		},
		[ api ]
	);

	const onLogScroll = useCallback( ( event: UIEvent< HTMLDivElement > ) => {
		const log = event.currentTarget;
		stickToBottom.current =
			log.scrollHeight - log.scrollTop - log.clientHeight <
			STICK_DISTANCE;
	}, [] );

	useLayoutEffect( () => {
		const log = logRef.current;
		if ( log && stickToBottom.current ) {
			log.scrollTop = log.scrollHeight;
		}
	}, [ messages ] );

	// Carry over what the visitor did in the shell before the widget arrived.
	const handedOff = useRef( false );
	useLayoutEffect( () => {
		if ( handedOff.current ) {
			return;
		}
		handedOff.current = true;
		const field = inputRef.current;
		if ( handoff.focused && field ) {
			field.focus();
			field.setSelectionRange(
				handoff.selectionStart,
				handoff.selectionEnd
			);
		}
		if ( handoff.attach ) {
			fileInputRef.current?.click();
		}
	}, [ handoff ] );
	useEffect( () => {
		if ( handoff.submit && handoff.text.trim() ) {
			send();
		}
		// Only once, with the handed-off text.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [] );

	useEffect(
		() => () => {
			abortRef.current?.abort();
			objectUrls.current.forEach( ( url ) => URL.revokeObjectURL( url ) );
			players.current.forEach( ( player ) => player.dispose() );
			audioContext.current?.close().catch( () => undefined );
		},
		[]
	);

	return (
		<>
			<div className="vvc-chat__header">
				<h2 className="vvc-chat__title">{ texts.title }</h2>
				{ messages.length > 0 && (
					<button
						type="button"
						className="vvc-chat__new"
						onClick={ reset }
					>
						{ __( 'New conversation', 'voice-vision-chat' ) }
					</button>
				) }
			</div>
			<MessageList
				ref={ logRef }
				greeting={ texts.greeting }
				messages={ messages }
				onRetry={ retry }
				onAsk={ askSuggested }
				onScroll={ onLogScroll }
				playerFor={ playerFor }
			/>
			<p className="screen-reader-text" role="status">
				{ busy
					? __( 'The assistant is answering…', 'voice-vision-chat' )
					: '' }
			</p>
			<Composer
				inputId={ texts.inputId }
				inputRef={ inputRef }
				fileInputRef={ fileInputRef }
				attachRef={ attachRef }
				value={ input }
				placeholder={ texts.placeholder }
				maxLength={ config.turnMaxChars }
				busy={ busy }
				allowImages={ options.allowImages }
				attachment={ photo?.preview ?? null }
				preparing={ preparing }
				notice={ notice }
				onChange={ changeInput }
				onSend={ send }
				onStop={ stop }
				onPickImage={ pickImage }
				onRemoveImage={ removeImage }
				voice={
					options.allowVoice && texts.voiceSlot && config.voice
						? config.voice
						: null
				}
				onRecording={ sendVoice }
				onVoiceGesture={ unlockAudio }
				loadVoice={ loadVoice }
			/>
		</>
	);
}
