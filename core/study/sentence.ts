// A study's plain sentence per method, in the reports' catalogue (core/i18n/report.*.ts): the engine keeps
// the English one in results.json-style views, and the study report and the app word it again in their
// language from the same numbers.
import type { ReportT } from '../i18n/report.js';
import { percent, points } from './points.js';
import type { PairedDifference, StudyRow } from './types.js';

/** One sentence a person who does not train networks understands: a method against the baseline. */
export function methodSentenceIn(t: ReportT, label: string, diff: PairedDifference | undefined, seedSpread: number | undefined, hasBaseline: boolean): string {
  if (!hasBaseline) return t('verdict.noBaseline', { label });
  if (!diff) return t('verdict.noPair', { label });
  const noise = seedSpread !== undefined && seedSpread > 0 ? t('verdict.noise', { spread: points(seedSpread) }) : '';
  if (diff.n < 2 || diff.low === undefined || diff.high === undefined) return t('verdict.oneSeed', { label, diff: points(diff.mean, true) });
  const low = points(diff.low);
  const high = points(diff.high);
  if (diff.low > 0) return t('verdict.improved', { label, diff: points(diff.mean), low, high });
  if (diff.high < 0) return t('verdict.lowered', { label, diff: points(-diff.mean), low, high });
  return t('verdict.none', { label, diff: points(diff.mean, true), low, high, noise });
}

/** The baseline's own sentence: its final top-1 and how much it moved over the seeds. */
export function baselineSentenceIn(t: ReportT, label: string, last: StudyRow['last']): string {
  if (!last) return t('verdict.baselineNone', { label });
  return last.n > 1
    ? t('verdict.baselineSeeds', { label, top1: percent(last.mean), sd: points(last.sd), n: last.n })
    : t('verdict.baselineOne', { label, top1: percent(last.mean) });
}

/** A row's sentence in t's language, from the row's numbers (the same as row.sentence in English). */
export function rowSentence(t: ReportT, row: StudyRow, results: { rows: StudyRow[]; seedSpread?: number }): string {
  if (row.method === 'baseline') return baselineSentenceIn(t, row.label, row.last);
  return methodSentenceIn(t, row.label, row.diffLast, results.seedSpread, results.rows.some((r) => r.method === 'baseline'));
}
