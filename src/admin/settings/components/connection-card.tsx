import {
	Button,
	Card,
	CardBody,
	CardHeader,
	Spinner,
	TextControl,
} from '@wordpress/components';
import { __, _n, sprintf } from '@wordpress/i18n';

import type { ApiError, ConnectionResult } from '../types';
import { fieldHelp } from './field-help';
import type { FieldGroupProps } from './form-props';
import { NoticeRegion, type NoticeMessage } from './notice-region';

export type ConnectionTestState =
	| { kind: 'idle' }
	| { kind: 'testing' }
	| { kind: 'ok'; result: ConnectionResult }
	| { kind: 'failed'; error: ApiError };

interface ConnectionCardProps extends FieldGroupProps {
	test: ConnectionTestState;
	/** True when the form has unsaved changes, which the test does not see. */
	dirty: boolean;
	/** The constant VVC_OPENAI_BASE_URL fixes the base URL. */
	baseUrlLocked: boolean;
	onTest: () => void;
}

/**
 * The notice for a finished connection test, or null while none has run.
 *
 * @param test State of the connection test.
 */
export function connectionNotice(
	test: ConnectionTestState
): NoticeMessage | null {
	if ( test.kind === 'ok' ) {
		const { missingModels } = test.result;
		return {
			status: missingModels.length > 0 ? 'warning' : 'success',
			detail:
				missingModels.length > 0
					? sprintf(
							/* translators: %s: comma-separated model ids. */
							__(
								'It does not list these configured models: %s. Check their spelling, or that the key may use them.',
								'voice-vision-chat'
							),
							missingModels.join( ', ' )
						)
					: undefined,
			message: sprintf(
				/* translators: 1: number of models, 2: API base URL. */
				_n(
					'Connection works: %2$s lists %1$d model.',
					'Connection works: %2$s lists %1$d models.',
					test.result.models,
					'voice-vision-chat'
				),
				test.result.models,
				test.result.baseUrl
			),
		};
	}
	if ( test.kind === 'failed' ) {
		return {
			status: 'error',
			message: sprintf(
				/* translators: %s: the reason the server gave. */
				__( 'Connection failed: %s', 'voice-vision-chat' ),
				test.error.message
			),
			detail: sprintf(
				/* translators: %s: an error code such as vvc_upstream_auth. */
				__( 'Error code: %s', 'voice-vision-chat' ),
				test.error.code
			),
		};
	}
	return null;
}

/**
 * Where the provider is, the optional OpenAI headers, and the "Test connection" button.
 * @param root0
 * @param root0.values
 * @param root0.errorFor
 * @param root0.onChange
 * @param root0.test
 * @param root0.dirty
 * @param root0.onTest
 * @param root0.baseUrlLocked
 */
export function ConnectionCard( {
	values,
	errorFor,
	onChange,
	test,
	dirty,
	baseUrlLocked,
	onTest,
}: ConnectionCardProps ) {
	const testing = test.kind === 'testing';
	return (
		<Card className="vvc-settings__card">
			<CardHeader>
				<h2>{ __( 'Provider', 'voice-vision-chat' ) }</h2>
			</CardHeader>
			<CardBody className="vvc-settings__fields">
				<TextControl
					__next40pxDefaultSize
					__nextHasNoMarginBottom
					type="url"
					label={ __( 'API base URL', 'voice-vision-chat' ) }
					help={ fieldHelp(
						baseUrlLocked
							? __(
									'Set on the server by the constant VVC_OPENAI_BASE_URL, so it cannot be changed here.',
									'voice-vision-chat'
								)
							: __(
									'OpenAI is https://api.openai.com/v1. For Azure OpenAI use https://YOUR-RESOURCE.openai.azure.com/openai/v1; for a relay or a local OpenAI-compatible server (Ollama, LM Studio, vLLM), enter its address ending in /v1.',
									'voice-vision-chat'
								),
						errorFor( 'base_url' )
					) }
					readOnly={ baseUrlLocked }
					aria-invalid={ errorFor( 'base_url' ) ? true : undefined }
					autoComplete="off"
					spellCheck={ false }
					value={ values.base_url }
					onChange={ ( value ) => onChange( 'base_url', value ) }
				/>
				<TextControl
					__next40pxDefaultSize
					__nextHasNoMarginBottom
					label={ __(
						'Organization ID (optional)',
						'voice-vision-chat'
					) }
					help={ __(
						'Sent as the OpenAI-Organization header when set. Leave empty unless your key belongs to several organizations.',
						'voice-vision-chat'
					) }
					autoComplete="off"
					spellCheck={ false }
					value={ values.organization }
					onChange={ ( value ) => onChange( 'organization', value ) }
				/>
				<TextControl
					__next40pxDefaultSize
					__nextHasNoMarginBottom
					label={ __( 'Project ID (optional)', 'voice-vision-chat' ) }
					help={ __(
						'Sent as the OpenAI-Project header when set, so usage is counted against that project.',
						'voice-vision-chat'
					) }
					autoComplete="off"
					spellCheck={ false }
					value={ values.project }
					onChange={ ( value ) => onChange( 'project', value ) }
				/>
				<div className="vvc-settings__test">
					<div className="vvc-settings__actions">
						<Button
							__next40pxDefaultSize
							variant="secondary"
							onClick={ onTest }
							disabled={ testing }
							accessibleWhenDisabled
							aria-describedby={
								dirty ? 'vvc-settings-test-hint' : undefined
							}
						>
							{ __( 'Test connection', 'voice-vision-chat' ) }
						</Button>
						{ testing && (
							<span className="vvc-settings__busy">
								<Spinner />
								{ __(
									'Asking the provider for its models…',
									'voice-vision-chat'
								) }
							</span>
						) }
					</div>
					{ dirty && (
						<p
							id="vvc-settings-test-hint"
							className="vvc-settings__hint"
						>
							{ __(
								'You have unsaved changes. The test uses the saved settings: save first to test your changes.',
								'voice-vision-chat'
							) }
						</p>
					) }
					<NoticeRegion
						role="alert"
						notice={ connectionNotice( test ) }
						className="vvc-settings__test-result"
					/>
				</div>
			</CardBody>
		</Card>
	);
}
