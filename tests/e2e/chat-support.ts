/**
 * Helpers for the chat widget's browser tests (chat-*.spec.ts): the simulator's control
 * API, test photos, and reading what the browser uploaded.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect } from '@playwright/test';
import type { Locator, Page, Request } from '@playwright/test';

import { testPatternArgs } from '../support/media-tools';
import { readStackEnv } from './support/stack-env';

const stack = readStackEnv();
export const SIM_URL = stack.VVC_SIM_URL ?? 'http://127.0.0.1:4010';
export const DEMO_PAGE = '/chat-demo/';
export const CHAT_ROUTE = '/voice-vision-chat/v1/chat';
export const SESSION_ROUTE = '/voice-vision-chat/v1/session';

/**
 * A string no other test uses, to script the simulator and find our requests in its log.
 * @param name
 */
export function marker( name: string ): string {
	return `vvc-e2e-${ name }-${ Date.now() }-${ randomBytes( 3 ).toString( 'hex' ) }`;
}

type ScriptEntry = {
	match: { contains: string };
	reply?: { content: string };
	fault?: { type: string; ms?: number; after_chunks?: number };
	times?: number;
};

/**
 * Queues simulator behaviours, always matched on a marker (other tests share it).
 * @param {...any} entries
 */
export async function script( ...entries: ScriptEntry[] ): Promise< void > {
	const response = await fetch( `${ SIM_URL }/__sim/script`, {
		method: 'POST',
		body: JSON.stringify( entries ),
	} );
	expect( response.ok, await response.clone().text() ).toBe( true );
}

export type SimRequest = {
	path: string;
	status?: number | null;
	outcome?: string | null;
	stream?: boolean;
	chunks_sent?: number;
	media?: Array< {
		kind: string;
		type: string;
		width: number;
		height: number;
		bytes: number;
		sha256: string;
	} >;
	body?: unknown;
};

/**
 * The simulator's log entries whose request contains the marker.
 * @param needle
 */
export async function simRequests( needle: string ): Promise< SimRequest[] > {
	const response = await fetch( `${ SIM_URL }/__sim/requests` );
	const log = ( await response.json() ) as { data: SimRequest[] };
	return log.data.filter( ( entry ) =>
		JSON.stringify( entry ).includes( needle )
	);
}

/**
 * Types into the question box key by key, as a visitor does. (Playwright's fill() over
 * Firefox's WebDriver BiDi sets the value without an edit React notices.)
 *
 * @param chat The chat block.
 * @param text What to type.
 */
export async function typeQuestion( chat: Locator, text: string ) {
	const input = chat.getByLabel( 'Your question' );
	await input.click();
	await input.pressSequentially( text );
	await expect( input ).toHaveValue( text );
}

/**
 * Opens the demo page as a visitor and waits for the widget, loaded by a click in the box.
 * @param page
 */
export async function openChat( page: Page ) {
	await page.goto( DEMO_PAGE );
	const chat = page.locator( '.wp-block-voice-vision-chat-chat' ).first();
	await chat.getByLabel( 'Your question' ).click();
	await expect( chat ).toHaveAttribute( 'data-vvc-state', 'live' );
	return chat;
}

export type UploadPart = {
	name: string;
	filename?: string;
	type?: string;
	data: Buffer;
};

/**
 * Splits a multipart/form-data request body into its parts.
 * @param request
 */
export function multipartParts( request: Request ): UploadPart[] {
	const type = request.headers()[ 'content-type' ] ?? '';
	const boundary = type.match( /boundary=(?:"([^"]+)"|([^;]+))/ );
	const body = request.postDataBuffer();
	if ( ! boundary || ! body ) {
		return [];
	}
	const delimiter = Buffer.from( `--${ boundary[ 1 ] ?? boundary[ 2 ] }` );
	const parts: UploadPart[] = [];
	let start = body.indexOf( delimiter );
	while ( start !== -1 ) {
		const next = body.indexOf( delimiter, start + delimiter.length );
		if ( next === -1 ) {
			break;
		}
		const chunk = body.subarray( start + delimiter.length + 2, next - 2 );
		const headerEnd = chunk.indexOf( '\r\n\r\n' );
		const headers = chunk.subarray( 0, headerEnd ).toString( 'utf8' );
		parts.push( {
			name: headers.match( /name="([^"]*)"/ )?.[ 1 ] ?? '',
			filename: headers.match( /filename="([^"]*)"/ )?.[ 1 ],
			type: headers.match( /Content-Type:\s*(\S+)/i )?.[ 1 ],
			data: chunk.subarray( headerEnd + 4 ),
		} );
		start = next;
	}
	return parts;
}

export const sha256 = ( data: Buffer ) =>
	createHash( 'sha256' ).update( data ).digest( 'hex' );

/**
 * JPEG segment markers up to the image data, and the frame size.
 * @param data
 */
export function jpegFacts( data: Buffer ): {
	markers: number[];
	width: number;
	height: number;
} {
	expect( data.readUInt16BE( 0 ), 'JPEG start' ).toBe( 0xffd8 );
	const markers: number[] = [];
	let width = 0;
	let height = 0;
	let offset = 2;
	while ( offset + 4 <= data.length ) {
		const segment = data.readUInt16BE( offset );
		markers.push( segment );
		if ( segment === 0xffda ) {
			break; // Start of scan: only image data after this.
		}
		const length = data.readUInt16BE( offset + 2 );
		if (
			segment >= 0xffc0 &&
			segment <= 0xffcf &&
			! [ 0xffc4, 0xffc8, 0xffcc ].includes( segment )
		) {
			height = data.readUInt16BE( offset + 5 );
			width = data.readUInt16BE( offset + 7 );
		}
		offset += 2 + length;
	}
	return { markers, width, height };
}

/** An EXIF block (big-endian TIFF) with a camera make and a GPS position. */
function exifWithGps(): Buffer {
	const tiff = Buffer.alloc( 200 );
	tiff.write( 'MM', 0, 'latin1' );
	tiff.writeUInt16BE( 42, 2 );
	tiff.writeUInt32BE( 8, 4 );
	const entry = (
		at: number,
		tag: number,
		type: number,
		count: number,
		value: number
	) => {
		tiff.writeUInt16BE( tag, at );
		tiff.writeUInt16BE( type, at + 2 );
		tiff.writeUInt32BE( count, at + 4 );
		tiff.writeUInt32BE( value, at + 8 );
	};
	// IFD0 at 8: Make, Orientation, GPS IFD pointer.
	tiff.writeUInt16BE( 3, 8 );
	entry( 10, 0x010f, 2, 8, 110 ); // Make -> "VVCTest\0" at 110
	entry( 22, 0x0112, 3, 1, 0x10000 ); // Orientation = 1 (SHORT, left-aligned)
	entry( 34, 0x8825, 4, 1, 50 ); // GPS IFD at 50
	tiff.writeUInt32BE( 0, 46 );
	// GPS IFD at 50: N 48°51'30", E 2°17'40".
	tiff.writeUInt16BE( 4, 50 );
	entry( 52, 0x0001, 2, 2, 0x4e000000 );
	entry( 64, 0x0002, 5, 3, 120 );
	entry( 76, 0x0003, 2, 2, 0x45000000 );
	entry( 88, 0x0004, 5, 3, 144 );
	tiff.writeUInt32BE( 0, 100 );
	tiff.write( 'VVCTest\0', 110, 'latin1' );
	[ 48, 1, 51, 1, 30, 1 ].forEach( ( n, i ) =>
		tiff.writeUInt32BE( n, 120 + 4 * i )
	);
	[ 2, 1, 17, 1, 40, 1 ].forEach( ( n, i ) =>
		tiff.writeUInt32BE( n, 144 + 4 * i )
	);
	const payload = Buffer.concat( [
		Buffer.from( 'Exif\0\0', 'latin1' ),
		tiff,
	] );
	const header = Buffer.alloc( 4 );
	header.writeUInt16BE( 0xffe1, 0 );
	header.writeUInt16BE( payload.length + 2, 2 );
	return Buffer.concat( [ header, payload ] );
}

/**
 * A real 4000x3000 camera-like JPEG (ffmpeg's test pattern) carrying EXIF with GPS.
 *
 * @return Path of the file.
 */
export function cameraPhoto(): string {
	const dir = mkdtempSync( join( tmpdir(), 'vvc-e2e-' ) );
	const plain = join( dir, 'plain.jpg' );
	execFileSync(
		'ffmpeg',
		testPatternArgs( 'testsrc2=size=4000x3000', plain, [ '-q:v', '4' ] )
	);
	const jpeg = readFileSync( plain );
	const photo = Buffer.concat( [
		jpeg.subarray( 0, 2 ),
		exifWithGps(),
		jpeg.subarray( 2 ),
	] );
	const file = join( dir, 'IMG_4000x3000_gps.jpg' );
	writeFileSync( file, photo );
	return file;
}
