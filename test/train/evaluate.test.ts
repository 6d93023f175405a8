// Evaluation metrics on a model whose logits are its input pixels (identity dense layer), so every
// number can be worked out by hand from the images.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backend.js';
import { tf } from '../../core/tf.js';
import { evaluate, measureLatency } from '../../core/eval/index.js';
import type { Split } from '../../core/data/index.js';

const K = 12;
// Four 1×1×12 images; the predicted class is the brightest channel.
const IMAGES = [
  { label: 0, px: Array.from({ length: K }, (_, k) => (k === 0 ? 250 : 10 + k)) }, // pred 0, top-5 hit
  { label: 1, px: Array.from({ length: K }, (_, k) => (k === 2 ? 200 : k === 1 ? 150 : 10 + k)) }, // pred 2, top-5 hit
  { label: 3, px: Array.from({ length: K }, (_, k) => (k === 5 ? 240 : 10 + k)) }, // pred 5, top-5 miss
  { label: 11, px: Array.from({ length: K }, (_, k) => 100 - k) }, // pred 0, top-5 miss
];
const split: Split = {
  images: Uint8Array.from(IMAGES.flatMap((i) => i.px)), labels: Int32Array.from(IMAGES.map((i) => i.label)),
  count: IMAGES.length, shape: [1, 1, K],
};
const identityNorm = { mean: new Array(K).fill(0), std: new Array(K).fill(1) };

function linearModel(bias: number[]): tf.LayersModel {
  const input = tf.input({ shape: [1, 1, K] });
  const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
  const dense = tf.layers.dense({ units: K });
  const out = dense.apply(flat) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  dense.setWeights([tf.eye(K), tf.tensor1d(bias)]);
  return model;
}

let student: tf.LayersModel;
let teacher: tf.LayersModel;
beforeAll(async () => {
  await useBackend('cpu');
  student = linearModel(new Array(K).fill(0));
  teacher = linearModel([10, ...new Array(K - 1).fill(0)]); // always predicts class 0
});
afterAll(() => {
  student.dispose();
  teacher.dispose();
});

describe('evaluate', () => {
  it('computes loss, top-1, top-5, per-class accuracy, confusion and agreement', async () => {
    const r = await evaluate(student, split, identityNorm, { numClasses: K, batchSize: 3, teacher });
    expect(r.count).toBe(4);
    expect(r.top1).toBe(0.25);
    expect(r.top5).toBe(0.5);
    const confusion = Array.from({ length: K }, () => new Array(K).fill(0));
    confusion[0][0] = 1;
    confusion[1][2] = 1;
    confusion[3][5] = 1;
    confusion[11][0] = 1;
    expect(r.confusion).toEqual(confusion);
    expect(r.perClass).toEqual([1, ...new Array(K - 1).fill(0)]);
    expect(r.agreement).toBe(0.5); // the student also predicts 0 on images 0 and 3
    // Cross-entropy of softmax(pixels/255), by hand in float64.
    const ce = IMAGES.map(({ label, px }) => {
      const z = px.map((v) => v / 255);
      return Math.log(z.reduce((a, v) => a + Math.exp(v), 0)) - z[label];
    });
    expect(r.loss).toBeCloseTo(ce.reduce((a, b) => a + b) / ce.length, 5);
  });

  it('leaves out top-5 with 10 classes or fewer, and agreement without a teacher', async () => {
    const small = linearModel(new Array(K).fill(0));
    const r = await evaluate(small, split, identityNorm, { numClasses: K, batchSize: 2 });
    expect(r.agreement).toBeUndefined();
    expect(r.top1).toBe(0.25);
    small.dispose();
  });

  it('keeps no tensors', async () => {
    const before = tf.memory().numTensors;
    await evaluate(student, split, identityNorm, { numClasses: K, batchSize: 3, teacher });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('measureLatency', () => {
  it('reports finite positive ms per image at batch 1 and 64 on the current backend', async () => {
    const before = tf.memory().numTensors;
    const l = await measureLatency(student, [1, 1, K], { minMs: 5, maxRuns: 4 });
    expect(l.backend).toBe('cpu');
    for (const v of [l.batch1MsPerImage, l.batch64MsPerImage]) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThan(0);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
