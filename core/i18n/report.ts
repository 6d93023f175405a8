// The reports' t() for one language, and the date line every report opens with.
import { intlLocale, type Lang } from './lang.js';
import { translator, type ParamsArg } from './messages.js';
import { reportEn } from './report.en.js';
import { reportZh } from './report.zh.js';

export type ReportKey = keyof typeof reportEn;
export type ReportT = <K extends ReportKey>(key: K, ...params: ParamsArg<(typeof reportEn)[K]>) => string;
export const reportCatalogues = { en: reportEn, zh: reportZh };

export function reportText(lang: Lang = 'en'): ReportT {
  return translator(reportCatalogues, () => lang);
}

/** "6 December 2026 at 09:30 UTC" / "2026年12月6日 09:30 UTC": the report's date, in UTC so it reads the same everywhere. */
export function reportDate(d: Date, lang: Lang = 'en'): string {
  return `${new Intl.DateTimeFormat(intlLocale(lang), { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC', hourCycle: 'h23' }).format(d)} UTC`;
}
