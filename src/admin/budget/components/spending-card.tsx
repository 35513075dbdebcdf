/**
 * What the chat may spend: per day and month for the whole site, the soft limit, the cap
 * per visitor and per role, and who hears about the soft limit.
 */
import { Card, CardBody, CardHeader } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import type { LimitField, LimitFields, Role } from '../types';
import { TextField } from '../../shared/text-field';

interface SpendingCardProps {
	limits: LimitFields;
	roles: Role[];
	roleCaps: Record< string, string >;
	errorFor: ( key: string ) => string | undefined;
	onLimit: ( field: LimitField, value: string ) => void;
	onRoleCap: ( role: string, value: string ) => void;
}

export function SpendingCard( {
	limits,
	roles,
	roleCaps,
	errorFor,
	onLimit,
	onRoleCap,
}: SpendingCardProps ) {
	return (
		<Card className="vvc-budget__card">
			<CardHeader>
				<h2>{ __( 'Spending limits', 'voice-vision-chat' ) }</h2>
			</CardHeader>
			<CardBody className="vvc-budget__fields">
				<p className="vvc-budget__intro">
					{ __(
						'Amounts are in US dollars, as the provider bills. 0 means no limit. At a hard limit the chat stops calling the provider and visitors see a friendly notice; the limits hold even when many visitors ask at once.',
						'voice-vision-chat'
					) }
				</p>
				<div className="vvc-budget__row">
					<TextField
						label={ __( 'Daily limit (USD)', 'voice-vision-chat' ) }
						help={ __(
							'For the whole site, per day in the site’s time zone.',
							'voice-vision-chat'
						) }
						inputMode="decimal"
						error={ errorFor( 'limit:site_day_usd' ) }
						value={ limits.site_day_usd }
						onChange={ ( value ) =>
							onLimit( 'site_day_usd', value )
						}
					/>
					<TextField
						label={ __(
							'Monthly limit (USD)',
							'voice-vision-chat'
						) }
						help={ __(
							'For the whole site, per calendar month.',
							'voice-vision-chat'
						) }
						inputMode="decimal"
						error={ errorFor( 'limit:site_month_usd' ) }
						value={ limits.site_month_usd }
						onChange={ ( value ) =>
							onLimit( 'site_month_usd', value )
						}
					/>
				</div>
				<div className="vvc-budget__row">
					<TextField
						label={ __(
							'Soft limit (% of each limit)',
							'voice-vision-chat'
						) }
						help={ __(
							'Past it you get one email per day or month, and questions go to the economy model where possible.',
							'voice-vision-chat'
						) }
						inputMode="numeric"
						error={ errorFor( 'limit:soft_percent' ) }
						value={ limits.soft_percent }
						onChange={ ( value ) =>
							onLimit( 'soft_percent', value )
						}
					/>
					<TextField
						type="email"
						inputMode="email"
						label={ __(
							'Email for the soft limit (optional)',
							'voice-vision-chat'
						) }
						help={ __(
							'Leave empty to use the site’s admin email.',
							'voice-vision-chat'
						) }
						error={ errorFor( 'limit:notify_email' ) }
						value={ limits.notify_email }
						onChange={ ( value ) =>
							onLimit( 'notify_email', value )
						}
					/>
				</div>
				<TextField
					label={ __(
						'Daily cap per visitor (USD)',
						'voice-vision-chat'
					) }
					help={ __(
						'Counted for each visitor and for each network address, so new sessions or cleared cookies do not reset it.',
						'voice-vision-chat'
					) }
					inputMode="decimal"
					error={ errorFor( 'limit:visitor_day_usd' ) }
					value={ limits.visitor_day_usd }
					onChange={ ( value ) =>
						onLimit( 'visitor_day_usd', value )
					}
				/>
				<fieldset className="vvc-budget__roles">
					<legend>
						{ __(
							'Daily cap per logged-in user, by role (USD)',
							'voice-vision-chat'
						) }
					</legend>
					<p className="vvc-budget__hint">
						{ __(
							'Leave empty to use the visitor cap; 0 means no limit. A user with several roles gets the most generous.',
							'voice-vision-chat'
						) }
					</p>
					<div className="vvc-budget__role-grid">
						{ roles.map( ( role ) => (
							<TextField
								key={ role.slug }
								label={ role.name }
								inputMode="decimal"
								error={ errorFor( `role:${ role.slug }` ) }
								value={ roleCaps[ role.slug ] ?? '' }
								onChange={ ( value ) =>
									onRoleCap( role.slug, value )
								}
							/>
						) ) }
					</div>
				</fieldset>
			</CardBody>
		</Card>
	);
}
