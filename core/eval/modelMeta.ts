// meta.json beside a saved model.json: what is needed to use the model again that model.json does not
// say — the whole preprocessing (pixel / 255, per-channel mean and std, channel order, input shape), its attention taps, its spec and class names.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { atomicWriteJson } from '../io/atomicWrite.js';
import type { Normalization } from '../data/index.js';
import { describePreprocessing, type Preprocessing } from '../export/preprocessing.js';

export interface ModelMeta {
  normalization: Normalization;
  taps?: { name: string; shape: [number, number, number] }[];
  spec?: unknown;
  classes?: string[];
  /** The image size the model takes, [height, width, channels]. */
  inputShape?: [number, number, number];
  /** The whole preprocessing, spelled out (written from normalization and inputShape). */
  preprocessing?: Preprocessing;
}

export const MODEL_META_FILE = 'meta.json';

export async function writeModelMeta(dir: string, meta: ModelMeta): Promise<void> {
  const full = meta.inputShape && !meta.preprocessing
    ? { ...meta, preprocessing: describePreprocessing(meta.normalization, meta.inputShape, 'NHWC') } : meta;
  await atomicWriteJson(path.join(dir, MODEL_META_FILE), full);
}

export async function readModelMeta(dir: string): Promise<ModelMeta | null> {
  try {
    return JSON.parse(await fs.readFile(path.join(dir, MODEL_META_FILE), 'utf8')) as ModelMeta;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
