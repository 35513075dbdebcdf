/**
 * Front-end entry, kept tiny (no React, no WordPress packages): it waits for the visitor to
 * touch a chat shell, then loads the widget and the WordPress scripts it needs that the
 * page does not have yet, and mounts it on the shell. Visitors who never use the chat
 * download nothing more.
 *
 * The list of scripts comes from the boot object (window.vvcChatBoot) that the server
 * prints before this file; see includes/Block/Widget_Loader.php.
 */
import type { Boot, BootScript, Handoff } from '../../lib/boot';

const SHELL_SELECTOR = '.wp-block-voice-vision-chat-chat';
const MIC_SELECTOR = '.vvc-chat__mic';
/** How long, in frames, the loader waits for the widget's microphone to appear. */
const MIC_WAIT_FRAMES = 60;
const TRIGGERS = [ 'focusin', 'pointerdown', 'keydown' ] as const;

type Shell = {
	element: HTMLElement;
	submit: boolean;
	attach: boolean;
	/** The visitor reached for the shell's microphone: it gets the widget's one focused. */
	mic: boolean;
	/** Removes the shell's listeners once the widget owns it. */
	listeners: AbortController;
};

let shells: Shell[] = [];
let loading: Promise< void > | null = null;

function runInline( doc: Document, code: string | undefined, id: string ) {
	if ( code ) {
		const script = doc.createElement( 'script' );
		script.id = id;
		script.text = code;
		doc.head.appendChild( script );
	}
}

function loadScript( doc: Document, entry: BootScript ): Promise< void > {
	const id = entry.handle + '-js';
	if ( doc.getElementById( id ) ) {
		return Promise.resolve();
	}
	runInline( doc, entry.before, id + '-before' );
	return new Promise( ( resolve, reject ) => {
		const script = doc.createElement( 'script' );
		script.id = id;
		script.src = entry.src;
		script.onload = () => {
			runInline( doc, entry.after, id + '-after' );
			resolve();
		};
		script.onerror = () => {
			// Removed so a later attempt downloads it again.
			script.remove();
			reject( new Error( entry.src ) );
		};
		doc.head.appendChild( script );
	} );
}

/**
 * Runs the scripts in order, skipping those already on the page. All downloads start at
 * once (preload); each script still runs only after the one before it.
 *
 * @param doc     The page.
 * @param scripts The widget's scripts in dependency order, the widget last.
 */
export async function loadScripts(
	doc: Document,
	scripts: BootScript[]
): Promise< void > {
	const missing = scripts.filter(
		( entry ) => ! doc.getElementById( entry.handle + '-js' )
	);
	for ( const entry of missing ) {
		const link = doc.createElement( 'link' );
		link.rel = 'preload';
		link.as = 'script';
		link.href = entry.src;
		doc.head.appendChild( link );
	}
	for ( const entry of missing ) {
		await loadScript( doc, entry );
	}
}

function handoff( shell: Shell ): Handoff {
	const input = shell.element.querySelector( 'textarea' );
	return {
		text: input?.value ?? '',
		focused: !! input && input === input.ownerDocument.activeElement,
		selectionStart: input?.selectionStart ?? 0,
		selectionEnd: input?.selectionEnd ?? 0,
		submit: shell.submit,
		attach: shell.attach,
	};
}

/**
 * Moves focus to the widget's microphone once it has rendered (React replaces the shell's
 * button, and focus would fall back to the page).
 *
 * @param shell The shell the widget was mounted on.
 * @param old   The shell's own microphone button.
 */
function focusWidgetMic( shell: HTMLElement, old: Element | null ) {
	const win = shell.ownerDocument.defaultView;
	let frames = 0;
	const look = () => {
		const mic = shell.querySelector< HTMLElement >( MIC_SELECTOR );
		if ( mic && mic !== old ) {
			mic.focus();
		} else if ( win && ++frames < MIC_WAIT_FRAMES ) {
			win.requestAnimationFrame( look );
		}
	};
	look();
}

function showLoadError( shell: HTMLElement, message: string ) {
	const log = shell.querySelector( '[role="log"]' );
	if ( log && ! log.querySelector( '.vvc-chat__load-error' ) ) {
		const note = shell.ownerDocument.createElement( 'p' );
		note.className =
			'vvc-chat__message vvc-chat__message--error vvc-chat__load-error';
		note.textContent = message;
		log.appendChild( note );
	}
}

/**
 * Loads the widget once (concurrent triggers share the download) and mounts it on every
 * shell of the page. A failed download can be retried by interacting again.
 *
 * @param doc The page.
 */
export function loadWidget( doc: Document ): Promise< void > {
	const win = doc.defaultView;
	const boot: Boot | undefined = win?.vvcChatBoot;
	shells = shells.filter( ( shell ) => shell.element.isConnected );
	shells.forEach( ( shell ) => {
		shell.element.dataset.vvcState = 'loading';
		shell.element.setAttribute( 'aria-busy', 'true' );
		shell.element.querySelector( '.vvc-chat__load-error' )?.remove();
	} );
	loading ??= boot
		? loadScripts( doc, boot.scripts )
		: Promise.reject( new Error( 'vvcChatBoot is missing' ) );
	return loading
		.then( () => {
			const widget = win?.vvcChatWidget;
			if ( ! widget || ! boot ) {
				throw new Error( 'vvcChatWidget is missing' );
			}
			const ready = shells;
			shells = [];
			for ( const shell of ready ) {
				shell.listeners.abort();
				shell.element.removeAttribute( 'aria-busy' );
				const mic = shell.element.querySelector( MIC_SELECTOR );
				const micFocused =
					shell.mic || ( !! mic && mic === doc.activeElement );
				widget.mount( shell.element, handoff( shell ), boot.config );
				shell.element.dataset.vvcState = 'live';
				if ( micFocused ) {
					focusWidgetMic( shell.element, mic );
				}
			}
		} )
		.catch( () => {
			loading = null;
			shells.forEach( ( shell ) => {
				shell.element.dataset.vvcState = 'error';
				shell.element.removeAttribute( 'aria-busy' );
				showLoadError(
					shell.element,
					boot?.loadError ?? 'The chat could not load.'
				);
			} );
		} );
}

/**
 * Readies every chat shell: the no-JavaScript form never submits the page, and the first
 * focus, pointer press or key press in a shell loads the widget.
 *
 * @param root Where to look for shells.
 * @return How many shells were found.
 */
export function prepareShells( root: ParentNode ): number {
	const elements = root.querySelectorAll< HTMLElement >( SHELL_SELECTOR );
	elements.forEach( ( element ) => {
		const doc = element.ownerDocument;
		const shell: Shell = {
			element,
			submit: false,
			attach: false,
			mic: false,
			listeners: new AbortController(),
		};
		const { signal } = shell.listeners;
		const start = () => {
			loadWidget( doc );
		};
		element.addEventListener(
			'submit',
			( event ) => {
				event.preventDefault();
				shell.submit = true;
				start();
			},
			{ signal }
		);
		element.addEventListener(
			'keydown',
			( event ) => {
				// Enter sends, as it will in the widget; the text is sent once it has mounted.
				if (
					event.key === 'Enter' &&
					! event.shiftKey &&
					! event.isComposing &&
					event.target instanceof HTMLTextAreaElement
				) {
					event.preventDefault();
					shell.submit = true;
				}
			},
			{ signal }
		);
		element.addEventListener(
			'click',
			( event ) => {
				if ( event.target instanceof Element ) {
					shell.attach ||=
						!! event.target.closest( '.vvc-chat__attach' );
					shell.mic ||= !! event.target.closest( MIC_SELECTOR );
				}
			},
			{ signal }
		);
		TRIGGERS.forEach( ( type ) =>
			element.addEventListener( type, start, { signal } )
		);
		element.dataset.vvcState = 'ready';
		shells.push( shell );
	} );
	return elements.length;
}

if ( typeof document !== 'undefined' ) {
	if ( document.readyState === 'loading' ) {
		document.addEventListener( 'DOMContentLoaded', () =>
			prepareShells( document )
		);
	} else {
		prepareShells( document );
	}
}
