import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { useBackend } from '../helpers/backend.js';
import { atLoss, atTerm } from '../../core/losses/index.js';
import type { AttentionFn } from '../../core/attention/index.js';
import { atLoss64, fdGradient, relError, seededUniform, type Shape4 } from './reference64.js';

beforeAll(async () => { await useBackend('cpu'); });

const t4 = (v: number[], s: Shape4) => tf.tensor4d(v, s);
const val = (t: tf.Tensor) => t.dataSync()[0];

describe('atLoss hand values', () => {
  // Student activations all 1 → uniform map, Q_S = (½, ½, ½, ½); teacher one 2 → Q_T = (1, 0, 0, 0).
  // d = (−½, ½, ½, ½): Σd² = 1, so code = 1/4 (mean over 4 positions) and paper = ‖d‖/(H·W) = 1/4.
  const s = () => t4([1, 1, 1, 1], [1, 2, 2, 1]);
  const t = () => t4([2, 0, 0, 0], [1, 2, 2, 1]);
  it('code form = reference at_loss', () => expect(val(atLoss(s(), t()))).toBeCloseTo(0.25, 6));
  it('paper form', () => expect(val(atLoss(s(), t(), undefined, { form: 'paper' }))).toBeCloseTo(0.25, 6));

  it('batch of 2 with one identical example: code averages d² over batch·positions, paper averages ‖d‖', () => {
    // Example 0: Q_S = (1, 0), Q_T = (0, 1) → Σd² = 2; example 1 identical → 0.
    const st = t4([1, 0, 5, 5], [2, 1, 2, 1]);
    const te = t4([0, 3, 5, 5], [2, 1, 2, 1]);
    expect(val(atLoss(st, te))).toBeCloseTo(2 / 4, 6);
    expect(val(atLoss(st, te, undefined, { form: 'paper' }))).toBeCloseTo(Math.SQRT2 / 2 / 2, 6);
  });

  it('different channel counts are fine (maps are spatial)', () => {
    const st = t4([1, 1, 1, 1, 1, 1, 1, 1], [1, 2, 2, 2]);
    expect(val(atLoss(st, t4([2, 0, 0, 0], [1, 2, 2, 1])))).toBeCloseTo(0.25, 6);
  });
});

describe('atLoss with different resolutions: larger raw map area-averaged to the smaller, then normalized', () => {
  // Teacher 4×4 with activations 1 (top-left block) and 2 (bottom-right block): F = [[1,1,0,0],[1,1,0,0],
  // [0,0,4,4],[0,0,4,4]] → 2×2 [[1,0],[0,4]] → Q_T = (1, 0, 0, 4)/√17.
  const teacher = () => t4([1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 2, 2, 0, 0, 2, 2], [1, 4, 4, 1]);
  it('a student whose 2×2 map is [[1,0],[0,4]] matches exactly', () => {
    expect(val(atLoss(t4([1, 0, 0, 2], [1, 2, 2, 1]), teacher()))).toBeCloseTo(0, 7);
  });
  it('a uniform 2×2 student: hand value', () => {
    const r = 1 / Math.sqrt(17);
    const want = ((0.5 - r) ** 2 + 0.25 + 0.25 + (0.5 - 4 * r) ** 2) / 4;
    expect(val(atLoss(t4([1, 1, 1, 1], [1, 2, 2, 1]), teacher()))).toBeCloseTo(want, 6);
  });
  it('the student can be the larger one (resized to the teacher)', () => {
    expect(val(atLoss(teacher(), t4([1, 0, 0, 2], [1, 2, 2, 1])))).toBeCloseTo(0, 7);
  });
  it('non-integral ratio 3×3 → 2×2: a teacher peak of 9 at (0,0) becomes (4, 0, 0, 0)', () => {
    const t = t4([3, 0, 0, 0, 0, 0, 0, 0, 0], [1, 3, 3, 1]);
    expect(val(atLoss(t4([1, 0, 0, 0], [1, 2, 2, 1]), t))).toBeCloseTo(0, 7);
    expect(val(atLoss(t4([1, 1, 1, 1], [1, 2, 2, 1]), t))).toBeCloseTo(0.25, 6);
  });
  it('maps that do not nest are an error', () => {
    expect(() => atLoss(tf.ones([1, 4, 2, 1]) as tf.Tensor4D, tf.ones([1, 2, 4, 1]) as tf.Tensor4D)).toThrow(/both dimensions/);
    expect(() => atLoss(tf.ones([2, 4, 4, 1]) as tf.Tensor4D, tf.ones([1, 4, 4, 1]) as tf.Tensor4D)).toThrow(/batch/);
    expect(() => atLoss(tf.ones([1, 2, 2, 1]) as tf.Tensor4D, tf.ones([1, 2, 2, 1]) as tf.Tensor4D, undefined, { form: 'x' as 'code' })).toThrow(/form/);
  });
});

describe('atLoss properties', () => {
  const fns: AttentionFn[] = [{ kind: 'sum' }, { kind: 'sum-p' }, { kind: 'sum-p', p: 3 }, { kind: 'max-p' }];
  for (const fn of fns) {
    it(`zero for identical inputs and finite gradient there: ${JSON.stringify(fn)}`, () => {
      const a = tf.randomNormal([3, 4, 4, 5], 0, 1, 'float32', 4) as tf.Tensor4D;
      for (const form of ['code', 'paper'] as const) {
        expect(val(atLoss(a, a, fn, { form }))).toBeCloseTo(0, 9);
        const g = tf.grad((s: tf.Tensor) => atLoss(s as tf.Tensor4D, a, fn, { form }))(a);
        expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
      }
    });
  }

  it('no gradient reaches the teacher', () => {
    const s = tf.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const t = tf.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 6) as tf.Tensor4D;
    const g = tf.grad((tt: tf.Tensor) => atLoss(s, tt as tf.Tensor4D))(t);
    expect(Array.from(g.dataSync()).every((v) => v === 0)).toBe(true);
  });
});

describe('atLoss gradient w.r.t. student activations vs float64 finite differences', () => {
  const cases: [AttentionFn, 'code' | 'paper', Shape4, Shape4][] = [
    [{ kind: 'sum-p', p: 2 }, 'code', [2, 3, 3, 4], [2, 3, 3, 6]],
    [{ kind: 'sum' }, 'code', [2, 3, 3, 4], [2, 3, 3, 2]],
    [{ kind: 'max-p', p: 2 }, 'code', [2, 3, 3, 4], [2, 3, 3, 3]],
    [{ kind: 'sum-p', p: 4 }, 'paper', [2, 3, 3, 4], [2, 3, 3, 3]],
    [{ kind: 'sum-p', p: 2 }, 'code', [2, 4, 4, 3], [2, 2, 2, 3]],  // student resized 4×4 → 2×2
    [{ kind: 'sum-p', p: 2 }, 'paper', [2, 2, 2, 3], [2, 3, 3, 3]], // teacher resized 3×3 → 2×2
  ];
  for (const [fn, form, ss, ts] of cases) {
    it(`${JSON.stringify(fn)} ${form} student ${ss.join('×')} teacher ${ts.join('×')}`, () => {
      const sv = seededUniform(7, ss.reduce((a, v) => a * v, 1));
      const tv = seededUniform(8, ts.reduce((a, v) => a * v, 1));
      const loss = atLoss(t4(sv, ss), t4(tv, ts), fn, { form });
      const ref = atLoss64(sv, ss, tv, ts, fn, form);
      expect(Math.abs(val(loss) - ref) / ref).toBeLessThan(1e-5);
      const gAd = tf.grad((s: tf.Tensor) => atLoss(s as tf.Tensor4D, t4(tv, ts), fn, { form }))(t4(sv, ss)).dataSync();
      const gFd = fdGradient((p) => atLoss64(p, ss, tv, ts, fn, form), sv);
      const err = relError(gAd, gFd);
      console.log(`atLoss ${JSON.stringify(fn)} ${form} ${ss.join('×')}/${ts.join('×')}: value ${ref.toExponential(4)}, gradient rel err ${err.toExponential(2)}`);
      expect(err).toBeLessThan(1e-4); // float32 autodiff vs float64 FD
    });
  }
});

describe('atTerm: code form β · Σ_j L_j (the authors\' cifar.py:223), paper form β/2 · Σ_j L_j (eq. 2)', () => {
  it('one β for all pairs, or per-pair β', () => {
    // code: 1000·0.1 + 1000·0.2 = 300 (`opt.beta * sum(loss_groups)`); paper: 1000/2·0.1 + 0 = 50.
    expect(val(atTerm([tf.scalar(0.1), tf.scalar(0.2)], 1000))).toBeCloseTo(300, 3);
    expect(val(atTerm([tf.scalar(0.1), tf.scalar(0.2)], 1000, 'code'))).toBeCloseTo(300, 3);
    expect(val(atTerm([tf.scalar(0.1), tf.scalar(0.2)], [1000, 10]))).toBeCloseTo(102, 3);
    expect(val(atTerm([tf.scalar(0.1), tf.scalar(0.2)], [1000, 0], 'paper'))).toBeCloseTo(50, 4);
    expect(val(atTerm([tf.scalar(0.1), tf.scalar(0.2)], 1000, 'paper'))).toBeCloseTo(150, 3);
    expect(val(atTerm([], 1000))).toBe(0);
    expect(() => atTerm([tf.scalar(1)], [1, 2])).toThrow(/2 β values/);
    expect(() => atTerm([tf.scalar(1)], -1)).toThrow(/β/);
  });

  it('the size of the term at β = 1000: β · Σ_j 2(1 − cos_j)/(H_j·W_j) for non-negative maps', () => {
    // WRN CIFAR taps 32², 16², 8²; random non-negative activations.
    const sizes = [32, 16, 8];
    const losses: tf.Scalar[] = [];
    let predicted = 0;
    sizes.forEach((h, j) => {
      const s = tf.relu(tf.randomNormal([4, h, h, 16], 0, 1, 'float32', 20 + j)) as tf.Tensor4D;
      const t = tf.relu(tf.randomNormal([4, h, h, 32], 0, 1, 'float32', 40 + j)) as tf.Tensor4D;
      losses.push(atLoss(s, t));
      const cos = tf.mean(tf.sum(tf.mul(
        tf.reshape(tf.sum(tf.square(s), 3), [4, -1]).div(tf.norm(tf.reshape(tf.sum(tf.square(s), 3), [4, -1]), 2, 1, true)),
        tf.reshape(tf.sum(tf.square(t), 3), [4, -1]).div(tf.norm(tf.reshape(tf.sum(tf.square(t), 3), [4, -1]), 2, 1, true))), 1));
      predicted += 1000 * 2 * (1 - val(cos)) / (h * h);
    });
    const term = val(atTerm(losses, 1000));
    console.log(`β=1000, random ReLU activations at 32²/16²/8²: AT term ${term.toFixed(4)} ` +
      `(pair losses ${losses.map((l) => val(l).toExponential(3)).join(', ')}); maximum possible ${(1000 * 2 * (1 / 1024 + 1 / 256 + 1 / 64)).toFixed(1)}`);
    expect(term).toBeCloseTo(predicted, 3);
  });
});
