import { defineConfig } from 'vitest/config';

export default defineConfig( {
	test: {
		include: [
			'tests/js/**/*.test.{ts,tsx}',
			'tests/simulator/**/*.test.ts',
		],
		// Tests that need a DOM say so with `// @vitest-environment jsdom`.
		environment: 'node',
		// Two cores: the simulator tests spawn ffmpeg, so keep parallelism modest.
		maxWorkers: 2,
		testTimeout: 20000,
	},
} );
