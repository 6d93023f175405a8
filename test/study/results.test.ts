import { describe, expect, it } from 'vitest';
import { methodSentence, pairedDifference, points, studyResults, type StudyRunResult } from '../../core/study/results.js';

const done = (method: StudyRunResult['method'], seed: number, last: number, best = last, beta?: number): StudyRunResult =>
  ({ method, seed, status: 'done', lastTop1: last, bestTop1: best, ...(beta !== undefined ? { beta } : {}) });

describe('paired difference', () => {
  it('is mean ± t·sd/√n of the per-seed differences (hand-computed)', () => {
    // d = 0.01, 0.02, 0.03: mean 0.02, sd 0.01, half-width t_{0.975,2} · 0.01 / √3 = 4.302653 · 0.0057735 = 0.0248414.
    const d = pairedDifference([0.01, 0.02, 0.03]);
    expect(d.n).toBe(3);
    expect(d.mean).toBeCloseTo(0.02, 12);
    expect(d.sd).toBeCloseTo(0.01, 12);
    expect(d.low).toBeCloseTo(0.02 - 0.0248414, 6);
    expect(d.high).toBeCloseTo(0.02 + 0.0248414, 6);
  });

  it('has no interval for one seed', () => {
    const d = pairedDifference([0.01]);
    expect(d).toEqual({ n: 1, mean: 0.01, sd: 0 });
  });
});

describe('study results', () => {
  const runs = [
    done('baseline', 1, 0.80, 0.81), done('baseline', 2, 0.82, 0.83), done('baseline', 3, 0.81, 0.82),
    // AT: +1, +2, +3 points over the same seeds' baselines.
    done('at', 1, 0.81, 0.82), done('at', 2, 0.84, 0.85), done('at', 3, 0.84, 0.85),
    // KD: +0.5, −0.5, 0 points.
    done('kd', 1, 0.805), done('kd', 2, 0.815), done('kd', 3, 0.81),
  ];
  const r = studyResults([{ method: 'baseline' }, { method: 'at' }, { method: 'kd' }], runs);

  it('gives mean ± sample sd of best and final top-1 per method', () => {
    const base = r.rows[0];
    expect(base.last!.mean).toBeCloseTo(0.81, 12);
    expect(base.last!.sd).toBeCloseTo(0.01, 12);
    expect(base.best!.mean).toBeCloseTo(0.82, 12);
    expect(r.seedSpread).toBeCloseTo(0.01, 12);
    expect(r.rows[1].last!.mean).toBeCloseTo(0.83, 12);
    expect(r.done).toBe(9);
  });

  it('pairs seeds: AT improved by 2 points, CI 2 ± 2.48', () => {
    const at = r.rows[1];
    expect(at.diffLast!.mean).toBeCloseTo(0.02, 12);
    expect(at.diffLast!.low).toBeCloseTo(0.02 - 0.0248414, 6);
    // Pairing matters: unpaired, the same numbers would not be this tight on KD below.
    expect(at.sentence).toBe('AT: no difference we can detect at this budget (+2.0 points, 95 % CI −0.5 to 4.5): the seed alone moves top-1 by ±1.0.');
  });

  it('says "improved" when the interval excludes zero', () => {
    const rr = studyResults([{ method: 'baseline' }, { method: 'at', beta: 100 }], [
      done('baseline', 1, 0.80), done('baseline', 2, 0.82), done('baseline', 3, 0.81),
      done('at', 1, 0.81, 0.81, 100), done('at', 2, 0.83, 0.83, 100), done('at', 3, 0.822, 0.822, 100),
    ]);
    // d = 0.010, 0.010, 0.012: mean 0.010667, sd 0.0011547, half 4.302653·0.0011547/√3 = 0.0028685.
    const row = rr.rows[1];
    expect(row.label).toBe('AT (β = 100)');
    expect(row.diffLast!.low).toBeCloseTo(0.0106667 - 0.0028685, 6);
    expect(row.sentence).toBe('AT (β = 100) improved top-1 by 1.1 points (95 % CI 0.8 to 1.4).');
  });

  it('says "lowered" when the interval is below zero', () => {
    expect(methodSentence('KD', { n: 3, mean: -0.012, sd: 0.001, low: -0.0147, high: -0.0095 }, 0.01, true))
      .toBe('KD lowered top-1 by 1.2 points (95 % CI −1.5 to −0.9).');
  });

  it('with one seed says it cannot be judged', () => {
    const one = studyResults([{ method: 'baseline' }, { method: 'at' }], [done('baseline', 7, 0.8), done('at', 7, 0.809)]);
    expect(one.rows[1].sentence).toMatch(/^AT: \+0\.9 points of top-1 on one seed — that can't be judged/);
    expect(one.rows[0].sentence).toBe('Baseline (the student alone): final top-1 80.0 % on one seed.');
  });

  it('leaves out unfinished runs and seeds without a baseline partner', () => {
    const rr = studyResults([{ method: 'baseline' }, { method: 'at' }], [
      done('baseline', 1, 0.8), { method: 'baseline', seed: 2, status: 'failed' },
      done('at', 1, 0.81), done('at', 2, 0.9), { method: 'at', seed: 3, status: 'pending' },
    ]);
    expect(rr.rows[1].diffLast!.n).toBe(1);
    expect(rr.rows[1].done).toBe(2);
    expect(rr.rows[1].planned).toBe(3);
    expect(rr.planned).toBe(5);
  });

  it('without a baseline says there is nothing to compare with', () => {
    const rr = studyResults([{ method: 'at' }], [done('at', 1, 0.8), done('at', 2, 0.81)]);
    expect(rr.rows[0].sentence).toMatch(/no baseline in this study/);
    expect(rr.rows[0].diffLast).toBeUndefined();
  });

  it('formats points with a real minus sign', () => {
    expect(points(-0.0049)).toBe('−0.5');
    expect(points(0.0123, true)).toBe('+1.2');
    expect(points(0, true)).toBe('0.0');
  });
});
