/**
 * The curated entries: their questions and answer, with edit and delete, and a button for
 * a new one. They answer without a model call from the first ask.
 */
import { Button, Card, CardBody, CardHeader } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import type { ReactNode, RefObject } from 'react';

import { formatWhen } from '../format';
import type { FaqEntry } from '../types';

interface EntriesCardProps {
	entries: FaqEntry[];
	maxEntries: number;
	locale?: string;
	/** The heading, focused after an entry is saved or deleted. */
	headingRef: RefObject< HTMLHeadingElement >;
	/** The outcome of the last entry action. */
	notices: ReactNode;
	onNew: () => void;
	onEdit: ( entry: FaqEntry ) => void;
	onDelete: ( entry: FaqEntry ) => void;
}

export function EntriesCard( {
	entries,
	maxEntries,
	locale,
	headingRef,
	notices,
	onNew,
	onEdit,
	onDelete,
}: EntriesCardProps ) {
	return (
		<Card className="vvc-faq__card">
			<CardHeader>
				<h2 id="vvc-faq-entries" ref={ headingRef } tabIndex={ -1 }>
					{ __( 'Curated answers', 'voice-vision-chat' ) }
				</h2>
				<Button
					__next40pxDefaultSize
					variant="secondary"
					onClick={ onNew }
					disabled={ entries.length >= maxEntries }
					accessibleWhenDisabled
				>
					{ __( 'Add entry', 'voice-vision-chat' ) }
				</Button>
			</CardHeader>
			<CardBody>
				<p className="vvc-faq__intro">
					{ __(
						'A curated answer is given without calling the model, from the first time a visitor asks one of its questions, also when the budget is used up or the provider is down.',
						'voice-vision-chat'
					) }
				</p>
				{ notices }
				{ entries.length === 0 ? (
					<p className="vvc-faq__empty">
						{ __(
							'No curated answers yet. Write one with “Add entry”, turn a most asked question into one with “Write answer”, or import a CSV file.',
							'voice-vision-chat'
						) }
					</p>
				) : (
					<ul
						className="vvc-faq__entries"
						aria-labelledby="vvc-faq-entries"
					>
						{ entries.map( ( entry ) => (
							<li key={ entry.id } className="vvc-faq__entry">
								<ul className="vvc-faq__questions">
									{ entry.questions.map( ( question ) => (
										<li key={ question }>{ question }</li>
									) ) }
								</ul>
								<p className="vvc-faq__answer">
									{ entry.answer }
								</p>
								<p className="vvc-faq__meta">
									{ sprintf(
										/* translators: %s: date and time. */
										__( 'Changed %s', 'voice-vision-chat' ),
										formatWhen( entry.updated, locale )
									) }
								</p>
								<div className="vvc-faq__entry-actions">
									<Button
										variant="secondary"
										size="compact"
										aria-label={ sprintf(
											/* translators: %s: the entry's first question. */
											__(
												'Edit “%s”',
												'voice-vision-chat'
											),
											entry.questions[ 0 ] ?? ''
										) }
										onClick={ () => onEdit( entry ) }
									>
										{ __( 'Edit', 'voice-vision-chat' ) }
									</Button>
									<Button
										variant="tertiary"
										size="compact"
										isDestructive
										aria-label={ sprintf(
											/* translators: %s: the entry's first question. */
											__(
												'Delete “%s”',
												'voice-vision-chat'
											),
											entry.questions[ 0 ] ?? ''
										) }
										onClick={ () => onDelete( entry ) }
									>
										{ __( 'Delete', 'voice-vision-chat' ) }
									</Button>
								</div>
							</li>
						) ) }
					</ul>
				) }
			</CardBody>
		</Card>
	);
}
