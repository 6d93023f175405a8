// Which format a dataset folder holds, from its file names.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DataError } from './errors.js';
import type { DatasetFormat } from './types.js';

export type Layout =
  | { format: 'cifar10'; root: string; train: string[]; test: string[]; namesFile?: string | undefined }
  | { format: 'cifar100'; root: string; train: string[]; test: string[]; namesFile?: string | undefined }
  | { format: 'idx'; root: string; train: IdxPair; test: IdxPair; namesFile?: string | undefined }
  | { format: 'folder'; root: string };

export interface IdxPair { images: string; labels: string }

const IDX_IMAGES = /^(.*)-images[-.]idx3-ubyte(\.gz)?$/i;
const IDX_TRAIN_PREFIXES = ['train'];
const IDX_TEST_PREFIXES = ['t10k', 'test'];

async function entries(dir: string): Promise<{ files: string[]; dirs: string[] }> {
  let st;
  try {
    st = await fs.stat(dir);
  } catch {
    throw new DataError(dir, 'not found; expected a dataset folder');
  }
  if (!st.isDirectory()) {
    throw new DataError(dir, 'is a file; expected the folder that holds the dataset (CIFAR batches, IDX files or class folders)');
  }
  const list = await fs.readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  const dirs: string[] = [];
  for (const e of list) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(dir, e.name);
    const s = e.isSymbolicLink() ? await fs.stat(full).catch(() => null) : e;
    if (s?.isDirectory()) dirs.push(e.name);
    else if (s?.isFile()) files.push(e.name);
  }
  return { files: files.sort(), dirs: dirs.sort() };
}

const find = (files: string[], name: string) => files.find((f) => f.toLowerCase() === name);

function idxPair(root: string, files: string[], prefixes: string[]): IdxPair | undefined {
  // Raw files are preferred over .gz: a prefix of them can be read without decompressing.
  const candidates = files
    .map((f) => ({ f, m: IDX_IMAGES.exec(f) }))
    .filter((c) => c.m && prefixes.includes(c.m[1].toLowerCase()))
    .sort((a, b) => Number(!!a.m![2]) - Number(!!b.m![2]));
  for (const { f, m } of candidates) {
    const labelRe = new RegExp(`^${escape(m![1])}-labels[-.]idx1-ubyte(\\.gz)?$`, 'i');
    const labels = files.filter((l) => labelRe.test(l)).sort((a, b) => Number(a.endsWith('.gz')) - Number(b.endsWith('.gz')));
    if (labels.length > 0) return { images: path.join(root, f), labels: path.join(root, labels[0]) };
    throw new DataError(path.join(root, f), `has no labels file beside it; expected ${m![1]}-labels-idx1-ubyte(.gz)`);
  }
  return undefined;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function detectHere(root: string, files: string[]): Promise<Layout | undefined> {
  const batches = files.filter((f) => /^data_batch_\d+\.bin$/i.test(f))
    .sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]));
  const testBatch = find(files, 'test_batch.bin');
  if (batches.length > 0 || testBatch) {
    if (batches.length === 0) throw new DataError(path.join(root, testBatch!), 'has no training batches beside it; expected data_batch_1.bin … data_batch_5.bin (CIFAR-10)');
    if (!testBatch) throw new DataError(root, 'has CIFAR-10 training batches but no test_batch.bin; expected both');
    const meta = find(files, 'batches.meta.txt');
    return { format: 'cifar10', root, train: batches.map((f) => path.join(root, f)), test: [path.join(root, testBatch)],
      namesFile: meta && path.join(root, meta) };
  }
  const trainBin = find(files, 'train.bin');
  const testBin = find(files, 'test.bin');
  if (trainBin || testBin) {
    if (!trainBin || !testBin) throw new DataError(root, `has ${trainBin ?? testBin} but not ${trainBin ? 'test.bin' : 'train.bin'}; expected both (CIFAR-100)`);
    const meta = find(files, 'fine_label_names.txt');
    return { format: 'cifar100', root, train: [path.join(root, trainBin)], test: [path.join(root, testBin)],
      namesFile: meta && path.join(root, meta) };
  }
  const train = idxPair(root, files, IDX_TRAIN_PREFIXES);
  const test = idxPair(root, files, IDX_TEST_PREFIXES);
  if (train || test) {
    if (!train || !test) throw new DataError(root, `has IDX ${train ? 'training' : 'test'} files but no ${train ? 'test (t10k-…)' : 'training (train-…)'} files; expected both`);
    const names = find(files, 'classes.txt');
    return { format: 'idx', root, train, test, namesFile: names && path.join(root, names) };
  }
  return undefined;
}

/**
 * Detect the format of `dir`. A folder holding a single subfolder with CIFAR or IDX files (as the
 * downloads unpack: cifar-10-batches-bin/) is followed.
 */
export async function detectLayout(dirIn: string, forced: DatasetFormat | 'auto' = 'auto'): Promise<Layout> {
  const dir = path.resolve(dirIn);
  const { files, dirs } = await entries(dir);
  let layout = forced === 'folder' ? undefined : await detectHere(dir, files);
  if (!layout && dirs.length === 1 && forced !== 'folder') {
    const sub = path.join(dir, dirs[0]);
    layout = await detectHere(sub, (await entries(sub)).files);
  }
  if (!layout && dirs.length > 0) layout = { format: 'folder', root: dir };
  if (!layout) {
    throw new DataError(dir, 'no dataset found; expected CIFAR-10 batches (data_batch_*.bin, test_batch.bin), ' +
      'CIFAR-100 (train.bin, test.bin), IDX files (train-images-idx3-ubyte[.gz] and labels) or one subfolder of images per class');
  }
  if (forced !== 'auto' && layout.format !== forced) {
    throw new DataError(dir, `looks like ${layout.format}, not the requested ${forced}`);
  }
  return layout;
}
