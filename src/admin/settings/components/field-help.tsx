/**
 * Help text under a control, with the field's error (if any) after it, so both are read
 * through the control's aria-describedby.
 */
import type { ReactNode } from 'react';

export function fieldHelp(
	description: ReactNode,
	error: string | undefined
): ReactNode {
	if ( ! error ) {
		return description;
	}
	return (
		<>
			{ description }{ ' ' }
			<strong className="vvc-settings__field-error">{ error }</strong>
		</>
	);
}
