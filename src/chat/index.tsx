/**
 * Chat widget entry, loaded by the block's loader (src/blocks/chat/view.ts) on the
 * visitor's first interaction. It only makes `mount` available; the loader calls it.
 */
import type {} from '../lib/boot';
import { mount } from './mount';

window.vvcChatWidget = { mount };
