import { useEffect } from '@wordpress/element';

/**
 * Asks the browser to confirm leaving the page while there are unsaved changes.
 *
 * @param dirty  Whether something would be lost.
 * @param target Where to listen; the window in the browser, a fake in tests.
 */
export function useUnsavedChangesGuard(
	dirty: boolean,
	target: Pick< Window, 'addEventListener' | 'removeEventListener' > = window
): void {
	useEffect( () => {
		if ( ! dirty ) {
			return undefined;
		}
		const warn = ( event: BeforeUnloadEvent ) => {
			event.preventDefault();
			// Older browsers show the prompt only when returnValue is set.
			event.returnValue = '';
		};
		target.addEventListener( 'beforeunload', warn );
		return () => target.removeEventListener( 'beforeunload', warn );
	}, [ dirty, target ] );
}
