/**
 * Logs the admin in once through the real login form and keeps the cookies for every test.
 */
import { chromium, type FullConfig } from '@playwright/test';

import { readStackEnv } from './stack-env';

export default async function globalSetup( config: FullConfig ) {
	const stack = readStackEnv();
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
