/**
 * Entry of Dashboard > Chat usage: mounts the dashboard on the element printed by
 * includes/Admin/Dashboard_Page.php, which carries the CSV export address (with the REST
 * nonce) and the budget screen's address.
 */
import apiFetch from '@wordpress/api-fetch';
import { createRoot } from '@wordpress/element';

import { createUsageApi, type UsageFetcher } from './api';
import { DashboardApp } from './dashboard-app';
import { pageLocale } from './format';
import './dashboard.scss';

const ROOT_ID = 'vvc-dashboard-root';

// api-fetch in wp-admin already carries the REST root and the admin's nonce. The log asks
// for the raw response, whose headers carry the totals.
const fetcher: UsageFetcher = ( { path, parse } ) =>
	parse === false
		? apiFetch< Response, false >( { path, parse: false } )
		: apiFetch< unknown >( { path } );

const root = document.getElementById( ROOT_ID );
if ( root ) {
	createRoot( root ).render(
		<DashboardApp
			api={ createUsageApi( fetcher ) }
			exportBase={ root.dataset.exportUrl ?? '' }
			budgetUrl={ root.dataset.budgetUrl ?? '' }
			locale={ pageLocale() }
		/>
	);
}
