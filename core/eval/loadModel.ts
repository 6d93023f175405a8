// A model to evaluate, from either file kind the engine reads: a TF.js model.json (its normalization in
// meta.json beside it) or an ONNX model (its normalization in its metadata, when this app wrote it). Any
// other format is named, with the way to convert it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { tf } from '../tf.js';
import type { Normalization } from '../data/types.js';
import { usableModelFormat } from '../io/formatSniff.js';
import { loadLayersModelFile } from '../io/modelFiles.js';
import { onnxToLayersModel } from '../models/onnxImport.js';
import { PREPROCESSING_KEY, parsePreprocessing } from '../export/preprocessing.js';
import { readModelMeta } from './modelMeta.js';

export async function loadModelForEval(file: string): Promise<{ model: tf.LayersModel; normalization?: Normalization; format: 'tfjs-json' | 'onnx' }> {
  const format = await usableModelFormat(file);
  if (format === 'onnx') {
    const imp = onnxToLayersModel(await fs.readFile(file), file);
    const text = imp.metadata[PREPROCESSING_KEY];
    const pre = text ? parsePreprocessing(text, file) : null;
    return { model: imp.model, format, ...(pre ? { normalization: { mean: pre.mean, std: pre.std } } : {}) };
  }
  const model = await loadLayersModelFile(file);
  const meta = await readModelMeta(path.dirname(file));
  return { model, format, ...(meta?.normalization ? { normalization: meta.normalization } : {}) };
}
