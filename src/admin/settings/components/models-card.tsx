import {
	Card,
	CardBody,
	CardHeader,
	TextControl,
	TextareaControl,
} from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import { fieldHelp } from './field-help';
import type { FieldGroupProps } from './form-props';
import { NumberField } from './number-field';

/**
 * Which models answer, with what instructions and how long an answer may be.
 * @param props
 */
export function ModelsCard( props: FieldGroupProps ) {
	const { values, errorFor, onChange } = props;
	return (
		<Card className="vvc-settings__card">
			<CardHeader>
				<h2>
					{ __( 'Models and instructions', 'voice-vision-chat' ) }
				</h2>
			</CardHeader>
			<CardBody className="vvc-settings__fields">
				<TextControl
					__next40pxDefaultSize
					__nextHasNoMarginBottom
					label={ __( 'Text model', 'voice-vision-chat' ) }
					help={ fieldHelp(
						__(
							'Model id for typed questions, e.g. gpt-5.4-mini.',
							'voice-vision-chat'
						),
						errorFor( 'text_model' )
					) }
					aria-invalid={ errorFor( 'text_model' ) ? true : undefined }
					autoComplete="off"
					spellCheck={ false }
					value={ values.text_model }
					onChange={ ( value ) => onChange( 'text_model', value ) }
				/>
				<TextControl
					__next40pxDefaultSize
					__nextHasNoMarginBottom
					label={ __( 'Image model', 'voice-vision-chat' ) }
					help={ fieldHelp(
						__(
							'Model id for questions with a photo. It must accept image input.',
							'voice-vision-chat'
						),
						errorFor( 'image_model' )
					) }
					aria-invalid={
						errorFor( 'image_model' ) ? true : undefined
					}
					autoComplete="off"
					spellCheck={ false }
					value={ values.image_model }
					onChange={ ( value ) => onChange( 'image_model', value ) }
				/>
				<TextareaControl
					__nextHasNoMarginBottom
					label={ __( 'System prompt', 'voice-vision-chat' ) }
					help={ fieldHelp(
						__(
							'Instructions sent with every question. Visitors cannot see or change them. Leave empty to restore the default. (The greeting visitors see is set on each chat block in the editor.)',
							'voice-vision-chat'
						),
						errorFor( 'system_prompt' )
					) }
					aria-invalid={
						errorFor( 'system_prompt' ) ? true : undefined
					}
					rows={ 6 }
					value={ values.system_prompt }
					onChange={ ( value ) => onChange( 'system_prompt', value ) }
				/>
				<NumberField
					{ ...props }
					field="max_completion_tokens"
					label={ __(
						'Maximum answer length (tokens)',
						'voice-vision-chat'
					) }
					help={ __(
						'Upper limit for each answer, enforced by the server. A token is about three quarters of an English word.',
						'voice-vision-chat'
					) }
				/>
			</CardBody>
		</Card>
	);
}
