// Evaluating a saved model (the CLI's `eval`): load model.json or an .onnx file, load the dataset's test split at the
// model's input size, normalize as the model was trained (the normalization saved beside the model by
// the training loop, else the run's, else computed from the dataset's training split), evaluate.
import { promises as fs, existsSync } from 'node:fs';
import * as path from 'node:path';
import { computeNormalization, loadDataset, type Normalization } from '../data/index.js';
import { loadModelForEval } from './loadModel.js';
import type { RunHandle } from '../runs/index.js';
import { evaluate, type EvalResult } from './evaluate.js';

export interface EvaluateFileRequest {
  modelPath: string;
  dataPath: string;
  run?: RunHandle | undefined;
  limit?: number;
  batchSize?: number;
}

export async function evaluateModelFile(req: EvaluateFileRequest): Promise<EvalResult> {
  let modelPath = req.modelPath;
  // A run's student lives in models/student/; accept the run's own path when the one given does not exist.
  if (!existsSync(modelPath) && req.run) modelPath = req.run.modelPath('student');
  const { model, normalization: own } = await loadModelForEval(modelPath);
  try {
    const inShape = model.inputs[0].shape.slice(1) as number[];
    const outShape = model.outputs[0].shape;
    const numClasses = outShape[outShape.length - 1] as number;
    const inputShape = inShape.every((d) => typeof d === 'number') ? (inShape as [number, number, number]) : undefined;
    const ds = await loadDataset(req.dataPath, { ...(inputShape ? { inputShape } : {}), ...(req.limit ? { limit: req.limit } : {}) });
    if (ds.info.classes.length !== numClasses) {
      throw new Error(`the model has ${numClasses} outputs but the dataset ${ds.info.classes.length} classes`);
    }
    let normalization: Normalization | undefined = own;
    if (!normalization && req.run) {
      const ck = await req.run.loadCheckpoint('latest').catch(() => null);
      if (ck) {
        for (const t of Object.values(ck.weights)) t.dispose();
        for (const o of ck.optimizer) o.tensor.dispose();
        normalization = (ck.extra as { normalization?: Normalization } | undefined)?.normalization;
      }
    }
    normalization ??= computeNormalization(ds.train);
    return await evaluate(model, ds.test, normalization, { numClasses, batchSize: req.batchSize ?? 128 });
  } finally {
    model.dispose();
  }
}

/** Bytes of the files that hold a saved model's weights (model.json excluded). */
export async function weightFileBytes(modelJsonPath: string): Promise<number> {
  const dir = path.dirname(modelJsonPath);
  const manifest = JSON.parse(await fs.readFile(modelJsonPath, 'utf8')) as { weightsManifest?: { paths: string[] }[] };
  let bytes = 0;
  for (const group of manifest.weightsManifest ?? []) {
    for (const p of group.paths) bytes += (await fs.stat(path.join(dir, p))).size;
  }
  return bytes;
}
