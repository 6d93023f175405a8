// meta.json beside a saved model.json: what is needed to use the model again that model.json does not
// say — the input normalization it was trained with, its attention taps, its spec and class names.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { atomicWriteJson } from '../io/atomicWrite.js';
import type { Normalization } from '../data/index.js';

export interface ModelMeta {
  normalization: Normalization;
  taps?: { name: string; shape: [number, number, number] }[];
  spec?: unknown;
  classes?: string[];
}

export const MODEL_META_FILE = 'meta.json';

export async function writeModelMeta(dir: string, meta: ModelMeta): Promise<void> {
  await atomicWriteJson(path.join(dir, MODEL_META_FILE), meta);
}

export async function readModelMeta(dir: string): Promise<ModelMeta | null> {
  try {
    return JSON.parse(await fs.readFile(path.join(dir, MODEL_META_FILE), 'utf8')) as ModelMeta;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
