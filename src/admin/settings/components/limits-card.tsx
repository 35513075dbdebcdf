import {
	Card,
	CardBody,
	CardHeader,
	SelectControl,
} from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import type { ImageDetail } from '../types';
import type { FieldGroupProps } from './form-props';
import { NumberField } from './number-field';

/**
 * How much conversation and how large a photo the server accepts.
 * @param props
 */
export function LimitsCard( props: FieldGroupProps ) {
	const { values, onChange } = props;
	return (
		<Card className="vvc-settings__card">
			<CardHeader>
				<h2>
					{ __(
						'Conversation and image limits',
						'voice-vision-chat'
					) }
				</h2>
			</CardHeader>
			<CardBody className="vvc-settings__fields">
				<NumberField
					{ ...props }
					field="history_turns"
					label={ __(
						'Earlier messages sent with each question',
						'voice-vision-chat'
					) }
					help={ __(
						'Lets the model follow the conversation. Each earlier message adds to the cost of every question.',
						'voice-vision-chat'
					) }
				/>
				<NumberField
					{ ...props }
					field="turn_max_chars"
					label={ __(
						'Maximum characters per message',
						'voice-vision-chat'
					) }
					help={ __(
						'Longer messages are refused; earlier messages are cut to this length.',
						'voice-vision-chat'
					) }
				/>
				<NumberField
					{ ...props }
					field="image_max_side"
					label={ __(
						'Longest side of a photo (pixels)',
						'voice-vision-chat'
					) }
					help={ __(
						'Photos are scaled down in the visitor’s browser before upload. Smaller photos are faster and cheaper.',
						'voice-vision-chat'
					) }
				/>
				<NumberField
					{ ...props }
					field="image_max_mb"
					label={ __(
						'Largest photo upload (MB)',
						'voice-vision-chat'
					) }
					help={ __(
						'The server refuses larger files.',
						'voice-vision-chat'
					) }
				/>
				<SelectControl< ImageDetail >
					__next40pxDefaultSize
					__nextHasNoMarginBottom
					label={ __( 'Image detail', 'voice-vision-chat' ) }
					help={ __(
						'Low costs the least and suits most photos; high reads small print but costs more; auto lets the model decide.',
						'voice-vision-chat'
					) }
					value={ values.image_detail }
					options={ [
						{
							value: 'auto',
							label: __( 'Auto', 'voice-vision-chat' ),
						},
						{
							value: 'low',
							label: __( 'Low', 'voice-vision-chat' ),
						},
						{
							value: 'high',
							label: __( 'High', 'voice-vision-chat' ),
						},
					] }
					onChange={ ( value ) => onChange( 'image_detail', value ) }
				/>
			</CardBody>
		</Card>
	);
}
