import { describe, expect, it } from 'vitest';
/* eslint-disable no-bitwise -- the test builds binary image headers. */

import {
	fitWithin,
	ImageError,
	inspectImage,
	MAX_INPUT_BYTES,
	outputTypeFor,
	readImageSize,
	sniffImage,
} from '../../src/lib/image';

function bytes(
	...parts: Array< string | number[] >
): Uint8Array< ArrayBuffer > {
	const out: number[] = [];
	for ( const part of parts ) {
		if ( typeof part === 'string' ) {
			for ( const char of part ) {
				out.push( char.charCodeAt( 0 ) );
			}
		} else {
			out.push( ...part );
		}
	}
	return new Uint8Array( out );
}

const be16 = ( n: number ) => [ ( n >> 8 ) & 255, n & 255 ];
const be32 = ( n: number ) => [
	( n >>> 24 ) & 255,
	( n >> 16 ) & 255,
	( n >> 8 ) & 255,
	n & 255,
];
const le16 = ( n: number ) => [ n & 255, ( n >> 8 ) & 255 ];
const le24 = ( n: number ) => [ n & 255, ( n >> 8 ) & 255, ( n >> 16 ) & 255 ];

function png( width: number, height: number ): Uint8Array< ArrayBuffer > {
	return bytes(
		[ 0x89 ],
		'PNG\r\n\x1a\n',
		be32( 13 ),
		'IHDR',
		be32( width ),
		be32( height ),
		[ 8, 2, 0, 0, 0 ]
	);
}

/**
 * A JPEG header as cameras write it: JFIF, a big EXIF block, then the frame.
 * @param width
 * @param height
 */
function jpeg( width: number, height: number ): Uint8Array< ArrayBuffer > {
	const exif = new Array( 3000 ).fill( 0x41 );
	return bytes(
		[ 0xff, 0xd8 ],
		[ 0xff, 0xe0 ],
		be16( 16 ),
		'JFIF\0',
		[ 1, 1, 0, 0, 1, 0, 1, 0, 0 ],
		[ 0xff, 0xe1 ],
		be16( 2 + 6 + exif.length ),
		'Exif\0\0',
		exif,
		[ 0xff, 0xdb ],
		be16( 4 ),
		[ 0, 0 ],
		[ 0xff, 0xc4 ],
		be16( 4 ),
		[ 0, 0 ],
		[ 0xff, 0xc2 ],
		be16( 17 ),
		[ 8 ],
		be16( height ),
		be16( width ),
		[ 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1 ]
	);
}

function ftyp(
	major: string,
	...compatible: string[]
): Uint8Array< ArrayBuffer > {
	return bytes(
		be32( 16 + 4 * compatible.length ),
		'ftyp',
		major,
		[ 0, 0, 0, 0 ],
		compatible.join( '' )
	);
}

describe( 'sniffImage', () => {
	it.each( [
		[ 'jpeg', jpeg( 10, 10 ) ],
		[ 'png', png( 1, 1 ) ],
		[ 'gif', bytes( 'GIF89a', le16( 3 ), le16( 4 ) ) ],
		[ 'gif', bytes( 'GIF87a', le16( 3 ), le16( 4 ) ) ],
		[ 'webp', bytes( 'RIFF', [ 0, 0, 0, 0 ], 'WEBPVP8 ' ) ],
		[ 'bmp', bytes( 'BM', new Array( 30 ).fill( 0 ) ) ],
		[ 'heic', ftyp( 'heic', 'mif1', 'heic' ) ],
		[ 'heic', ftyp( 'mif1', 'heix' ) ],
		[ 'avif', ftyp( 'avif', 'mif1', 'miaf' ) ],
	] as const )( 'recognises %s from its bytes', ( kind, data ) => {
		expect( sniffImage( data ) ).toBe( kind );
	} );

	it.each( [
		[ 'a PHP file named .png', bytes( '<?php system($_GET["c"]); ?>' ) ],
		[
			'an SVG',
			bytes(
				'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
			),
		],
		[ 'HTML', bytes( '<!DOCTYPE html><script>alert(1)</script>' ) ],
		[ 'a PDF', bytes( '%PDF-1.7\n' ) ],
		[ 'an MP4 video', ftyp( 'isom', 'iso2', 'mp41' ) ],
		[ 'an empty file', bytes() ],
	] )( 'refuses %s', ( _name, data ) => {
		expect( sniffImage( data ) ).toBeNull();
	} );
} );

describe( 'readImageSize', () => {
	it( 'reads PNG, GIF, BMP and JPEG headers (EXIF block skipped)', () => {
		expect( readImageSize( png( 4000, 3000 ), 'png' ) ).toEqual( {
			width: 4000,
			height: 3000,
		} );
		expect(
			readImageSize( bytes( 'GIF89a', le16( 320 ), le16( 200 ) ), 'gif' )
		).toEqual( { width: 320, height: 200 } );
		expect( readImageSize( jpeg( 4000, 3000 ), 'jpeg' ) ).toEqual( {
			width: 4000,
			height: 3000,
		} );
		const bmp = bytes(
			'BM',
			new Array( 16 ).fill( 0 ),
			[ 0x40, 0x1f, 0, 0 ],
			[ 0x30, 0xf8, 0xff, 0xff ]
		);
		expect( readImageSize( bmp, 'bmp' ) ).toEqual( {
			width: 8000,
			height: 2000,
		} );
	} );

	it( 'reads the three WebP flavours', () => {
		const vp8x = bytes(
			'RIFF',
			[ 0, 0, 0, 0 ],
			'WEBPVP8X',
			be32( 10 ),
			[ 0, 0, 0, 0 ],
			le24( 3999 ),
			le24( 2999 )
		);
		expect( readImageSize( vp8x, 'webp' ) ).toEqual( {
			width: 4000,
			height: 3000,
		} );

		const bits = ( 639 | ( 479 << 14 ) ) >>> 0;
		const vp8l = bytes(
			'RIFF',
			[ 0, 0, 0, 0 ],
			'WEBPVP8L',
			be32( 10 ),
			[ 0x2f ],
			[
				bits & 255,
				( bits >> 8 ) & 255,
				( bits >> 16 ) & 255,
				( bits >>> 24 ) & 255,
			]
		);
		expect( readImageSize( vp8l, 'webp' ) ).toEqual( {
			width: 640,
			height: 480,
		} );

		const vp8 = bytes(
			'RIFF',
			[ 0, 0, 0, 0 ],
			'WEBPVP8 ',
			be32( 10 ),
			[ 0, 0, 0 ],
			[ 0x9d, 0x01, 0x2a ],
			le16( 1024 ),
			le16( 768 )
		);
		expect( readImageSize( vp8, 'webp' ) ).toEqual( {
			width: 1024,
			height: 768,
		} );
	} );

	it( 'returns null for a truncated header instead of guessing', () => {
		expect(
			readImageSize( png( 10, 10 ).slice( 0, 18 ), 'png' )
		).toBeNull();
		expect(
			readImageSize( jpeg( 10, 10 ).slice( 0, 40 ), 'jpeg' )
		).toBeNull();
		expect( readImageSize( ftyp( 'heic' ), 'heic' ) ).toBeNull();
	} );
} );

describe( 'fitWithin', () => {
	it.each( [
		[ { width: 4000, height: 3000 }, 1024, { width: 1024, height: 768 } ],
		[ { width: 3000, height: 4000 }, 1024, { width: 768, height: 1024 } ],
		[ { width: 4032, height: 3024 }, 512, { width: 512, height: 384 } ],
		[ { width: 800, height: 600 }, 1024, { width: 800, height: 600 } ],
		[ { width: 1024, height: 1024 }, 1024, { width: 1024, height: 1024 } ],
		[ { width: 20000, height: 10 }, 1024, { width: 1024, height: 1 } ],
	] )( 'fits %o within %i px', ( size, maxSide, expected ) => {
		expect( fitWithin( size, maxSide ) ).toEqual( expected );
	} );
} );

describe( 'outputTypeFor', () => {
	it( 'keeps possibly transparent formats transparent, photos as JPEG', () => {
		expect( outputTypeFor( 'jpeg' ) ).toBe( 'image/jpeg' );
		expect( outputTypeFor( 'heic' ) ).toBe( 'image/jpeg' );
		expect( outputTypeFor( 'bmp' ) ).toBe( 'image/jpeg' );
		expect( outputTypeFor( 'png' ) ).toBe( 'image/webp' );
		expect( outputTypeFor( 'gif' ) ).toBe( 'image/webp' );
		expect( outputTypeFor( 'webp' ) ).toBe( 'image/webp' );
	} );
} );

describe( 'inspectImage', () => {
	async function codeOf( file: Blob ): Promise< string > {
		try {
			await inspectImage( file );
			return 'accepted';
		} catch ( error ) {
			return error instanceof ImageError ? error.code : String( error );
		}
	}

	it( 'accepts a real image whatever its declared type', async () => {
		expect(
			await inspectImage(
				new Blob( [ jpeg( 4000, 3000 ) ], { type: 'text/plain' } )
			)
		).toBe( 'jpeg' );
	} );

	it( 'refuses a non-image even when it claims to be one', async () => {
		expect(
			await codeOf(
				new Blob( [ '<?php echo 1;' ], { type: 'image/png' } )
			)
		).toBe( 'not_image' );
	} );

	it( 'refuses a decompression bomb before decoding it', async () => {
		expect(
			await codeOf(
				new Blob( [ png( 20000, 20000 ) ], { type: 'image/png' } )
			)
		).toBe( 'too_large' );
	} );

	it( 'refuses a huge file without reading it', async () => {
		const huge = {
			size: MAX_INPUT_BYTES + 1,
			slice: () => {
				throw new Error( 'must not be read' );
			},
		} as unknown as Blob;
		expect( await codeOf( huge ) ).toBe( 'too_large' );
	} );

	it( 'lets a HEIC photo through to the decoder, which decides', async () => {
		expect(
			await inspectImage( new Blob( [ ftyp( 'heic', 'mif1' ) ] ) )
		).toBe( 'heic' );
	} );
} );
