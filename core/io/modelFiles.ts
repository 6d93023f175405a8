// TF.js LayersModel files on disk (model.json + weights.bin) without tfjs-node: a custom tf.io IOHandler
// writes them atomically; the loader checks every file it reads and names the file and the problem.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { tf } from '../tf.js';
import { atomicWrite, atomicWriteJson } from './atomicWrite.js';
import { StudioError } from '../errors.js';
import { definedOnly } from '../util/exactOptional.js';

export class ModelFileError extends StudioError {
  constructor(message: string, public override file: string) {
    super('model.file', `${file}: ${message}`, { file });
    this.name = 'ModelFileError';
  }
}

const WEIGHTS_FILE = 'weights.bin';

/** Writes `dir/weights.bin` then `dir/model.json` (so a model.json never points at missing weights). */
export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const handler: tf.io.IOHandler = {
    save: async (artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> => {
      const data = artifacts.weightData === undefined ? new ArrayBuffer(0)
        : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      await atomicWrite(path.join(dir, WEIGHTS_FILE), new Uint8Array(data));
      const json: tf.io.ModelJSON = definedOnly({
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
      });
      if (artifacts.trainingConfig) json.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata) json.userDefinedMetadata = artifacts.userDefinedMetadata;
      await atomicWriteJson(path.join(dir, 'model.json'), json);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
  await model.save(handler);
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, complex64: 8 };

function specBytes(spec: tf.io.WeightsManifestEntry, file: string): number {
  const count = spec.shape.reduce((a, d) => a * d, 1);
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  if (spec.dtype === 'string') throw new ModelFileError(`weight '${spec.name}' has dtype string, which a LayersModel does not use`, file);
  const bytes = DTYPE_BYTES[dtype];
  if (bytes === undefined) throw new ModelFileError(`weight '${spec.name}' has an unknown dtype '${dtype}'`, file);
  return count * bytes;
}

async function readFileOr(file: string, what: string, relTo: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ModelFileError(`${what} not found`, relTo === file ? file : `${relTo} → ${file}`);
    throw new ModelFileError(`cannot read ${what} (${code ?? String(err)})`, file);
  }
}

/** Reads model.json and the weight files its manifest lists, and builds the LayersModel. */
export async function loadLayersModelFile(modelJsonPath: string): Promise<tf.LayersModel> {
  const jsonFile = path.resolve(modelJsonPath);
  const dir = path.dirname(jsonFile);
  const text = (await readFileOr(jsonFile, 'the model file', jsonFile)).toString('utf8');
  let json: Partial<tf.io.ModelJSON> & Record<string, unknown>;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ModelFileError(`not JSON (${(err as Error).message}); expected a TF.js model.json`, jsonFile);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new ModelFileError('not a TF.js model.json (expected a JSON object)', jsonFile);
  if (json.format !== undefined && json.format !== 'layers-model') {
    throw new ModelFileError(`format is '${String(json.format)}', not 'layers-model': only TF.js LayersModels can be teachers or students (a graph model has no layers to tap)`, jsonFile);
  }
  const topology = json.modelTopology as Record<string, unknown> | undefined;
  if (!topology || typeof topology !== 'object') throw new ModelFileError('no modelTopology: not a TF.js LayersModel file', jsonFile);
  const config = (topology.model_config ?? topology) as Record<string, unknown>;
  if (typeof config.class_name !== 'string' || !config.config) {
    throw new ModelFileError(`modelTopology has no Keras class_name/config${'node' in topology ? ' (it looks like a graph model)' : ''}: not a TF.js LayersModel file`, jsonFile);
  }
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest)) throw new ModelFileError('no weightsManifest: the file lists no weights', jsonFile);

  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const [g, group] of manifest.entries()) {
    if (!group || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new ModelFileError(`weightsManifest[${g}] needs 'paths' and 'weights' arrays`, jsonFile);
    }
    const expected = group.weights.reduce((a, s) => a + specBytes(s, jsonFile), 0);
    let actual = 0;
    for (const rel of group.paths) {
      if (typeof rel !== 'string' || /^[a-z][a-z0-9+.-]*:\/\//i.test(rel)) {
        throw new ModelFileError(`weights path ${JSON.stringify(rel)} is not a relative file path`, jsonFile);
      }
      const file = path.resolve(dir, rel);
      const inside = path.relative(dir, file);
      if (inside.startsWith('..') || path.isAbsolute(inside)) {
        throw new ModelFileError(`weights path '${rel}' leaves the model's folder; refusing to read it`, jsonFile);
      }
      const data = await readFileOr(file, `weights file '${rel}' listed in its manifest`, jsonFile);
      actual += data.byteLength;
      buffers.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    }
    if (actual !== expected) {
      throw new ModelFileError(`weights of manifest group ${g} (${group.paths.join(', ')}) are ${actual} bytes, but its ${group.weights.length} weights need ${expected} bytes`, jsonFile);
    }
    specs.push(...group.weights);
  }
  const total = buffers.reduce((a, b) => a + b.byteLength, 0);
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) { weightData.set(b, offset); offset += b.byteLength; }

  const artifacts: tf.io.ModelArtifacts = definedOnly({
    modelTopology: topology,
    format: 'layers-model',
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    weightSpecs: specs,
    weightData: weightData.buffer,
    trainingConfig: json.trainingConfig,
    userDefinedMetadata: json.userDefinedMetadata,
  });
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (err) {
    throw new ModelFileError(`not a loadable TF.js LayersModel: ${(err as Error).message}`, jsonFile);
  }
}
