/**
 * Prepares a visitor's photo for upload: checks it really is an image, scales it so its
 * longest side fits the site's limit, and re-encodes it (JPEG, or WebP when it may be
 * transparent). Re-encoding from pixels drops every metadata block, EXIF/GPS included.
 *
 * The byte-level checks and the size maths are pure functions (unit-tested); decoding and
 * drawing need a real browser and are proven by the Playwright test.
 */
/* eslint-disable no-bitwise -- image headers pack sizes into bit fields. */

export type ImageKind =
	'jpeg' | 'png' | 'gif' | 'webp' | 'bmp' | 'avif' | 'heic';

export type Size = { width: number; height: number };

export type PreparedImage = Size & {
	blob: Blob;
	/** 'image/jpeg' or 'image/webp'. */
	type: string;
};

export type ImageErrorCode =
	'not_image' | 'heic_unsupported' | 'too_large' | 'decode_failed';

export class ImageError extends Error {
	readonly code: ImageErrorCode;

	constructor( code: ImageErrorCode ) {
		super( code );
		this.name = 'ImageError';
		this.code = code;
	}
}

/** Bigger files are refused before decoding: a phone photo is well under this. */
export const MAX_INPUT_BYTES = 40 * 1024 * 1024;
/** Decoding needs 4 bytes a pixel; 60 MP (a 48 MP phone photo fits) is about 240 MB. */
export const MAX_INPUT_PIXELS = 60_000_000;
const QUALITY = 0.85;

function ascii( bytes: Uint8Array, start: number, end: number ): string {
	return String.fromCharCode( ...bytes.subarray( start, end ) );
}

/** ISO-BMFF brands of HEIF/HEIC (iPhone photos) and AVIF files. */
const HEIF_BRANDS = [
	'heic',
	'heix',
	'hevc',
	'hevx',
	'heim',
	'heis',
	'mif1',
	'msf1',
];
const AVIF_BRANDS = [ 'avif', 'avis' ];

/**
 * Identifies an image from its first bytes, whatever its name or declared type says.
 *
 * @param bytes At least the first 32 bytes of the file.
 */
export function sniffImage( bytes: Uint8Array ): ImageKind | null {
	if ( bytes[ 0 ] === 0xff && bytes[ 1 ] === 0xd8 && bytes[ 2 ] === 0xff ) {
		return 'jpeg';
	}
	if ( ascii( bytes, 0, 8 ) === '\x89PNG\r\n\x1a\n' ) {
		return 'png';
	}
	const six = ascii( bytes, 0, 6 );
	if ( six === 'GIF87a' || six === 'GIF89a' ) {
		return 'gif';
	}
	if ( ascii( bytes, 0, 4 ) === 'RIFF' && ascii( bytes, 8, 12 ) === 'WEBP' ) {
		return 'webp';
	}
	if ( ascii( bytes, 0, 2 ) === 'BM' && bytes.length >= 26 ) {
		return 'bmp';
	}
	if ( ascii( bytes, 4, 8 ) === 'ftyp' ) {
		// The major brand, then compatible brands, up to the end of the ftyp box.
		const boxSize = Math.min(
			new DataView( bytes.buffer, bytes.byteOffset ).getUint32( 0 ),
			bytes.length
		);
		const brands: string[] = [ ascii( bytes, 8, 12 ) ];
		for ( let offset = 16; offset + 4 <= boxSize; offset += 4 ) {
			brands.push( ascii( bytes, offset, offset + 4 ) );
		}
		if ( brands.some( ( brand ) => AVIF_BRANDS.includes( brand ) ) ) {
			return 'avif';
		}
		if ( brands.some( ( brand ) => HEIF_BRANDS.includes( brand ) ) ) {
			return 'heic';
		}
	}
	return null;
}

/**
 * Width and height from the header, for refusing decompression bombs before decoding.
 * Null when the header does not say (the decoder then decides).
 *
 * @param bytes The file's first bytes (64 KB covers JPEG headers with large EXIF blocks).
 * @param kind  What sniffImage() said.
 */
export function readImageSize(
	bytes: Uint8Array,
	kind: ImageKind
): Size | null {
	const view = new DataView(
		bytes.buffer,
		bytes.byteOffset,
		bytes.byteLength
	);
	try {
		switch ( kind ) {
			case 'png':
				return {
					width: view.getUint32( 16 ),
					height: view.getUint32( 20 ),
				};
			case 'gif':
				return {
					width: view.getUint16( 6, true ),
					height: view.getUint16( 8, true ),
				};
			case 'bmp':
				return {
					width: Math.abs( view.getInt32( 18, true ) ),
					height: Math.abs( view.getInt32( 22, true ) ),
				};
			case 'webp': {
				const chunk = ascii( bytes, 12, 16 );
				if ( chunk === 'VP8 ' ) {
					return {
						width: view.getUint16( 26, true ) & 0x3fff,
						height: view.getUint16( 28, true ) & 0x3fff,
					};
				}
				if ( chunk === 'VP8L' ) {
					const bits = view.getUint32( 21, true );
					return {
						width: ( bits & 0x3fff ) + 1,
						height: ( ( bits >>> 14 ) & 0x3fff ) + 1,
					};
				}
				if ( chunk === 'VP8X' ) {
					const width =
						( view.getUint16( 24, true ) |
							( view.getUint8( 26 ) << 16 ) ) +
						1;
					const height =
						( view.getUint16( 27, true ) |
							( view.getUint8( 29 ) << 16 ) ) +
						1;
					return { width, height };
				}
				return null;
			}
			case 'jpeg':
				return readJpegSize( view );
			default:
				return null;
		}
	} catch {
		return null; // Shorter than its header claims.
	}
}

function readJpegSize( view: DataView ): Size | null {
	let offset = 2;
	while ( offset + 9 < view.byteLength ) {
		if ( view.getUint8( offset ) !== 0xff ) {
			return null;
		}
		const marker = view.getUint8( offset + 1 );
		if ( marker === 0xff ) {
			offset += 1; // Fill byte.
			continue;
		}
		if ( marker === 0x01 || ( marker >= 0xd0 && marker <= 0xd8 ) ) {
			offset += 2; // Markers without a length.
			continue;
		}
		// SOF0..SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) are not frames.
		if (
			marker >= 0xc0 &&
			marker <= 0xcf &&
			marker !== 0xc4 &&
			marker !== 0xc8 &&
			marker !== 0xcc
		) {
			return {
				width: view.getUint16( offset + 7 ),
				height: view.getUint16( offset + 5 ),
			};
		}
		offset += 2 + view.getUint16( offset + 2 );
	}
	return null;
}

/**
 * The size to draw at: the longest side at most maxSide, aspect ratio kept, never enlarged.
 *
 * @param size    The decoded image's size (after EXIF rotation).
 * @param maxSide Longest side allowed, in pixels.
 */
export function fitWithin( size: Size, maxSide: number ): Size {
	const longest = Math.max( size.width, size.height );
	if ( longest <= maxSide ) {
		return { width: size.width, height: size.height };
	}
	const scale = maxSide / longest;
	return {
		width: Math.max( 1, Math.round( size.width * scale ) ),
		height: Math.max( 1, Math.round( size.height * scale ) ),
	};
}

/**
 * Formats that can carry transparency go out as WebP (a JPEG would turn it black);
 * photos as JPEG, which every provider accepts.
 *
 * @param kind What sniffImage() said.
 */
export function outputTypeFor( kind: ImageKind ): 'image/jpeg' | 'image/webp' {
	return kind === 'png' ||
		kind === 'gif' ||
		kind === 'webp' ||
		kind === 'avif'
		? 'image/webp'
		: 'image/jpeg';
}

/**
 * Checks a picked file before any decoding: size cap, real image bytes, header dimensions.
 *
 * @param file The picked file.
 */
export async function inspectImage( file: Blob ): Promise< ImageKind > {
	if ( file.size > MAX_INPUT_BYTES ) {
		throw new ImageError( 'too_large' );
	}
	const head = new Uint8Array( await file.slice( 0, 65536 ).arrayBuffer() );
	const kind = sniffImage( head );
	if ( ! kind ) {
		throw new ImageError( 'not_image' );
	}
	const size = readImageSize( head, kind );
	if ( size && size.width * size.height > MAX_INPUT_PIXELS ) {
		throw new ImageError( 'too_large' );
	}
	return kind;
}

type Drawable = CanvasImageSource & Size;

async function decode(
	file: Blob
): Promise< { image: Drawable; close: () => void } > {
	try {
		// Applies the EXIF orientation, so the photo stays upright once EXIF is gone.
		const bitmap = await createImageBitmap( file, {
			imageOrientation: 'from-image',
		} );
		return { image: bitmap, close: () => bitmap.close() };
	} catch {
		// Some browsers decode formats (HEIC in Safari) only through <img>.
		const url = URL.createObjectURL( file );
		const img = new Image();
		img.src = url;
		try {
			await img.decode();
		} finally {
			URL.revokeObjectURL( url );
		}
		const image = Object.assign( img, {
			width: img.naturalWidth,
			height: img.naturalHeight,
		} );
		return { image, close: () => undefined };
	}
}

function toBlob(
	canvas: HTMLCanvasElement,
	type: string
): Promise< Blob | null > {
	return new Promise( ( resolve ) =>
		canvas.toBlob( resolve, type, QUALITY )
	);
}

/**
 * Decodes, scales and re-encodes a picked photo. Throws ImageError with a code the widget
 * turns into a message.
 *
 * @param file    The picked file.
 * @param maxSide Longest side of the upload, in pixels (the site's setting).
 */
export async function prepareImage(
	file: Blob,
	maxSide: number
): Promise< PreparedImage > {
	const kind = await inspectImage( file );
	let decoded: { image: Drawable; close: () => void };
	try {
		decoded = await decode( file );
	} catch {
		throw new ImageError(
			kind === 'heic' ? 'heic_unsupported' : 'decode_failed'
		);
	}
	try {
		const target = fitWithin( decoded.image, maxSide );
		const canvas = document.createElement( 'canvas' );
		canvas.width = target.width;
		canvas.height = target.height;
		const context = canvas.getContext( '2d' );
		if ( ! context ) {
			throw new ImageError( 'decode_failed' );
		}
		let type: string = outputTypeFor( kind );
		if ( type === 'image/jpeg' ) {
			context.fillStyle = '#fff';
			context.fillRect( 0, 0, target.width, target.height );
		}
		context.imageSmoothingQuality = 'high';
		context.drawImage( decoded.image, 0, 0, target.width, target.height );

		let blob = await toBlob( canvas, type );
		if ( ! blob || blob.type !== type ) {
			// No WebP encoder (older Safari): JPEG over a white background instead.
			type = 'image/jpeg';
			context.globalCompositeOperation = 'destination-over';
			context.fillStyle = '#fff';
			context.fillRect( 0, 0, target.width, target.height );
			blob = await toBlob( canvas, type );
		}
		if ( ! blob ) {
			throw new ImageError( 'decode_failed' );
		}
		return { blob, type, width: target.width, height: target.height };
	} finally {
		decoded.close();
	}
}
