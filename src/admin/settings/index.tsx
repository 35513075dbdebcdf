/**
 * Entry of the Settings > Voice & Vision Chat screen: mounts the settings app on the
 * element printed by includes/Admin/Settings_Page.php.
 */
import apiFetch from '@wordpress/api-fetch';
import { createRoot } from '@wordpress/element';

import { createSettingsApi, type Fetcher } from './api';
import { SettingsApp } from './settings-app';
import '../shared/admin.scss';
import './settings.scss';

const ROOT_ID = 'vvc-settings-root';

// api-fetch in wp-admin already carries the REST root and the admin's nonce.
const fetcher: Fetcher = ( options ) => apiFetch< unknown >( options );

const root = document.getElementById( ROOT_ID );
if ( root ) {
	createRoot( root ).render(
		<SettingsApp api={ createSettingsApi( fetcher ) } />
	);
}
