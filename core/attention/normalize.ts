import { tf } from '../tf.js';

/** Same eps as the reference (F.normalize): x / max(‖x‖₂, eps), per row. */
export const NORMALIZE_EPS = 1e-12;

/** L2-normalizes each row of a [batch, n] tensor. */
export function l2NormalizeRows(x: tf.Tensor2D, eps = NORMALIZE_EPS): tf.Tensor2D {
  return tf.tidy(() => {
    // sqrt(max(Σx², eps²)) = max(‖x‖, eps); the max keeps the gradient finite for an all-zero row.
    const norm = tf.sqrt(tf.maximum(tf.sum(tf.square(x), 1, true), eps * eps));
    return tf.div(x, norm) as tf.Tensor2D;
  });
}
