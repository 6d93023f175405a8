import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { useBackend } from '../helpers/backend.js';
import { attentionMap, type AttentionFn } from '../../core/attention/index.js';

beforeAll(async () => { await useBackend('cpu'); });

// One example, 2×2 positions, 2 channels (NHWC): (c0, c1) at (0,0)=(1,−2) (0,1)=(0,3) (1,0)=(−1,1) (1,1)=(2,0).
const x = () => tf.tensor4d([[[[1, -2], [0, 3]], [[-1, 1], [2, 0]]]]);
const unit = (v: number[]) => { const n = Math.hypot(...v); return v.map((a) => a / n); };
const close = (a: ArrayLike<number>, b: number[], digits = 6) => {
  expect(a.length).toBe(b.length);
  Array.from(a).forEach((v, i) => expect(v).toBeCloseTo(b[i], digits));
};

describe('attentionMap hand values (flattened row-major: (0,0), (0,1), (1,0), (1,1))', () => {
  const cases: [AttentionFn | undefined, number[]][] = [
    [undefined, unit([5, 9, 2, 4])],                     // default: F_sum^2
    [{ kind: 'sum' }, unit([3, 3, 2, 2])],               // Σ|A|
    [{ kind: 'sum-p', p: 2 }, unit([5, 9, 2, 4])],       // Σ A²
    [{ kind: 'sum-p', p: 1 }, unit([3, 3, 2, 2])],
    [{ kind: 'sum-p', p: 4 }, unit([17, 81, 2, 16])],
    [{ kind: 'sum-p', p: 3 }, unit([9, 27, 2, 8])],      // general p goes through pow
    [{ kind: 'max-p' }, unit([4, 9, 1, 4])],             // max A², p defaults to 2
    [{ kind: 'max-p', p: 1 }, unit([2, 3, 1, 2])],
  ];
  for (const [fn, want] of cases) {
    it(JSON.stringify(fn ?? 'default'), () => {
      const q = attentionMap(x(), fn);
      expect(q.shape).toEqual([1, 4]);
      close(q.dataSync(), want);
    });
  }

  it('equals the reference at(): F.normalize(x.pow(2).mean(channels))', () => {
    const a = tf.randomNormal([3, 5, 4, 6], 0, 1, 'float32', 3) as tf.Tensor4D;
    const ref = tf.tidy(() => {
      const m = tf.reshape(tf.mean(tf.square(a), 3), [3, 20]);
      return tf.div(m, tf.maximum(tf.norm(m, 'euclidean', 1, true), 1e-12));
    });
    close(attentionMap(a).dataSync(), Array.from(ref.dataSync()));
  });
});

describe('attentionMap properties', () => {
  let a: tf.Tensor4D;
  beforeAll(() => { a = tf.randomNormal([4, 6, 5, 7], 0, 1, 'float32', 11) as tf.Tensor4D; });
  const fns: AttentionFn[] = [{ kind: 'sum' }, { kind: 'sum-p' }, { kind: 'sum-p', p: 4 }, { kind: 'max-p' }, { kind: 'max-p', p: 1 }];

  for (const fn of fns) {
    it(`unit norm per example and [batch, H·W] shape: ${JSON.stringify(fn)}`, () => {
      const q = attentionMap(a, fn);
      expect(q.shape).toEqual([4, 30]);
      close(tf.norm(q, 'euclidean', 1).dataSync(), [1, 1, 1, 1], 5);
    });

    it(`invariant to channel order: ${JSON.stringify(fn)}`, () => {
      const perm = tf.tensor1d([3, 0, 6, 1, 5, 2, 4], 'int32');
      const shuffled = tf.gather(a, perm, 3) as tf.Tensor4D;
      close(attentionMap(shuffled, fn).dataSync(), Array.from(attentionMap(a, fn).dataSync()), 6);
    });

    it(`invariant to the activations' sign and scale: ${JSON.stringify(fn)}`, () => {
      close(attentionMap(tf.mul(a, -3.5) as tf.Tensor4D, fn).dataSync(), Array.from(attentionMap(a, fn).dataSync()), 5);
    });
  }

  it('an all-zero example gives zeros, not NaN (eps 1e-12)', () => {
    const z = tf.concat([tf.zeros([1, 2, 2, 3]), tf.ones([1, 2, 2, 3])]) as tf.Tensor4D;
    close(attentionMap(z).dataSync(), [0, 0, 0, 0, 0.5, 0.5, 0.5, 0.5]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(attentionMap(t as tf.Tensor4D)))(z);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
  });

  it('keeps tensors tidy (no leak per call)', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => { attentionMap(a, { kind: 'max-p' }); attentionMap(a, { kind: 'sum-p', p: 3 }, [3, 5]); });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects unknown kinds, p < 1 and non-4-D input', () => {
    expect(() => attentionMap(a, { kind: 'mean' as 'sum' })).toThrow(/kind/);
    expect(() => attentionMap(a, { kind: 'sum-p', p: 0.5 })).toThrow(/≥ 1/);
    expect(() => attentionMap(a, { kind: 'sum-p', p: Number.NaN })).toThrow(/p/);
    expect(() => attentionMap(tf.zeros([2, 3, 4]) as unknown as tf.Tensor4D)).toThrow(/4-D/);
  });
});
