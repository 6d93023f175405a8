// Random weights for every layer of a model (batch-norm variances positive), so that export and import
// checks exercise batch norm's statistics and γ/β rather than its identity initialization.
import { tf } from '../../core/tf.js';

/** Every weight random (variances positive), so batch norm's statistics and γ/β matter in the check. */
export function randomizeWeights(model: tf.LayersModel, seed: number): void {
  let s = seed;
  for (const layer of model.layers) {
    const ws = layer.getWeights();
    if (!ws.length) continue;
    const isBn = layer.getClassName() === 'BatchNormalization';
    const next = ws.map((w, i) => tf.tidy(() => {
      const r = tf.randomUniform(w.shape, 0, 1, 'float32', s++);
      if (isBn && i === ws.length - 1) return r.add(0.5); // moving variance
      if (isBn) return r.sub(0.5);
      return r.sub(0.5).mul(2 * Math.sqrt(3 / Math.max(1, w.size / w.shape[w.shape.length - 1])));
    }));
    layer.setWeights(next);
    tf.dispose(next);
  }
}
