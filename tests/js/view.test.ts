// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';

import { prepareShells } from '../../src/blocks/chat/view';

function shell(): string {
	return `<section class="wp-block-voice-vision-chat-chat">
		<form action="#"><textarea></textarea><button type="submit">Send</button></form>
	</section>`;
}

describe( 'prepareShells', () => {
	it( 'marks every chat shell on the page as ready', () => {
		document.body.innerHTML =
			shell() + '<div class="other"></div>' + shell();

		expect( prepareShells( document ) ).toBe( 2 );
		const states = [
			...document.querySelectorAll< HTMLElement >(
				'.wp-block-voice-vision-chat-chat'
			),
		].map( ( el ) => el.dataset.vvcState );
		expect( states ).toEqual( [ 'ready', 'ready' ] );
	} );

	it( 'keeps the shell form from submitting the page', () => {
		document.body.innerHTML = shell();
		prepareShells( document );

		const form = document.querySelector( 'form' )!;
		const event = new Event( 'submit', { cancelable: true } );
		form.dispatchEvent( event );
		expect( event.defaultPrevented ).toBe( true );
	} );
} );
