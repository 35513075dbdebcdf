import { describe, expect, it } from 'vitest';

import {
	PcmBatcher,
	registerRecorderProcessor,
} from '../../../src/voice/recorder-worklet';
import type { WorkletScope } from '../../../src/voice/recorder-worklet';
import type { WorkletMessage, WorkletRequest } from '../../../src/voice/types';

describe( 'PcmBatcher', () => {
	it( 'collects samples into fixed-size batches with their RMS level', () => {
		const batcher = new PcmBatcher( 4 );
		expect(
			batcher.add( Float32Array.from( [ 0.5, -0.5, 0.5 ] ) )
		).toEqual( [] );
		const done = batcher.add( Float32Array.from( [ -0.5, 1, 1 ] ) );
		expect( done ).toHaveLength( 1 );
		expect( Array.from( done[ 0 ]!.samples ) ).toEqual( [
			0.5, -0.5, 0.5, -0.5,
		] );
		expect( done[ 0 ]!.level ).toBeCloseTo( 0.5, 9 );

		const rest = batcher.drain();
		expect( Array.from( rest!.samples ) ).toEqual( [ 1, 1 ] );
		expect( rest!.level ).toBe( 1 );
		expect( batcher.drain() ).toBeNull();
	} );

	it( 'hands out a new buffer for every batch (each is transferred away)', () => {
		const batcher = new PcmBatcher( 2 );
		const [ first, second ] = batcher.add(
			Float32Array.from( [ 1, 2, 3, 4 ] )
		);
		expect( first!.samples ).not.toBe( second!.samples );
		expect( Array.from( first!.samples ) ).toEqual( [ 1, 2 ] );
	} );
} );

type Posted = { message: WorkletMessage; transfer?: Transferable[] };

type Processor = {
	port: { onmessage: ( ( event: { data: WorkletRequest } ) => void ) | null };
	process: ( inputs: Float32Array[][] ) => boolean;
};

function fakeWorkletScope( sampleRate: number ) {
	const posted: Posted[] = [];
	const registered = new Map< string, new ( options?: object ) => unknown >();
	class AudioWorkletProcessor {
		readonly port = {
			onmessage: null as Processor[ 'port' ][ 'onmessage' ],
			postMessage( message: WorkletMessage, transfer?: Transferable[] ) {
				posted.push( { message, transfer } );
			},
		};
	}
	const scope: WorkletScope = {
		AudioWorkletProcessor,
		registerProcessor: ( name, processor ) =>
			registered.set( name, processor ),
		sampleRate,
	};
	registerRecorderProcessor( scope );
	return { posted, registered };
}

function quantum( value: number ): Float32Array {
	return new Float32Array( 128 ).fill( value );
}

describe( 'recorder worklet processor', () => {
	it( 'registers as vvc-recorder and posts ~40 ms mono batches with levels', () => {
		const { posted, registered } = fakeWorkletScope( 48000 );
		const Processor = registered.get( 'vvc-recorder' )!;
		const processor = new Processor( {
			processorOptions: { batchMs: 40 },
		} ) as Processor;

		// 16 stereo quanta (2048 frames): one full batch of 1920 and 128 left over.
		for ( let i = 0; i < 16; i++ ) {
			expect(
				processor.process( [ [ quantum( 0.2 ), quantum( 0.4 ) ] ] )
			).toBe( true );
		}
		expect( posted ).toHaveLength( 1 );
		const first = posted[ 0 ]!;
		expect( first.message.type ).toBe( 'pcm' );
		if ( first.message.type !== 'pcm' ) {
			return;
		}
		expect( first.message.samples.length ).toBe( 1920 );
		expect( first.message.samples[ 0 ] ).toBeCloseTo( 0.3, 6 );
		expect( first.message.level ).toBeCloseTo( 0.3, 6 );
		expect( first.transfer ).toEqual( [ first.message.samples.buffer ] );
	} );

	it( 'posts what is left and "flushed" when asked, then lets itself be dropped', () => {
		const { posted, registered } = fakeWorkletScope( 44100 );
		const processor = new ( registered.get(
			'vvc-recorder'
		)! )() as Processor;
		processor.process( [ [ quantum( 0.1 ) ] ] );
		processor.port.onmessage?.( { data: { type: 'flush' } } );

		expect( posted.map( ( entry ) => entry.message.type ) ).toEqual( [
			'pcm',
			'flushed',
		] );
		const tail = posted[ 0 ]!.message;
		expect( tail.type === 'pcm' && tail.samples.length ).toBe( 128 );
		expect( processor.process( [ [ quantum( 0.1 ) ] ] ) ).toBe( false );
		expect( posted ).toHaveLength( 2 );
	} );

	it( 'keeps running while the input has no channels yet', () => {
		const { posted, registered } = fakeWorkletScope( 48000 );
		const processor = new ( registered.get(
			'vvc-recorder'
		)! )() as Processor;
		expect( processor.process( [ [] ] ) ).toBe( true );
		expect( processor.process( [] ) ).toBe( true );
		expect( posted ).toEqual( [] );
	} );
} );
