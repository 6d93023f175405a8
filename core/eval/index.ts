// core/eval: test-set evaluation, inference latency, and evaluation of a saved model file.
import type { tf } from '../tf.js';
import type { Normalization, Split } from '../data/index.js';
import { evaluate as evaluateModel, type EvalOptions, type EvalResult } from './evaluate.js';
import { evaluateModelFile, type EvaluateFileRequest } from './modelFile.js';

export { logitsOf, type EvalOptions, type EvalResult } from './evaluate.js';
export { measureLatency, type Latency } from './latency.js';
export { evaluateModelFile, weightFileBytes, type EvaluateFileRequest } from './modelFile.js';
export { readModelMeta, writeModelMeta, MODEL_META_FILE, type ModelMeta } from './modelMeta.js';

/**
 * evaluate(model, split, normalization, opts) evaluates a model in memory;
 * evaluate({ modelPath, dataPath, … }) loads a saved model and a dataset first (the CLI's form).
 */
export function evaluate(model: tf.LayersModel, split: Split, normalization: Normalization, opts: EvalOptions): Promise<EvalResult>;
export function evaluate(req: EvaluateFileRequest): Promise<EvalResult>;
export function evaluate(a: tf.LayersModel | EvaluateFileRequest, split?: Split, normalization?: Normalization, opts?: EvalOptions): Promise<EvalResult> {
  if ('modelPath' in a && 'dataPath' in a) return evaluateModelFile(a);
  return evaluateModel(a as tf.LayersModel, split!, normalization!, opts!);
}
