/**
 * A text field whose help and error are read through aria-describedby, like the settings
 * screen's fields. Used by the budget and FAQ screens.
 */
import { TextControl } from '@wordpress/components';
import type { ReactNode } from 'react';

import { fieldHelp } from '../settings/components/field-help';

interface TextFieldProps {
	label: string;
	help?: ReactNode;
	error?: string;
	value: string;
	onChange: ( value: string ) => void;
	inputMode?: 'decimal' | 'numeric' | 'email' | 'text';
	type?: 'text' | 'email';
	className?: string;
}

export function TextField( {
	label,
	help,
	error,
	value,
	onChange,
	inputMode = 'text',
	type = 'text',
	className,
}: TextFieldProps ) {
	return (
		<TextControl
			__next40pxDefaultSize
			__nextHasNoMarginBottom
			className={ className }
			type={ type }
			inputMode={ inputMode }
			label={ label }
			help={ fieldHelp( help, error ) }
			aria-invalid={ error ? true : undefined }
			autoComplete="off"
			spellCheck={ false }
			value={ value }
			onChange={ onChange }
		/>
	);
}
