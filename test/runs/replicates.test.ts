// Runs that differ only in seed (and name) are replicates of one experiment; their accuracy is summarised
// as mean ± sample standard deviation.
import { describe, expect, it } from 'vitest';
import { replicateGroups, replicateKey, spread } from '../../core/runs/replicates.js';
import { defaultRunConfig } from '../../core/config/index.js';
import type { RunConfig } from '../../core/config/types.js';

const base = (): RunConfig => ({ ...defaultRunConfig(), data: { ...defaultRunConfig().data, path: '/data/fashion' } });

describe('replicateKey', () => {
  it('ignores the seed, the name and the order of keys, and nothing else', () => {
    const a = base();
    const b = { ...base(), seed: a.seed + 7, name: 'another name' };
    // The same config built with its keys in another order.
    const c = Object.fromEntries(Object.entries(base()).reverse()) as unknown as RunConfig;
    expect(replicateKey(b)).toBe(replicateKey(a));
    expect(replicateKey(c)).toBe(replicateKey(a));
    expect(replicateKey({ ...a, attention: { ...a.attention, beta: 500 } })).not.toBe(replicateKey(a));
    expect(replicateKey({ ...a, training: { ...a.training, epochs: a.training.epochs + 1 } })).not.toBe(replicateKey(a));
  });
});

describe('spread', () => {
  it('mean and sample standard deviation by hand', () => {
    // 0.80, 0.82, 0.84: mean 0.82; squared deviations 0.0004 + 0 + 0.0004 over n − 1 = 2 → sd 0.02.
    const s = spread([0.8, 0.82, 0.84]);
    expect(s.n).toBe(3);
    expect(s.mean).toBeCloseTo(0.82, 12);
    expect(s.sd).toBeCloseTo(0.02, 12);
    expect([s.min, s.max]).toEqual([0.8, 0.84]);
    expect(spread([0.5])).toEqual({ n: 1, mean: 0.5, sd: 0, min: 0.5, max: 0.5 });
    expect(() => spread([])).toThrow(/no values/);
  });
});

describe('replicateGroups', () => {
  it('groups two or more seeds of one experiment, in the order first seen, over the runs that have values', () => {
    const row = (runId: string, key: string, seed: number, bestTop1?: number, lastTop1?: number) =>
      ({ runId, name: `${key}-${seed}`, replicateKey: key, seed, ...(bestTop1 !== undefined ? { bestTop1 } : {}), ...(lastTop1 !== undefined ? { lastTop1 } : {}) });
    const groups = replicateGroups([
      row('b1', 'B', 1, 0.7, 0.69),
      row('a1', 'A', 1, 0.8, 0.79),
      row('a2', 'A', 2, 0.84, 0.8),
      row('c1', 'C', 1, 0.6),
      row('a3', 'A', 3), // still training: no accuracy yet
      row('b1again', 'B', 1, 0.71), // the same seed again is a re-run, not a second replicate
    ]);
    expect(groups.map((g) => [g.key, g.runIds, g.seeds])).toEqual([['A', ['a1', 'a2', 'a3'], [1, 2, 3]]]);
    const a = groups[0]!;
    expect(a.bestTop1!.n).toBe(2);
    expect(a.bestTop1!.mean).toBeCloseTo(0.82, 12);
    expect(a.bestTop1!.sd).toBeCloseTo(Math.sqrt(0.0008), 12); // (0.02² + 0.02²) / 1
    expect(a.lastTop1!.mean).toBeCloseTo(0.795, 12);
    expect(replicateGroups([row('x', 'X', 1), row('y', 'X', 2)])[0]).not.toHaveProperty('bestTop1');
  });

  it('counts each run and each seed once ("Seeds 1, 2, 3, 1" was a re-run of seed 1 counted again)', () => {
    const row = (runId: string, seed: number, bestTop1: number) => ({ runId, name: runId, replicateKey: 'A', seed, bestTop1 });
    const [g] = replicateGroups([row('s1', 1, 0.8), row('s2', 2, 0.82), row('s3', 3, 0.84), row('s1b', 1, 0.5), row('s2', 2, 0.82)]);
    expect(g!.seeds).toEqual([1, 2, 3]);
    expect(g!.runIds).toEqual(['s1', 's2', 's3']);
    expect(g!.bestTop1!.n).toBe(3);
    expect(g!.bestTop1!.mean).toBeCloseTo(0.82, 12);
  });
});
