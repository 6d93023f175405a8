// What data a run really read, for environment.json: the dataset's files with their sizes, and a SHA-256
// of the decoded images and labels it trained and tested on (after any limit, resize or channel
// conversion, before normalization), so two runs can tell whether they saw the same data.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Dataset, Split } from '../data/types.js';

export interface DatasetFingerprint {
  path: string;
  /** Up to MAX_LISTED files (relative path and bytes), then only the counts. */
  files: { name: string; bytes: number }[];
  fileCount: number;
  totalBytes: number;
  sha256: string;
  hashOf: string;
  counts: { train: number; test: number; validation?: number };
}

const MAX_LISTED = 20;
const MAX_WALK = 200_000;

async function walk(dir: string, rel: string, out: { name: string; bytes: number }[]): Promise<void> {
  if (out.length >= MAX_WALK) return;
  const entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true }).catch(() => []);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) await walk(dir, r, out);
    else if (e.isFile()) out.push({ name: r, bytes: (await fs.stat(path.join(dir, r))).size });
  }
}

function hashSplit(h: ReturnType<typeof createHash>, name: string, s: Split): void {
  h.update(`${name}:${s.count}:${s.shape.join('x')}\n`);
  h.update(s.images.subarray(0, s.count * s.shape[0] * s.shape[1] * s.shape[2]));
  h.update(new Uint8Array(s.labels.buffer, s.labels.byteOffset, s.count * 4));
}

export async function datasetFingerprint(dataPath: string, data: Dataset): Promise<DatasetFingerprint> {
  const files: { name: string; bytes: number }[] = [];
  const st = await fs.stat(dataPath).catch(() => null);
  if (st?.isDirectory()) await walk(dataPath, '', files);
  else if (st) files.push({ name: path.basename(dataPath), bytes: st.size });
  const h = createHash('sha256');
  hashSplit(h, 'train', data.train);
  if (data.validation) hashSplit(h, 'validation', data.validation);
  hashSplit(h, 'test', data.test);
  return {
    path: dataPath,
    files: files.slice(0, MAX_LISTED), fileCount: files.length, totalBytes: files.reduce((a, f) => a + f.bytes, 0),
    sha256: h.digest('hex'),
    hashOf: 'decoded uint8 images (H×W×C) and int32 labels of the train, validation and test splits as trained on',
    counts: { train: data.train.count, test: data.test.count, ...(data.validation ? { validation: data.validation.count } : {}) },
  };
}
