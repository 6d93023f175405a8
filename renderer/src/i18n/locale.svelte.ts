// The app's language: ?lang= in the address wins (and is kept), else the choice kept in localStorage,
// else the system's (navigator.languages; Electron's Chromium fills it from the app's locale). Sets
// <html lang> so screen readers and fonts pick the right language.
import { LANGS, LANG_NAMES, intlLocale, isLang, pickLang, type Lang } from '../../../core/i18n/lang.js';

const KEY = 'atstudio.lang';

function urlLang(): Lang | undefined {
  if (typeof location === 'undefined') return undefined;
  const q = new URLSearchParams(location.search).get('lang');
  return isLang(q) ? q : undefined;
}

function savedLang(): Lang | undefined {
  try {
    const v = typeof localStorage !== 'undefined' ? localStorage.getItem(KEY) : null;
    return isLang(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function systemLang(): Lang {
  if (typeof navigator === 'undefined') return 'en';
  return pickLang(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

class Locale {
  current = $state<Lang>('en');
  readonly all = LANGS;
  readonly names = LANG_NAMES;

  /** The Intl locale ("en-US", "zh-CN") for numbers and dates. */
  get intl(): string {
    return intlLocale(this.current);
  }

  init(): void {
    const fromUrl = urlLang();
    this.set(fromUrl ?? savedLang() ?? systemLang(), fromUrl !== undefined);
  }

  set(lang: Lang, save = true): void {
    this.current = lang;
    if (save) {
      try { localStorage.setItem(KEY, lang); } catch { /* storage off: the choice lasts this session */ }
    }
    if (typeof document !== 'undefined') document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }
}

export const locale = new Locale();
