// The batched Tile gradient (core/backend/wasmKernels/tileGrad.ts) against TF.js's own per-repetition
// loop: same first and second derivatives, on cpu and on wasm, and a kernel count that no longer grows
// with the tiled size (the batch-norm gradient under double backprop, as gradient-based AT runs it).
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { Rng } from '../../core/util/rng.js';
import { useBackend } from '../helpers/backend.js';
import { registerTileGradient } from '../../core/backend/wasmKernels/tileGrad.js';
import { maxRelError, randomArray } from './wasmKernelsCompare.js';

beforeAll(async () => {
  await useBackend('cpu');
  await useBackend('wasm');
});

const cases = [
  { x: [3], reps: [4] },
  { x: [2, 3], reps: [3, 1] },
  { x: [1, 1, 1, 3], reps: [2, 3, 4, 1] },
  { x: [2, 1, 3, 2], reps: [2, 5, 1, 3] },
];

/** f(x) = Σ w·tile(x)³; returns [∂f/∂x, ∂(Σ v·∂f/∂x)/∂x] (a Hessian-vector product: second order). */
function derivatives(xs: Float32Array, shape: number[], reps: number[], w: Float32Array, v: Float32Array): tf.Tensor[] {
  return tf.tidy(() => {
    const x = tf.tensor(xs, shape);
    const wt = tf.tensor(w, shape.map((d, i) => d * reps[i]));
    const f = (a: tf.Tensor) => tf.sum(tf.mul(wt, tf.pow(tf.tile(a, reps), 3)));
    const g = tf.grad(f)(x);
    const hv = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.grad(f)(a), tf.tensor(v, shape))))(x);
    return [g, hv];
  });
}

describe.each(['cpu', 'wasm'])('Tile gradient on %s', (backend) => {
  it.each(cases.map((c) => [JSON.stringify(c), c] as const))('%s matches TF.js\'s loop, 1st and 2nd order', async (_n, c) => {
    await tf.setBackend(backend);
    const rng = new Rng(7);
    const xs = randomArray(rng, c.x);
    const w = randomArray(rng, c.x.map((d, i) => d * c.reps[i]));
    const v = randomArray(rng, c.x);
    registerTileGradient(false);
    const stock = derivatives(xs, c.x, c.reps, w, v);
    registerTileGradient(true);
    const ours = derivatives(xs, c.x, c.reps, w, v);
    for (let k = 0; k < 2; k++) {
      expect(ours[k].shape).toEqual(c.x);
      expect(maxRelError(ours[k].dataSync(), stock[k].dataSync())).toBeLessThanOrEqual(1e-5);
    }
    tf.dispose([...stock, ...ours]);
  });
});

it('hand-computed: the gradient of Σ w·tile(x) is w summed over the repetitions', async () => {
  await tf.setBackend('wasm');
  // x [2], reps [3]: tile = [x0 x1 x0 x1 x0 x1]
  const w = tf.tensor1d([1, 2, 3, 4, 5, 6]);
  const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(w, tf.tile(a, [3]))))(tf.tensor1d([0.5, -1]));
  expect(Array.from(g.dataSync())).toEqual([1 + 3 + 5, 2 + 4 + 6]);
});

it('double backprop through training-mode batch norm runs a fixed number of kernels, independent of N·H·W', async () => {
  await tf.setBackend('wasm');
  const kernels = async (n: number, hw: number) => (await tf.profile(() => tf.tidy(() => {
    const x = tf.randomNormal([n, hw, hw, 4]);
    const gamma = tf.ones([4]);
    const net = (a: tf.Tensor) => {
      const { mean, variance } = tf.moments(a, [0, 1, 2]);
      return tf.sum(tf.square(tf.batchNorm(a, mean, variance, tf.zeros([4]), gamma, 1e-3)));
    };
    return tf.grad((g: tf.Tensor) => tf.sum(tf.square(tf.grad(net)(x.mul(g)))))(tf.ones([4]));
  }))).kernels.length;
  const small = await kernels(2, 4);
  const large = await kernels(4, 8);
  console.log(`kernels for BN double backprop: ${small} at 2×4×4, ${large} at 4×8×8`);
  expect(large).toBe(small);
  // ...whereas TF.js's own Tile gradient runs a Slice and an Add per repetition.
  registerTileGradient(false);
  const stockLarge = await kernels(4, 8);
  registerTileGradient(true);
  console.log(`with TF.js's Tile gradient: ${stockLarge} at 4×8×8`);
  expect(stockLarge).toBeGreaterThan(large + 4 * 8 * 8); // N·H·W = 256 repetitions
});
