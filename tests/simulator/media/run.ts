/**
 * Runs a command with a Buffer on stdin and collects stdout/stderr, with a timeout.
 * Media never touches the disk on this path: bytes go through pipes.
 */
import { spawn } from 'node:child_process';

export interface RunResult {
	code: number | null;
	stdout: Buffer;
	stderr: string;
	timedOut: boolean;
}

export function run(
	cmd: string,
	args: readonly string[],
	input?: Buffer,
	timeoutMs = 30_000
): Promise< RunResult > {
	return new Promise( ( resolve, reject ) => {
		const child = spawn( cmd, args, { stdio: [ 'pipe', 'pipe', 'pipe' ] } );
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		let timedOut = false;
		const timer = setTimeout( () => {
			timedOut = true;
			child.kill( 'SIGKILL' );
		}, timeoutMs );
		child.stdout.on( 'data', ( d: Buffer ) => out.push( d ) );
		child.stderr.on( 'data', ( d: Buffer ) => err.push( d ) );
		// ffmpeg may stop reading early (e.g. after an error); EPIPE on stdin is expected then.
		child.stdin.on( 'error', () => undefined );
		child.on( 'error', ( e ) => {
			clearTimeout( timer );
			reject( e );
		} );
		child.on( 'close', ( code ) => {
			clearTimeout( timer );
			resolve( {
				code,
				stdout: Buffer.concat( out ),
				stderr: Buffer.concat( err ).toString( 'utf8' ),
				timedOut,
			} );
		} );
		if ( input ) {
			child.stdin.end( input );
		} else {
			child.stdin.end();
		}
	} );
}

const available = new Map< string, Promise< boolean > >();
/**
 * Whether a tool is on PATH (cached): espeak-ng is optional, ffmpeg is required.
 * @param cmd
 */
export function hasTool( cmd: string ): Promise< boolean > {
	let p = available.get( cmd );
	if ( ! p ) {
		p = run( cmd, [ '--version' ], undefined, 5000 ).then(
			( r ) => r.code === 0 || r.stdout.length > 0,
			() => false
		);
		available.set( cmd, p );
	}
	return p;
}
