/**
 * Entry of the encoder worker bundle (build/voice/encoder-worker.js). Everything it does is
 * in encoder.ts; this file only binds it to the worker's global scope with the MP3 encoder,
 * which is why lamejs is in this bundle and in no other.
 */
import { bindEncoderWorker } from './encoder';
import type { EncoderWorkerScope } from './encoder';
import { createMp3Encoder } from './mp3';

// In a dedicated worker `self` is the DedicatedWorkerGlobalScope; the DOM typings call it Window.
bindEncoderWorker( self as unknown as EncoderWorkerScope, {
	createMp3: createMp3Encoder,
} );
