/**
 * The models that cost the most in the period, with their share of the cost.
 */
import { __ } from '@wordpress/i18n';

import { formatCount, formatShare, formatUsd } from '../format';
import type { ModelTotal } from '../types';

interface TopModelsProps {
	models: ModelTotal[];
	totalMicros: number;
	locale?: string;
}

export function TopModels( { models, totalMicros, locale }: TopModelsProps ) {
	if ( models.length === 0 ) {
		return (
			<p className="vvc-dashboard__muted">
				{ __(
					'No model was used in this period.',
					'voice-vision-chat'
				) }
			</p>
		);
	}
	return (
		<div className="vvc-dashboard__scroll">
			<table className="widefat striped vvc-dashboard__table">
				<thead>
					<tr>
						<th scope="col">
							{ __( 'Model', 'voice-vision-chat' ) }
						</th>
						<th scope="col">
							{ __( 'Requests', 'voice-vision-chat' ) }
						</th>
						<th scope="col">
							{ __( 'Cost', 'voice-vision-chat' ) }
						</th>
						<th scope="col">
							{ __( 'Share of cost', 'voice-vision-chat' ) }
						</th>
					</tr>
				</thead>
				<tbody>
					{ models.map( ( model ) => (
						<tr key={ model.model }>
							<th scope="row">
								<code>{ model.model }</code>
							</th>
							<td>{ formatCount( model.requests, locale ) }</td>
							<td>{ formatUsd( model.costMicros, locale ) }</td>
							<td>
								{ formatShare(
									model.costMicros,
									totalMicros,
									locale
								) }
							</td>
						</tr>
					) ) }
				</tbody>
			</table>
		</div>
	);
}
