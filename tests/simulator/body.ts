/**
 * Reads request bodies: raw bytes for JSON, busboy for multipart/form-data (file uploads).
 */
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { ApiError } from './errors';

/** OpenAI's upload limit for /v1/audio/transcriptions. */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
/** JSON bodies carry base64 images/audio; OpenAI refuses requests above ~50 MB of images. */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;

export function readRaw(
	req: IncomingMessage,
	limit = MAX_JSON_BYTES
): Promise< Buffer > {
	return new Promise( ( resolve, reject ) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let failed = false;
		req.on( 'data', ( c: Buffer ) => {
			if ( failed ) {
				return;
			}
			size += c.length;
			if ( size > limit ) {
				failed = true;
				reject( tooLarge( limit, size ) );
				return;
			}
			chunks.push( c );
		} );
		req.on( 'end', () => {
			if ( ! failed ) {
				resolve( Buffer.concat( chunks ) );
			}
		} );
		req.on( 'error', reject );
	} );
}

function tooLarge( limit: number, read: number ): ApiError {
	return new ApiError(
		413,
		`Maximum content size limit (${ limit }) exceeded (${ read } bytes read)`,
		'invalid_request_error',
		null,
		null
	);
}

export interface UploadedFile {
	field: string;
	filename: string;
	mime: string;
	data: Buffer;
}

export interface Multipart {
	/** `name[]` fields (how the SDK sends arrays) are gathered into arrays under `name` */
	fields: Record< string, string | string[] >;
	files: UploadedFile[];
}

export function readMultipart( req: IncomingMessage ): Promise< Multipart > {
	return new Promise( ( resolve, reject ) => {
		let bb: busboy.Busboy;
		try {
			bb = busboy( {
				headers: req.headers,
				limits: { fileSize: MAX_UPLOAD_BYTES, files: 4, fields: 64 },
			} );
		} catch ( e ) {
			reject(
				new ApiError(
					400,
					`Could not parse multipart form: ${ ( e as Error ).message }`
				)
			);
			return;
		}
		const fields: Record< string, string | string[] > = {};
		const files: UploadedFile[] = [];
		let error: ApiError | undefined;
		let pending = 0;
		let finished = false;
		const done = (): void => {
			if ( ! finished || pending > 0 ) {
				return;
			}
			if ( error ) {
				reject( error );
			} else {
				resolve( { fields, files } );
			}
		};
		bb.on( 'field', ( name, value ) => {
			if ( name.endsWith( '[]' ) ) {
				const key = name.slice( 0, -2 );
				const prev = fields[ key ];
				let list: string[] = [ value ];
				if ( Array.isArray( prev ) ) {
					list = [ ...prev, value ];
				} else if ( prev !== undefined ) {
					list = [ prev, value ];
				}
				fields[ key ] = list;
			} else {
				fields[ name ] = value;
			}
		} );
		bb.on( 'file', ( name, stream, info ) => {
			pending++;
			const chunks: Buffer[] = [];
			let size = 0;
			stream.on( 'data', ( c: Buffer ) => {
				size += c.length;
				chunks.push( c );
			} );
			stream.on( 'limit', () => {
				error = tooLarge( MAX_UPLOAD_BYTES, size );
			} );
			stream.on( 'close', () => {
				pending--;
				files.push( {
					field: name,
					filename: info.filename ?? '',
					mime: info.mimeType,
					data: Buffer.concat( chunks ),
				} );
				done();
			} );
		} );
		bb.on( 'error', ( e: Error ) =>
			reject(
				new ApiError(
					400,
					`Could not parse multipart form: ${ e.message }`
				)
			)
		);
		bb.on( 'close', () => {
			finished = true;
			done();
		} );
		req.pipe( bb );
	} );
}
