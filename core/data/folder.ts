// Image folders: <root>/<class>/*.png|jpg|jpeg, or <root>/train/<class>/… with an optional test/,
// validation/ or val/ folder beside it (or beside the class folders). Without a test folder a fixed,
// seeded 20% of each class is held out as the test set, so every run on the folder tests on the same images.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Rng } from '../util/rng.js';
import { DataError } from './errors.js';
import { decodeImage, isGrayRgba } from './decode.js';
import { convertImage } from './resize.js';
import type { Split } from './types.js';

export interface FileExample { file: string; label: number }

export interface FolderLayout {
  root: string;
  classes: string[];
  /** Round-robin across classes, so the first N (a `limit`) are balanced. */
  train: FileExample[];
  test: FileExample[];
  validation?: FileExample[] | undefined;
  testSource: 'folder' | 'holdout';
  notes: string[];
}

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'];
export const HOLDOUT_FRACTION = 0.2;
/** Fixed, not the run's seed: the held-out test set is a property of the folder, shared by all runs. */
export const HOLDOUT_SEED = 0x5eed;

const TEST_NAMES = ['test'];
const VALIDATION_NAMES = ['validation', 'val'];

const visible = (name: string) => !name.startsWith('.');
const isImageName = (name: string) => visible(name) && IMAGE_EXTENSIONS.includes(path.extname(name).toLowerCase());

async function listDir(dir: string): Promise<{ dirs: string[]; files: string[] }> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DataError(dir, code === 'ENOENT' ? 'folder not found' : `folder cannot be read (${(err as Error).message})`);
  }
  const dirs: string[] = [];
  const files: string[] = [];
  for (const e of entries) {
    if (!visible(e.name)) continue;
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      const st = await fs.stat(path.join(dir, e.name)).catch(() => null);
      isDir = !!st?.isDirectory();
      isFile = !!st?.isFile();
    }
    if (isDir) dirs.push(e.name);
    else if (isFile) files.push(e.name);
  }
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0); // code-unit order, like Python's sorted()
  return { dirs: dirs.sort(byName), files: files.sort(byName) };
}

async function isSplitDir(dir: string): Promise<boolean> {
  return (await listDir(dir)).dirs.length > 0;
}

const findName = (names: string[], wanted: string[]) => {
  for (const w of wanted) {
    const hit = names.find((n) => n.toLowerCase() === w);
    if (hit) return hit;
  }
  return undefined;
};

/** Image files of each class folder; training class folders must not be empty. */
async function classFiles(dir: string, classes: string[], required: boolean, notes: string[]): Promise<string[][]> {
  const present = new Set((await listDir(dir)).dirs);
  const out: string[][] = [];
  for (const c of classes) {
    if (!present.has(c)) { out.push([]); continue; }
    const cdir = path.join(dir, c);
    const files = (await listDir(cdir)).files.filter(isImageName).map((f) => path.join(cdir, f));
    if (files.length === 0) {
      if (required) throw new DataError(cdir, `class "${c}" has no images; expected .png, .jpg or .jpeg files in its folder`);
      notes.push(`${cdir} has no images`);
    }
    out.push(files);
  }
  return out;
}

/** Interleave classes: the first file of every class, then the second, … */
function roundRobin(perClass: string[][]): FileExample[] {
  const out: FileExample[] = [];
  const longest = Math.max(0, ...perClass.map((f) => f.length));
  for (let i = 0; i < longest; i++) {
    for (let c = 0; c < perClass.length; c++) if (i < perClass[c].length) out.push({ file: perClass[c][i], label: c });
  }
  return out;
}

async function checkSplitClasses(dir: string, classes: string[]): Promise<void> {
  const known = new Set(classes);
  for (const d of (await listDir(dir)).dirs) {
    if (!known.has(d)) {
      throw new DataError(path.join(dir, d), `class "${d}" is not among the training classes (${classes.join(', ')}); ` +
        'expected the same class folders as the training set');
    }
  }
}

export async function scanFolder(rootIn: string): Promise<FolderLayout> {
  const root = path.resolve(rootIn);
  const notes: string[] = [];
  const top = await listDir(root);
  const trainName = findName(top.dirs, ['train']);
  const trainDir = trainName && (await isSplitDir(path.join(root, trainName))) ? path.join(root, trainName) : root;
  const testName = findName(top.dirs, TEST_NAMES);
  const valName = findName(top.dirs, VALIDATION_NAMES);
  const testDir = testName && (await isSplitDir(path.join(root, testName))) ? path.join(root, testName) : undefined;
  const valDir = valName && (await isSplitDir(path.join(root, valName))) ? path.join(root, valName) : undefined;
  const splitDirs = new Set([trainDir, testDir, valDir].filter((d): d is string => !!d && d !== root));

  const classes = trainDir === root
    ? top.dirs.filter((d) => !splitDirs.has(path.join(root, d)))
    : (await listDir(trainDir)).dirs;
  if (classes.length === 0) {
    throw new DataError(trainDir, 'no class folders; expected one subfolder of .png/.jpg images per class ' +
      '(<folder>/<class>/*.png), optionally under train/ with a test/ folder beside it');
  }
  if (classes.length === 1) {
    throw new DataError(trainDir, `has only one class folder ("${classes[0]}"); expected at least two, one per class`);
  }
  const train = await classFiles(trainDir, classes, true, notes);

  // A test folder wins; a validation folder is the test set only when there is no test folder.
  const heldDir = testDir ?? valDir;
  let test: FileExample[];
  let validation: FileExample[] | undefined;
  let testSource: 'folder' | 'holdout';
  if (heldDir) {
    await checkSplitClasses(heldDir, classes);
    test = roundRobin(await classFiles(heldDir, classes, false, notes));
    testSource = 'folder';
    if (testDir && valDir) {
      await checkSplitClasses(valDir, classes);
      validation = roundRobin(await classFiles(valDir, classes, false, notes));
    }
    return { root, classes, train: roundRobin(train), test, validation, testSource, notes };
  }
  const rng = new Rng(HOLDOUT_SEED);
  const keep: string[][] = [];
  const held: string[][] = [];
  for (const files of train) {
    const k = Math.min(files.length - 1, Math.round(files.length * HOLDOUT_FRACTION));
    const order = rng.shuffle(files.map((_, i) => i)) as number[];
    const heldSet = new Set(order.slice(0, Math.max(0, k)));
    keep.push(files.filter((_, i) => !heldSet.has(i)));
    held.push(files.filter((_, i) => heldSet.has(i)));
  }
  testSource = 'holdout';
  notes.push(`no test folder: ${Math.round(HOLDOUT_FRACTION * 100)}% of each class is held out as the test set ` +
    '(the same images for every run)');
  return { root, classes, train: roundRobin(keep), test: roundRobin(held), testSource, notes };
}

async function readDecoded(file: string) {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    throw new DataError(file, `cannot be read (${(err as Error).message})`);
  }
  return decodeImage(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file);
}

/** Native shape for the folder: the first image's size; gray when the first few images all are. */
export async function folderShape(examples: FileExample[], probe = 8): Promise<[number, number, number]> {
  if (examples.length === 0) throw new Error('folderShape needs at least one image');
  let gray = true;
  let first: [number, number] | undefined;
  for (const ex of examples.slice(0, probe)) {
    const img = await readDecoded(ex.file);
    if (!first) first = [img.height, img.width];
    if (!isGrayRgba(img.data)) { gray = false; break; }
  }
  return [first![0], first![1], gray ? 1 : 3];
}

/** Decode each image once, straight into the target shape. Reports how many had another size. */
export async function readFolderSplit(examples: FileExample[], shape: [number, number, number]): Promise<{ split: Split; resized: number }> {
  const size = shape[0] * shape[1] * shape[2];
  const images = new Uint8Array(examples.length * size);
  const labels = new Int32Array(examples.length);
  let resized = 0;
  for (let k = 0; k < examples.length; k++) {
    const img = await readDecoded(examples[k].file);
    if (img.height !== shape[0] || img.width !== shape[1]) resized++;
    images.set(convertImage(img.data, img.height, img.width, 4, shape), k * size);
    labels[k] = examples[k].label;
  }
  return { split: { images, labels, count: examples.length, shape }, resized };
}

/** For inspect: decoded images (native size) of the given examples. */
export async function decodeExamples(examples: FileExample[]) {
  const out = [];
  for (const ex of examples) {
    const img = await readDecoded(ex.file);
    out.push({ label: ex.label, ...img });
  }
  return out;
}
