// Normalization, batch building, seeded shuffling, augmentation order and resume (skipBatches).
import { beforeAll, describe, expect, it } from 'vitest';
import { augmentImage, batches, computeNormalization, drawAugmentation, makeBatch, type Split } from '../../core/data/index.js';
import { Rng } from '../../core/util/rng.js';
import { tf } from '../../core/tf.js';
import { useBackend } from '../helpers/backend.js';

beforeAll(async () => { await useBackend('cpu'); });

function randomSplit(count: number, shape: [number, number, number], seed = 5): Split {
  const r = new Rng(seed);
  const size = shape[0] * shape[1] * shape[2];
  const images = Uint8Array.from({ length: count * size }, () => r.int(256));
  const labels = Int32Array.from({ length: count }, (_, i) => i % 10);
  return { images, labels, count, shape };
}

describe('computeNormalization', () => {
  it('per-channel mean and population std in [0,1] units, by hand', () => {
    // Two 1×2 RGB images: R = 0, 255, 255, 0 → mean .5, std .5; G = 51 ×4 → mean .2, std 0 → 1 (constant);
    // B = 0, 0, 0, 255 → mean .25, std √(.25·.75) = .4330…
    const split: Split = { images: Uint8Array.from([0, 51, 0, 255, 51, 0, 255, 51, 0, 0, 51, 255]), labels: Int32Array.from([0, 1]), count: 2, shape: [1, 2, 3] };
    const n = computeNormalization(split);
    expect(n.mean[0]).toBeCloseTo(0.5, 12);
    expect(n.mean[1]).toBeCloseTo(0.2, 12);
    expect(n.mean[2]).toBeCloseTo(0.25, 12);
    expect(n.std[0]).toBeCloseTo(0.5, 12);
    expect(n.std[1]).toBe(1);
    expect(n.std[2]).toBeCloseTo(Math.sqrt(0.1875), 12);
  });
});

describe('makeBatch', () => {
  it('gathers the given examples, (x/255 − mean)/std per channel, int32 labels', async () => {
    const split = randomSplit(6, [2, 3, 3]);
    const norm = { mean: [0.1, 0.5, 0.9], std: [0.2, 0.25, 0.5] };
    const { x, y } = makeBatch(split, [4, 1], norm);
    expect(x.shape).toEqual([2, 2, 3, 3]);
    expect(x.dtype).toBe('float32');
    expect(y.dtype).toBe('int32');
    expect(Array.from(await y.data())).toEqual([4, 1]);
    const xs = await x.data();
    for (let k = 0; k < 2; k++) for (let j = 0; j < 18; j++) {
      const v = split.images[[4, 1][k] * 18 + j];
      expect(xs[k * 18 + j]).toBeCloseTo((v / 255 - norm.mean[j % 3]) / norm.std[j % 3], 5);
    }
    x.dispose(); y.dispose();
  });
});

describe('batches', () => {
  const norm = { mean: [0.5], std: [0.25] };

  it('in order without shuffle; last batch short unless dropLast', () => {
    const split = randomSplit(7, [2, 2, 1]);
    const rng = new Rng(1);
    const sizes: number[] = [];
    const seen: number[] = [];
    for (const b of batches(split, { batchSize: 3, shuffle: false, augment: false, normalization: norm, rng })) {
      sizes.push(b.x.shape[0]); seen.push(...b.indices); b.x.dispose(); b.y.dispose();
    }
    expect(sizes).toEqual([3, 3, 1]);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(rng.getState()).toBe(new Rng(1).getState()); // no shuffle, no augment → rng untouched
    const dropped = [...batches(split, { batchSize: 3, shuffle: false, augment: false, normalization: norm, rng, dropLast: true })];
    expect(dropped.map((b) => b.indices.length)).toEqual([3, 3]);
    dropped.forEach((b) => { b.x.dispose(); b.y.dispose(); });
  });

  it('rng order: one shuffle at the start of the epoch, then three draws per example', async () => {
    const split = randomSplit(10, [5, 5, 1]);
    const rng = new Rng(99);
    const got: { x: Float32Array; indices: Int32Array }[] = [];
    for (const b of batches(split, { batchSize: 4, shuffle: true, augment: true, normalization: norm, rng })) {
      got.push({ x: (await b.x.data()) as Float32Array, indices: b.indices }); b.x.dispose(); b.y.dispose();
    }
    // Replay by hand.
    const ref = new Rng(99);
    const order = Int32Array.from({ length: 10 }, (_, i) => i);
    ref.shuffle(order);
    expect(got.flatMap((g) => Array.from(g.indices))).toEqual(Array.from(order));
    const out = new Uint8Array(25);
    let k = 0;
    for (const g of got) {
      for (let j = 0; j < g.indices.length; j++, k++) {
        augmentImage(split.images, order[k] * 25, 5, 5, 1, drawAugmentation(ref), out, 0);
        for (let p = 0; p < 25; p++) expect(g.x[j * 25 + p]).toBeCloseTo((out[p] / 255 - 0.5) / 0.25, 5);
      }
    }
    expect(rng.getState()).toBe(ref.getState());
  });

  it('skipBatches resumes mid-epoch: same remaining batches, same rng state afterwards', async () => {
    const split = randomSplit(11, [4, 4, 3]);
    const n3 = { mean: [0.4, 0.5, 0.6], std: [0.3, 0.3, 0.3] };
    const run = async (skip: number) => {
      const rng = new Rng(7);
      const xs: number[][] = [];
      for (const b of batches(split, { batchSize: 3, shuffle: true, augment: true, normalization: n3, rng, skipBatches: skip })) {
        xs.push(Array.from(await b.x.data())); b.x.dispose(); b.y.dispose();
      }
      return { xs, state: rng.getState() };
    };
    const full = await run(0);
    const resumed = await run(2);
    expect(full.xs.length).toBe(4);
    expect(resumed.xs).toEqual(full.xs.slice(2));
    expect(resumed.state).toBe(full.state);
  });

  it('does not leak tensors beyond the x and y it hands out', () => {
    const split = randomSplit(20, [4, 4, 1]);
    const before = tf.memory().numTensors;
    for (const b of batches(split, { batchSize: 8, shuffle: true, augment: true, normalization: norm, rng: new Rng(3) })) {
      expect(tf.memory().numTensors).toBe(before + 2);
      b.x.dispose(); b.y.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('batch 128 of 32×32×3 with augmentation: 8 whole batches of the right shape an epoch, 1024 labels, no tensor left', () => {
    // How fast this is belongs to a benchmark, not a test (a shared machine makes any bound flaky).
    const split = randomSplit(1024, [32, 32, 3]);
    const rng = new Rng(1);
    const normalization = { mean: [0.49, 0.48, 0.45], std: [0.25, 0.24, 0.26] };
    const before = tf.memory().numTensors;
    for (let epoch = 0; epoch < 2; epoch++) {
      const shapes: number[][] = [];
      let labels = 0;
      for (const b of batches(split, { batchSize: 128, shuffle: true, augment: true, normalization, rng })) {
        shapes.push(b.x.shape);
        labels += b.y.shape[0]!;
        b.x.dispose(); b.y.dispose();
      }
      expect(shapes).toEqual(Array.from({ length: 8 }, () => [128, 32, 32, 3]));
      expect(labels).toBe(1024);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
