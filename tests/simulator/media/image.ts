/**
 * Checks `image_url` data URLs: the bytes must be an image of the declared type (magic bytes,
 * then a full decode by ffmpeg), and width/height come from the bytes, because image tokens
 * are computed from them.
 */
import { createHash } from 'node:crypto';
import { run } from './run';

export type ImageType = 'png' | 'jpeg' | 'gif' | 'webp';

export interface ImageFacts {
	type: ImageType;
	width: number;
	height: number;
	bytes: number;
	sha256: string;
}

export class ImageRejected extends Error {
	constructor(
		message: string,
		readonly code:
			'invalid_image_format' | 'invalid_image' | 'invalid_image_url'
	) {
		super( message );
	}
}

const MIME_TO_TYPE: Readonly< Record< string, ImageType > > = {
	'image/png': 'png',
	'image/jpeg': 'jpeg',
	'image/jpg': 'jpeg',
	'image/gif': 'gif',
	'image/webp': 'webp',
};

export const UNSUPPORTED_IMAGE_MESSAGE =
	"You uploaded an unsupported image. Please make sure your image has of one the following formats: ['png', 'jpeg', 'gif', 'webp'].";
export const INVALID_IMAGE_MESSAGE =
	'The image data you provided does not represent a valid image. Please check your input and try again with one of the supported image formats.';

export function sniffImage( b: Buffer ): ImageType | undefined {
	if (
		b.length >= 8 &&
		b.readUInt32BE( 0 ) === 0x89504e47 &&
		b.readUInt32BE( 4 ) === 0x0d0a1a0a
	) {
		return 'png';
	}
	if (
		b.length >= 3 &&
		b[ 0 ] === 0xff &&
		b[ 1 ] === 0xd8 &&
		b[ 2 ] === 0xff
	) {
		return 'jpeg';
	}
	if (
		b.length >= 6 &&
		( b.toString( 'latin1', 0, 6 ) === 'GIF87a' ||
			b.toString( 'latin1', 0, 6 ) === 'GIF89a' )
	) {
		return 'gif';
	}
	if (
		b.length >= 12 &&
		b.toString( 'latin1', 0, 4 ) === 'RIFF' &&
		b.toString( 'latin1', 8, 12 ) === 'WEBP'
	) {
		return 'webp';
	}
	return undefined;
}

/**
 * Width and height from the header bytes; undefined when the header is damaged.
 * @param b
 * @param type
 */
export function imageSize(
	b: Buffer,
	type: ImageType
): { width: number; height: number } | undefined {
	try {
		switch ( type ) {
			case 'png':
				if ( b.toString( 'latin1', 12, 16 ) !== 'IHDR' ) {
					return undefined;
				}
				return {
					width: b.readUInt32BE( 16 ),
					height: b.readUInt32BE( 20 ),
				};
			case 'gif':
				return {
					width: b.readUInt16LE( 6 ),
					height: b.readUInt16LE( 8 ),
				};
			case 'webp': {
				const chunk = b.toString( 'latin1', 12, 16 );
				if ( chunk === 'VP8 ' ) {
					return {
						// 14-bit sizes; the top 2 bits are a scale field.
						width: b.readUInt16LE( 26 ) % 0x4000,
						height: b.readUInt16LE( 28 ) % 0x4000,
					};
				}
				if ( chunk === 'VP8L' ) {
					const bits = b.readUInt32LE( 21 );
					return {
						// Two 14-bit fields, width-1 then height-1.
						width: ( bits % 0x4000 ) + 1,
						height: ( Math.floor( bits / 0x4000 ) % 0x4000 ) + 1,
					};
				}
				if ( chunk === 'VP8X' ) {
					return {
						width: b.readUIntLE( 24, 3 ) + 1,
						height: b.readUIntLE( 27, 3 ) + 1,
					};
				}
				return undefined;
			}
			case 'jpeg': {
				let off = 2;
				while ( off + 9 < b.length ) {
					if ( b[ off ] !== 0xff ) {
						return undefined;
					}
					const marker = b[ off + 1 ] ?? 0;
					if (
						marker === 0xd8 ||
						( marker >= 0xd0 && marker <= 0xd7 ) ||
						marker === 0x01 ||
						marker === 0xff
					) {
						off += marker === 0xff ? 1 : 2;
						continue;
					}
					const len = b.readUInt16BE( off + 2 );
					// SOF0..SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) are not frames.
					if (
						marker >= 0xc0 &&
						marker <= 0xcf &&
						marker !== 0xc4 &&
						marker !== 0xc8 &&
						marker !== 0xcc
					) {
						return {
							width: b.readUInt16BE( off + 7 ),
							height: b.readUInt16BE( off + 5 ),
						};
					}
					off += 2 + len;
				}
				return undefined;
			}
		}
	} catch {
		return undefined;
	}
}

/**
 * Parses `data:image/<type>;base64,<data>`; returns undefined for other URLs (http/https).
 * @param url
 */
export function parseDataUrl(
	url: string
): { mime: string; bytes: Buffer } | undefined {
	if ( ! url.startsWith( 'data:' ) ) {
		return undefined;
	}
	const comma = url.indexOf( ',' );
	const header = comma > 0 ? url.slice( 5, comma ) : '';
	if ( comma < 0 || ! /;base64$/i.test( header ) ) {
		throw new ImageRejected(
			"Invalid 'image_url'. Expected a base64-encoded data URL with an image MIME type (e.g. 'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU='), but got a value without the 'data:' prefix.",
			'invalid_image_url'
		);
	}
	const data = url.slice( comma + 1 );
	if (
		! /^[A-Za-z0-9+/]*={0,2}$/.test( data.slice( 0, 4096 ) ) ||
		data.length % 4 === 1
	) {
		throw new ImageRejected( INVALID_IMAGE_MESSAGE, 'invalid_image' );
	}
	return {
		mime: header.slice( 0, -';base64'.length ).toLowerCase(),
		bytes: Buffer.from( data, 'base64' ),
	};
}

/**
 * Full check of a data URL image. Throws ImageRejected with OpenAI's wording.
 * @param mime
 * @param bytes
 */
export async function analyseImage(
	mime: string,
	bytes: Buffer
): Promise< ImageFacts > {
	const declared = MIME_TO_TYPE[ mime ];
	if ( ! declared ) {
		throw new ImageRejected(
			UNSUPPORTED_IMAGE_MESSAGE,
			'invalid_image_format'
		);
	}
	const actual = sniffImage( bytes );
	if ( ! actual ) {
		throw new ImageRejected( INVALID_IMAGE_MESSAGE, 'invalid_image' );
	}
	if ( actual !== declared ) {
		throw new ImageRejected(
			`Invalid image: the data URL declares ${ mime } but the bytes are ${ actual }.`,
			'invalid_image_format'
		);
	}
	const size = imageSize( bytes, actual );
	if ( ! size || size.width === 0 || size.height === 0 ) {
		throw new ImageRejected( INVALID_IMAGE_MESSAGE, 'invalid_image' );
	}
	// A header alone proves little; decoding every pixel catches truncated or forged files.
	const dec = await run(
		'ffmpeg',
		[ '-nostdin', '-v', 'error', '-i', 'pipe:0', '-f', 'null', '-' ],
		bytes
	);
	if ( dec.code !== 0 || dec.stderr.trim() !== '' ) {
		throw new ImageRejected( INVALID_IMAGE_MESSAGE, 'invalid_image' );
	}
	return {
		type: actual,
		...size,
		bytes: bytes.length,
		sha256: createHash( 'sha256' ).update( bytes ).digest( 'hex' ),
	};
}
