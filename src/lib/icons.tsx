/**
 * The composer's icons, shared by the widget and the editor preview (render.php prints the
 * same paths in the server-side shell).
 */

function Icon( { path }: { path: string } ) {
	return (
		<svg
			viewBox="0 0 24 24"
			width="20"
			height="20"
			aria-hidden="true"
			focusable="false"
		>
			<path fill="currentColor" d={ path } />
		</svg>
	);
}

export function PaperclipIcon() {
	return (
		<Icon path="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9V15.5a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10h-1.5Z" />
	);
}

export function MicIcon() {
	return (
		<Icon path="M12 14.5a3.5 3.5 0 0 0 3.5-3.5V5a3.5 3.5 0 0 0-7 0v6a3.5 3.5 0 0 0 3.5 3.5Zm6-3.5h-1.5a4.5 4.5 0 0 1-9 0H6a6 6 0 0 0 5.25 5.95V20h1.5v-3.05A6 6 0 0 0 18 11Z" />
	);
}
