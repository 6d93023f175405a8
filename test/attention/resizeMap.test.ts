import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { useBackend } from '../helpers/backend.js';
import { areaWeights, attentionMap, resizeMapArea } from '../../core/attention/index.js';

beforeAll(async () => { await useBackend('cpu'); });

const close = (a: ArrayLike<number>, b: number[], digits = 6) => {
  expect(a.length).toBe(b.length);
  Array.from(a).forEach((v, i) => expect(v).toBeCloseTo(b[i], digits));
};

describe('area resize of attention maps', () => {
  it('weights: integral ratio is a box average; 3 → 2 splits the middle cell', () => {
    expect(areaWeights(4, 2)).toEqual([[0.5, 0.5, 0, 0], [0, 0, 0.5, 0.5]]);
    const w = areaWeights(3, 2);
    close(w[0], [2 / 3, 1 / 3, 0]);
    close(w[1], [0, 1 / 3, 2 / 3]);
    expect(areaWeights(5, 5)).toEqual([[1, 0, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 0, 1]]);
    expect(() => areaWeights(2, 3)).toThrow(/in ≥ out/);
  });

  it('4×4 → 2×2 by hand, and equal to avgPool(2, 2)', () => {
    const m = tf.tensor3d([[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]);
    const r = resizeMapArea(m, 2, 2);
    close(r.dataSync(), [3.5, 5.5, 11.5, 13.5]);
    const pooled = tf.avgPool(tf.reshape(m, [1, 4, 4, 1]) as tf.Tensor4D, 2, 2, 'valid');
    close(r.dataSync(), Array.from(pooled.dataSync()));
  });

  it('3×3 → 2×2 (non-integral ratio) by hand', () => {
    // out(0,0) = Σ w_i w_j m_ij with w = (2/3, 1/3): (4·9·1 + 2·3·(2+4) + 1·5)/9 = (36 + 36 + 5)/9
    const m = tf.tensor3d([[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]);
    const r = resizeMapArea(m, 2, 2).dataSync();
    close([r[0]], [(4 * 1 + 2 * 2 + 2 * 4 + 5) / 9]);
    close([r[3]], [(4 * 9 + 2 * 8 + 2 * 6 + 5) / 9]);
    // Area averaging preserves the mean.
    expect((r[0] + r[1] + r[2] + r[3]) / 4).toBeCloseTo(5, 5);
  });

  it('non-square 6×4 → 3×2 over a batch of 2', () => {
    const data = Array.from({ length: 48 }, (_, k) => k);
    const r = resizeMapArea(tf.tensor3d(data, [2, 6, 4]), 3, 2);
    expect(r.shape).toEqual([2, 3, 2]);
    // Example 0, out(0,0): mean of rows 0–1, cols 0–1 = (0 + 1 + 4 + 5)/4; example 1 adds 24.
    close([r.dataSync()[0], r.dataSync()[6]], [2.5, 26.5]);
  });

  it('attentionMap(x, fn, size) resizes the raw map before normalizing', () => {
    // Activations 1 and 2 → F_sum^2 map [[1,1,0,0],[1,1,0,0],[0,0,4,4],[0,0,4,4]] → 2×2 [[1,0],[0,4]] → /√17
    const a = tf.tensor4d([1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 2, 2, 0, 0, 2, 2], [1, 4, 4, 1]);
    close(attentionMap(a, undefined, [2, 2]).dataSync(), [1 / Math.sqrt(17), 0, 0, 4 / Math.sqrt(17)]);
  });
});
