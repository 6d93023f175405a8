// A teacher from a TF.js LayersModel file: load it, make sure it outputs logits, pick its hint taps.
import { tf } from '../tf.js';
import { loadLayersModelFile } from '../io/modelFiles.js';
import { usableModelFormat } from '../io/formatSniff.js';
import type { Normalization } from '../data/types.js';
import { loadOnnxTeacher } from './onnxTeacher.js';
import { proposeTaps, tapInfo } from './taps.js';
import { ModelError, type ZooModel } from './types.js';

/**
 * A teacher file of either kind the engine reads — a TF.js model.json or an ONNX model, told by its bytes;
 * any other format is refused with what it is and how to convert it (formatSniff). An ONNX teacher brings
 * its normalization when its metadata states it.
 */
export async function loadTeacherFile(file: string, opts: { taps?: string[] } = {}): Promise<ZooModel & { normalization?: Normalization; source: 'tfjs' | 'onnx' }> {
  const format = await usableModelFormat(file);
  if (format === 'onnx') return loadOnnxTeacher(file, opts);
  return { ...(await loadTeacher(file, opts)), source: 'tfjs' };
}

/**
 * Loads model.json + weights. Taps: the explicit layer names when given (each must exist and be 4-D),
 * otherwise proposeTaps. A trailing softmax is removed (attention transfer and KD need logits) and
 * reported in `notes`.
 */
export async function loadTeacher(modelJsonPath: string, opts: { taps?: string[] } = {}): Promise<ZooModel> {
  const loaded = await loadLayersModelFile(modelJsonPath);
  const notes: string[] = [];
  if (loaded.outputs.length !== 1) {
    loaded.dispose();
    throw new ModelError(`${modelJsonPath}: a teacher must have one output (its class scores); this model has ${loaded.outputs.length}`, modelJsonPath);
  }
  const model = stripSoftmax(loaded, notes);
  try {
    const taps = opts.taps && opts.taps.length > 0
      ? opts.taps.map((name) => tapInfo(model, name))
      : proposeTaps(model);
    if (taps.length === 0) throw new ModelError(`${modelJsonPath}: no 4-D activations to use as hint taps`, modelJsonPath);
    if (!opts.taps?.length) notes.push(`taps proposed automatically: ${taps.map((t) => `${t.name} (${t.shape.join('×')})`).join(', ')}`);
    return { model, taps, notes };
  } catch (err) {
    model.dispose();
    if (err instanceof ModelError && !err.file) { err.message = `${modelJsonPath}: ${err.message}`; err.file = modelJsonPath; }
    throw err;
  }
}

function stripSoftmax(model: tf.LayersModel, notes: string[]): tf.LayersModel {
  const last = model.outputs[0].sourceLayer as tf.layers.Layer;
  const cls = last.getClassName();
  const cfg = last.getConfig() as { activation?: string };
  if (cls === 'Activation' && cfg.activation === 'softmax') {
    notes.push(`removed the final softmax layer '${last.name}': the teacher's logits are its input`);
    const input = last.input as tf.SymbolicTensor;
    return tf.model({ inputs: model.inputs, outputs: input, name: model.name });
  }
  if (cls === 'Dense' && cfg.activation === 'softmax') {
    // Rebuild the head as a linear dense layer with the same weights: it then emits logits.
    const old = last as tf.layers.Layer;
    const units = (old.getConfig() as { units: number }).units;
    const dense = tf.layers.dense({ units, useBias: old.getWeights().length > 1, activation: 'linear', name: old.name });
    const logits = dense.apply(old.input as tf.SymbolicTensor) as tf.SymbolicTensor;
    const copies = old.getWeights().map((w) => w.clone());
    dense.setWeights(copies);
    copies.forEach((t) => t.dispose());
    const rebuilt = tf.model({ inputs: model.inputs, outputs: logits, name: model.name });
    old.dispose();
    notes.push(`the final dense layer '${old.name}' had a softmax activation; it now outputs logits (same weights)`);
    return rebuilt;
  }
  return model;
}
