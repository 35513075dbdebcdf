/**
 * The most asked questions: how often each was asked, how often the FAQ answered it, and
 * one click to give it a curated answer (or edit the entry that answers it).
 */
import {
	Button,
	Card,
	CardBody,
	CardHeader,
	TextControl,
} from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { formatWhen, percent } from '../format';
import type { AskedQuestion, FaqOverview } from '../types';

interface AskedCardProps {
	stats: FaqOverview[ 'stats' ];
	locale?: string;
	onAnswer: ( question: AskedQuestion ) => void;
	onEditEntry: ( id: string ) => void;
}

/**
 * The questions whose text or wording contains the filter, ignoring case.
 *
 * @param questions Asked questions.
 * @param filter    What the admin typed.
 */
export function filterQuestions(
	questions: AskedQuestion[],
	filter: string
): AskedQuestion[] {
	const needle = filter.trim().toLocaleLowerCase();
	if ( needle === '' ) {
		return questions;
	}
	return questions.filter( ( question ) =>
		`${ question.text }\n${ question.sample }`
			.toLocaleLowerCase()
			.includes( needle )
	);
}

/**
 * One asked question: its wording, counts, and the button that answers it (or edits the
 * entry that already does).
 *
 * @param props
 * @param props.question    The asked question.
 * @param props.locale      Page locale.
 * @param props.onAnswer    Opens the editor for a new entry.
 * @param props.onEditEntry Opens the editor for the entry that answers it.
 */
function QuestionRow( {
	question,
	locale,
	onAnswer,
	onEditEntry,
}: {
	question: AskedQuestion;
	locale?: string;
	onAnswer: ( question: AskedQuestion ) => void;
	onEditEntry: ( id: string ) => void;
} ) {
	const label = question.sample !== '' ? question.sample : question.text;
	const answered = question.entryId !== '';
	return (
		<tr>
			<th scope="row">
				{ label }
				{ question.sample !== '' && (
					<span className="vvc-faq__normalized">
						{ question.text }
					</span>
				) }
			</th>
			<td className="num">
				{ new Intl.NumberFormat( locale ).format( question.asks ) }
			</td>
			<td className="num">{ percent( question.hitRate, locale ) }</td>
			<td>{ formatWhen( question.lastAsked, locale ) }</td>
			<td>
				<Button
					variant={ answered ? 'secondary' : 'primary' }
					size="compact"
					aria-label={
						answered
							? sprintf(
									/* translators: %s: a question. */
									__(
										'Edit answer to “%s”',
										'voice-vision-chat'
									),
									label
								)
							: sprintf(
									/* translators: %s: a question. */
									__(
										'Write answer to “%s”',
										'voice-vision-chat'
									),
									label
								)
					}
					onClick={ () =>
						answered
							? onEditEntry( question.entryId )
							: onAnswer( question )
					}
				>
					{ answered
						? __( 'Edit answer', 'voice-vision-chat' )
						: __( 'Write answer', 'voice-vision-chat' ) }
				</Button>
			</td>
		</tr>
	);
}

export function AskedCard( {
	stats,
	locale,
	onAnswer,
	onEditEntry,
}: AskedCardProps ) {
	const [ filter, setFilter ] = useState( '' );
	const shown = filterQuestions( stats.questions, filter );
	const number = new Intl.NumberFormat( locale );

	return (
		<Card className="vvc-faq__card">
			<CardHeader>
				<h2 id="vvc-faq-asked">
					{ __( 'Most asked questions', 'voice-vision-chat' ) }
				</h2>
			</CardHeader>
			<CardBody>
				<dl className="vvc-faq__totals">
					<div>
						<dt>
							{ __( 'Questions asked', 'voice-vision-chat' ) }
						</dt>
						<dd>{ number.format( stats.asks ) }</dd>
					</div>
					<div>
						<dt>
							{ __( 'Answered by the FAQ', 'voice-vision-chat' ) }
						</dt>
						<dd>{ number.format( stats.hits ) }</dd>
					</div>
					<div>
						<dt>{ __( 'Hit rate', 'voice-vision-chat' ) }</dt>
						<dd>{ percent( stats.hitRate, locale ) }</dd>
					</div>
					<div>
						<dt>{ __( 'Counting since', 'voice-vision-chat' ) }</dt>
						<dd>{ formatWhen( stats.since, locale ) }</dd>
					</div>
				</dl>
				{ stats.questions.length === 0 ? (
					<p className="vvc-faq__empty">
						{ __(
							'No questions counted yet. Questions appear here once visitors ask them in the chat (the first question of a conversation, without a photo).',
							'voice-vision-chat'
						) }
					</p>
				) : (
					<>
						<TextControl
							__next40pxDefaultSize
							__nextHasNoMarginBottom
							className="vvc-faq__filter"
							type="search"
							label={ __(
								'Filter questions',
								'voice-vision-chat'
							) }
							value={ filter }
							onChange={ setFilter }
						/>
						<div className="vvc-faq__scroll">
							<table
								className="widefat striped vvc-faq__table"
								aria-labelledby="vvc-faq-asked"
							>
								<thead>
									<tr>
										<th scope="col">
											{ __(
												'Question',
												'voice-vision-chat'
											) }
										</th>
										<th scope="col" className="num">
											{ __(
												'Asked',
												'voice-vision-chat'
											) }
										</th>
										<th scope="col" className="num">
											{ __(
												'Hit rate',
												'voice-vision-chat'
											) }
										</th>
										<th scope="col">
											{ __(
												'Last asked',
												'voice-vision-chat'
											) }
										</th>
										<th scope="col">
											{ __(
												'Answer',
												'voice-vision-chat'
											) }
										</th>
									</tr>
								</thead>
								<tbody>
									{ shown.map( ( question ) => (
										<QuestionRow
											key={ question.hash }
											question={ question }
											locale={ locale }
											onAnswer={ onAnswer }
											onEditEntry={ onEditEntry }
										/>
									) ) }
								</tbody>
							</table>
						</div>
						<p className="vvc-faq__empty" role="status">
							{ shown.length === 0
								? __(
										'No question matches the filter.',
										'voice-vision-chat'
									)
								: '' }
						</p>
					</>
				) }
			</CardBody>
		</Card>
	);
}
