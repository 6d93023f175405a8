import { describe, expect, it } from 'vitest';
import { logGamma, regularizedBeta, tCdf, tQuantile } from '../../core/study/tQuantile.js';

describe('Student t quantiles', () => {
  // Published two-sided 95 % critical values (any t table, e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2).
  const table: [number, number][] = [[1, 12.706], [2, 4.303], [3, 3.182], [4, 2.776], [5, 2.571], [9, 2.262], [19, 2.093], [30, 2.042], [100, 1.984]];
  it.each(table)('t_{0.975, %i} = %f', (df, t) => {
    expect(tQuantile(0.975, df)).toBeCloseTo(t, 3);
  });

  it('matches closed forms: df = 1 is Cauchy, df = 2 has t = (2p−1)·√(2 / (1 − (2p−1)²))', () => {
    for (const p of [0.6, 0.9, 0.975, 0.995]) {
      expect(tQuantile(p, 1)).toBeCloseTo(Math.tan(Math.PI * (p - 0.5)), 9);
      const a = 2 * p - 1;
      expect(tQuantile(p, 2)).toBeCloseTo(a * Math.sqrt(2 / (1 - a * a)), 9);
    }
  });

  it('is symmetric, 0 at the median, and inverts the CDF', () => {
    expect(tQuantile(0.5, 7)).toBe(0);
    expect(tQuantile(0.025, 4)).toBeCloseTo(-tQuantile(0.975, 4), 12);
    for (const df of [1, 3, 8, 25]) for (const p of [0.01, 0.3, 0.8, 0.999]) expect(tCdf(tQuantile(p, df), df)).toBeCloseTo(p, 10);
  });

  it('approaches the normal quantile for large df', () => {
    expect(tQuantile(0.975, 1e6)).toBeCloseTo(1.959964, 5);
  });

  it('rests on exact building blocks: Γ(5) = 24, Γ(1/2) = √π, I_x(1, 1) = x, I_x(a, 1) = x^a', () => {
    expect(Math.exp(logGamma(5))).toBeCloseTo(24, 10);
    expect(Math.exp(logGamma(0.5))).toBeCloseTo(Math.sqrt(Math.PI), 12);
    expect(regularizedBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(regularizedBeta(0.7, 3, 1)).toBeCloseTo(0.343, 12);
  });

  it('refuses p outside (0, 1) and df ≤ 0', () => {
    expect(() => tQuantile(1, 3)).toThrow(/p must be in/);
    expect(() => tQuantile(0.9, 0)).toThrow(/degrees of freedom/);
  });
});
