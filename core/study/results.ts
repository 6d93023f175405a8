// A study's answer: per method (and β) the mean ± sample standard deviation of best and final test top-1,
// the difference from the baseline with a 95 % confidence interval — seeds paired, a paired t interval on
// the per-seed differences — and one plain sentence per method. Pure: the CLI, the service and the HTML
// report all call it on the runs' stored results.
import { spread } from '../runs/replicates.js';
import { armLabel } from './plan.js';
import type { PairedDifference, StudyArm, StudyResults, StudyRow, StudyRunResult } from './types.js';

export type { PairedDifference, StudyResults, StudyRow, StudyRunResult } from './types.js';
import { tQuantile } from './tQuantile.js';
import { reportText } from '../i18n/report.js';
import { baselineSentenceIn, methodSentenceIn } from './sentence.js';

export { percent, points } from './points.js';
const english = reportText('en');

/** Paired t interval on differences d_i: mean ± t_{1−α/2, n−1} · sd / √n. */
export function pairedDifference(diffs: number[], confidence = 0.95): PairedDifference {
  const n = diffs.length;
  if (n === 0) throw new Error('a difference of no pairs');
  const s = spread(diffs);
  if (n < 2) return { n, mean: s.mean, sd: 0 };
  const half = tQuantile(1 - (1 - confidence) / 2, n - 1) * (s.sd / Math.sqrt(n));
  return { n, mean: s.mean, sd: s.sd, low: s.mean - half, high: s.mean + half };
}

function pairBySeed(arm: StudyRunResult[], baseline: StudyRunResult[], key: 'bestTop1' | 'lastTop1'): number[] {
  const base = new Map(baseline.filter((r) => r.status === 'done' && r[key] !== undefined).map((r) => [r.seed, r[key]!]));
  return arm.filter((r) => r.status === 'done' && r[key] !== undefined && base.has(r.seed)).map((r) => r[key]! - base.get(r.seed)!);
}

/** One sentence a person who does not train networks understands (English; sentence.ts words it in others). */
export function methodSentence(label: string, diff: PairedDifference | undefined, seedSpread: number | undefined, hasBaseline: boolean): string {
  return methodSentenceIn(english, label, diff, seedSpread, hasBaseline);
}

/** The study's table and sentences from its arms and its runs' results (finished or not). */
export function studyResults(arms: StudyArm[], runs: StudyRunResult[]): StudyResults {
  const same = (a: StudyArm) => (r: StudyRunResult) => r.method === a.method && r.beta === a.beta;
  const baselineArm = arms.find((a) => a.method === 'baseline');
  const baseline = baselineArm ? runs.filter(same(baselineArm)) : [];
  const baseLast = baseline.filter((r) => r.status === 'done' && r.lastTop1 !== undefined).map((r) => r.lastTop1!);
  const seedSpread = baseLast.length > 1 ? spread(baseLast).sd : undefined;
  const rows = arms.map((a): StudyRow => {
    const mine = runs.filter(same(a));
    const finished = mine.filter((r) => r.status === 'done');
    const of = (k: 'bestTop1' | 'lastTop1') => {
      const v = finished.map((r) => r[k]).filter((x): x is number => typeof x === 'number');
      return v.length ? spread(v) : undefined;
    };
    const label = armLabel(a);
    const row: StudyRow = { ...a, label, done: finished.length, planned: mine.length, sentence: '' };
    const best = of('bestTop1');
    const last = of('lastTop1');
    if (best) row.best = best;
    if (last) row.last = last;
    if (a.method === 'baseline') {
      row.sentence = baselineSentenceIn(english, label, last);
      return row;
    }
    const dl = pairBySeed(mine, baseline, 'lastTop1');
    const db = pairBySeed(mine, baseline, 'bestTop1');
    if (dl.length) row.diffLast = pairedDifference(dl);
    if (db.length) row.diffBest = pairedDifference(db);
    row.sentence = methodSentence(label, row.diffLast, seedSpread, !!baselineArm);
    return row;
  });
  return { rows, ...(seedSpread !== undefined ? { seedSpread } : {}), done: runs.filter((r) => r.status === 'done').length, planned: runs.length };
}
