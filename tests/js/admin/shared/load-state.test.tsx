// @vitest-environment jsdom
/**
 * useLoad, shared by the budget, usage and FAQ screens: a refresh keeps the screen, an
 * older answer never replaces a newer one, a failure says why and can be retried.
 */
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';

import {
	LoadFailed,
	LoadingLine,
	useLoad,
	type Loaded,
} from '../../../../src/admin/shared/load-state';
import { click, mount, region, settle, type Mounted } from './dom';

interface Pending {
	resolve: ( value: string ) => void;
	reject: ( reason: unknown ) => void;
}

let screen: Mounted | null = null;
afterEach( () => {
	screen?.unmount();
	screen = null;
} );

/** A load whose answers the test hands out, in any order. */
function controlledLoad() {
	const pending: Pending[] = [];
	const load = () =>
		new Promise< string >( ( resolve, reject ) =>
			pending.push( { resolve, reject } )
		);
	return { pending, load };
}

async function renderProbe( load: () => Promise< string > ) {
	const handle: { current: Loaded< string > | null } = { current: null };
	function Probe() {
		const loaded = useLoad( load );
		handle.current = loaded;
		if ( loaded.state.kind === 'loading' ) {
			return <LoadingLine label="Loading…" />;
		}
		if ( loaded.state.kind === 'failed' ) {
			return (
				<LoadFailed
					format="Could not load: %s"
					error={ loaded.state.error }
					onRetry={ loaded.reload }
				/>
			);
		}
		return <p className="data">{ loaded.state.data }</p>;
	}
	screen = await mount( <Probe /> );
	return handle;
}

describe( 'useLoad', () => {
	it( 'keeps the data on screen during a refresh and drops an older answer', async () => {
		const { pending, load } = controlledLoad();
		const handle = await renderProbe( load );
		expect( screen?.container.textContent ).toBe( 'Loading…' );

		await act( async () => pending[ 0 ]?.resolve( 'first' ) );
		expect( screen?.container.textContent ).toBe( 'first' );

		act( () => handle.current?.refresh() );
		act( () => handle.current?.refresh() );
		await settle();
		expect( screen?.container.textContent ).toBe( 'first' );

		// The newer request answers first; the older one's late answer is ignored.
		await act( async () => pending[ 2 ]?.resolve( 'third' ) );
		await act( async () => pending[ 1 ]?.resolve( 'second' ) );
		expect( screen?.container.textContent ).toBe( 'third' );
	} );

	it( 'says why it failed and loads again on retry', async () => {
		const { pending, load } = controlledLoad();
		await renderProbe( load );

		await act( async () =>
			pending[ 0 ]?.reject( {
				code: 'rest_forbidden',
				message: 'Sorry, you are not allowed to do that.',
				data: { status: 403 },
			} )
		);
		expect( region( 'alert' ) ).toContain(
			'Could not load: Sorry, you are not allowed to do that.'
		);

		await click( 'Try again' );
		expect( screen?.container.textContent ).toBe( 'Loading…' );
		await act( async () => pending[ 1 ]?.resolve( 'back' ) );
		expect( screen?.container.textContent ).toBe( 'back' );
	} );
} );
