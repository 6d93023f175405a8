// Checkpoint weights: every weight (batch-norm moving statistics included) by its stable name, and by
// position when a model was built with automatic layer names in another process.
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backend.js';
import { tf } from '../../core/tf.js';
import { restoreWeights, snapshotWeights } from '../../core/train/weights.js';

beforeAll(async () => {
  await useBackend('cpu');
});

function net(prefix?: string, units = 3): tf.LayersModel {
  const named = (s: string) => (prefix ? { name: `${prefix}${s}` } : {});
  const input = tf.input({ shape: [4] });
  const h = tf.layers.dense({ units, ...named('dense') }).apply(input) as tf.SymbolicTensor;
  const b = tf.layers.batchNormalization(named('bn')).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: b });
}
const values = (m: tf.LayersModel) => m.weights.map((w) => Array.from(w.read().dataSync()));

describe('snapshotWeights / restoreWeights', () => {
  it('saves all weights under their original names, moving statistics included', () => {
    const a = net('w1_');
    const snap = snapshotWeights(a);
    expect(Object.keys(snap)).toEqual(['w1_dense/kernel', 'w1_dense/bias', 'w1_bn/gamma', 'w1_bn/beta', 'w1_bn/moving_mean', 'w1_bn/moving_variance']);
    // A second model with the same layer names gets suffixed variable names; the keys stay the same.
    const b = net('w1_');
    expect(b.weights[0].name).not.toBe('w1_dense/kernel');
    expect(Object.keys(snapshotWeights(b))).toEqual(Object.keys(snap));
    restoreWeights(b, snap);
    expect(values(b)).toEqual(values(a));
    tf.dispose(Object.values(snap));
    a.dispose();
    b.dispose();
  });

  it('restores by position when the names differ but every shape matches', () => {
    const a = net();
    const b = net();
    const snap = snapshotWeights(a);
    restoreWeights(b, snap);
    expect(values(b)).toEqual(values(a));
    tf.dispose(Object.values(snap));
    a.dispose();
    b.dispose();
  });

  it('refuses a checkpoint of another model, naming the weight', () => {
    const a = net('w2_', 3);
    const b = net('w2_', 5);
    const snap = snapshotWeights(a);
    expect(() => restoreWeights(b, snap)).toThrow(/checkpoint weight "w2_dense\/kernel" has shape \[4, 3\], the model's "w2_dense\/kernel" \[4, 5\]/);
    tf.dispose(Object.values(snap));
    a.dispose();
    b.dispose();
  });
});
