// Gradient-based AT: value and full gradient w.r.t. the student's weights checked against a float64 JavaScript
// reference differentiated by central finite differences; and double backprop through a tf.layers model.
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { useBackend } from '../helpers/backend.js';
import { gradAtLoss } from '../../core/losses/index.js';
import { fdGradient, relError, seededUniform, type Shape4 } from './reference64.js';
import { gradAtLoss64, paramCount, tinyNetJ64, type TinyNetShape } from './tinyNet64.js';

beforeAll(async () => { await useBackend('cpu'); });

/** The same tiny net from tf ops: conv2d 'same' + bias → relu → mean pool → matMul + bias. */
function tinyNetTf(n: TinyNetShape, p: number[], asVariables: boolean) {
  let o = 0;
  const take = (shape: number[]) => {
    const len = shape.reduce((a, v) => a * v, 1);
    const t = tf.tensor(p.slice(o, o + len), shape);
    o += len;
    return asVariables ? tf.variable(t) : t;
  };
  const kern = take([3, 3, n.cin, n.c]) as tf.Tensor4D;
  const b1 = take([n.c]) as tf.Tensor1D;
  const w2 = take([n.c, n.k]) as tf.Tensor2D;
  const b2 = take([n.k]) as tf.Tensor1D;
  const f = (x: tf.Tensor4D) => {
    const h = tf.relu(tf.add(tf.conv2d(x, kern, 1, 'same'), b1));
    return tf.add(tf.matMul(tf.mean(h, [1, 2]) as tf.Tensor2D, w2), b2) as tf.Tensor2D;
  };
  return { f, vars: [kern, b1, w2, b2] as tf.Variable[] };
}

const shape: Shape4 = [2, 4, 4, 2];
const sn: TinyNetShape = { cin: 2, c: 3, k: 3 };
const tn: TinyNetShape = { cin: 2, c: 4, k: 3 };
const xs = seededUniform(1, shape.reduce((a, v) => a * v, 1));
const ps = seededUniform(2, paramCount(sn));
const pt = seededUniform(3, paramCount(tn));
const labels = [2, 0];

describe('gradAtLoss against a float64 reference', () => {
  it('the reference net matches TF.js: same J = ∂ΣCE/∂x', () => {
    const { f } = tinyNetTf(sn, ps, false);
    const x = tf.tensor4d(xs, shape);
    const y = tf.tensor1d(labels, 'int32');
    const jTf = tf.grad((xx: tf.Tensor) => tf.sum(tf.neg(tf.sum(tf.mul(tf.oneHot(y, 3), tf.logSoftmax(f(xx as tf.Tensor4D))), 1))))(x);
    const err = relError(jTf.dataSync(), tinyNetJ64(sn, ps, xs, shape, labels).j);
    console.log(`J: TF.js vs float64 reference, relative error ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-5);
  });

  for (const flip of [false, true]) {
    it(`value and gradient w.r.t. every student weight (flip: ${flip})`, () => {
      const beta = 50; // makes the J term about as large as CE here, so both parts are tested
      const student = tinyNetTf(sn, ps, true);
      const teacher = tinyNetTf(tn, pt, false);
      const x = tf.tensor4d(xs, shape);
      const y = tf.tensor1d(labels, 'int32');
      const { value, grads } = tf.variableGrads(
        () => gradAtLoss({ student: student.f, teacher: teacher.f, x, labels: y, beta, flip }), student.vars);
      const ref = (p: ArrayLike<number>) => gradAtLoss64(sn, p, tn, pt, xs, shape, labels, beta, flip);
      const ref0 = ref(ps);
      const gAd = student.vars.flatMap((v) => Array.from(grads[v.name].dataSync()));
      const gFd = fdGradient(ref, ps, 1e-6);
      const vErr = Math.abs(value.dataSync()[0] - ref0) / ref0;
      const gErr = relError(gAd, gFd);
      const worst = Math.max(...gAd.map((g, k) => Math.abs(g - gFd[k]) / (Math.abs(gFd[k]) + 1e-3)));
      console.log(`gradAtLoss flip=${flip}: value ${ref0.toFixed(6)} (rel err ${vErr.toExponential(2)}), ` +
        `gradient rel err ${gErr.toExponential(2)} over ${gAd.length} weights, worst entry ${worst.toExponential(2)}`);
      expect(vErr).toBeLessThan(1e-5);
      // float32 autodiff vs float64 FD: float32 rounding through two backward passes gives ~1e-6…1e-5.
      expect(gErr).toBeLessThan(1e-4);
      student.vars.forEach((v) => v.dispose());
    });
  }

  it('identical student and teacher: the J term vanishes and the gradient stays finite', () => {
    const student = tinyNetTf(sn, ps, true);
    const teacher = tinyNetTf(sn, ps, false);
    const x = tf.tensor4d(xs, shape);
    const y = tf.tensor1d(labels, 'int32');
    const { value, grads } = tf.variableGrads(
      () => gradAtLoss({ student: student.f, teacher: teacher.f, x, labels: y, beta: 1000 }), student.vars);
    const ce = tinyNetJ64(sn, ps, xs, shape, labels).ce.reduce((a, v) => a + v, 0) / 2;
    expect(value.dataSync()[0]).toBeCloseTo(ce, 5);
    for (const v of student.vars) expect(Array.from(grads[v.name].dataSync()).every(Number.isFinite)).toBe(true);
    student.vars.forEach((v) => v.dispose());
  });

  it('minimizes with an optimizer: the J distance drops', () => {
    const student = tinyNetTf(sn, ps, true);
    const teacher = tinyNetTf(tn, pt, false);
    const x = tf.tensor4d(xs, shape);
    const y = tf.tensor1d(labels, 'int32');
    const opt = tf.train.sgd(0.05);
    const loss = () => gradAtLoss({ student: student.f, teacher: teacher.f, x, labels: y, beta: 50 });
    const before = loss().dataSync()[0];
    for (let i = 0; i < 10; i++) opt.minimize(loss, false, student.vars);
    const after = loss().dataSync()[0];
    expect(after).toBeLessThan(before);
    student.vars.forEach((v) => v.dispose());
  });
});

describe('gradAtLoss through a tf.layers model (conv2d, batchNormalization, relu, globalAveragePooling2d, dense)', () => {
  it('double backprop works: directional derivative matches central differences', () => {
    const make = (seed: number) => tf.sequential({ layers: [
      tf.layers.conv2d({ inputShape: [4, 4, 2], filters: 3, kernelSize: 3, padding: 'same',
        kernelInitializer: tf.initializers.glorotNormal({ seed }) }),
      tf.layers.batchNormalization({ gammaInitializer: tf.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: seed + 1 }),
        betaInitializer: tf.initializers.randomUniform({ minval: -0.2, maxval: 0.2, seed: seed + 2 }) }),
      tf.layers.activation({ activation: 'relu' }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 3 }) }),
    ] });
    const sModel = make(10);
    const tModel = make(20);
    const x = tf.tensor4d(seededUniform(5, 4 * 4 * 4 * 2), [4, 4, 4, 2]);
    const y = tf.tensor1d([0, 1, 2, 1], 'int32');
    const student = (xx: tf.Tensor4D) => sModel.apply(xx, { training: true }) as tf.Tensor2D;
    const teacher = (xx: tf.Tensor4D) => tModel.apply(xx, { training: false }) as tf.Tensor2D;
    const vars = sModel.trainableWeights.map((w) => w.read() as tf.Variable);
    const loss = () => gradAtLoss({ student, teacher, x, labels: y, beta: 200, flip: true });
    const { grads } = tf.variableGrads(loss, vars);
    // Random direction over all weights, L(w ± εd) evaluated in float32. With ReLU, J = ∂CE/∂x jumps where a
    // pre-activation changes sign, so the loss is only piecewise smooth: ε is halved until no pre-activation
    // (for x or flip(x)) changes sign between w − εd and w + εd. Tolerance: L ≈ 30 in float32 carries ~1e-5 of
    // rounding after a few hundred ops; over 2ε ≈ 2e-4 that is ~0.05 of a derivative ≈ 50, i.e. ~1e-3 relative.
    const dirs = vars.map((v, i) => tf.tensor(seededUniform(100 + i, v.size), v.shape));
    const ad = vars.reduce((a, v, i) => a + tf.sum(tf.mul(grads[v.name], dirs[i])).dataSync()[0], 0);
    const originals = vars.map((v) => v.clone());
    const setWeights = (eps: number) => vars.forEach((v, i) => v.assign(tf.add(originals[i], tf.mul(dirs[i], eps))));
    const preRelu = tf.model({ inputs: sModel.inputs, outputs: sModel.layers[1].output as tf.SymbolicTensor });
    const signs = () => [x, tf.reverse(x, 2)].map((xx) =>
      Array.from((preRelu.apply(xx, { training: true }) as tf.Tensor).dataSync()).map((v) => v > 0).join());
    let eps = 1e-2;
    for (;;) {
      setWeights(eps); const sp = signs();
      setWeights(-eps); const sm = signs();
      setWeights(0); const s0 = signs();
      if (sp.join() === s0.join() && sm.join() === s0.join()) break;
      eps /= 2;
    }
    const at = (e: number) => { setWeights(e); return loss().dataSync()[0]; };
    const fd = (at(eps) - at(-eps)) / (2 * eps);
    setWeights(0);
    const err = Math.abs(ad - fd) / Math.abs(fd);
    console.log(`tf.layers gradAtLoss: directional derivative AD ${ad.toFixed(6)}, FD ${fd.toFixed(6)} ` +
      `(ε = ${eps.toExponential(2)}, no ReLU sign change), rel err ${err.toExponential(2)}`);
    expect(eps).toBeGreaterThan(1e-5);
    expect(err).toBeLessThan(5e-3);
  });
});

describe('gradAtLoss memory', () => {
  it('leaves no tensors behind after a variableGrads step (inner tapes and saved tensors are released)', () => {
    const student = tinyNetTf(sn, ps, true);
    const teacher = tinyNetTf(tn, pt, false);
    const x = tf.tensor4d(xs, shape);
    const y = tf.tensor1d(labels, 'int32');
    const step = () => {
      const { value, grads } = tf.variableGrads(
        () => gradAtLoss({ student: student.f, teacher: teacher.f, x, labels: y, beta: 10, flip: true }), student.vars);
      value.dispose();
      Object.values(grads).forEach((g) => g.dispose());
    };
    step(); // first call may create lasting constants
    const before = tf.memory().numTensors;
    step();
    expect(tf.memory().numTensors).toBe(before);
    student.vars.forEach((v) => v.dispose());
  });
});

describe('doubleBackpropProblems', () => {
  it('flags global max pooling and saturating activations, passes conv/bn/relu/pooling/global-average/dense', async () => {
    const { doubleBackpropProblems } = await import('../../core/losses/index.js');
    const ok = tf.sequential({ layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }), tf.layers.averagePooling2d({ poolSize: 2, padding: 'same' }),
      tf.layers.batchNormalization(), tf.layers.globalAveragePooling2d({}), tf.layers.dense({ units: 2 })] });
    expect(doubleBackpropProblems(ok)).toEqual([]); // 2-D pooling: core/backend/poolGradients.ts
    const bad = tf.sequential({ layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3, activation: 'tanh', name: 'c' }),
      tf.layers.globalMaxPooling2d({ name: 'gmp' }),
      tf.layers.dense({ units: 2, activation: 'softmax', name: 'd' })] });
    const p = doubleBackpropProblems(bad);
    expect(p).toHaveLength(3);
    expect(p[0]).toMatch(/^c: activation 'tanh'/);
    expect(p[1]).toMatch(/^gmp: global max pooling/);
    expect(p[2]).toMatch(/^d: activation 'softmax'/);
    // And the failure it predicts is real:
    const x = tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
    const net = (xx: tf.Tensor4D) => tf.reshape(tf.max(xx, [1, 2]), [1, 1]).tile([1, 2]) as tf.Tensor2D;
    const w = tf.variable(tf.ones([1, 4, 4, 1]));
    expect(() => tf.variableGrads(() => gradAtLoss({ student: (xx) => net(tf.mul(xx, w) as tf.Tensor4D),
      teacher: net, x, labels: tf.tensor1d([1], 'int32'), beta: 1 }), [w])).toThrow(/gradient/i);
  });
});
