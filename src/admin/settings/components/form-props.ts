import type { FormField, FormValues } from '../types';

/** What every group of fields receives from the settings screen. */
export interface FieldGroupProps {
	values: FormValues;
	/** The message to show for a field, or undefined. */
	errorFor: ( field: FormField ) => string | undefined;
	onChange: < F extends FormField >(
		field: F,
		value: FormValues[ F ]
	) => void;
}
