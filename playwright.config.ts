/**
 * Browser tests in Debian's Chromium against the running stack (`npm run stack:up`).
 * Playwright's own browser downloads are never used: this machine has no internet.
 */
import { defineConfig } from '@playwright/test';

import { readStackEnv } from './tests/e2e/support/stack-env';

const stack = readStackEnv();

export default defineConfig( {
	testDir: './tests/e2e',
	outputDir: './test-results',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 60_000,
	expect: { timeout: 10_000 },
	reporter: [ [ 'list' ] ],
	globalSetup: './tests/e2e/support/global-setup.ts',
	use: {
		baseURL: stack.VVC_SITE_URL,
		storageState: './tests/e2e/.auth/admin.json',
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run',
			],
		},
	},
} );
