// Model weights ↔ checkpoint tensors. Every weight is saved, trainable or not (batch-norm moving
// statistics are state too). Keys are the layer variables' original names ("layer/kernel"): the engine
// adds a "_1" suffix to variable names when a second model with the same layer names exists in the
// process, so the original name is the stable one. A checkpoint whose names do not match (a model built
// with automatic layer names in another process) is restored by position when every shape matches.
import { tf } from '../tf.js';

interface LayerVar { originalName?: string; name: string; shape: number[]; read(): tf.Tensor; write(v: tf.Tensor): void }

function weightKey(w: LayerVar): string {
  return w.originalName ?? w.name;
}

/** Copies of all weights of the model, by stable name (caller disposes them). */
export function snapshotWeights(model: tf.LayersModel): tf.NamedTensorMap {
  const out: tf.NamedTensorMap = {};
  for (const w of model.weights as unknown as LayerVar[]) out[weightKey(w)] = tf.clone(w.read());
  return out;
}

/** Write saved weights into the model; throws naming the first weight that does not fit. */
export function restoreWeights(model: tf.LayersModel, saved: tf.NamedTensorMap): void {
  const weights = model.weights as unknown as LayerVar[];
  const keys = Object.keys(saved);
  if (keys.length !== weights.length) {
    throw new Error(`the checkpoint has ${keys.length} weights, the model ${weights.length}: it was written for another model`);
  }
  const byName = weights.every((w) => saved[weightKey(w)] !== undefined);
  weights.forEach((w, i) => {
    const key = byName ? weightKey(w) : keys[i];
    const value = saved[key];
    if (!tf.util.arraysEqual(value.shape, w.shape)) {
      throw new Error(`checkpoint weight "${key}" has shape [${value.shape.join(', ')}], the model's "${weightKey(w)}" [${w.shape.join(', ')}]`);
    }
    w.write(value);
  });
}

/** The tf.Variables behind the model's trainable weights, in the model's order. */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read());
}
