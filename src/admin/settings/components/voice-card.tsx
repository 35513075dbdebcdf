import {
	Card,
	CardBody,
	CardHeader,
	SelectControl,
	TextControl,
	TextareaControl,
} from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import { CONSENT_TEXT_MAX_CHARS, SPEECH_INSTRUCTIONS_MAX_CHARS } from '../form';
import { VOICES, type VoiceName, type VoicePipeline } from '../types';
import { fieldHelp } from './field-help';
import type { FieldGroupProps } from './form-props';
import { NumberField } from './number-field';

type ModelField = 'audio_model' | 'transcribe_model' | 'speech_model';

/**
 * A model id field of the voice pipelines.
 *
 * @param props          The form.
 * @param props.field    Which model.
 * @param props.label    Its label.
 * @param props.help     What it is for.
 * @param props.values
 * @param props.errorFor
 * @param props.onChange
 */
function ModelField( {
	field,
	label,
	help,
	values,
	errorFor,
	onChange,
}: FieldGroupProps & { field: ModelField; label: string; help: string } ) {
	const error = errorFor( field );
	return (
		<TextControl
			__next40pxDefaultSize
			__nextHasNoMarginBottom
			label={ label }
			help={ fieldHelp( help, error ) }
			aria-invalid={ error ? true : undefined }
			autoComplete="off"
			spellCheck={ false }
			value={ values[ field ] }
			onChange={ ( value ) => onChange( field, value ) }
		/>
	);
}

/**
 * How visitors' voice questions are answered and how the answers sound; how long a question
 * may be; what visitors are told before their first recording.
 * @param props
 */
export function VoiceCard( props: FieldGroupProps ) {
	const { values, errorFor, onChange } = props;
	return (
		<Card className="vvc-settings__card">
			<CardHeader>
				<h2>{ __( 'Voice', 'voice-vision-chat' ) }</h2>
			</CardHeader>
			<CardBody className="vvc-settings__fields">
				<SelectControl< VoicePipeline >
					__next40pxDefaultSize
					__nextHasNoMarginBottom
					label={ __(
						'How voice questions are answered',
						'voice-vision-chat'
					) }
					help={ __(
						'Native: one audio model hears the question and speaks the answer (fastest). Chained: the question is transcribed, the text model answers, and the answer is read aloud (works with any OpenAI-compatible provider and lets you set the tone and speed). Automatic uses native when the provider offers the audio model. Questions with a photo always use chained.',
						'voice-vision-chat'
					) }
					value={ values.voice_pipeline }
					options={ [
						{
							value: 'auto',
							label: __( 'Automatic', 'voice-vision-chat' ),
						},
						{
							value: 'native',
							label: __(
								'Native audio model',
								'voice-vision-chat'
							),
						},
						{
							value: 'chained',
							label: __(
								'Chained: transcribe, answer, speak',
								'voice-vision-chat'
							),
						},
					] }
					onChange={ ( value ) =>
						onChange( 'voice_pipeline', value )
					}
				/>
				<ModelField
					{ ...props }
					field="audio_model"
					label={ __( 'Audio model (native)', 'voice-vision-chat' ) }
					help={ __(
						'Chat model that takes audio and answers aloud, e.g. gpt-audio-1.5 or gpt-audio-mini.',
						'voice-vision-chat'
					) }
				/>
				<ModelField
					{ ...props }
					field="transcribe_model"
					label={ __( 'Transcription model', 'voice-vision-chat' ) }
					help={ __(
						'Turns the visitor’s question into the text shown in the conversation (both pipelines), e.g. gpt-4o-mini-transcribe.',
						'voice-vision-chat'
					) }
				/>
				<ModelField
					{ ...props }
					field="speech_model"
					label={ __(
						'Speech model (chained)',
						'voice-vision-chat'
					) }
					help={ __(
						'Reads the answer aloud, e.g. gpt-4o-mini-tts.',
						'voice-vision-chat'
					) }
				/>
				<SelectControl< VoiceName >
					__next40pxDefaultSize
					__nextHasNoMarginBottom
					label={ __( 'Voice', 'voice-vision-chat' ) }
					help={ __(
						'The voice of spoken answers. Visitors are told it is AI-generated.',
						'voice-vision-chat'
					) }
					value={ values.voice }
					options={ VOICES.map( ( voice ) => ( {
						value: voice,
						// Proper names of OpenAI's voices: not translated.
						label:
							voice.charAt( 0 ).toUpperCase() + voice.slice( 1 ),
					} ) ) }
					onChange={ ( value ) => onChange( 'voice', value ) }
				/>
				<NumberField
					{ ...props }
					field="speech_speed"
					label={ __(
						'Speaking speed (chained)',
						'voice-vision-chat'
					) }
					help={ __(
						'From 0.25 to 4; 1 is normal. Visitors can also change the playback speed.',
						'voice-vision-chat'
					) }
				/>
				<TextareaControl
					__nextHasNoMarginBottom
					label={ __(
						'Tone of voice (chained)',
						'voice-vision-chat'
					) }
					help={ fieldHelp(
						__(
							'How answers should sound, e.g. “Warm and calm, at a relaxed pace.” Leave empty for the model’s default. Not used by tts-1 and tts-1-hd.',
							'voice-vision-chat'
						),
						errorFor( 'speech_instructions' )
					) }
					aria-invalid={
						errorFor( 'speech_instructions' ) ? true : undefined
					}
					rows={ 3 }
					maxLength={ SPEECH_INSTRUCTIONS_MAX_CHARS }
					value={ values.speech_instructions }
					onChange={ ( value ) =>
						onChange( 'speech_instructions', value )
					}
				/>
				<NumberField
					{ ...props }
					field="voice_max_seconds"
					label={ __(
						'Longest voice question (seconds)',
						'voice-vision-chat'
					) }
					help={ __(
						'The recorder stops by itself at this length, and the server refuses longer recordings. Audio models bill by the second.',
						'voice-vision-chat'
					) }
				/>
				<NumberField
					{ ...props }
					field="voice_max_mb"
					label={ __(
						'Largest voice upload (MB)',
						'voice-vision-chat'
					) }
					help={ __(
						'Browsers send MP3 of about 4 KB per second, or 32 KB per second where they fall back to WAV; 4 MB covers two minutes of WAV.',
						'voice-vision-chat'
					) }
				/>
				<TextareaControl
					__nextHasNoMarginBottom
					label={ __(
						'Notice before the first recording',
						'voice-vision-chat'
					) }
					help={ fieldHelp(
						__(
							'Shown once to each visitor before they record: say where recordings go and whether anything is kept. Leave empty to restore the default.',
							'voice-vision-chat'
						),
						errorFor( 'voice_consent_text' )
					) }
					aria-invalid={
						errorFor( 'voice_consent_text' ) ? true : undefined
					}
					rows={ 4 }
					maxLength={ CONSENT_TEXT_MAX_CHARS }
					value={ values.voice_consent_text }
					onChange={ ( value ) =>
						onChange( 'voice_consent_text', value )
					}
				/>
			</CardBody>
		</Card>
	);
}
