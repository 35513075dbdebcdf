/**
 * The Markdown renderer (marked + DOMPurify: about two thirds of the widget's weight) in a
 * chunk of its own. The widget mounts without it, so the question box works sooner after
 * the visitor's first touch, and fetches it right after mounting; an answer that arrives
 * before it shows as plain text until then (React escapes it: nothing is lost or unsafe).
 */
export type RenderMarkdown = ( markdown: string ) => string;

let loading: Promise< RenderMarkdown > | null = null;
let loaded: RenderMarkdown | null = null;

/**
 * Fetches the renderer once; after a failed download the next call tries again.
 */
export function loadMarkdown(): Promise< RenderMarkdown > {
	loading ??= import(
		/* webpackChunkName: "chat/markdown" */ './markdown'
	).then(
		( module ) => {
			loaded = module.renderMarkdown;
			return loaded;
		},
		( error: unknown ) => {
			loading = null;
			throw error;
		}
	);
	return loading;
}

/** The renderer if it has arrived, else null. */
export function markdownRenderer(): RenderMarkdown | null {
	return loaded;
}
