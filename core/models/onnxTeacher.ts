// A teacher from an .onnx file: converted to a TF.js LayersModel with the same weights (onnxImport), its
// taps chosen among its 4-D activations (by ONNX tensor name or layer name), its preprocessing read from
// the model's metadata when this app wrote it, and the conversion checked against onnxruntime-node on a
// probe batch when that optional package is installed.
import { promises as fs } from 'node:fs';
import { tf } from '../tf.js';
import type { Normalization } from '../data/types.js';
import { addGraphOutputs } from '../export/onnxProto.js';
import { PREPROCESSING_KEY, parsePreprocessing } from '../export/preprocessing.js';
import { onnxToLayersModel, type OnnxImport } from './onnxImport.js';
import { proposeTaps, tapInfo } from './taps.js';
import { ModelError, type ZooModel } from './types.js';

/** The conversion must reproduce onnxruntime's logits and taps to this (relative to their largest magnitude). */
export const ONNX_CHECK_TOLERANCE = 1e-4;

export interface OnnxTeacher extends ZooModel { normalization?: Normalization; source: 'onnx' }

export async function loadOnnxTeacher(file: string, opts: { taps?: string[]; check?: boolean } = {}): Promise<OnnxTeacher> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    throw new ModelError(`${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, file);
  }
  const imp = onnxToLayersModel(bytes, file);
  const model = imp.model;
  try {
    const notes = [...imp.notes, `ONNX model (opset ${imp.opset}, ${imp.inputLayout} input) converted to TF.js layers with the same weights`];
    const taps = opts.taps && opts.taps.length > 0
      ? opts.taps.map((name) => tapInfo(model, imp.layerOf.get(name) ?? name))
      : proposeTaps(model);
    if (taps.length === 0) throw new ModelError(`${file}: no 4-D activations to use as hint taps`, file);
    if (!opts.taps?.length) notes.push(`taps proposed automatically: ${taps.map((t) => `${t.name} (${t.shape.join('×')})`).join(', ')}`);
    const pre = imp.metadata[PREPROCESSING_KEY] ? parsePreprocessing(imp.metadata[PREPROCESSING_KEY], file) : null;
    if (pre) notes.push(`preprocessing from the model's metadata: pixels / 255, then (x − mean) / std with mean ${fmt(pre.mean)}, std ${fmt(pre.std)}`);
    else notes.push('the model does not say how its inputs were normalized: the dataset\'s own per-channel mean and std are used');
    if (opts.check !== false) {
      const check = await checkAgainstOnnxRuntime(bytes, imp, taps.map((t) => t.name), file);
      notes.push(check);
    }
    return { model, taps, notes, source: 'onnx', ...(pre ? { normalization: { mean: pre.mean, std: pre.std } } : {}) };
  } catch (err) {
    model.dispose();
    throw err;
  }
}

const fmt = (v: number[]) => `[${v.map((x) => x.toFixed(4)).join(', ')}]`;

/**
 * Runs the original model in onnxruntime-node and the converted one in TF.js on the same random batch:
 * logits and the taps must agree. Without onnxruntime-node (an optional dependency) it says so instead.
 */
export async function checkAgainstOnnxRuntime(bytes: Uint8Array, imp: OnnxImport, tapLayers: string[], file: string): Promise<string> {
  let ort: typeof import('onnxruntime-node');
  try {
    ort = await import('onnxruntime-node');
  } catch {
    return 'not cross-checked against onnxruntime (the optional package onnxruntime-node is not installed)';
  }
  const onnxOf = new Map([...imp.layerOf].map(([o, l]) => [l, o]));
  const tapOnnx = tapLayers.map((l) => onnxOf.get(l)).filter((n): n is string => !!n);
  const [h, w, c] = imp.model.inputs[0].shape.slice(1) as number[];
  const x = tf.randomNormal([2, h, w, c], 0, 1, 'float32', 7) as tf.Tensor4D;
  const session = await ort.InferenceSession.create(addGraphOutputs(bytes, [imp.logitsName, ...tapOnnx]));
  try {
    const data = tf.tidy(() => (imp.inputLayout === 'NCHW' ? tf.transpose(x, [0, 3, 1, 2]) : x).dataSync() as Float32Array);
    const dims = imp.inputLayout === 'NCHW' ? [2, c, h, w] : [2, h, w, c];
    const res = await session.run({ [imp.inputName]: new ort.Tensor('float32', data, dims) }, [imp.logitsName, ...tapOnnx]);
    const tapped = tf.model({ inputs: imp.model.inputs, outputs: [imp.model.outputs[0], ...tapOnnx.map((o) => imp.model.getLayer(imp.layerOf.get(o)!).output as tf.SymbolicTensor)] });
    const ours = tapped.predict(x) as tf.Tensor[];
    let worst = 0;
    try {
      [imp.logitsName, ...tapOnnx].forEach((name, i) => {
        const r = res[name];
        const theirs = r.dims.length === 4
          ? tf.tidy(() => tf.transpose(tf.tensor4d(r.data as Float32Array, r.dims as [number, number, number, number]), [0, 2, 3, 1]).dataSync())
          : r.data as Float32Array;
        const mine = ours[i].dataSync();
        let scale = 1e-6, diff = 0;
        for (let k = 0; k < mine.length; k++) { scale = Math.max(scale, Math.abs(theirs[k])); diff = Math.max(diff, Math.abs(mine[k] - theirs[k])); }
        if (mine.length !== theirs.length || !(diff <= ONNX_CHECK_TOLERANCE * Math.max(1, scale))) {
          throw new ModelError(`${file}: the converted model does not reproduce onnxruntime's '${name}' (largest difference ${diff.toExponential(2)} for values up to ${scale.toExponential(2)}); this model uses something the conversion gets wrong`, file);
        }
        worst = Math.max(worst, diff / Math.max(1, scale));
      });
    } finally {
      tf.dispose(ours);
    }
    return `checked against onnxruntime on a random batch: logits and taps agree within ${worst.toExponential(1)} (relative)`;
  } finally {
    x.dispose();
    await session.release();
  }
}
