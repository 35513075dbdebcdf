import {
	Button,
	Card,
	CardBody,
	CardHeader,
	SelectControl,
	TextControl,
} from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import { keySourceExplanation, keyStatusText } from '../key-status';
import type { ApiKeyStatus, FormState, KeyChoice } from '../types';
import { fieldHelp } from './field-help';

interface ApiKeyCardProps {
	status: ApiKeyStatus;
	form: FormState;
	keyError: string | undefined;
	onKeyChoice: ( choice: KeyChoice ) => void;
	onNewKey: ( key: string ) => void;
	onDeleteKey: ( remove: boolean ) => void;
}

/**
 * Which key the chat uses. The key itself never comes back from the server: the card shows
 * its last four characters and its source, and the field only ever holds a new key.
 * @param root0
 * @param root0.status
 * @param root0.form
 * @param root0.keyError
 * @param root0.onKeyChoice
 * @param root0.onNewKey
 * @param root0.onDeleteKey
 */
export function ApiKeyCard( {
	status,
	form,
	keyError,
	onKeyChoice,
	onNewKey,
	onDeleteKey,
}: ApiKeyCardProps ) {
	const explanation = keySourceExplanation( status, form.values.key_choice );
	const needsPluginKey =
		form.values.key_choice === 'plugin' &&
		! status.pluginKey &&
		form.newApiKey.trim() === '';
	return (
		<Card className="vvc-settings__card">
			<CardHeader>
				<h2>{ __( 'API key', 'voice-vision-chat' ) }</h2>
			</CardHeader>
			<CardBody className="vvc-settings__fields">
				<p className="vvc-settings__key-status">
					{ keyStatusText( status ) }
				</p>
				{ explanation && (
					<p className="vvc-settings__hint">{ explanation }</p>
				) }
				<SelectControl< KeyChoice >
					__next40pxDefaultSize
					__nextHasNoMarginBottom
					label={ __( 'Key to use', 'voice-vision-chat' ) }
					help={ __(
						'Automatic uses OPENAI_API_KEY from the server, then the key in Settings > Connectors, then the key saved here. A dedicated project key for the chat keeps its usage and billing separate from everything else on your account.',
						'voice-vision-chat'
					) }
					value={ form.values.key_choice }
					options={ [
						{
							value: 'auto',
							label: __( 'Automatic', 'voice-vision-chat' ),
						},
						{
							value: 'plugin',
							label: __(
								'This plugin’s own key',
								'voice-vision-chat'
							),
						},
					] }
					onChange={ onKeyChoice }
				/>
				<TextControl
					__next40pxDefaultSize
					__nextHasNoMarginBottom
					type="password"
					// Keeps the browser from filling in the admin's saved login password.
					autoComplete="new-password"
					spellCheck={ false }
					label={
						status.pluginKey
							? __( 'New API key', 'voice-vision-chat' )
							: __( 'API key', 'voice-vision-chat' )
					}
					help={ fieldHelp(
						__(
							'Leave empty to keep the current key. A key typed here replaces the plugin’s stored key when you save; it is stored encrypted and never shown again.',
							'voice-vision-chat'
						),
						keyError
					) }
					aria-invalid={ keyError ? true : undefined }
					value={ form.newApiKey }
					onChange={ onNewKey }
				/>
				{ needsPluginKey && (
					<p className="vvc-settings__hint">
						{ __(
							'Enter the plugin’s own key above: without one the chat cannot answer.',
							'voice-vision-chat'
						) }
					</p>
				) }
				{ status.pluginKey &&
					status.source !== 'plugin' &&
					form.values.key_choice === 'auto' && (
						<p className="vvc-settings__hint">
							{ __(
								'The plugin also has its own key saved. It is used only when “This plugin’s own key” is selected or no other key is set.',
								'voice-vision-chat'
							) }
						</p>
					) }
				{ status.pluginKey && ! form.deleteApiKey && (
					<div className="vvc-settings__actions">
						<Button
							__next40pxDefaultSize
							variant="secondary"
							isDestructive
							onClick={ () => onDeleteKey( true ) }
						>
							{ __( 'Remove saved key', 'voice-vision-chat' ) }
						</Button>
					</div>
				) }
				{ form.deleteApiKey && (
					<div className="vvc-settings__actions">
						<p className="vvc-settings__hint">
							{ __(
								'The saved key will be removed when you save the settings.',
								'voice-vision-chat'
							) }
						</p>
						<Button
							__next40pxDefaultSize
							variant="tertiary"
							onClick={ () => onDeleteKey( false ) }
						>
							{ __( 'Keep the saved key', 'voice-vision-chat' ) }
						</Button>
					</div>
				) }
			</CardBody>
		</Card>
	);
}
