import {
	Card,
	CardBody,
	CardHeader,
	ToggleControl,
} from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import type { FieldGroupProps } from './form-props';

/**
 * Turns the whole chat on or off.
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
			</CardBody>
		</Card>
	);
}
