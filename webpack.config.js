/**
 * wp-scripts' default build (every block.json under src/ becomes entry points) plus the
 * two bundles that are not block assets: the chat widget, loaded on a visitor's first
 * interaction, and the admin settings screen.
 */
const defaultConfig = require( '@wordpress/scripts/config/webpack.config' );

module.exports = {
	...defaultConfig,
	entry: async () => ( {
		...( await defaultConfig.entry() ),
		'chat/widget': './src/chat/index.tsx',
		'admin/settings': './src/admin/settings/index.tsx',
		'admin/dashboard': './src/admin/dashboard/index.tsx',
		'admin/budget': './src/admin/budget/index.tsx',
		'admin/faq': './src/admin/faq/index.tsx',
		// Loaded by the voice recorder (an AudioWorklet module and a Worker), not as scripts.
		'voice/recorder-worklet': './src/voice/recorder-worklet.ts',
		'voice/encoder-worker': './src/voice/encoder-worker.ts',
	} ),
	optimization: {
		...defaultConfig.optimization,
		splitChunks: {
			...defaultConfig.optimization.splitChunks,
			cacheGroups: {
				...defaultConfig.optimization.splitChunks.cacheGroups,
				// A lazily loaded chunk keeps its libraries (the chat's Markdown renderer:
				// marked and DOMPurify) in its own named file, not a numbered vendors file.
				defaultVendors: false,
			},
		},
	},
};
