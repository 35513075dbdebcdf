/**
 * What the page hands the loader (view.ts) and the loader hands the widget.
 *
 * The boot object is printed by includes/Block/Widget_Loader.php before the loader script.
 * It is the same for every visitor (no nonce, nothing per user), so cached pages are fine.
 */

/** A script the widget needs, in dependency order. */
export type BootScript = {
	/** WordPress script handle; the page prints it as <script id="{handle}-js">. */
	handle: string;
	src: string;
	/** Inline code WordPress would print before it (translations included). */
	before?: string;
	/** Inline code WordPress would print after it. */
	after?: string;
};

/** Site-wide settings the widget needs. */
export type WidgetConfig = {
	/** The REST API root, e.g. https://example.com/wp-json/. */
	restRoot: string;
	/** Photos are scaled so their longest side is at most this many pixels. */
	imageMaxSide: number;
	/** Most earlier turns the server accepts with a question. */
	historyTurns: number;
	/** Most characters in one message. */
	turnMaxChars: number;
	/** Present only when a block on the page allows voice questions. */
	voice?: VoiceConfig;
};

/** What the microphone button needs; the recorder's bundles load on its first use. */
export type VoiceConfig = {
	/** build/voice/recorder-worklet.js, versioned. */
	workletUrl: string;
	/** build/voice/encoder-worker.js, versioned. */
	workerUrl: string;
	/** The site's longest recording, in seconds. */
	maxSeconds: number;
	/** The site owner's notice shown before the first recording. */
	consentText: string;
};

export type Boot = {
	scripts: BootScript[];
	config: WidgetConfig;
	/** Translated message shown when the widget cannot be downloaded. */
	loadError: string;
};

/** The per-block options render.php puts in data-config. */
export type BlockOptions = {
	allowImages: boolean;
	allowVoice: boolean;
};

/** What the visitor did in the shell before the widget arrived, so nothing is lost. */
export type Handoff = {
	text: string;
	/** The shell's textarea had focus. */
	focused: boolean;
	selectionStart: number;
	selectionEnd: number;
	/** The visitor pressed Enter or Send: send the text once mounted. */
	submit: boolean;
	/** The visitor pressed "Attach a photo": open the picker once mounted. */
	attach: boolean;
};

export type WidgetApi = {
	mount: (
		shell: HTMLElement,
		handoff: Handoff,
		config: WidgetConfig
	) => void;
};

declare global {
	interface Window {
		vvcChatBoot?: Boot;
		vvcChatWidget?: WidgetApi;
	}
}
