// The wasm training kernels against the cpu backend, kernel by kernel, on random inputs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { Rng } from '../../core/util/rng.js';
import { registerWasmTrainingKernels } from '../../core/backend/wasmKernels/index.js';
import { useBackend } from '../helpers/backend.js';
import { compareBackends, ErrorTable, randomArray } from './wasmKernelsCompare.js';

const TOL = 1e-4;
type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
type Case = { x: [number, number, number, number]; k: [number, number]; co: number; s: number | [number, number]; pad: Pad };

const explicitA: Pad = [[0, 0], [1, 2], [0, 1], [0, 0]];
const explicitB: Pad = [[0, 0], [3, 0], [2, 2], [0, 0]];

// Odd and even sizes, square and non-square kernels, kernels smaller than the stride, all paddings.
const convCases: Case[] = [];
for (const pad of ['same', 'valid', explicitA, explicitB, 1] as Pad[]) {
  for (const s of [1, 2] as const) {
    convCases.push({ x: [2, 7, 9, 3], k: [3, 3], co: 4, s, pad });
    convCases.push({ x: [2, 8, 8, 4], k: [1, 1], co: 6, s, pad });
    convCases.push({ x: [1, 9, 6, 2], k: [2, 3], co: 3, s, pad });
  }
}
convCases.push(
  { x: [2, 11, 10, 3], k: [5, 5], co: 2, s: 2, pad: 'same' },
  { x: [2, 10, 11, 3], k: [3, 3], co: 4, s: [1, 2], pad: 'same' },
  { x: [2, 10, 11, 3], k: [3, 3], co: 4, s: [2, 1], pad: explicitA },
  { x: [1, 10, 10, 2], k: [2, 2], co: 3, s: 3, pad: 'valid' },
  { x: [1, 10, 10, 2], k: [1, 1], co: 3, s: 3, pad: 'same' },
  { x: [4, 16, 16, 8], k: [3, 3], co: 8, s: 1, pad: 'same' }, // WRN-like
  { x: [4, 16, 16, 8], k: [3, 3], co: 16, s: 2, pad: 'same' },
  { x: [4, 16, 16, 8], k: [1, 1], co: 16, s: 2, pad: 'same' },
);

const depthwiseCases: (Case & { m: number })[] = [];
for (const pad of ['same', 'valid', explicitA] as Pad[]) {
  for (const s of [1, 2] as const) {
    depthwiseCases.push({ x: [2, 7, 9, 3], k: [3, 3], co: 0, m: 1, s, pad });
    depthwiseCases.push({ x: [2, 8, 7, 2], k: [2, 3], co: 0, m: 2, s, pad });
  }
}
depthwiseCases.push({ x: [2, 9, 9, 4], k: [5, 5], co: 0, m: 3, s: 2, pad: 'same' });

function label(c: Case & { m?: number }): string {
  const pad = Array.isArray(c.pad) ? `explicit${JSON.stringify(c.pad.slice(1, 3))}` : String(c.pad);
  return `x=[${c.x}] k=${c.k.join('x')} ${c.m != null ? `m=${c.m}` : `co=${c.co}`} s=${c.s} pad=${pad}`;
}

function dyShape(c: Case, filterShape: number[], depthwise: boolean): number[] {
  return tf.backend_util.computeConv2DInfo(c.x, filterShape as [number, number, number, number], c.s, 1,
    c.pad as 'same', undefined, depthwise).outShape;
}

const table = new ErrorTable();

beforeAll(async () => {
  await useBackend('cpu');
  await useBackend('wasm');
});

afterAll(() => table.print('max relative error, wasm vs cpu (max|a−b| / max|b|):'));

describe('Conv2DBackpropFilter and Conv2DBackpropInput on wasm match cpu', () => {
  it.each(convCases.map((c) => [label(c), c] as const))('%s', async (_name, c) => {
    const rng = new Rng(11);
    const fShape = [c.k[0], c.k[1], c.x[3], c.co];
    const yShape = dyShape(c, fShape, false);
    const x = randomArray(rng, c.x);
    const w = randomArray(rng, fShape);
    const dy = randomArray(rng, yShape);
    const [dwErr, dxErr] = await compareBackends(() => [
      tf.engine().runKernel('Conv2DBackpropFilter',
        { x: tf.tensor4d(x, c.x), dy: tf.tensor(dy, yShape) },
        { strides: c.s, pad: c.pad, dataFormat: 'NHWC', filterShape: fShape }) as tf.Tensor,
      tf.engine().runKernel('Conv2DBackpropInput',
        { dy: tf.tensor(dy, yShape), filter: tf.tensor(w, fShape) },
        { strides: c.s, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x }) as tf.Tensor,
    ]);
    table.add(`conv ${label(c)} dW dx`, [dwErr, dxErr]);
    expect(dwErr).toBeLessThanOrEqual(TOL);
    expect(dxErr).toBeLessThanOrEqual(TOL);
  });
});

describe('depthwise backprop kernels on wasm match cpu', () => {
  it.each(depthwiseCases.map((c) => [label(c), c] as const))('%s', async (_name, c) => {
    const rng = new Rng(12);
    const fShape = [c.k[0], c.k[1], c.x[3], c.m];
    const yShape = dyShape(c, fShape, true);
    const x = randomArray(rng, c.x);
    const w = randomArray(rng, fShape);
    const dy = randomArray(rng, yShape);
    const [dwErr, dxErr] = await compareBackends(() => [
      tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter',
        { x: tf.tensor4d(x, c.x), dy: tf.tensor(dy, yShape) },
        { strides: c.s, pad: c.pad, dilations: [1, 1], filterShape: fShape }) as tf.Tensor,
      tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput',
        { dy: tf.tensor(dy, yShape), filter: tf.tensor(w, fShape) },
        { strides: c.s, pad: c.pad, dilations: [1, 1], inputShape: c.x }) as tf.Tensor,
    ]);
    table.add(`depthwise ${label(c)} dW dx`, [dwErr, dxErr]);
    expect(dwErr).toBeLessThanOrEqual(TOL);
    expect(dxErr).toBeLessThanOrEqual(TOL);
  });
});

describe('Tile on wasm (replaced for speed) matches cpu exactly', () => {
  const cases: [number[], number[], 'float32' | 'int32' | 'bool'][] = [
    [[1, 1, 1, 5], [3, 4, 5, 1], 'float32'], // the batch-norm gradient's case
    [[2, 3], [2, 2], 'float32'],
    [[3, 1, 2], [1, 4, 3], 'int32'],
    [[4], [3], 'bool'],
    [[2, 2, 3, 1], [2, 1, 2, 3], 'float32'],
    [[0, 3], [2, 2], 'float32'],
    [[100, 50, 1], [1, 1, 3], 'float32'], // many short rows: handled by the stock kernel
  ];
  it.each(cases.map((c) => [JSON.stringify(c), c] as const))('%s', async (_n, [shape, reps, dtype]) => {
    const size = shape.reduce((p, v) => p * v, 1);
    const values = Array.from({ length: size }, (_, i) => (dtype === 'bool' ? i % 3 === 0 ? 1 : 0 : i * 1.5 - 7));
    const run = async (b: 'cpu' | 'wasm') => {
      await tf.setBackend(b);
      const x = tf.tensor(values, shape, dtype);
      const y = tf.tile(x, reps);
      const out = { shape: y.shape, data: Array.from(y.dataSync()) };
      tf.dispose([x, y]);
      return out;
    };
    expect(await run('wasm')).toEqual(await run('cpu'));
  });
});

describe('hand-computed values and limits', () => {
  // x = 1..9 (3×3), 2×2 filter, 'valid', stride 1, dy = [[1,0],[0,1]]:
  // dW[i][j] = x[i][j] + x[i+1][j+1]; dx = W placed at (0,0) plus W placed at (1,1).
  it('filter and input gradients of a 3×3 example on wasm', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const dy = tf.tensor4d([1, 0, 0, 1], [1, 2, 2, 1]);
    const w = tf.tensor4d([1, 2, 3, 4], [2, 2, 1, 1]);
    const dW = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy },
      { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [2, 2, 1, 1] }) as tf.Tensor;
    const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w },
      { strides: 1, pad: 'valid', dataFormat: 'NHWC', inputShape: [1, 3, 3, 1] }) as tf.Tensor;
    expect(Array.from(dW.dataSync())).toEqual([6, 8, 12, 14]);
    expect(Array.from(dx.dataSync())).toEqual([1, 2, 0, 3, 5, 2, 0, 3, 4]);
    tf.dispose([x, dy, w, dW, dx]);
  });

  it('leaves no tensors or wasm buffers behind', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([2, 9, 9, 4]) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 4, 5]) as tf.Tensor4D;
    const dw = tf.randomNormal([3, 3, 4, 2]) as tf.Tensor4D;
    const backend = tf.backend();
    const before = [tf.memory().numTensors, backend.numDataIds()];
    for (const s of [1, 2] as const) {
      tf.dispose(tf.grads((a, b) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, s, 'same').square().sum())([x, w]));
      tf.dispose(tf.grads((a, b) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, s, 'valid').sum())([x, dw]));
    }
    expect([tf.memory().numTensors, backend.numDataIds()]).toEqual(before);
    tf.dispose([x, w, dw]);
  });

  it('refuses NCHW and dilations other than 1 with a clear message', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 5, 5, 2]);
    const dy = tf.zeros([1, 5, 5, 2]);
    expect(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy },
      { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 2] })).toThrow(/NHWC/);
    expect(() => tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy },
      { strides: 1, pad: 'same', dilations: [2, 2], filterShape: [3, 3, 2, 1] })).toThrow(/dilations 1/);
    expect(() => tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: tf.zeros([3, 3, 2, 1]) },
      { strides: 1, pad: 'same', dilations: 2, inputShape: [1, 5, 5, 2] })).toThrow(/dilations 1/);
    tf.dispose([x, dy]);
  });

  it('registration is idempotent and keeps the stock kernel reachable', () => {
    registerWasmTrainingKernels();
    const first = tf.getKernel('Conv2DBackpropInput', 'wasm');
    registerWasmTrainingKernels();
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')).toBe(first);
    registerWasmTrainingKernels({ faster: false });
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')).not.toBe(first);
    registerWasmTrainingKernels();
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc).toBe(first?.kernelFunc);
    for (const k of ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput']) {
      expect(tf.getKernel(k, 'wasm')).toBeDefined();
    }
  });
});
