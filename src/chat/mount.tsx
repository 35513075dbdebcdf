/**
 * Mounts the widget on a server-rendered shell, reading the texts the server already
 * translated and escaped from the shell itself.
 */
import apiFetch from '@wordpress/api-fetch';
import { createRoot } from '@wordpress/element';

import { createChatApi, createTokenStore } from '../lib/api';
import type { ChatApi } from '../lib/api';
import type { BlockOptions, Handoff, WidgetConfig } from '../lib/boot';
import { loadMarkdown } from '../lib/markdown-loader';
import { Chat } from './Chat';
import type { ShellTexts } from './Chat';

let sharedApi: ChatApi | null = null;

function sessionStorageOrNull(): Storage | null {
	try {
		return window.sessionStorage;
	} catch {
		return null; // Blocked by the browser's privacy settings.
	}
}

/**
 * One API client for the page, so several chat blocks share one visitor session.
 * @param config
 */
function chatApi( config: WidgetConfig ): ChatApi {
	sharedApi ??= createChatApi( {
		// The widget addresses routes by full URL and never needs a nonce: the visitor
		// token authenticates it, so it works the same on cached pages.
		apiFetch: ( options ) => apiFetch< Response, false >( options ),
		root: config.restRoot,
		tokens: createTokenStore( sessionStorageOrNull() ),
	} );
	return sharedApi;
}

export function readOptions( shell: HTMLElement ): BlockOptions {
	let parsed: unknown = null;
	try {
		parsed = JSON.parse( shell.dataset.config ?? 'null' );
	} catch {
		// Treated as the defaults below.
	}
	const record =
		typeof parsed === 'object' && parsed !== null
			? ( parsed as Record< string, unknown > )
			: {};
	return {
		allowImages: record.allowImages !== false,
		allowVoice: record.allowVoice !== false,
	};
}

export function readTexts( shell: HTMLElement ): ShellTexts {
	const input = shell.querySelector( 'textarea' );
	return {
		title: shell.querySelector( '.vvc-chat__title' )?.textContent ?? '',
		greeting:
			shell.querySelector( '.vvc-chat__log .vvc-chat__message' )
				?.textContent ?? '',
		placeholder: input?.placeholder ?? '',
		inputId: input?.id || 'vvc-chat-input',
		voiceSlot: shell.querySelector( '.vvc-chat__mic' ) !== null,
	};
}

export function mount(
	shell: HTMLElement,
	handoff: Handoff,
	config: WidgetConfig
): void {
	const texts = readTexts( shell );
	const options = readOptions( shell );
	// The renderer's chunk comes while the visitor is still typing the first question.
	loadMarkdown().catch( () => undefined );
	createRoot( shell ).render(
		<Chat
			api={ chatApi( config ) }
			config={ config }
			options={ options }
			texts={ texts }
			handoff={ handoff }
		/>
	);
}
