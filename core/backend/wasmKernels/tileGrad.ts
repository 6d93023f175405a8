// A batched gradient for Tile, for every backend. TF.js 4.22's own Tile gradient adds one Slice per
// repetition (a loop over Π reps); the batch-norm gradient tiles a [1,1,1,C] vector to [N,H,W,C], so
// under double backprop (gradient-based AT differentiates the BN gradient again) that loop ran
// N·H·W Slice + Add kernels per layer: ~11k kernels per step at batch 4 on 28×28, linear in the batch.
// Here: for each tiled axis, view dy as [outer, reps, d·inner] and sum over the reps axis. Built from
// Reshape and Sum only, whose own gradients are right, so higher derivatives stay right.
import { tf } from '../../tf.js';
import { gradConfig } from '../kernelTypes.js';

export function tileGradient(dy: tf.Tensor, xShape: number[], reps: number[]): tf.Tensor {
  let g = dy;
  // shape of g as we go: axes before k already reduced to xShape, axes from k on still tiled
  const shape = xShape.map((d, i) => d * reps[i]);
  for (let k = 0; k < xShape.length; k++) {
    if (reps[k] === 1) continue;
    const outer = shape.slice(0, k).reduce((p, v) => p * v, 1);
    const inner = xShape[k] * shape.slice(k + 1).reduce((p, v) => p * v, 1);
    g = tf.sum(tf.reshape(g, [outer, reps[k], inner]), 1);
    shape[k] = xShape[k];
  }
  return tf.reshape(g, xShape);
}

export const tileGradConfig: tf.GradConfig = gradConfig<tf.TileAttrs>({
  kernelName: 'Tile',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, { reps }) => {
    const [x] = saved;
    return { x: () => tileGradient(dy as tf.Tensor, x.shape, reps) };
  },
});

let stock: tf.GradConfig | undefined;
/** Replaces TF.js's Tile gradient (global: all backends). Idempotent. `false` puts TF.js's back (benchmarks). */
export function registerTileGradient(batched = true): void {
  const current = tf.getGradient('Tile');
  if (current !== tileGradConfig && current != null) stock = current;
  const want = batched ? tileGradConfig : stock;
  if (want == null || current === want) return;
  tf.unregisterGradient('Tile');
  tf.registerGradient(want);
}
