import { tf } from '../tf.js';
import { type AttentionFn, rawAttention } from './attentionFn.js';
import { l2NormalizeRows } from './normalize.js';
import { resizeMapArea } from './resizeMap.js';

/** Flattens a [batch, H, W] map row-major (h·W + w, as the reference's view(B, -1)) and L2-normalizes it. */
export function normalizeMap(map: tf.Tensor3D): tf.Tensor2D {
  const [b, h, w] = map.shape;
  return tf.tidy(() => l2NormalizeRows(tf.reshape(map, [b, h * w]) as tf.Tensor2D));
}

/**
 * Q = F(A) flattened to [batch, H·W] and L2-normalized per example (eps 1e-12).
 * `size` resizes the raw map to [H, W] by area averaging before normalizing (for pairs of different resolution).
 */
export function attentionMap(x: tf.Tensor4D, fn?: AttentionFn, size?: [number, number]): tf.Tensor2D {
  return tf.tidy(() => {
    let map = rawAttention(x, fn);
    if (size && (size[0] !== map.shape[1] || size[1] !== map.shape[2])) map = resizeMapArea(map, size[0], size[1]);
    return normalizeMap(map);
  });
}
