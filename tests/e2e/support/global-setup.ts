/**
 * Logs the admin in once through the real login form and keeps the cookies for every test.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

import { chromium, type FullConfig } from '@playwright/test';

import { readStackEnv } from './stack-env';

export default async function globalSetup( config: FullConfig ) {
	const stack = readStackEnv();
	// Cost control: the suite sends many questions from 127.0.0.1, far more than the shipped
	// per-IP limits allow, to models that ship unpriced. Against the simulator, reset the stand-in
	// prices and generous limits (tests/stack/php/dev-cost.php); tests of a limit set their own.
	if ( stack.VVC_OPENAI_MODE === 'simulator' ) {
		const repo = resolve( __dirname, '../../..' );
		execFileSync(
			resolve( repo, 'tests/stack/wp-php' ),
			[
				'-f',
				resolve( repo, 'tests/stack/php/dev-cost.php' ),
				'--force',
			],
			{ stdio: 'inherit' }
		);
	}
	const use = config.projects[ 0 ]?.use ?? {};
	const browser = await chromium.launch( use.launchOptions );
	const page = await browser.newPage( { baseURL: stack.VVC_SITE_URL } );
	await page.goto( '/wp-login.php' );
	await page.fill( '#user_login', stack.VVC_ADMIN_USER );
	await page.fill( '#user_pass', stack.VVC_ADMIN_PASSWORD );
	await Promise.all( [
		page.waitForURL( /wp-admin/ ),
		page.click( '#wp-submit' ),
	] );
	await page.context().storageState( { path: 'tests/e2e/.auth/admin.json' } );
	await browser.close();
}
