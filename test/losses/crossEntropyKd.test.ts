import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { useBackend } from '../helpers/backend.js';
import { crossEntropy, kdLoss, logSoftmaxSafe } from '../../core/losses/index.js';
import { ce64, fdGradient, kd64, relError, rows, seededUniform } from './reference64.js';

beforeAll(async () => { await useBackend('cpu'); });

const val = (t: tf.Tensor) => t.dataSync()[0];

/** Hessian-vector product by double backprop vs central differences of the (autodiff) first derivative. */
function hvpError(f: (x: tf.Tensor) => tf.Scalar, x: tf.Tensor, v: tf.Tensor, h = 1e-2): number {
  const g = tf.grad(f);
  const hvAd = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(g(xx), v)))(x);
  const hvFd = tf.div(tf.sub(g(tf.add(x, tf.mul(v, h))), g(tf.sub(x, tf.mul(v, h)))), 2 * h);
  return relError(hvAd.dataSync(), hvFd.dataSync());
}

describe('crossEntropy', () => {
  it('hand values: logits (0, ln 3) → p = (¼, ¾)', () => {
    const logits = tf.tensor2d([[0, Math.log(3)], [0, Math.log(3)]]);
    const ce = crossEntropy(logits, tf.tensor1d([1, 0], 'int32'));
    expect(val(ce)).toBeCloseTo((Math.log(4 / 3) + Math.log(4)) / 2, 6);
  });
  it('one-hot labels give the same value as class indices', () => {
    const logits = tf.tensor2d(seededUniform(1, 12), [4, 3]);
    const a = crossEntropy(logits, tf.tensor1d([0, 2, 1, 2], 'int32'));
    const b = crossEntropy(logits, tf.oneHot(tf.tensor1d([0, 2, 1, 2], 'int32'), 3).toFloat() as tf.Tensor2D);
    expect(val(a)).toBeCloseTo(val(b), 6);
  });
  it('stable for huge logits', () => {
    expect(val(crossEntropy(tf.tensor2d([[1000, 0]]), tf.tensor1d([1], 'int32')))).toBeCloseTo(1000, 3);
    expect(val(crossEntropy(tf.tensor2d([[-1000, 0]]), tf.tensor1d([1], 'int32')))).toBeCloseTo(0, 6);
  });
  it('rejects float class indices and mismatched batches', () => {
    expect(() => crossEntropy(tf.zeros([2, 3]) as tf.Tensor2D, tf.tensor1d([0, 1]))).toThrow(/int32/);
    expect(() => crossEntropy(tf.zeros([2, 3]) as tf.Tensor2D, tf.tensor1d([0], 'int32'))).toThrow(/batch/);
  });
  it('gradient vs float64 finite differences', () => {
    const z = seededUniform(2, 15).map((v) => 3 * v);
    const labels = [4, 0, 2];
    const g = tf.grad((t: tf.Tensor) => crossEntropy(t as tf.Tensor2D, tf.tensor1d(labels, 'int32')))(tf.tensor2d(z, [3, 5]));
    const err = relError(g.dataSync(), fdGradient((p) => ce64(rows(p, 3, 5), labels), z));
    console.log(`crossEntropy gradient rel err ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-5);
  });
  it('second derivative (double backprop) matches differences of the first derivative', () => {
    const x = tf.tensor2d(seededUniform(3, 15).map((v) => 3 * v), [3, 5]);
    const v = tf.tensor2d(seededUniform(4, 15), [3, 5]);
    const y = tf.tensor1d([1, 0, 4], 'int32');
    const err = hvpError((t) => crossEntropy(t as tf.Tensor2D, y), x, v);
    const errSq = hvpError((t) => tf.sum(tf.square(logSoftmaxSafe(t))) as tf.Scalar, x, v);
    console.log(`crossEntropy Hessian-vector rel err ${err.toExponential(2)}; Σ logSoftmax² ${errSq.toExponential(2)}`);
    expect(err).toBeLessThan(1e-3); // FD step 1e-2 in float32: truncation O(h²) ≈ 1e-4 relative
    expect(errSq).toBeLessThan(1e-3);
  });
  it('why: TF.js stock ops get the second derivative wrong or cannot compute it (4.22)', () => {
    const x = tf.tensor2d(seededUniform(3, 15), [3, 5]);
    const v = tf.tensor2d(seededUniform(4, 15), [3, 5]);
    const oh = tf.oneHot(tf.tensor1d([1, 0, 4], 'int32'), 5).toFloat();
    // x·exp(x): exp's gradient reuses its saved output, which the second pass treats as a constant.
    expect(hvpError((t) => tf.sum(tf.mul(t, tf.exp(t))) as tf.Scalar, x, v)).toBeGreaterThan(0.1);
    expect(() => hvpError((t) => tf.losses.softmaxCrossEntropy(oh, t) as tf.Scalar, x, v)).toThrow();
    expect(() => hvpError((t) => tf.sum(tf.mul(tf.logSoftmax(t), oh)) as tf.Scalar, x, v)).toThrow();
  });
});

describe('kdLoss', () => {
  it('hand value: teacher p = (¾, ¼) at T, student uniform', () => {
    const T = 4, alpha = 0.9;
    const kd = kdLoss(tf.tensor2d([[0, 0]]), tf.tensor2d([[T * Math.log(3), 0]]), tf.tensor1d([0], 'int32'), T, alpha);
    const kl = 0.75 * Math.log(0.75 / 0.5) + 0.25 * Math.log(0.25 / 0.5);
    expect(val(kd)).toBeCloseTo(alpha * T * T * kl + (1 - alpha) * Math.log(2), 5);
  });
  it('identical logits: only (1 − α)·CE is left; α = 0 is plain CE', () => {
    const z = tf.tensor2d(seededUniform(5, 8), [2, 4]);
    const y = tf.tensor1d([3, 1], 'int32');
    expect(val(kdLoss(z, z, y))).toBeCloseTo(0.1 * val(crossEntropy(z, y)), 6);
    const t = tf.tensor2d(seededUniform(6, 8), [2, 4]);
    expect(val(kdLoss(z, t, y, 4, 0))).toBeCloseTo(val(crossEntropy(z, y)), 6);
  });
  it('defaults T = 4, α = 0.9; matches the float64 reference; one-hot labels accepted', () => {
    const s = seededUniform(7, 12).map((v) => 5 * v), t = seededUniform(8, 12).map((v) => 5 * v);
    const labels = [0, 2, 1, 2];
    const a = kdLoss(tf.tensor2d(s, [4, 3]), tf.tensor2d(t, [4, 3]), tf.tensor1d(labels, 'int32'));
    expect(Math.abs(val(a) - kd64(rows(s, 4, 3), rows(t, 4, 3), labels, 4, 0.9))).toBeLessThan(1e-5);
    const b = kdLoss(tf.tensor2d(s, [4, 3]), tf.tensor2d(t, [4, 3]), tf.oneHot(tf.tensor1d(labels, 'int32'), 3).toFloat() as tf.Tensor2D);
    expect(val(b)).toBeCloseTo(val(a), 6);
  });
  it('gradient w.r.t. student logits vs float64 FD; none to the teacher', () => {
    const s = seededUniform(9, 15).map((v) => 4 * v), t = seededUniform(10, 15).map((v) => 4 * v);
    const labels = [4, 0, 2];
    for (const [T, alpha] of [[4, 0.9], [1, 0.5], [10, 0.99]]) {
      const g = tf.grad((x: tf.Tensor) => kdLoss(x as tf.Tensor2D, tf.tensor2d(t, [3, 5]), tf.tensor1d(labels, 'int32'), T, alpha))(tf.tensor2d(s, [3, 5]));
      const err = relError(g.dataSync(), fdGradient((p) => kd64(rows(p, 3, 5), rows(t, 3, 5), labels, T, alpha), s));
      console.log(`kdLoss T=${T} α=${alpha} gradient rel err ${err.toExponential(2)}`);
      expect(err).toBeLessThan(1e-5);
    }
    const gt = tf.grad((x: tf.Tensor) => kdLoss(tf.tensor2d(s, [3, 5]), x as tf.Tensor2D, tf.tensor1d(labels, 'int32')))(tf.tensor2d(t, [3, 5]));
    expect(Array.from(gt.dataSync()).every((v) => v === 0)).toBe(true);
  });
  it('rejects bad T, α and shapes', () => {
    const z = tf.zeros([2, 3]) as tf.Tensor2D, y = tf.tensor1d([0, 1], 'int32');
    expect(() => kdLoss(z, z, y, 0)).toThrow(/temperature/);
    expect(() => kdLoss(z, z, y, 4, 1.5)).toThrow(/alpha/);
    expect(() => kdLoss(z, tf.zeros([2, 4]) as tf.Tensor2D, y)).toThrow(/shape/);
  });
});
