import { describe, expect, it } from 'vitest';

import {
	keySourceExplanation,
	keyStatusText,
	maskedKey,
} from '../../src/admin/settings/key-status';
import type { ApiKeyStatus } from '../../src/admin/settings/types';

function status( overrides: Partial< ApiKeyStatus > = {} ): ApiKeyStatus {
	return {
		source: 'plugin',
		last4: '1234',
		configured: true,
		pluginKey: true,
		...overrides,
	};
}

describe( 'maskedKey', () => {
	it( 'shows a fixed mask and at most four characters', () => {
		expect( maskedKey( '1234' ) ).toBe( '••••1234' );
		expect( maskedKey( 'sk-proj-abcdef' ) ).toBe( '••••cdef' );
		expect( maskedKey( 'ab' ) ).toBe( '••••ab' );
	} );
} );

describe( 'keyStatusText', () => {
	it.each( [
		[ 'env', 'environment variable' ],
		[ 'constant', 'constant' ],
		[ 'connectors', 'WordPress Connectors' ],
		[ 'plugin', 'this plugin' ],
	] as const )( 'names the %s source', ( source, label ) => {
		expect( keyStatusText( status( { source, last4: 'wxyz' } ) ) ).toBe(
			`Key saved, ending in ••••wxyz (source: ${ label }).`
		);
	} );

	it( 'says plainly when there is no key', () => {
		expect(
			keyStatusText(
				status( { source: 'none', last4: '', configured: false } )
			)
		).toMatch( /^No API key is set/ );
	} );
} );

describe( 'keySourceExplanation', () => {
	it( 'explains that a server key cannot be changed here', () => {
		for ( const source of [ 'env', 'constant' ] as const ) {
			expect(
				keySourceExplanation( status( { source } ), 'auto' )
			).toMatch( /set on the server .* cannot be changed here/ );
		}
	} );

	it( 'points to Connectors for a Connectors key', () => {
		expect(
			keySourceExplanation( status( { source: 'connectors' } ), 'auto' )
		).toMatch( /Settings > Connectors/ );
	} );

	it( 'has nothing to add for the plugin’s own key or when the plugin key is chosen', () => {
		expect( keySourceExplanation( status(), 'auto' ) ).toBeNull();
		expect(
			keySourceExplanation( status( { source: 'constant' } ), 'plugin' )
		).toBeNull();
	} );
} );
