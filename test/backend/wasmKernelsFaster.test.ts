// The stock wasm kernels replaced for training speed (batch norm, per-channel arithmetic, leading-axis
// reductions, Slice, zero-copy Identity/Cast; Tile is in wasmKernels.test.ts) against the cpu backend.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { Rng } from '../../core/util/rng.js';
import { useBackend } from '../helpers/backend.js';
import { compareBackends, ErrorTable, randomArray } from './wasmKernelsCompare.js';

const TOL = 1e-4;
const table = new ErrorTable();
// At least 4096 elements, so the fast paths (not the stock fallbacks) are the ones tested;
// 6 channels is deliberately not a multiple of the SIMD width.
const FULL = [8, 13, 7, 6];

beforeAll(async () => {
  await useBackend('cpu');
  await useBackend('wasm');
});

afterAll(() => table.print('max relative error, replaced wasm kernels vs cpu (max|a−b| / max|b|):'));

async function check(label: string, compute: () => tf.Tensor | tf.Tensor[]): Promise<void> {
  const errors = await compareBackends(compute);
  table.add(label, errors);
  for (const e of errors) expect(e).toBeLessThanOrEqual(TOL);
}

describe('FusedBatchNorm', () => {
  const rng = new Rng(31);
  const x = randomArray(rng, FULL);
  const [mean, offset, scale] = [0, 1, 2].map(() => randomArray(rng, [6]));
  const variance = randomArray(rng, [6]).map((v) => v * v + 0.1);
  it('with offset and scale', () => check('batchNorm x·scale/σ + offset', () =>
    tf.batchNorm(tf.tensor(x, FULL), tf.tensor1d(mean), tf.tensor1d(variance), tf.tensor1d(offset), tf.tensor1d(scale), 1e-3)));
  it('without offset and scale', () => check('batchNorm plain', () =>
    tf.batchNorm(tf.tensor(x, FULL), tf.tensor1d(mean), tf.tensor1d(variance), undefined, undefined, 1e-3)));
  it('on a 2-D input (dense layers)', () => check('batchNorm 2-D', () =>
    tf.batchNorm(tf.tensor(x, [FULL[0] * FULL[1] * FULL[2], 6]), tf.tensor1d(mean), tf.tensor1d(variance),
      tf.tensor1d(offset), tf.tensor1d(scale), 1e-3)));
  it('with a large mean relative to the spread (cancellation)', () => check('batchNorm mean 100', () =>
    tf.batchNorm(tf.tensor(x, FULL).add(100), tf.tensor1d(mean).add(100), tf.tensor1d(variance), tf.tensor1d(offset), tf.tensor1d(scale), 1e-3)));
});

describe('full tensor (op) per-channel vector', () => {
  const rng = new Rng(32);
  const x = randomArray(rng, FULL);
  const v = randomArray(rng, [6]).map((e) => e + Math.sign(e) * 0.5); // away from 0 for division
  const ops: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [
    ['mul', tf.mul], ['add', tf.add], ['sub', tf.sub], ['div', tf.div], ['squaredDifference', tf.squaredDifference],
  ];
  for (const [name, op] of ops) {
    for (const vShape of [[6], [1, 1, 1, 6], [1, 6]]) {
      it(`${name} with vector [${vShape}] on either side`, () => check(`${name} [${FULL}] and [${vShape}]`, () => [
        op(tf.tensor(x, FULL), tf.tensor(v, vShape)),
        op(tf.tensor(v, vShape), tf.tensor(x, FULL)),
      ]));
    }
  }
  it('full (op) full and scalars still go through the stock kernels', () => check('mul/sub full×full, ×scalar', () => [
    tf.mul(tf.tensor(x, FULL), tf.tensor(x, FULL)), tf.sub(tf.tensor(x, FULL), 2), tf.div(3, tf.tensor(v)),
  ]));
});

describe('Sum and Mean over leading axes', () => {
  const rng = new Rng(33);
  const x = randomArray(rng, FULL);
  const cases: [number | number[], boolean][] = [
    [[0, 1, 2], false], [[0, 1, 2], true], [[-4, -3, -2], false], [[2, 0, 1], false], [[0, 1], false], [0, true], [0, false],
    [[1, 2], false], [3, false], [[0, 1, 2, 3], false], // not leading: stock kernels
  ];
  for (const [axis, keepDims] of cases) {
    it(`axis ${JSON.stringify(axis)} keepDims ${keepDims}`, () => check(`sum/mean axis ${JSON.stringify(axis)} keep ${keepDims}`, () => [
      tf.sum(tf.tensor(x, FULL), axis, keepDims), tf.mean(tf.tensor(x, FULL), axis, keepDims),
    ]));
  }
  it('rank 2 over rows, and a 3-D tensor over its first two axes', () => check('sum/mean rank 2 and 3', () => [
    tf.sum(tf.tensor(x, [FULL[0] * FULL[1], FULL[2] * FULL[3]]), 0), tf.mean(tf.tensor(x, [FULL[0], FULL[1] * FULL[2], 6]), [0, 1]),
  ]));
  it('hand-computed: sum over 4096 ones per channel', async () => {
    await tf.setBackend('wasm');
    const ones = tf.ones([4, 32, 32, 2]).mul(tf.tensor1d([1, -0.5]));
    const s = tf.sum(ones, [0, 1, 2]);
    expect(Array.from(s.dataSync())).toEqual([4096, -2048]);
    tf.dispose([ones, s]);
  });
});

describe('Slice matches cpu exactly', () => {
  const rng = new Rng(34);
  const x = randomArray(rng, [4, 9, 7, 5]);
  const cases: [number[], number[]][] = [
    [[0, 1, 1, 0], [4, 7, 5, 5]], // the gradient of a 1-pixel ZeroPadding2D
    [[1, 0, 0, 0], [2, -1, -1, -1]], [[0, 2, 0, 1], [-1, 3, -1, 3]], [[3, 8, 6, 4], [1, 1, 1, 1]], [[0, 0, 0, 0], [4, 9, 7, 5]],
    [[0, 0, 0, 0], [0, 9, 7, 5]],
  ];
  it.each(cases.map((c) => [JSON.stringify(c), c] as const))('%s', async (_n, [begin, size]) => {
    const run = async (b: 'cpu' | 'wasm') => {
      await tf.setBackend(b);
      const y = tf.tidy(() => tf.slice(tf.tensor(x, [4, 9, 7, 5]), begin, size));
      const out = { shape: y.shape, data: Array.from(y.dataSync()) };
      y.dispose();
      return out;
    };
    expect(await run('wasm')).toEqual(await run('cpu'));
  });
  it('int32, bool and rank 1', async () => {
    const run = async (b: 'cpu' | 'wasm') => {
      await tf.setBackend(b);
      const ys = tf.tidy(() => [
        tf.slice(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32'), [0, 1], [2, 2]),
        tf.slice(tf.tensor2d([1, 0, 1, 1, 0, 0], [3, 2], 'bool'), [1, 0], [2, 1]),
        tf.slice(tf.tensor1d([1, 2, 3, 4]), [1], [2]),
      ]);
      const out = ys.map((y) => ({ dtype: y.dtype, shape: y.shape, data: Array.from(y.dataSync()) }));
      tf.dispose(ys);
      return out;
    };
    expect(await run('wasm')).toEqual(await run('cpu'));
  });
});

describe('the fast paths are the ones taken', () => {
  it('per-channel ops run as depthwise convolutions, leading-axis sums as average pooling', async () => {
    await tf.setBackend('wasm');
    const counts: Record<string, number> = { FusedDepthwiseConv2D: 0, AvgPool: 0 };
    const originals = Object.keys(counts).map((name) => tf.getKernel(name, 'wasm')!);
    for (const k of originals) {
      tf.unregisterKernel(k.kernelName, 'wasm');
      tf.registerKernel({ ...k, kernelFunc: (args) => { counts[k.kernelName]++; return k.kernelFunc(args); } });
    }
    try {
      tf.tidy(() => {
        const x = tf.randomNormal(FULL);
        const v = tf.ones([6]);
        tf.mul(x, v); tf.add(v, x); tf.sub(x, v); tf.div(x, v);
        tf.batchNorm(x, v, v, v, v, 1e-3);
        tf.sum(x, [0, 1, 2]); // per image over H×W, then over the batch: two poolings
        tf.mean(x, 0);
      });
    } finally {
      for (const k of originals) {
        tf.unregisterKernel(k.kernelName, 'wasm');
        tf.registerKernel(k);
      }
    }
    expect(counts).toEqual({ FusedDepthwiseConv2D: 5, AvgPool: 3 });
  });
});

it('the replaced kernels leave no tensors or wasm buffers behind', async () => {
  await tf.setBackend('wasm');
  const x = tf.randomNormal(FULL);
  const v = tf.ones([6]);
  const backend = tf.backend();
  const before = [tf.memory().numTensors, backend.numDataIds()];
  tf.tidy(() => {
    tf.mul(x, v); tf.add(v, x); tf.sub(x, v); tf.div(x, v); tf.squaredDifference(x, v); tf.batchNorm(x, v, v, v, v, 1e-3);
    tf.sum(x, [0, 1, 2]); tf.mean(x, [0, 1]); tf.tile(v.reshape([1, 1, 1, 6]), [2, 3, 4, 1]); tf.clone(x); tf.cast(x, 'float32');
    tf.slice(x, [0, 1, 1, 0], [8, 11, 5, 6]);
  });
  expect([tf.memory().numTensors, backend.numDataIds()]).toEqual(before);
  tf.dispose([x, v]);
});

describe('Identity and Cast share the buffer', () => {
  it('a clone survives disposing its source, and same-type casts keep values', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor1d([1.5, -2, 3]);
    const c = tf.clone(x);
    const f = tf.cast(x, 'float32');
    const i = tf.cast(x, 'int32');
    x.dispose();
    expect(Array.from(c.dataSync())).toEqual([1.5, -2, 3]);
    expect(Array.from(f.dataSync())).toEqual([1.5, -2, 3]);
    expect(Array.from(i.dataSync())).toEqual([1, -2, 3]);
    expect(i.dtype).toBe('int32');
    tf.dispose([c, f, i]);
  });

  it('a variable assigned from a clone is independent of later assignments', async () => {
    await tf.setBackend('wasm');
    const v = tf.variable(tf.tensor1d([1, 2]));
    const snapshot = tf.clone(v);
    v.assign(tf.tensor1d([5, 6]));
    expect(Array.from(snapshot.dataSync())).toEqual([1, 2]);
    expect(Array.from(v.dataSync())).toEqual([5, 6]);
    tf.dispose([v, snapshot]);
  });
});
