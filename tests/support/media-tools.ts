/**
 * Command lines that make test media with the real tools, shared by the simulator's tests
 * and the browser tests so both send the same kind of file.
 */

/** sox options for a recording as the widget uploads it: 16 kHz, mono, 16-bit. */
export const SPEECH_WAV_OPTIONS: readonly string[] = [
	'-r',
	'16000',
	'-c',
	'1',
	'-b',
	'16',
];

/**
 * ffmpeg arguments that write one frame of a lavfi test pattern to `out` (the extension
 * picks the format).
 *
 * @param pattern The lavfi source, e.g. `testsrc=size=640x480`.
 * @param out     Output path.
 * @param options Output options before the path, e.g. JPEG quality.
 */
export function testPatternArgs(
	pattern: string,
	out: string,
	options: readonly string[] = []
): string[] {
	return [
		'-v',
		'error',
		'-y',
		'-f',
		'lavfi',
		'-i',
		pattern,
		'-frames:v',
		'1',
		...options,
		out,
	];
}
