// The languages the app and its reports speak, and how a language is picked from a browser's or
// system's preferences. Pure (no DOM, no Node): the renderer and core/report both import it.
export const LANGS = ['en', 'zh'] as const;
export type Lang = (typeof LANGS)[number];

/** Each language's own name, for the switch (always written in that language). */
export const LANG_NAMES: Record<Lang, string> = { en: 'English', zh: '中文' };

export function isLang(x: unknown): x is Lang {
  return typeof x === 'string' && (LANGS as readonly string[]).includes(x);
}

/**
 * The first supported language among BCP 47 tags in order of preference ("zh-CN", "zh-Hans-SG", "en-US"
 * → zh / en); English when none matches. Any Chinese tag picks Simplified Chinese, the only one we have.
 */
export function pickLang(tags: readonly (string | null | undefined)[]): Lang {
  for (const tag of tags) {
    const base = tag?.toLowerCase().split(/[-_]/)[0];
    if (isLang(base)) return base;
  }
  return 'en';
}

/** The Intl locale used for numbers and dates in a language. */
export function intlLocale(lang: Lang): string {
  return lang === 'zh' ? 'zh-CN' : 'en-US';
}
