import {
	Card,
	CardBody,
	CardHeader,
	ToggleControl,
} from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import type { FieldGroupProps } from './form-props';

/**
 * Turns the whole chat on or off, and says whether visitors' own words may be kept.
 * @param root0
 * @param root0.values
 * @param root0.onChange
 */
export function ChatCard( { values, onChange }: FieldGroupProps ) {
	return (
		<Card className="vvc-settings__card">
			<CardHeader>
				<h2>{ __( 'Chat', 'voice-vision-chat' ) }</h2>
			</CardHeader>
			<CardBody className="vvc-settings__fields">
				<ToggleControl
					__nextHasNoMarginBottom
					label={ __( 'Chat enabled', 'voice-vision-chat' ) }
					help={ __(
						'When off, chat blocks tell visitors the chat is unavailable and nothing is sent to the provider.',
						'voice-vision-chat'
					) }
					checked={ values.enabled }
					onChange={ ( enabled ) => onChange( 'enabled', enabled ) }
				/>
				<ToggleControl
					__nextHasNoMarginBottom
					label={ __(
						'Keep visitors’ own words',
						'voice-vision-chat'
					) }
					help={ __(
						'Off (recommended): the FAQ statistics keep only normalized text and counts, and questions with e-mail addresses, phone or order numbers are never cached. On: the FAQ screen shows an example of each question as asked, and such questions may be cached. Turning it off deletes the kept examples.',
						'voice-vision-chat'
					) }
					checked={ values.log_transcripts }
					onChange={ ( keep ) => onChange( 'log_transcripts', keep ) }
				/>
			</CardBody>
		</Card>
	);
}
