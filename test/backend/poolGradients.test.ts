// Pooling gradients: average pooling with 'same' padding is right at the borders (TF.js's own is not), and
// max and average pooling can be differentiated twice (gradient-based AT through NIN and ResNet stems).
import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { useBackend } from '../helpers/backend.js';
import { gradAtLoss } from '../../core/losses/index.js';
import { doubleBackpropProblems } from '../../core/losses/index.js';
import { seededUniform } from '../losses/reference64.js';

afterAll(async () => { await useBackend('cpu'); });

/** Central differences of f at x, one coordinate at a time (float32, so ε is not tiny). */
function finiteDifferences(f: (x: tf.Tensor4D) => number, x: tf.Tensor4D, eps = 1e-2): number[] {
  const base = x.dataSync();
  return Array.from(base, (_, i) => {
    const at = (d: number) => { const p = Float32Array.from(base); p[i]! += d; return f(tf.tensor4d(p, x.shape)); };
    return (at(eps) - at(-eps)) / (2 * eps);
  });
}

describe.each(['cpu', 'wasm'] as const)('pooling gradients on %s', (backend) => {
  it('average pooling with same padding: each window divides by the inputs it covers, forward and backward', async () => {
    await useBackend(backend);
    // 4×4 input, 3×3 windows, stride 2, same: rows/cols 0–2 and 2–3 (+1 padding). Windows cover 9, 6, 6, 4
    // inputs; with upstream weights 1, 2, 3, 4 the gradient at (r, c) is Σ over windows holding it of w/count.
    const x = tf.tensor4d(Array.from({ length: 16 }, (_, i) => i + 1), [1, 4, 4, 1]);
    const w = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const f = (xx: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(xx as tf.Tensor4D, 3, 2, 'same'), w));
    const g = Array.from(tf.grad(f)(x).dataSync());
    const byHand = [
      1 / 9, 1 / 9, 1 / 9 + 2 / 6, 2 / 6,
      1 / 9, 1 / 9, 1 / 9 + 2 / 6, 2 / 6,
      1 / 9 + 3 / 6, 1 / 9 + 3 / 6, 1 / 9 + 2 / 6 + 3 / 6 + 4 / 4, 2 / 6 + 4 / 4,
      3 / 6, 3 / 6, 3 / 6 + 4 / 4, 4 / 4,
    ];
    g.forEach((v, i) => expect(v).toBeCloseTo(byHand[i]!, 5));
    const fd = finiteDifferences((xx) => f(xx).dataSync()[0]!, x);
    fd.forEach((v, i) => expect(v).toBeCloseTo(g[i]!, 2));
  });

  it('max pooling: the gradient matches central differences (negative windows too), nested or not', async () => {
    await useBackend(backend);
    const x = tf.tensor4d(seededUniform(3, 2 * 5 * 5 * 3), [2, 5, 5, 3]); // values in (−1, 1): some windows all negative
    const w = tf.tensor4d(seededUniform(4, 2 * 3 * 3 * 3), [2, 3, 3, 3]);
    const f = (xx: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(xx as tf.Tensor4D, 3, 2, 'same'), w));
    const plain = tf.grad(f)(x).dataSync();
    const fd = finiteDifferences((xx) => f(xx).dataSync()[0]!, x, 1e-3);
    expect(Math.max(...Array.from(plain, (v, i) => Math.abs(v - fd[i]!)))).toBeLessThan(1e-2);
    // Inside an outer gradient the composed, twice-differentiable path runs: the same numbers up to the
    // order of summation where two windows share an input.
    let inner: Float32Array | null = null;
    const v = tf.variable(tf.scalar(1));
    tf.variableGrads(() => {
      const gx = tf.grad((xx: tf.Tensor) => tf.mul(f(xx), v))(x);
      inner = gx.dataSync() as Float32Array;
      return tf.sum(tf.square(gx)) as tf.Scalar;
    }, [v]);
    expect(Math.max(...Array.from(inner!, (val, i) => Math.abs(val - plain[i]!)))).toBeLessThan(1e-6);
    v.dispose();
  });
});

describe('gradient-based AT through pooling (double backprop)', () => {
  it('a net with max and average pooling: the directional derivative of the loss matches central differences', async () => {
    await useBackend('cpu');
    const make = (seed: number) => tf.sequential({ layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.glorotNormal({ seed }) }),
      tf.layers.activation({ activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
      tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 1 }) }),
      tf.layers.activation({ activation: 'relu' }),
      tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 2 }) }),
    ] });
    const sModel = make(30);
    const tModel = make(40);
    expect(doubleBackpropProblems(sModel)).toEqual([]);
    const x = tf.tensor4d(seededUniform(7, 3 * 6 * 6 * 2), [3, 6, 6, 2]);
    const y = tf.tensor1d([0, 2, 1], 'int32');
    const student = (xx: tf.Tensor4D) => sModel.apply(xx, { training: true }) as tf.Tensor2D;
    const teacher = (xx: tf.Tensor4D) => tModel.apply(xx, { training: false }) as tf.Tensor2D;
    const vars = sModel.trainableWeights.map((w) => w.read() as tf.Variable);
    const loss = () => gradAtLoss({ student, teacher, x, labels: y, beta: 50 });
    const { grads } = tf.variableGrads(loss, vars);
    const dirs = vars.map((v, i) => tf.tensor(seededUniform(200 + i, v.size), v.shape));
    const ad = vars.reduce((a, v, i) => a + tf.sum(tf.mul(grads[v.name]!, dirs[i]!)).dataSync()[0]!, 0);
    const originals = vars.map((v) => v.clone());
    const setWeights = (eps: number) => vars.forEach((v, i) => v.assign(tf.add(originals[i]!, tf.mul(dirs[i]!, eps))));
    // Piecewise smooth (ReLU signs, which input wins each max window): shrink ε until neither changes.
    const pattern = () => {
      const acts = sModel.layers.slice(0, 5).reduce<tf.Tensor[]>((outs, l) => [...outs, l.apply(outs.at(-1) ?? x) as tf.Tensor], []);
      const pre1 = acts[0]!.dataSync();
      const pooled = tf.maxPoolWithArgmax(acts[1] as tf.Tensor4D, 3, 2, 'same').indexes.dataSync();
      const pre2 = acts[3]!.dataSync();
      return [Array.from(pre1, (v) => v > 0).join(), Array.from(pooled).join(), Array.from(pre2, (v) => v > 0).join()].join('|');
    };
    let eps = 1e-2;
    for (;;) {
      setWeights(0); const p0 = pattern();
      setWeights(eps); const pp = pattern();
      setWeights(-eps); const pm = pattern();
      if (pp === p0 && pm === p0) break;
      eps /= 2;
    }
    const at = (e: number) => { setWeights(e); return loss().dataSync()[0]!; };
    const fd = (at(eps) - at(-eps)) / (2 * eps);
    setWeights(0);
    const err = Math.abs(ad - fd) / Math.abs(fd);
    console.log(`gradAtLoss through max/avg pooling: AD ${ad.toFixed(6)}, FD ${fd.toFixed(6)} (ε = ${eps.toExponential(2)}), rel err ${err.toExponential(2)}`);
    expect(eps).toBeGreaterThan(1e-5);
    expect(err).toBeLessThan(5e-3);
  });
});
