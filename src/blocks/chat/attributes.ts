/**
 * The block's saved settings, as declared in block.json.
 * Empty strings mean "use the translated default", so a site in any language gets sensible text.
 */
export type ChatBlockAttributes = {
	title: string;
	greeting: string;
	placeholder: string;
	allowImages: boolean;
	allowVoice: boolean;
	accentColor: string;
};
