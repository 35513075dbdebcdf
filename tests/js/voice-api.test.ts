import { describe, expect, it, vi } from 'vitest';
import type { APIFetchOptions } from '@wordpress/api-fetch';

import { createChatApi, parseVoiceEvent } from '../../src/lib/api';
import type { ReplyAudioChunk, Session } from '../../src/lib/api';

const ROOT = 'https://example.test/wp-json/';

function sse( text: string ): Response {
	return new Response( text, {
		headers: { 'Content-Type': 'text/event-stream; charset=UTF-8' },
	} );
}

function api( respond: ( form: FormData ) => Response ) {
	let session: Session | null = {
		token: 't',
		expiresAt: Date.now() / 1000 + 3600,
	};
	const apiFetch = vi.fn( async ( options: APIFetchOptions< false > ) =>
		respond( options.body as FormData )
	);
	return {
		apiFetch,
		chat: createChatApi( {
			apiFetch,
			root: ROOT,
			tokens: {
				get: () => session,
				set: ( next ) => {
					session = next;
				},
				clear: () => {
					session = null;
				},
			},
		} ),
	};
}

describe( 'parseVoiceEvent', () => {
	it( 'reads a transcript', () => {
		expect(
			parseVoiceEvent( 'transcript', '{"text":"What time is it?"}' )
		).toEqual( { type: 'transcript', text: 'What time is it?' } );
	} );

	it( 'reads a pcm16 audio chunk with and without a label', () => {
		expect(
			parseVoiceEvent(
				'audio',
				'{"format":"pcm16","sample_rate":24000,"data":"AAA=","label":"AI voice"}'
			)
		).toEqual( {
			type: 'audio',
			chunk: {
				format: 'pcm16',
				sampleRate: 24000,
				data: 'AAA=',
				label: 'AI voice',
			},
		} );
		expect(
			parseVoiceEvent(
				'audio',
				'{"format":"pcm16","sample_rate":24000,"data":"AAA="}'
			)
		).toMatchObject( { chunk: { label: null } } );
	} );

	it( 'drops audio it cannot play and malformed data', () => {
		expect(
			parseVoiceEvent(
				'audio',
				'{"format":"mp3","sample_rate":24000,"data":"AAA="}'
			)
		).toBeNull();
		expect(
			parseVoiceEvent( 'audio', '{"format":"pcm16","data":"AAA="}' )
		).toBeNull();
		expect(
			parseVoiceEvent(
				'audio',
				'{"format":"pcm16","sample_rate":0,"data":"AAA="}'
			)
		).toBeNull();
		expect( parseVoiceEvent( 'transcript', 'not json' ) ).toBeNull();
		expect( parseVoiceEvent( 'transcript', '{"text":3}' ) ).toBeNull();
	} );

	it( 'reads audio_error and ignores the text events', () => {
		expect(
			parseVoiceEvent( 'audio_error', '{"message":"No voice today."}' )
		).toEqual( { type: 'audio_error', message: 'No voice today.' } );
		expect( parseVoiceEvent( 'delta', '{"text":"Hi"}' ) ).toBeNull();
		expect( parseVoiceEvent( 'done', '{}' ) ).toBeNull();
	} );
} );

describe( 'sending a voice question', () => {
	it( 'sends the recording as the audio part (with the photo) and no empty message', async () => {
		let sent: FormData | null = null;
		const { chat } = api( ( form ) => {
			sent = form;
			return sse( 'event: done\ndata: {"finish_reason":"stop"}\n\n' );
		} );
		const recording = new Blob( [ new Uint8Array( [ 0xff, 0xf3, 1 ] ) ], {
			type: 'audio/mpeg',
		} );
		const photo = new Blob( [ new Uint8Array( [ 1 ] ) ], {
			type: 'image/jpeg',
		} );
		await chat.send( {
			message: '',
			history: [],
			image: photo,
			audio: { blob: recording, filename: 'voice.mp3' },
		} );
		const form = sent as unknown as FormData;
		expect( form.has( 'message' ) ).toBe( false );
		expect( form.get( 'stream' ) ).toBe( '1' );
		const audio = form.get( 'audio' ) as File;
		expect( audio.name ).toBe( 'voice.mp3' );
		expect( audio.type ).toBe( 'audio/mpeg' );
		expect( audio.size ).toBe( 3 );
		expect( ( form.get( 'image' ) as File ).name ).toBe( 'photo.jpg' );
	} );

	it( 'hands over the transcript (even after the first delta), the audio and the speech failure', async () => {
		const { chat } = api( () =>
			sse(
				[
					'event: delta\ndata: {"text":"It is "}\n\n',
					'event: transcript\ndata: {"text":"What time is it?"}\n\n',
					'event: audio\ndata: {"format":"pcm16","sample_rate":24000,"data":"AAD/fw==","label":"AI-generated voice"}\n\n',
					'event: delta\ndata: {"text":"noon."}\n\n',
					'event: audio_error\ndata: {"message":"The voice stopped."}\n\n',
					'event: done\ndata: {"finish_reason":"stop","pipeline":"native"}\n\n',
				].join( '' )
			)
		);
		const order: string[] = [];
		const chunks: ReplyAudioChunk[] = [];
		const result = await chat.send( {
			message: '',
			history: [],
			audio: { blob: new Blob( [ 'x' ] ), filename: 'voice.wav' },
			onDelta: ( text ) => order.push( 'delta:' + text ),
			onTranscript: ( text ) => order.push( 'transcript:' + text ),
			onAudio: ( chunk ) => {
				order.push( 'audio' );
				chunks.push( chunk );
			},
			onAudioError: ( message ) => order.push( 'audio_error:' + message ),
		} );
		expect( result ).toEqual( {
			reply: 'It is noon.',
			finishReason: 'stop',
		} );
		expect( order ).toEqual( [
			'delta:It is ',
			'transcript:What time is it?',
			'audio',
			'delta:noon.',
			'audio_error:The voice stopped.',
		] );
		expect( chunks[ 0 ] ).toEqual( {
			format: 'pcm16',
			sampleRate: 24000,
			data: 'AAD/fw==',
			label: 'AI-generated voice',
		} );
	} );

	it( 'still sends a typed message as before', async () => {
		let sent: FormData | null = null;
		const { chat } = api( ( form ) => {
			sent = form;
			return sse( 'event: done\ndata: {"finish_reason":"stop"}\n\n' );
		} );
		await chat.send( { message: 'Hello', history: [] } );
		const form = sent as unknown as FormData;
		expect( form.get( 'message' ) ).toBe( 'Hello' );
		expect( form.has( 'audio' ) ).toBe( false );
	} );
} );
