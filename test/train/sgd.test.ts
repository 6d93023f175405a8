// SGD with momentum and weight decay, against PyTorch's update worked out by hand:
//   d = g + wd·w;  buf = μ·buf + d;  w −= lr·buf.
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backend.js';
import { tf } from '../../core/tf.js';
import { Sgd } from '../../core/train/index.js';

beforeAll(async () => {
  await useBackend('cpu');
});

function setup(name: string) {
  const init = tf.tensor1d([1, -2]);
  const w = tf.variable(init, true, name);
  const sgd = new Sgd(0.1, 0.9, 0.01, [w]);
  const g = tf.tensor1d([0.5, 0.1]);
  const step = () => sgd.apply({ [w.name]: g });
  return { w, sgd, g, step, dispose: () => { sgd.dispose(); tf.dispose([init, w, g]); } };
}

describe('Sgd', () => {
  it('matches PyTorch SGD(momentum=0.9, weight_decay=0.01) step by step, including a learning-rate change', () => {
    const s = setup('sgd_hand');
    s.step();
    expect(Array.from(s.w.dataSync())).toEqual([expect.closeTo(0.949, 6), expect.closeTo(-2.008, 6)]);
    s.step();
    expect(Array.from(s.w.dataSync())).toEqual([expect.closeTo(0.852151, 6), expect.closeTo(-2.023192, 6)]);
    s.sgd.setLearningRate(0.01);
    expect(s.sgd.learningRate).toBe(0.01);
    s.step();
    expect(Array.from(s.w.dataSync())).toEqual([expect.closeTo(0.8383493749, 6), expect.closeTo(-2.0253569608, 6)]);
    s.dispose();
  });

  it('restores its momentum from saved state so the next step is the same', async () => {
    const a = setup('sgd_a');
    a.step();
    a.step();
    const state = await a.sgd.getState();
    expect(state.map((s) => s.name)).toEqual(['iter', 'sgd_a/momentum']);
    const b = setup('sgd_b');
    b.w.assign(a.w);
    await b.sgd.setState(state);
    tf.dispose(state.map((s) => s.tensor));
    a.step();
    b.step();
    expect(Array.from(b.w.dataSync())).toEqual(Array.from(a.w.dataSync()));
    expect(Array.from(b.w.dataSync())).toEqual([expect.closeTo(0.852151 - 0.1 * (0.9 * 0.96849 + 0.50852151), 6), expect.any(Number)]);
    a.dispose();
    b.dispose();
  });

  it('keeps no tensors after dispose', () => {
    const before = tf.memory().numTensors;
    const s = setup('sgd_leak');
    s.step();
    s.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
