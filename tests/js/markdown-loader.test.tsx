// @vitest-environment jsdom
/**
 * The Markdown renderer arrives in its own chunk after the widget mounts: an answer shown
 * before it is plain, escaped text, and becomes formatted once it is there.
 */
import { act } from 'react';
import { createRoot } from '@wordpress/element';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import type { Message } from '../../src/chat/conversation';

(
	globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }
 ).IS_REACT_ACT_ENVIRONMENT = true;

const answer: Message = {
	id: 'a1',
	role: 'assistant',
	text: '**Open** at nine <img src=x onerror="window.pwned=1">\nsecond line',
	state: 'done',
};

/** A MessageList and loader fresh from their modules: nothing loaded yet. */
async function freshModules() {
	vi.resetModules();
	const { MessageList } = await import( '../../src/chat/MessageList' );
	const loader = await import( '../../src/lib/markdown-loader' );
	return { MessageList, loader };
}

describe( 'Markdown loaded after mounting', () => {
	beforeEach( () => {
		document.body.innerHTML = '';
	} );

	it( 'shows an early answer as plain text, then formats it once the renderer arrives', async () => {
		const { MessageList, loader } = await freshModules();
		expect( loader.markdownRenderer() ).toBeNull();
		const container = document.createElement( 'div' );
		document.body.append( container );
		const root = createRoot( container );
		// Rendered synchronously: the renderer's import has started but not finished.
		act( () =>
			root.render(
				<MessageList
					greeting="Hello"
					messages={ [ answer ] }
					onRetry={ () => undefined }
					onScroll={ () => undefined }
				/>
			)
		);
		const body = () =>
			container.querySelector(
				'.vvc-chat__message--assistant:last-child .vvc-chat__markdown'
			)!;
		expect( body().querySelector( '.vvc-chat__plain' )?.textContent ).toBe(
			answer.text
		);
		expect( body().querySelector( 'strong, img' ) ).toBeNull();

		await act( async () => {
			await loader.loadMarkdown();
		} );
		expect( body().querySelector( '.vvc-chat__plain' ) ).toBeNull();
		expect( body().querySelector( 'strong' )?.textContent ).toBe( 'Open' );
		expect( body().querySelector( 'img' ) ).toBeNull();
		expect( body().querySelector( 'br' ) ).not.toBeNull();
		act( () => root.unmount() );
	} );

	it( 'tries the download again after it failed', async () => {
		const { loader } = await freshModules();
		vi.doMock( '../../src/lib/markdown', () => {
			throw new Error( 'chunk failed to load' );
		} );
		await expect( loader.loadMarkdown() ).rejects.toThrow();
		expect( loader.markdownRenderer() ).toBeNull();
		vi.doUnmock( '../../src/lib/markdown' );
		const render = await loader.loadMarkdown();
		expect( render( '*x*' ) ).toContain( '<em>x</em>' );
	} );
} );
