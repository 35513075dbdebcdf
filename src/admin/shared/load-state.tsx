/**
 * Loading a screen's data from the admin REST routes: the state, a line while it loads, and
 * the error with a retry button when it fails. Shared by the budget, usage and FAQ screens.
 */
import { Button, Notice, Spinner } from '@wordpress/components';
import { useCallback, useEffect, useRef, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import { normalizeError } from '../settings/api';
import type { ApiError } from '../settings/types';
import { withReason } from './action';

export type LoadState< T > =
	| { kind: 'loading' }
	| { kind: 'failed'; error: ApiError }
	| { kind: 'ready'; data: T };

export interface Loaded< T > {
	state: LoadState< T >;
	/** Loads again from scratch (the retry button). */
	reload: () => void;
	/**
	 * Loads again while the current data stays on screen (after an action changed it), so
	 * the screen, its notices and focus stay where they are.
	 */
	refresh: () => void;
	/** Replaces the data with a newer answer, e.g. the one a save returned. */
	setData: ( data: T ) => void;
}

/**
 * Loads once on mount and whenever `load` changes; an answer that arrives after a newer
 * request started, or after unmounting, is dropped.
 *
 * @param load     Fetches the data; keep it stable (useCallback or a prop).
 * @param onLoaded Called with each loaded answer, e.g. to reset a form.
 */
export function useLoad< T >(
	load: () => Promise< T >,
	onLoaded?: ( data: T ) => void
): Loaded< T > {
	const [ state, setState ] = useState< LoadState< T > >( {
		kind: 'loading',
	} );
	// A ref, so an inline callback does not start a new request on every render.
	const loaded = useRef( onLoaded );
	loaded.current = onLoaded;
	const generation = useRef( 0 );

	const fetch = useCallback(
		( keep: boolean ) => {
			const mine = ++generation.current;
			if ( ! keep ) {
				setState( { kind: 'loading' } );
			}
			load().then(
				( data ) => {
					if ( mine === generation.current ) {
						setState( { kind: 'ready', data } );
						loaded.current?.( data );
					}
				},
				( error: unknown ) => {
					if ( mine === generation.current ) {
						setState( {
							kind: 'failed',
							error: normalizeError( error ),
						} );
					}
				}
			);
		},
		[ load ]
	);
	const reload = useCallback( () => fetch( false ), [ fetch ] );
	const refresh = useCallback( () => fetch( true ), [ fetch ] );

	useEffect( () => {
		const requests = generation;
		reload();
		return () => {
			requests.current++;
		};
	}, [ reload ] );

	const setData = useCallback(
		( data: T ) => setState( { kind: 'ready', data } ),
		[]
	);
	return { state, reload, refresh, setData };
}

/**
 * A spinner and what is loading.
 *
 * @param props
 * @param props.label     What is loading, e.g. "Loading the budget…".
 * @param props.className Class of the line.
 */
export function LoadingLine( {
	label,
	className,
}: {
	label: string;
	className?: string;
} ) {
	return (
		<p className={ className ?? 'vvc-admin-loading' }>
			<Spinner />
			{ label }
		</p>
	);
}

/**
 * The reason a screen could not load, announced at once, and a retry button.
 *
 * @param props
 * @param props.format  Translated message with %s for the server's reason.
 * @param props.error   What failed.
 * @param props.onRetry Loads again.
 */
export function LoadFailed( {
	format,
	error,
	onRetry,
}: {
	format: string;
	error: ApiError | null;
	onRetry: () => void;
} ) {
	return (
		<div role="alert">
			<Notice
				status="error"
				isDismissible={ false }
				spokenMessage={ null }
			>
				<p>{ withReason( format, error?.message ?? '' ) }</p>
			</Notice>
			<Button variant="secondary" onClick={ onRetry }>
				{ __( 'Try again', 'voice-vision-chat' ) }
			</Button>
		</div>
	);
}
