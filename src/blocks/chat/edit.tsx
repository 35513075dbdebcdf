/**
 * Block editor UI: settings in the sidebar and a live preview of the chat shell.
 */
import { __ } from '@wordpress/i18n';
import {
	InspectorControls,
	PanelColorSettings,
	useBlockProps,
} from '@wordpress/block-editor';
import {
	PanelBody,
	TextControl,
	TextareaControl,
	ToggleControl,
} from '@wordpress/components';
import type { BlockEditProps } from '@wordpress/blocks';
import type { CSSProperties } from 'react';

import type { ChatBlockAttributes } from './attributes';
import { defaultTexts } from './default-texts';
import { MicIcon, PaperclipIcon } from '../../lib/icons';

export default function Edit( {
	attributes,
	setAttributes,
}: BlockEditProps< ChatBlockAttributes > ) {
	const texts = defaultTexts();
	const style = attributes.accentColor
		? ( { '--vvc-accent': attributes.accentColor } as CSSProperties )
		: undefined;
	const blockProps = useBlockProps( { className: 'vvc-chat', style } );

	return (
		<>
			<InspectorControls>
				<PanelBody title={ __( 'Chat', 'voice-vision-chat' ) }>
					<TextControl
						__next40pxDefaultSize
						label={ __( 'Title', 'voice-vision-chat' ) }
						value={ attributes.title }
						placeholder={ texts.title }
						onChange={ ( title ) => setAttributes( { title } ) }
					/>
					<TextareaControl
						label={ __( 'Greeting', 'voice-vision-chat' ) }
						value={ attributes.greeting }
						placeholder={ texts.greeting }
						onChange={ ( greeting ) =>
							setAttributes( { greeting } )
						}
					/>
					<TextControl
						__next40pxDefaultSize
						label={ __( 'Input placeholder', 'voice-vision-chat' ) }
						value={ attributes.placeholder }
						placeholder={ texts.placeholder }
						onChange={ ( placeholder ) =>
							setAttributes( { placeholder } )
						}
					/>
					<ToggleControl
						label={ __( 'Allow photos', 'voice-vision-chat' ) }
						checked={ attributes.allowImages }
						onChange={ ( allowImages ) =>
							setAttributes( { allowImages } )
						}
					/>
					<ToggleControl
						label={ __(
							'Allow voice questions',
							'voice-vision-chat'
						) }
						checked={ attributes.allowVoice }
						onChange={ ( allowVoice ) =>
							setAttributes( { allowVoice } )
						}
					/>
				</PanelBody>
				<PanelColorSettings
					title={ __( 'Colour', 'voice-vision-chat' ) }
					colorSettings={ [
						{
							label: __( 'Accent colour', 'voice-vision-chat' ),
							value: attributes.accentColor,
							onChange: ( accentColor?: string ) =>
								setAttributes( {
									accentColor: accentColor ?? '',
								} ),
						},
					] }
				/>
			</InspectorControls>
			<div { ...blockProps }>
				<h2 className="vvc-chat__title">
					{ attributes.title || texts.title }
				</h2>
				<div className="vvc-chat__log">
					<p className="vvc-chat__message vvc-chat__message--assistant">
						{ attributes.greeting || texts.greeting }
					</p>
				</div>
				<div className="vvc-chat__composer">
					{ attributes.allowImages && (
						<button
							type="button"
							className="vvc-chat__attach"
							aria-label={ __(
								'Attach a photo',
								'voice-vision-chat'
							) }
							disabled
						>
							<PaperclipIcon />
						</button>
					) }
					<textarea
						className="vvc-chat__input"
						placeholder={
							attributes.placeholder || texts.placeholder
						}
						aria-label={ __(
							'Your question',
							'voice-vision-chat'
						) }
						rows={ 1 }
						disabled
					/>
					{ attributes.allowVoice && (
						<button
							type="button"
							className="vvc-chat__mic"
							aria-label={ __(
								'Ask by voice',
								'voice-vision-chat'
							) }
							disabled
						>
							<MicIcon />
						</button>
					) }
					<button type="button" className="vvc-chat__send" disabled>
						{ __( 'Send', 'voice-vision-chat' ) }
					</button>
				</div>
			</div>
		</>
	);
}
