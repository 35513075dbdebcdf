/**
 * Problems of the configured models, and "Refresh models": a check against the provider's
 * own list (unknown models, shutdown dates) before visitors meet an error.
 */
import {
	Button,
	Card,
	CardBody,
	CardHeader,
	Spinner,
} from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

import type { NoticeMessage } from '../../settings/components/notice-region';
import { NoticeRegion } from '../../settings/components/notice-region';
import type { ModelProblem } from '../types';

interface ModelCheckCardProps {
	problems: ModelProblem[];
	checkedAt: number | null;
	listed: number;
	refreshing: boolean;
	notice: NoticeMessage | null;
	onRefresh: () => void;
	locale?: string;
}

export function ModelCheckCard( {
	problems,
	checkedAt,
	listed,
	refreshing,
	notice,
	onRefresh,
	locale,
}: ModelCheckCardProps ) {
	const checked =
		checkedAt === null
			? __(
					'The models have not been checked against the provider yet.',
					'voice-vision-chat'
				)
			: sprintf(
					/* translators: 1: date and time, 2: number of models. */
					__(
						'Last checked %1$s: the provider listed %2$d models.',
						'voice-vision-chat'
					),
					new Intl.DateTimeFormat( locale, {
						dateStyle: 'medium',
						timeStyle: 'short',
					} ).format( new Date( checkedAt * 1000 ) ),
					listed
				);
	return (
		<Card className="vvc-budget__card">
			<CardHeader>
				<h2>{ __( 'Model check', 'voice-vision-chat' ) }</h2>
			</CardHeader>
			<CardBody>
				<p>{ checked }</p>
				<div className="vvc-budget__actions-row">
					<Button
						__next40pxDefaultSize
						variant="secondary"
						onClick={ onRefresh }
						disabled={ refreshing }
						accessibleWhenDisabled
					>
						{ __( 'Refresh models', 'voice-vision-chat' ) }
					</Button>
					{ refreshing && (
						<span className="vvc-budget__busy">
							<Spinner />
							{ __(
								'Asking the provider for its models…',
								'voice-vision-chat'
							) }
						</span>
					) }
				</div>
				<NoticeRegion role="status" notice={ notice } />
				<div className="vvc-budget__problems">
					{ problems.length === 0 ? (
						<p>
							{ __(
								'No problems: every configured model is known, priced and without a shutdown date.',
								'voice-vision-chat'
							) }
						</p>
					) : (
						<ul>
							{ problems.map( ( problem ) => (
								<li
									key={ `${ problem.model }-${ problem.code }` }
									className={ `is-${ problem.severity }` }
								>
									<strong>
										{ problem.severity === 'error'
											? __(
													'Needs action:',
													'voice-vision-chat'
												)
											: __(
													'Warning:',
													'voice-vision-chat'
												) }
									</strong>{ ' ' }
									{ problem.message }
									{ problem.usedBy.length > 0 && (
										<span className="vvc-budget__used-by">
											{ ' ' }
											{ sprintf(
												/* translators: %s: comma-separated tiers or settings. */
												__(
													'Used for: %s.',
													'voice-vision-chat'
												),
												problem.usedBy.join( ', ' )
											) }
										</span>
									) }
								</li>
							) ) }
						</ul>
					) }
				</div>
			</CardBody>
		</Card>
	);
}
