/**
 * Period presets, request paths, the export address and DataViews filters.
 */
import { describe, expect, it } from 'vitest';

import {
	exportUrl,
	filtersFromView,
	logPath,
	rangeForPreset,
	summaryPath,
} from '../../src/admin/dashboard/query';

describe( 'rangeForPreset', () => {
	it( 'counts back from today, both ends included', () => {
		expect( rangeForPreset( 'last7', '2026-11-22' ) ).toEqual( {
			from: '2026-11-16',
			to: '2026-11-22',
		} );
		expect( rangeForPreset( 'last30', '2026-11-22' ) ).toEqual( {
			from: '2026-10-24',
			to: '2026-11-22',
		} );
		expect( rangeForPreset( 'last90', '2026-03-01' ) ).toEqual( {
			from: '2025-12-02',
			to: '2026-03-01',
		} );
	} );

	it( 'knows calendar months, across years and leap days', () => {
		expect( rangeForPreset( 'thisMonth', '2026-11-22' ) ).toEqual( {
			from: '2026-11-01',
			to: '2026-11-22',
		} );
		expect( rangeForPreset( 'lastMonth', '2026-01-15' ) ).toEqual( {
			from: '2025-12-01',
			to: '2025-12-31',
		} );
		expect( rangeForPreset( 'lastMonth', '2028-03-31' ) ).toEqual( {
			from: '2028-02-01',
			to: '2028-02-29',
		} );
	} );
} );

describe( 'paths', () => {
	it( 'asks for the server default without a range', () => {
		expect( summaryPath() ).toBe(
			'/voice-vision-chat/v1/admin/usage/summary'
		);
		expect( summaryPath( { from: '2026-11-01', to: '2026-11-22' } ) ).toBe(
			'/voice-vision-chat/v1/admin/usage/summary?from=2026-11-01&to=2026-11-22'
		);
	} );

	it( 'puts paging first, then only the filters that are set', () => {
		expect(
			logPath( {
				page: 2,
				perPage: 25,
				from: '2026-11-01',
				to: '2026-11-22',
				tier: 'vision',
				status: 'error',
				cacheHit: false,
				route: '',
			} )
		).toBe(
			'/voice-vision-chat/v1/admin/usage/log?page=2&per_page=25&from=2026-11-01&to=2026-11-22&tier=vision&status=error&cache_hit=false'
		);
	} );

	it( 'appends filters to the export address, keeping its nonce and route', () => {
		expect(
			exportUrl(
				'http://example.org/wp-json/voice-vision-chat/v1/admin/usage/export?_wpnonce=abc',
				{
					from: '2026-11-01',
					model: 'gpt-5 mini',
				}
			)
		).toBe(
			'http://example.org/wp-json/voice-vision-chat/v1/admin/usage/export?_wpnonce=abc&from=2026-11-01&model=gpt-5%20mini'
		);
		expect(
			exportUrl(
				'http://example.org/?rest_route=/voice-vision-chat/v1/admin/usage/export&_wpnonce=abc',
				{
					cacheHit: true,
				}
			)
		).toBe(
			'http://example.org/?rest_route=/voice-vision-chat/v1/admin/usage/export&_wpnonce=abc&cache_hit=true'
		);
		expect( exportUrl( 'http://example.org/x', {} ) ).toBe(
			'http://example.org/x'
		);
	} );
} );

describe( 'filtersFromView', () => {
	it( 'reads the single-value filters the log offers', () => {
		expect(
			filtersFromView( [
				{ field: 'tier', operator: 'is', value: 'economy' },
				{ field: 'route', operator: 'is', value: 'chat' },
				{ field: 'status', operator: 'is', value: 'error' },
				{ field: 'cacheHit', operator: 'is', value: false },
			] )
		).toEqual( {
			tier: 'economy',
			route: 'chat',
			status: 'error',
			cacheHit: false,
		} );
	} );

	it( 'ignores empty, unknown and malformed filters', () => {
		expect(
			filtersFromView( [
				{ field: 'tier', operator: 'is', value: undefined },
				{ field: 'tier', operator: 'isNot', value: 'economy' },
				{ field: 'status', operator: 'is', value: 'maybe' },
				{ field: 'cacheHit', operator: 'is', value: 'yes' },
				{ field: 'visitor', operator: 'is', value: 'x' },
			] )
		).toEqual( {} );
		expect( filtersFromView( undefined ) ).toEqual( {} );
	} );
} );
