/**
 * What went wrong lately: failed requests from the usage log (what visitors met) and the
 * precise reasons the provider gave (what the admin can fix).
 */
import { __ } from '@wordpress/i18n';

import { formatTime, routeLabel } from '../format';
import type { ErrorLogEntry, FailedRequest } from '../types';

interface RecentErrorsProps {
	failed: FailedRequest[];
	log: ErrorLogEntry[];
	locale?: string;
}

export function RecentErrors( { failed, log, locale }: RecentErrorsProps ) {
	if ( failed.length === 0 && log.length === 0 ) {
		return (
			<p className="vvc-dashboard__muted">
				{ __( 'No errors recorded.', 'voice-vision-chat' ) }
			</p>
		);
	}
	return (
		<>
			{ failed.length > 0 && (
				<div className="vvc-dashboard__scroll">
					<table className="widefat striped vvc-dashboard__table">
						<caption>
							{ __( 'Failed requests', 'voice-vision-chat' ) }
						</caption>
						<thead>
							<tr>
								<th scope="col">
									{ __( 'Time', 'voice-vision-chat' ) }
								</th>
								<th scope="col">
									{ __( 'Request', 'voice-vision-chat' ) }
								</th>
								<th scope="col">
									{ __( 'Status', 'voice-vision-chat' ) }
								</th>
								<th scope="col">
									{ __( 'Error', 'voice-vision-chat' ) }
								</th>
							</tr>
						</thead>
						<tbody>
							{ failed.map( ( row ) => (
								<tr key={ row.id }>
									<td>{ formatTime( row.time, locale ) }</td>
									<td>
										{ routeLabel( row.route ) }
										{ row.model !== '' && (
											<>
												{ ' ' }
												<code>{ row.model }</code>
											</>
										) }
									</td>
									<td>{ row.statusCode }</td>
									<td>
										<code>{ row.errorCode || '—' }</code>
									</td>
								</tr>
							) ) }
						</tbody>
					</table>
				</div>
			) }
			{ log.length > 0 && (
				<>
					<h3 className="vvc-dashboard__subheading">
						{ __(
							'Provider errors in detail',
							'voice-vision-chat'
						) }
					</h3>
					<ul className="vvc-dashboard__error-log">
						{ log.map( ( entry, index ) => (
							<li key={ `${ entry.time }-${ index }` }>
								<span className="vvc-dashboard__muted">
									{ formatTime( entry.time, locale ) }
								</span>{ ' ' }
								<code>{ entry.code }</code> { entry.detail }
							</li>
						) ) }
					</ul>
				</>
			) }
		</>
	);
}
