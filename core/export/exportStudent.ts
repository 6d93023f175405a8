// A run's student, exported as a TF.js model folder, an ONNX file, or one zip holding both (with meta.json
// and a README that states the preprocessing). Every file is written atomically.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { zipSync } from 'fflate';
import { atomicWrite } from '../io/atomicWrite.js';
import { loadLayersModelFile } from '../io/modelFiles.js';
import { readModelMeta, type ModelMeta } from '../eval/modelMeta.js';
import type { RunHandle } from '../runs/types.js';
import { modelToOnnx } from './onnxExport.js';
import { OPSET } from './onnxProto.js';
import { describePreprocessing, PREPROCESSING_KEY } from './preprocessing.js';
import { StudioError } from '../errors.js';

export type ModelExportFormat = 'tfjs' | 'onnx' | 'zip';
export const MODEL_EXPORT_FORMATS: ModelExportFormat[] = ['tfjs', 'onnx', 'zip'];

export interface ModelExportResult { path: string; bytes: number; files: string[] }

export class ExportError extends StudioError {
  constructor(message: string, code: 'export.notFound' | 'export.invalid' = 'export.invalid') {
    super(code, message);
    this.name = 'ExportError';
  }
}

async function studentFiles(run: RunHandle): Promise<{ dir: string; names: string[] }> {
  const dir = path.dirname(run.modelPath('student'));
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  if (!names.includes('model.json')) throw new ExportError(`run ${run.id} has no trained student model yet (it is saved when the run is done)`, 'export.notFound');
  return { dir, names: names.filter((n) => !n.startsWith('.')) };
}

/** The student as ONNX bytes, with its preprocessing, classes and taps in metadata_props. */
export async function studentOnnx(run: RunHandle, appVersion = ''): Promise<{ bytes: Uint8Array; meta: ModelMeta | null }> {
  const { dir } = await studentFiles(run);
  const model = await loadLayersModelFile(path.join(dir, 'model.json'));
  try {
    const meta = await readModelMeta(dir);
    const shape = model.inputs[0].shape.slice(1) as [number, number, number];
    const metadata: Record<string, string> = { 'atstudio.run': run.id, 'atstudio.opset_reason': `opset ${OPSET}: every op this model uses has its current form there and onnxruntime, TensorRT, OpenVINO and onnx2torch read it` };
    if (meta?.normalization) metadata[PREPROCESSING_KEY] = JSON.stringify(describePreprocessing(meta.normalization, shape, 'NCHW'));
    if (meta?.classes) metadata['atstudio.classes'] = JSON.stringify(meta.classes);
    if (meta?.taps) metadata['atstudio.taps'] = JSON.stringify(meta.taps.map((t) => t.name));
    const bytes = modelToOnnx(model, {
      metadata, producerVersion: appVersion,
      docString: `Student of run ${run.id} (${run.config.name}). Input: float32 NCHW [batch, ${shape[2]}, ${shape[0]}, ${shape[1]}], `
        + 'each pixel divided by 255, then (x - mean[c]) / std[c] (metadata atstudio.preprocessing). Output: logits (no softmax).',
    });
    return { bytes, meta };
  } finally {
    model.dispose();
  }
}

function readme(run: RunHandle, meta: ModelMeta | null, shape: number[] | undefined): string {
  const n = meta?.normalization;
  return [
    `Student of run ${run.id} (${run.config.name}), exported by Attention Transfer Studio.`,
    '',
    'Files: model.json + weights.bin (TensorFlow.js LayersModel, input NHWC), model.onnx (ONNX opset ' + OPSET + ', input NCHW), meta.json.',
    '',
    'Preprocessing (both formats):',
    shape ? `  image size ${shape.join(' x ')} (height x width x channels), ${shape[2] === 3 ? 'RGB' : shape[2] === 1 ? 'grayscale' : `${shape[2]} channels`}` : '',
    '  x = pixel / 255',
    n ? `  x[c] = (x[c] - mean[c]) / std[c], mean = [${n.mean.join(', ')}], std = [${n.std.join(', ')}]` : '  (no normalization recorded)',
    'Outputs: logits, one per class (apply softmax for probabilities).',
    meta?.classes ? `Classes, in output order: ${meta.classes.join(', ')}` : '',
    '',
  ].filter((l) => l !== '').join('\n') + '\n';
}

export async function exportStudent(run: RunHandle, dest: string, format: ModelExportFormat, appVersion = ''): Promise<ModelExportResult> {
  if (!MODEL_EXPORT_FORMATS.includes(format)) throw new ExportError(`format '${format}': expected one of ${MODEL_EXPORT_FORMATS.join(', ')}`);
  const { dir, names } = await studentFiles(run);
  if (format === 'onnx') {
    const { bytes } = await studentOnnx(run, appVersion);
    await atomicWrite(dest, bytes);
    return { path: dest, bytes: bytes.byteLength, files: [dest] };
  }
  if (format === 'tfjs') {
    // Weights first, model.json last: a model.json never points at files that are not there yet.
    const ordered = [...names.filter((n) => n !== 'model.json'), 'model.json'];
    let bytes = 0;
    const files: string[] = [];
    for (const name of ordered) {
      const data = await fs.readFile(path.join(dir, name));
      await atomicWrite(path.join(dest, name), data);
      bytes += data.byteLength;
      files.push(path.join(dest, name));
    }
    return { path: dest, bytes, files };
  }
  const { bytes: onnxBytes, meta } = await studentOnnx(run, appVersion);
  const entries: Record<string, Uint8Array> = {};
  for (const name of names) entries[`student/${name}`] = new Uint8Array(await fs.readFile(path.join(dir, name)));
  entries['student/model.onnx'] = onnxBytes;
  const shape = JSON.parse(Buffer.from(entries['student/model.json']).toString('utf8'))?.modelTopology?.config?.layers?.[0]?.config?.batch_input_shape?.slice(1);
  entries['student/README.txt'] = new Uint8Array(Buffer.from(readme(run, meta, shape), 'utf8'));
  const zipped = zipSync(entries, { level: 6 });
  await atomicWrite(dest, zipped);
  return { path: dest, bytes: zipped.byteLength, files: [dest] };
}
