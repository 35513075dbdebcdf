/**
 * A number typed as text, so a half-typed value is kept as the admin typed it and
 * explained rather than silently corrected.
 */
import { TextControl } from '@wordpress/components';
import type { ReactNode } from 'react';

import {
	NUMBER_LIMITS,
	type NumberField as NumberFieldName,
	type NumberLimit,
} from '../form';
import { fieldHelp } from './field-help';
import type { FieldGroupProps } from './form-props';

interface NumberFieldProps extends FieldGroupProps {
	field: NumberFieldName;
	label: string;
	help: ReactNode;
}

export function NumberField( {
	field,
	label,
	help,
	values,
	errorFor,
	onChange,
}: NumberFieldProps ) {
	const limit: NumberLimit = NUMBER_LIMITS[ field ];
	const error = errorFor( field );
	return (
		<TextControl
			__next40pxDefaultSize
			__nextHasNoMarginBottom
			type="number"
			inputMode={ limit.integer ? 'numeric' : 'decimal' }
			min={ limit.min }
			max={ limit.max }
			step={ limit.step ?? ( limit.integer ? 1 : 0.1 ) }
			label={ label }
			help={ fieldHelp( help, error ) }
			aria-invalid={ error ? true : undefined }
			value={ values[ field ] }
			onChange={ ( value ) => onChange( field, value ) }
		/>
	);
}
