/**
 * How often one visitor may ask, how many sessions one address may open, and how long
 * the usage log is kept.
 */
import { Card, CardBody, CardHeader } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import type { LimitField, LimitFields } from '../types';
import { TextField } from '../../shared/text-field';

interface RatesCardProps {
	limits: LimitFields;
	errorFor: ( key: string ) => string | undefined;
	onLimit: ( field: LimitField, value: string ) => void;
}

export function RatesCard( { limits, errorFor, onLimit }: RatesCardProps ) {
	return (
		<Card className="vvc-budget__card">
			<CardHeader>
				<h2>{ __( 'Request limits', 'voice-vision-chat' ) }</h2>
			</CardHeader>
			<CardBody className="vvc-budget__fields">
				<div className="vvc-budget__row">
					<TextField
						label={ __(
							'Questions per visitor per minute',
							'voice-vision-chat'
						) }
						help={ __( '0 means no limit.', 'voice-vision-chat' ) }
						inputMode="numeric"
						error={ errorFor( 'limit:requests_per_minute' ) }
						value={ limits.requests_per_minute }
						onChange={ ( value ) =>
							onLimit( 'requests_per_minute', value )
						}
					/>
					<TextField
						label={ __(
							'Questions per visitor per hour',
							'voice-vision-chat'
						) }
						help={ __( '0 means no limit.', 'voice-vision-chat' ) }
						inputMode="numeric"
						error={ errorFor( 'limit:requests_per_hour' ) }
						value={ limits.requests_per_hour }
						onChange={ ( value ) =>
							onLimit( 'requests_per_hour', value )
						}
					/>
				</div>
				<div className="vvc-budget__row">
					<TextField
						label={ __(
							'New chat sessions per address per hour',
							'voice-vision-chat'
						) }
						help={ __(
							'Stops a script from fetching fresh sessions to get around the limits. 0 means no limit.',
							'voice-vision-chat'
						) }
						inputMode="numeric"
						error={ errorFor( 'limit:sessions_per_ip_hour' ) }
						value={ limits.sessions_per_ip_hour }
						onChange={ ( value ) =>
							onLimit( 'sessions_per_ip_hour', value )
						}
					/>
					<TextField
						label={ __(
							'Keep the usage log (days)',
							'voice-vision-chat'
						) }
						help={ __(
							'Older rows are deleted every day.',
							'voice-vision-chat'
						) }
						inputMode="numeric"
						error={ errorFor( 'limit:usage_retention_days' ) }
						value={ limits.usage_retention_days }
						onChange={ ( value ) =>
							onLimit( 'usage_retention_days', value )
						}
					/>
				</div>
			</CardBody>
		</Card>
	);
}
