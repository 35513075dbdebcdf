/**
 * Plays the spoken reply while it streams in: each pcm16 chunk becomes an AudioBuffer
 * scheduled right after the previous one on one AudioContext, so there are no gaps
 * between chunks. Pause, resume and a speed change all reschedule what is left from the
 * current position, so the position (what the visitor has heard) is always known.
 */

/** The parts of Web Audio used here; the real objects fit. */
export type BufferSourceLike = {
	buffer: AudioBufferLike | null;
	playbackRate: { value: number };
	onended: ( () => void ) | null;
	connect: ( destination: unknown ) => unknown;
	start: ( when: number, offset?: number ) => void;
	stop: () => void;
};
export type AudioBufferLike = {
	readonly duration: number;
	copyToChannel: ( source: Float32Array, channel: number ) => void;
};
export type PlayerContextLike = {
	readonly currentTime: number;
	readonly destination: unknown;
	readonly state: string;
	resume: () => Promise< void >;
	close: () => Promise< void >;
	createBuffer: (
		channels: number,
		length: number,
		sampleRate: number
	) => AudioBufferLike;
	createBufferSource: () => BufferSourceLike;
};

export type PlayerSnapshot = {
	playing: boolean;
	/** Seconds of the reply heard so far. */
	position: number;
	/** Seconds of the reply received so far. */
	duration: number;
	rate: number;
	/** The last chunk has arrived. */
	complete: boolean;
};

export type PcmPlayer = {
	/** Adds a chunk (base64 pcm16 mono); plays it at once when playing. */
	append: ( base64: string, sampleRate: number ) => void;
	/** No more chunks will come. */
	end: () => void;
	play: () => void;
	pause: () => void;
	setRate: ( rate: number ) => void;
	getSnapshot: () => PlayerSnapshot;
	/** Seconds heard so far, read from the audio clock now. */
	currentPosition: () => number;
	subscribe: ( listener: () => void ) => () => void;
	/** Stops playback and forgets the audio (the context is the caller's). */
	dispose: () => void;
};

export const PLAYBACK_RATES = [ 0.75, 1, 1.25, 1.5, 2 ] as const;

/**
 * Decodes base64 16-bit little-endian PCM to samples in -1..1.
 *
 * @param base64 The encoded bytes.
 */
export function decodePcm16( base64: string ): Float32Array {
	const binary = atob( base64 );
	// An odd trailing byte is half a sample: dropped.
	const count = Math.floor( binary.length / 2 );
	const samples = new Float32Array( count );
	for ( let i = 0; i < count; i++ ) {
		// Little-endian: low byte first.
		let value =
			binary.charCodeAt( 2 * i ) + binary.charCodeAt( 2 * i + 1 ) * 256;
		if ( value >= 0x8000 ) {
			value -= 0x10000;
		}
		samples[ i ] = value / 0x8000;
	}
	return samples;
}

type Chunk = {
	buffer: AudioBufferLike;
	/** Position of its first sample in the reply, seconds. */
	start: number;
};

/**
 * Creates a player on a context (one the caller created inside a user gesture, so the
 * browser lets it make sound).
 *
 * @param context  The audio context.
 * @param autoplay Start playing with the first chunk.
 */
export function createPcmPlayer(
	context: PlayerContextLike,
	autoplay = true
): PcmPlayer {
	const chunks: Chunk[] = [];
	const listeners = new Set< () => void >();
	let sources: BufferSourceLike[] = [];
	let playing = autoplay;
	let complete = false;
	let rate = 1;
	let received = 0;
	// Position `anchorPosition` of the reply is heard at context time `anchorTime`.
	let anchorPosition = 0;
	let anchorTime = 0;
	// Context time at which the next scheduled chunk starts.
	let nextTime = 0;
	// Where playback was when paused.
	let pausedAt = 0;
	let snapshot = build();

	function position(): number {
		if ( ! playing ) {
			return pausedAt;
		}
		const heard =
			anchorPosition + ( context.currentTime - anchorTime ) * rate;
		return Math.min( Math.max( heard, anchorPosition ), received );
	}

	function build(): PlayerSnapshot {
		return {
			playing,
			position: position(),
			duration: received,
			rate,
			complete,
		};
	}

	function emit() {
		snapshot = build();
		listeners.forEach( ( listener ) => listener() );
	}

	function stopSources() {
		const old = sources;
		sources = [];
		old.forEach( ( source ) => {
			source.onended = null;
			try {
				source.stop();
			} catch {
				// Already ended.
			}
		} );
	}

	function schedule( chunk: Chunk, offset: number ) {
		const source = context.createBufferSource();
		source.buffer = chunk.buffer;
		source.playbackRate.value = rate;
		source.connect( context.destination );
		source.start( nextTime, offset );
		nextTime += ( chunk.buffer.duration - offset ) / rate;
		sources.push( source );
		source.onended = () => {
			sources = sources.filter( ( item ) => item !== source );
			if ( sources.length === 0 && complete && playing ) {
				// The end: ready to play again from the start.
				playing = false;
				pausedAt = 0;
			}
			emit();
		};
	}

	/**
	 * Schedules everything from a position of the reply, starting now.
	 *
	 * @param from Seconds into the reply.
	 */
	function scheduleFrom( from: number ) {
		stopSources();
		anchorPosition = from;
		anchorTime = context.currentTime;
		nextTime = anchorTime;
		for ( const chunk of chunks ) {
			const end = chunk.start + chunk.buffer.duration;
			if ( end > from ) {
				schedule( chunk, Math.max( 0, from - chunk.start ) );
			}
		}
	}

	return {
		append( base64, sampleRate ) {
			const samples = decodePcm16( base64 );
			if ( samples.length === 0 ) {
				return;
			}
			const buffer = context.createBuffer(
				1,
				samples.length,
				sampleRate
			);
			buffer.copyToChannel( samples, 0 );
			const chunk = { buffer, start: received };
			chunks.push( chunk );
			received += buffer.duration;
			if ( playing ) {
				if ( nextTime < context.currentTime ) {
					// The stream fell behind (or this is the first chunk): it starts now.
					anchorPosition = chunk.start;
					anchorTime = context.currentTime;
					nextTime = anchorTime;
				}
				schedule( chunk, 0 );
			}
			emit();
		},
		end() {
			complete = true;
			emit();
		},
		play() {
			if ( playing || chunks.length === 0 ) {
				return;
			}
			if ( context.state === 'suspended' ) {
				context.resume().catch( () => undefined );
			}
			playing = true;
			scheduleFrom( pausedAt >= received ? 0 : pausedAt );
			emit();
		},
		pause() {
			if ( ! playing ) {
				return;
			}
			pausedAt = position();
			playing = false;
			stopSources();
			emit();
		},
		setRate( next ) {
			if ( ! ( next > 0 ) || next === rate ) {
				return;
			}
			const at = position();
			rate = next;
			if ( playing ) {
				scheduleFrom( at );
			}
			emit();
		},
		getSnapshot: () => snapshot,
		currentPosition: position,
		subscribe( listener ) {
			listeners.add( listener );
			return () => listeners.delete( listener );
		},
		dispose() {
			playing = false;
			stopSources();
			chunks.length = 0;
			listeners.clear();
		},
	};
}
