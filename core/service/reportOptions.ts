// The options every report export takes (HTML, PDF, study): the language, checked because it arrives as
// JSON from a browser or the desktop bridge.
import { LANGS, isLang, type Lang } from '../i18n/lang.js';
import { ServiceError } from './errors.js';

export interface ReportOptions {
  /** The report's language: "en" (default) or "zh". */
  lang?: Lang;
}

export function reportLang(opts: unknown): Lang {
  if (opts === undefined || opts === null) return 'en';
  if (typeof opts !== 'object' || Array.isArray(opts)) throw new ServiceError('invalid', `report options must be an object like {"lang": "zh"}, got ${JSON.stringify(opts)}`);
  const lang = (opts as { lang?: unknown }).lang;
  if (lang === undefined) return 'en';
  if (!isLang(lang)) throw new ServiceError('invalid', `lang must be one of ${LANGS.map((l) => `"${l}"`).join(', ')}, got ${JSON.stringify(lang)}`);
  return lang;
}
