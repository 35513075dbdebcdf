/**
 * Browser tests in Debian's Chromium, and the visitor's side also in Firefox, against the
 * running stack (`npm run stack:up`). Playwright's own browser downloads are never used:
 * this machine has no internet.
 */
import { resolve } from 'node:path';

import { defineConfig, devices } from '@playwright/test';

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
	// The cost specs change site-wide budgets and limits and fire 100 requests at once, so
	// they run alone, after everything else (one at a time: `--project=cost --no-deps FILE`).
	projects: [
		{
			name: 'main',
			testIgnore: [
				/cost-[^/]*\.spec\.ts$/,
				/firefox-[^/]*\.spec\.ts$/,
				/phone-[^/]*\.spec\.ts$/,
			],
		},
		{
			name: 'cost',
			testMatch: /cost-[^/]*\.spec\.ts$/,
			dependencies: [ 'main' ],
		},
		{
			// The visitor's side on a phone: Chromium with a Pixel 7's screen, touch and user
			// agent (Chromium is what Android phones run; no iPhone WebKit exists here).
			name: 'phone',
			testMatch: [
				/chat-(loading|widget)\.spec\.ts$/,
				/voice\.spec\.ts$/,
				/phone-[^/]*\.spec\.ts$/,
			],
			use: { ...devices[ 'Pixel 7' ] },
		},
		{
			// The visitor's side in Firefox too: sid's current Firefox in its own root
			// (tests/stack/firefox.sh makes it), driven over WebDriver BiDi.
			name: 'firefox',
			testMatch: [
				/chat-(loading|widget)\.spec\.ts$/,
				/faq-provider-down\.spec\.ts$/,
				/voice-(denied|no-mic)\.spec\.ts$/,
				/firefox-[^/]*\.spec\.ts$/,
			],
			use: {
				browserName: 'firefox',
				channel: 'moz-firefox',
				launchOptions: {
					executablePath:
						process.env.FIREFOX_PATH ??
						resolve( __dirname, '.stack/firefox/firefox' ),
					firefoxUserPrefs: {
						// A fake microphone (a tone) that needs no permission prompt.
						'media.navigator.streams.fake': true,
						'media.navigator.permission.disabled': true,
						// This machine has no sound card: without Firefox's test audio
						// backend no AudioContext ever leaves "suspended" (Chromium has
						// its own fake output).
						'media.cubeb.force_mock_context': true,
					},
				},
			},
		},
	],
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
