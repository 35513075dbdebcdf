/**
 * Driving a React admin screen in jsdom the way a person would: controls by their label,
 * buttons by their name, the live regions' text. For the tests of the FAQ screen and any
 * other admin app.
 */
import { createRoot } from '@wordpress/element';
import { act, type ReactNode } from 'react';

declare global {
	var IS_REACT_ACT_ENVIRONMENT: boolean;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

export interface Mounted {
	container: HTMLDivElement;
	unmount: () => void;
}

/** Lets pending promises and React updates run. */
export async function settle(): Promise< void > {
	await act( async () => {
		await new Promise( ( resolve ) => setTimeout( resolve, 0 ) );
	} );
}

/**
 * Renders a tree into a fresh container in the document.
 *
 * @param tree What to render.
 */
export async function mount( tree: ReactNode ): Promise< Mounted > {
	const container = document.createElement( 'div' );
	document.body.appendChild( container );
	const root = createRoot( container );
	await act( async () => root.render( tree ) );
	await settle();
	return {
		container,
		unmount: () => {
			act( () => root.unmount() );
			container.remove();
			// Modals render into portals outside the container.
			document.body.innerHTML = '';
		},
	};
}

/**
 * A control by its exact label text, anywhere in the document (modals are portals).
 *
 * @param label The label's text.
 */
export function control(
	label: string
): HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement {
	const element = [ ...document.querySelectorAll( 'label' ) ].find(
		( candidate ) => candidate.textContent === label
	);
	const target = element && document.getElementById( element.htmlFor );
	if ( ! target ) {
		throw new Error( `No control labelled ${ label }` );
	}
	return target as HTMLInputElement;
}

/**
 * Types into a control as React sees it (the native setter, then input and change).
 *
 * @param label The control's label.
 * @param value The new value.
 */
export async function type( label: string, value: string ): Promise< void > {
	const element = control( label );
	const setter = Object.getOwnPropertyDescriptor(
		Object.getPrototypeOf( element ) as object,
		'value'
	)?.set;
	await act( async () => {
		setter?.call( element, value );
		element.dispatchEvent( new Event( 'input', { bubbles: true } ) );
		element.dispatchEvent( new Event( 'change', { bubbles: true } ) );
	} );
}

/**
 * A button by its text or accessible label.
 *
 * @param name  Text or aria-label.
 * @param scope Where to look; the whole document by default.
 */
export function button(
	name: string,
	scope: ParentNode = document
): HTMLButtonElement {
	const found = [ ...scope.querySelectorAll( 'button' ) ].find(
		( candidate ) =>
			candidate.textContent === name ||
			candidate.getAttribute( 'aria-label' ) === name
	);
	if ( ! found ) {
		throw new Error( `No button ${ name }` );
	}
	return found;
}

/**
 * Clicks a button and lets what it started finish.
 *
 * @param name  Text or aria-label.
 * @param scope Where to look; the whole document by default.
 */
export async function click(
	name: string,
	scope: ParentNode = document
): Promise< void > {
	const target = button( name, scope );
	await act( async () => target.click() );
	await settle();
}

/**
 * Submits the form a button belongs to (jsdom does not submit on a submit button's click
 * inside a portal reliably).
 *
 * @param name The submit button's text.
 */
export async function submit( name: string ): Promise< void > {
	const form = button( name ).closest( 'form' );
	if ( ! form ) {
		throw new Error( `${ name } is not in a form` );
	}
	await act( async () => form.requestSubmit() );
	await settle();
}

/**
 * Text of every live region of a role.
 *
 * @param role alert or status.
 */
export function region( role: 'alert' | 'status' ): string {
	return [ ...document.querySelectorAll( `[role="${ role }"]` ) ]
		.map( ( element ) => element.textContent ?? '' )
		.join( ' ' );
}

/** The open dialog, or null. */
export function dialog(): HTMLElement | null {
	return document.querySelector< HTMLElement >( '[role="dialog"]' );
}

/** The element that has focus. */
export function focused(): Element | null {
	return document.body.ownerDocument.activeElement;
}
