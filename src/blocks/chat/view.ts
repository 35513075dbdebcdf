/**
 * Front-end entry, kept tiny: it only marks each chat shell as ready and keeps the
 * no-JavaScript form from submitting the page. The interactive widget mounts here later.
 */
const SHELL_SELECTOR = '.wp-block-voice-vision-chat-chat';

export function prepareShells( root: ParentNode ): number {
	const shells = root.querySelectorAll< HTMLElement >( SHELL_SELECTOR );
	shells.forEach( ( shell ) => {
		shell
			.querySelector( 'form' )
			?.addEventListener( 'submit', ( event ) => event.preventDefault() );
		shell.dataset.vvcState = 'ready';
	} );
	return shells.length;
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
