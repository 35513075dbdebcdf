/**
 * How the main thread talks to an encoder: a Worker running the encoder bundle, or (when no
 * worker can start: blocked by a CSP, the file missing) the same session run in-thread,
 * producing WAV since the MP3 encoder only ships in the worker bundle.
 */
import { bindEncoderWorker } from './encoder';
import type { EncoderDeps, EncoderWorkerScope } from './encoder';
import type { EncoderRequest, EncoderResponse } from './types';

export type EncoderPort = {
	send: ( request: EncoderRequest, transfer?: Transferable[] ) => void;
	/** Stops the encoder; nothing more is reported. */
	close: () => void;
};

export type EncoderPortHandlers = {
	message: ( response: EncoderResponse ) => void;
	/** The encoder itself failed (script not loadable, crashed). Reported asynchronously. */
	error: ( message: string ) => void;
};

export type EncoderPortFactory = (
	handlers: EncoderPortHandlers
) => EncoderPort;

/**
 * Runs the encoder on the current thread. Answers are delivered asynchronously, as a worker's
 * would be.
 *
 * @param deps The MP3 encoder factory, if this bundle has one (the main-thread one has not).
 */
export function createInlineEncoderPort(
	deps: EncoderDeps = {}
): EncoderPortFactory {
	return ( handlers ) => {
		let open = true;
		const scope: EncoderWorkerScope = {
			onmessage: null,
			postMessage: ( response ) => {
				queueMicrotask( () => {
					if ( open ) {
						handlers.message( response );
					}
				} );
			},
		};
		bindEncoderWorker( scope, deps );
		return {
			send( request ) {
				if ( open ) {
					scope.onmessage?.( { data: request } );
				}
			},
			close() {
				open = false;
			},
		};
	};
}

/** The parts of a Worker used here (a real Worker fits). */
export type WorkerLike = {
	postMessage: ( message: EncoderRequest, transfer: Transferable[] ) => void;
	terminate: () => void;
	onmessage: ( ( event: MessageEvent ) => void ) | null;
	onerror: ( ( event: ErrorEvent ) => void ) | null;
};

/** The parts of `window` used to start the worker (`window` itself fits). */
export type WorkerHost = {
	Worker: new ( url: string ) => WorkerLike;
	location: { href: string; origin: string };
	URL: {
		createObjectURL: ( blob: Blob ) => string;
		revokeObjectURL: ( url: string ) => void;
	};
};

/**
 * Starts the encoder worker bundle.
 *
 * A Worker must come from the page's own origin. When the plugin's files are served from
 * another one (a CDN rewriting asset URLs), a same-origin blob: script pulls the bundle in
 * with importScripts(), which may load cross-origin scripts.
 *
 * @param url  URL of build/voice/encoder-worker.js.
 * @param host `window`.
 */
export function createWorkerEncoderPort(
	url: string,
	host: WorkerHost
): EncoderPortFactory {
	return ( handlers ) => {
		let worker: WorkerLike | null = null;
		let bootstrapUrl: string | null = null;
		try {
			const absolute = new URL( url, host.location.href );
			if ( absolute.origin === host.location.origin ) {
				worker = new host.Worker( absolute.href );
			} else {
				bootstrapUrl = host.URL.createObjectURL(
					new Blob(
						[
							`importScripts(${ JSON.stringify( absolute.href ) });`,
						],
						{
							type: 'text/javascript',
						}
					)
				);
				worker = new host.Worker( bootstrapUrl );
			}
		} catch ( error ) {
			const message =
				error instanceof Error ? error.message : String( error );
			queueMicrotask( () => handlers.error( message ) );
		}

		function release() {
			if ( bootstrapUrl ) {
				host.URL.revokeObjectURL( bootstrapUrl );
				bootstrapUrl = null;
			}
		}

		if ( worker ) {
			worker.onmessage = ( event ) => {
				const response = event.data as EncoderResponse;
				if ( response.type === 'ready' ) {
					// The bundle has loaded; the bootstrap URL is no longer needed.
					release();
				}
				handlers.message( response );
			};
			worker.onerror = ( event ) => {
				// Stops the error from also being reported as uncaught on the page.
				event.preventDefault();
				handlers.error( event.message || 'Encoder worker failed' );
			};
		}

		return {
			send( request, transfer = [] ) {
				worker?.postMessage( request, transfer );
			},
			close() {
				if ( worker ) {
					worker.onmessage = null;
					worker.onerror = null;
					worker.terminate();
					worker = null;
				}
				release();
			},
		};
	};
}
