// Compile-time checks of the catalogue's types (svelte-check reads this file; nothing imports it):
// each @ts-expect-error fails `npm run check:ui` if the line ever type-checks.
import { t } from './index.js';
import type { Translation } from '../../../core/i18n/messages.js';

export function typeChecks(): string[] {
  return [
    t('app.brand'),
    t('fmt.minSec', { m: 4, s: '02' }),
    // @ts-expect-error a template with parameters needs them
    t('fmt.minSec'),
    // @ts-expect-error every parameter is named and required
    t('fmt.minSec', { m: 4 }),
    // @ts-expect-error a misspelt parameter
    t('fmt.seconds', { sec: 3 }),
    // @ts-expect-error a key that is not in the catalogue
    t('app.noSuchKey'),
  ];
}

// @ts-expect-error a translation missing a key does not compile
export const missing: Translation<{ a: 'A'; b: 'B' }> = { a: 'a' };
