/**
 * Editor entry: registers the block type with its edit component.
 * The front end is rendered by render.php, so there is no save component.
 */
import { registerBlockType } from '@wordpress/blocks';
import type { BlockConfiguration } from '@wordpress/blocks';

import metadata from './block.json';
import Edit from './edit';
import './style.scss';
import type { ChatBlockAttributes } from './attributes';

// block.json is the source of truth; its JSON import is wider than the typed shape.
registerBlockType< ChatBlockAttributes >(
	metadata as unknown as BlockConfiguration< ChatBlockAttributes >,
	{
		edit: Edit,
		save: () => null,
	}
);
