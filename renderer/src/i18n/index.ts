// t('key', { param }) for the whole renderer: English (en.ts) is the source, zh.ts its typed translation.
// Calls read locale.current, a $state, so every template and $derived that calls t() follows the switch.
import { translator } from '../../../core/i18n/messages.js';
import { en } from './en.js';
import { zh } from './zh.js';
import { locale } from './locale.svelte.js';

export { locale };
export type MessageKey = keyof typeof en;
export const catalogues = { en, zh };
export const t = translator(catalogues, () => locale.current);
