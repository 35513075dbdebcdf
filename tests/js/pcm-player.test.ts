import { describe, expect, it } from 'vitest';

import { createPcmPlayer, decodePcm16 } from '../../src/lib/pcm-player';
import type {
	AudioBufferLike,
	BufferSourceLike,
	PlayerContextLike,
} from '../../src/lib/pcm-player';

function base64Of( samples: number[] ): string {
	const bytes = new Uint8Array( samples.length * 2 );
	const view = new DataView( bytes.buffer );
	samples.forEach( ( value, i ) => view.setInt16( i * 2, value, true ) );
	return Buffer.from( bytes ).toString( 'base64' );
}

type FakeSource = BufferSourceLike & {
	startedAt: number | null;
	offset: number;
	stopped: boolean;
};

/** A context whose clock the test moves, recording every source it starts. */
function fakeContext() {
	const sources: FakeSource[] = [];
	const context = {
		currentTime: 0,
		destination: {},
		state: 'running',
		resume: async () => undefined,
		close: async () => undefined,
		createBuffer( _channels: number, length: number, sampleRate: number ) {
			const buffer: AudioBufferLike & { data: Float32Array | null } = {
				duration: length / sampleRate,
				data: null,
				copyToChannel( source: Float32Array ) {
					buffer.data = source;
				},
			};
			return buffer;
		},
		createBufferSource() {
			const source: FakeSource = {
				buffer: null,
				playbackRate: { value: 1 },
				onended: null,
				startedAt: null,
				offset: 0,
				stopped: false,
				connect: () => undefined,
				start( when: number, offset = 0 ) {
					source.startedAt = when;
					source.offset = offset;
				},
				stop() {
					source.stopped = true;
				},
			};
			sources.push( source );
			return source;
		},
	};
	return { context: context as PlayerContextLike & typeof context, sources };
}

/**
 * `seconds` of audio at 100 Hz (small numbers keep the arithmetic exact).
 * @param seconds
 */
function chunkOf( seconds: number ): string {
	return base64Of( new Array( Math.round( seconds * 100 ) ).fill( 1000 ) );
}

describe( 'decodePcm16', () => {
	it( 'decodes little-endian signed 16-bit samples to -1..1', () => {
		const samples = decodePcm16(
			base64Of( [ 0, 16384, -16384, 32767, -32768 ] )
		);
		expect( Array.from( samples ) ).toEqual( [
			0,
			0.5,
			-0.5,
			32767 / 32768,
			-1,
		] );
	} );

	it( 'drops an odd trailing byte and handles empty input', () => {
		expect(
			decodePcm16( Buffer.from( [ 0, 64, 7 ] ).toString( 'base64' ) )
		).toEqual( new Float32Array( [ 0.5 ] ) );
		expect( decodePcm16( '' ).length ).toBe( 0 );
	} );
} );

describe( 'createPcmPlayer', () => {
	it( 'plays chunks back to back as they arrive', () => {
		const { context, sources } = fakeContext();
		const player = createPcmPlayer( context );
		context.currentTime = 1;
		player.append( chunkOf( 0.5 ), 100 );
		player.append( chunkOf( 0.25 ), 100 );
		expect( sources.map( ( source ) => source.startedAt ) ).toEqual( [
			1, 1.5,
		] );
		expect( player.getSnapshot() ).toMatchObject( {
			playing: true,
			duration: 0.75,
		} );
		context.currentTime = 1.6;
		expect( player.currentPosition() ).toBeCloseTo( 0.6 );
	} );

	it( 'starts a late chunk now rather than in the past after the stream fell behind', () => {
		const { context, sources } = fakeContext();
		const player = createPcmPlayer( context );
		player.append( chunkOf( 0.5 ), 100 );
		context.currentTime = 2;
		player.append( chunkOf( 0.5 ), 100 );
		expect( sources[ 1 ]?.startedAt ).toBe( 2 );
		context.currentTime = 2.25;
		expect( player.currentPosition() ).toBeCloseTo( 0.75 );
	} );

	it( 'pauses where it is and resumes from there', () => {
		const { context, sources } = fakeContext();
		const player = createPcmPlayer( context );
		player.append( chunkOf( 0.5 ), 100 );
		player.append( chunkOf( 0.5 ), 100 );
		context.currentTime = 0.7;
		player.pause();
		expect( sources.every( ( source ) => source.stopped ) ).toBe( true );
		expect( player.getSnapshot() ).toMatchObject( {
			playing: false,
			position: expect.closeTo( 0.7 ) as number,
		} );
		context.currentTime = 5;
		expect( player.currentPosition() ).toBeCloseTo( 0.7 );
		player.play();
		// Only the second chunk is left, 0.2 s into it.
		const resumed = sources.slice( 2 );
		expect( resumed ).toHaveLength( 1 );
		expect( resumed[ 0 ] ).toMatchObject( { startedAt: 5 } );
		expect( resumed[ 0 ]?.offset ).toBeCloseTo( 0.2 );
		// Chunks arriving while paused wait for play.
		player.pause();
		const count = sources.length;
		player.append( chunkOf( 0.5 ), 100 );
		expect( sources ).toHaveLength( count );
	} );

	it( 'reschedules the rest at the new speed', () => {
		const { context, sources } = fakeContext();
		const player = createPcmPlayer( context );
		player.append( chunkOf( 1 ), 100 );
		player.append( chunkOf( 1 ), 100 );
		context.currentTime = 0.5;
		player.setRate( 2 );
		const rescheduled = sources.slice( 2 );
		expect(
			rescheduled.map( ( source ) => source.playbackRate.value )
		).toEqual( [ 2, 2 ] );
		expect( rescheduled[ 0 ] ).toMatchObject( {
			startedAt: 0.5,
			offset: 0.5,
		} );
		// The first chunk's remaining 0.5 s takes 0.25 s at double speed.
		expect( rescheduled[ 1 ]?.startedAt ).toBeCloseTo( 0.75 );
		context.currentTime = 1;
		expect( player.currentPosition() ).toBeCloseTo( 1.5 );
		expect( player.getSnapshot().rate ).toBe( 2 );
	} );

	it( 'stops at the end and plays again from the start', () => {
		const { context, sources } = fakeContext();
		const player = createPcmPlayer( context );
		player.append( chunkOf( 0.5 ), 100 );
		player.end();
		context.currentTime = 0.6;
		sources[ 0 ]?.onended?.();
		expect( player.getSnapshot() ).toMatchObject( {
			playing: false,
			complete: true,
			position: 0,
		} );
		player.play();
		expect( sources[ 1 ] ).toMatchObject( { startedAt: 0.6, offset: 0 } );
	} );

	it( 'waits for play when not autoplaying', () => {
		const { context, sources } = fakeContext();
		const player = createPcmPlayer( context, false );
		player.append( chunkOf( 0.5 ), 100 );
		expect( sources ).toHaveLength( 0 );
		player.play();
		expect( sources ).toHaveLength( 1 );
	} );
} );
