/**
 * Entry of Settings > Chat FAQ: mounts the FAQ screen on the element printed by
 * includes/Admin/Faq_Page.php, which carries the CSV export address (with the REST nonce)
 * and the chat settings screen's address.
 */
import apiFetch from '@wordpress/api-fetch';
import { createRoot } from '@wordpress/element';

import { pageLocale } from '../dashboard/format';
import { createFaqApi, type FaqFetcher } from './api';
import { FaqApp } from './faq-app';
import '../shared/admin.scss';
import './faq.scss';

const ROOT_ID = 'vvc-faq-root';

// api-fetch in wp-admin already carries the REST root and the admin's nonce.
const fetcher: FaqFetcher = ( options ) => apiFetch< unknown >( options );

const root = document.getElementById( ROOT_ID );
if ( root ) {
	createRoot( root ).render(
		<FaqApp
			api={ createFaqApi( fetcher ) }
			exportUrl={ root.dataset.exportUrl ?? '' }
			settingsUrl={ root.dataset.settingsUrl ?? '' }
			locale={ pageLocale() }
		/>
	);
}
