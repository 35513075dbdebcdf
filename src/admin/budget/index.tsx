/**
 * Entry of Settings > Chat budget: mounts the budget screen on the element printed by
 * includes/Admin/Budget_Page.php.
 */
import apiFetch from '@wordpress/api-fetch';
import { createRoot } from '@wordpress/element';

import type { Fetcher } from '../settings/api';
import { pageLocale } from '../dashboard/format';
import { createBudgetApi } from './api';
import { BudgetApp } from './budget-app';
import '../shared/admin.scss';
import './budget.scss';

const ROOT_ID = 'vvc-budget-root';

// api-fetch in wp-admin already carries the REST root and the admin's nonce.
const fetcher: Fetcher = ( options ) => apiFetch< unknown >( options );

const root = document.getElementById( ROOT_ID );
if ( root ) {
	createRoot( root ).render(
		<BudgetApp
			api={ createBudgetApi( fetcher ) }
			usageUrl={ root.dataset.usageUrl ?? '' }
			locale={ pageLocale() }
		/>
	);
}
