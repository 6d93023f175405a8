// Whole gradients (tf.grads through the ops that training uses) on wasm against cpu.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { Rng } from '../../core/util/rng.js';
import { useBackend } from '../helpers/backend.js';
import { compareBackends, ErrorTable, randomArray } from './wasmKernelsCompare.js';

const TOL = 1e-4;
const table = new ErrorTable();

beforeAll(async () => {
  await useBackend('cpu');
  await useBackend('wasm');
});

afterAll(() => table.print('max relative error of whole gradients, wasm vs cpu (max|a−b| / max|b|):'));

describe('gradient of a conv layer, sum of squares of its output', () => {
  const cases = [
    { x: [2, 9, 7, 3], f: [3, 3, 3, 5], s: 1, pad: 'same' },
    { x: [2, 9, 7, 3], f: [3, 3, 3, 5], s: 2, pad: 'same' },
    { x: [2, 9, 7, 3], f: [3, 3, 3, 5], s: 2, pad: 'valid' },
    { x: [2, 8, 8, 4], f: [1, 1, 4, 8], s: 2, pad: 'same' },
    { x: [3, 10, 10, 4], f: [2, 4, 4, 3], s: 1, pad: [[0, 0], [1, 0], [2, 1], [0, 0]] },
  ] as const;
  it.each(cases.map((c) => [JSON.stringify(c), c] as const))('%s', async (_n, c) => {
    const rng = new Rng(21);
    const x = randomArray(rng, [...c.x]);
    const w = randomArray(rng, [...c.f]);
    const errors = await compareBackends(() => {
      const loss = (a: tf.Tensor, b: tf.Tensor) =>
        tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad as 'same').square().sum();
      return tf.grads(loss)([tf.tensor(x, [...c.x]), tf.tensor(w, [...c.f])]);
    });
    table.add(`conv2d ${JSON.stringify(c)} dx dW`, errors);
    for (const e of errors) expect(e).toBeLessThanOrEqual(TOL);
  });

  it('fused conv2d with bias and relu (what layers use)', async () => {
    const rng = new Rng(22);
    const x = randomArray(rng, [2, 9, 9, 4]);
    const w = randomArray(rng, [3, 3, 4, 6]);
    const b = randomArray(rng, [6]);
    const errors = await compareBackends(() => {
      const loss = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) => tf.fused.conv2d({
        x: xi as tf.Tensor4D, filter: wi as tf.Tensor4D, bias: bi, strides: 2, pad: 'same', activation: 'relu',
      }).square().sum();
      return tf.grads(loss)([tf.tensor(x, [2, 9, 9, 4]), tf.tensor(w, [3, 3, 4, 6]), tf.tensor(b, [6])]);
    });
    table.add('fused conv2d s=2 same relu+bias dx dW db', errors);
    for (const e of errors) expect(e).toBeLessThanOrEqual(TOL);
  });

  it('depthwise conv2d, channel multiplier 2', async () => {
    const rng = new Rng(23);
    const x = randomArray(rng, [2, 9, 8, 3]);
    const w = randomArray(rng, [3, 3, 3, 2]);
    const errors = await compareBackends(() => {
      const loss = (a: tf.Tensor, b: tf.Tensor) =>
        tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same').square().sum();
      return tf.grads(loss)([tf.tensor(x, [2, 9, 8, 3]), tf.tensor(w, [3, 3, 3, 2])]);
    });
    table.add('depthwise s=2 same m=2 dx dW', errors);
    for (const e of errors) expect(e).toBeLessThanOrEqual(TOL);
  });
});

describe('gradient of a small residual block built from layers', () => {
  it('matches cpu for every trainable weight', async () => {
    // conv 3×3 → BN → relu → zero-pad → conv 3×3 stride 2 'valid', plus a 1×1 stride-2 shortcut,
    // then a dense head: the pieces of a WRN group transition.
    const build = () => {
      const input = tf.input({ shape: [8, 8, 4] });
      const a = tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', useBias: false }).apply(input) as tf.SymbolicTensor;
      const b = tf.layers.batchNormalization().apply(a) as tf.SymbolicTensor;
      const r = tf.layers.reLU().apply(b) as tf.SymbolicTensor;
      // PyTorch-style symmetric padding for the strided conv, as core/models builds it.
      const p = tf.layers.zeroPadding2d({ padding: 1 }).apply(r) as tf.SymbolicTensor;
      const c = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'valid', useBias: false }).apply(p) as tf.SymbolicTensor;
      const sc = tf.layers.conv2d({ filters: 8, kernelSize: 1, strides: 2, padding: 'same', useBias: false }).apply(input) as tf.SymbolicTensor;
      const sum = tf.layers.add().apply([c, sc]) as tf.SymbolicTensor;
      const pooled = tf.layers.globalAveragePooling2d({}).apply(sum) as tf.SymbolicTensor;
      const out = tf.layers.dense({ units: 3 }).apply(pooled) as tf.SymbolicTensor;
      return tf.model({ inputs: input, outputs: out });
    };
    const rng = new Rng(24);
    const xs = randomArray(rng, [4, 8, 8, 4]);
    let weights: Float32Array[] | null = null;
    let names: string[] = [];
    const errors = await compareBackends(() => {
      const model = build();
      if (weights == null) weights = model.getWeights().map((w) => randomArray(rng, w.shape));
      model.setWeights(model.getWeights().map((w, i) => tf.tensor(weights![i], w.shape)));
      const x = tf.tensor4d(xs, [4, 8, 8, 4]);
      const { grads } = tf.variableGrads(() =>
        (model.apply(x, { training: true }) as tf.Tensor).square().mean() as tf.Scalar);
      names = Object.keys(grads).map((k) => k.replace(/_\d+/g, ''));
      const out = Object.values(grads);
      model.dispose();
      return out;
    });
    table.add(`residual block: ${names.length} weights`, errors);
    expect(errors.length).toBeGreaterThanOrEqual(6);
    for (const e of errors) expect(e).toBeLessThanOrEqual(TOL);
  });
});
