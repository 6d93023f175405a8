// loadDataset: read a dataset into uint8 splits, converted once to the requested input shape.
import { CIFAR10, CIFAR100, readCifarSplit } from './cifar.js';
import { idxClasses, namesFromFile, namesNote } from './classNames.js';
import { detectLayout, type Layout } from './detect.js';
import { DataError } from './errors.js';
import { folderShape, readFolderSplit, scanFolder } from './folder.js';
import { readIdxSplit } from './idx.js';
import { convertImage } from './resize.js';
import { encodePng, pickSampleIndices } from './samples.js';
import { subsetSplit, validationIndices } from './split.js';
import type { Dataset, DatasetInfo, LoadOptions, Split } from './types.js';

type Shape = [number, number, number];

export async function loadDataset(dir: string, opts: LoadOptions = {}): Promise<Dataset> {
  checkOptions(opts);
  const layout = await detectLayout(dir, opts.format ?? 'auto');
  const loaded = layout.format === 'folder' ? await loadFolder(layout.root, opts) : await loadBinary(layout, opts);
  let { train } = loaded;
  let validation = loaded.validation;
  const notes = [...loaded.notes];
  if (opts.validationSplit && opts.validationSplit > 0) {
    const { train: ti, validation: vi } = validationIndices(train.count, opts.validationSplit, opts.seed ?? 0);
    if (validation) notes.push('the validation folder is not used: validationSplit takes the validation set from the training set');
    validation = subsetSplit(train, vi);
    train = subsetSplit(train, ti);
    notes.push(`validation: ${vi.length} training examples split off (seed ${opts.seed ?? 0})`);
  }
  const shape = train.shape;
  const idx = pickSampleIndices(train.labels, loaded.classes.length, train.count);
  const size = shape[0] * shape[1] * shape[2];
  const info: DatasetInfo = {
    path: layout.root, format: layout.format, classes: loaded.classes, trainCount: train.count,
    testCount: loaded.test.count, imageShape: [...shape],
    samples: idx.map((i) => ({ label: train.labels[i], png: encodePng(train.images.subarray(i * size, (i + 1) * size), shape[0], shape[1], shape[2]) })),
    notes,
  };
  if (!sameShape(loaded.nativeShape, shape)) info.nativeShape = loaded.nativeShape;
  if (validation) info.validationCount = validation.count;
  return { info, train, test: loaded.test, ...(validation ? { validation } : {}) };
}

interface Loaded { classes: string[]; train: Split; test: Split; validation?: Split | undefined; nativeShape: Shape; notes: string[] }

async function loadBinary(layout: Exclude<Layout, { format: 'folder' }>, opts: LoadOptions): Promise<Loaded> {
  let classes: string[];
  let train: Split;
  let test: Split;
  const notes: string[] = [];
  if (layout.format === 'idx') {
    classes = await idxClasses(layout);
    train = await readIdxSplit(layout.train.images, layout.train.labels, classes.length, opts.limit);
    test = await readIdxSplit(layout.test.images, layout.test.labels, classes.length, testLimitOf(opts));
  } else {
    const kind = layout.format === 'cifar10' ? CIFAR10 : CIFAR100;
    classes = await namesFromFile(layout.namesFile, kind.numClasses);
    notes.push(...namesNote(layout.namesFile, classes, kind.numClasses));
    train = await readCifarSplit(layout.train, kind, opts.limit);
    test = await readCifarSplit(layout.test, kind, testLimitOf(opts));
  }
  const nativeShape = train.shape;
  const target = opts.inputShape;
  if (target && !sameShape(target, nativeShape)) {
    train = convertSplit(train, target);
    test = convertSplit(test, target);
    notes.push(`images converted from ${nativeShape.join('×')} to ${target.join('×')}`);
  }
  return { classes, train, test, nativeShape, notes };
}

async function loadFolder(root: string, opts: LoadOptions): Promise<Loaded> {
  const layout = await scanFolder(root);
  const first = <T>(xs: T[], n: number | undefined) => (n === undefined ? xs : xs.slice(0, n));
  const take = <T>(xs: T[]) => first(xs, opts.limit);
  const nativeShape = await folderShape(layout.train);
  const shape: Shape = opts.inputShape ? [...opts.inputShape] : nativeShape;
  const notes = [...layout.notes];
  const train = await readFolderSplit(take(layout.train), shape);
  const test = await readFolderSplit(first(layout.test, testLimitOf(opts)), shape);
  const validation = layout.validation && !opts.validationSplit ? await readFolderSplit(take(layout.validation), shape) : undefined;
  const resized = train.resized + test.resized + (validation?.resized ?? 0);
  if (resized > 0) notes.push(`${resized} images resized to ${shape[0]}×${shape[1]}`);
  return { classes: layout.classes, train: train.split, test: test.split, validation: validation?.split, nativeShape, notes };
}

/** Every image of a split to `shape` (resize + channel conversion), as a new uint8 split. */
export function convertSplit(split: Split, shape: Shape): Split {
  const [h, w, c] = split.shape;
  const inSize = h * w * c;
  const outSize = shape[0] * shape[1] * shape[2];
  const images = new Uint8Array(split.count * outSize);
  for (let i = 0; i < split.count; i++) {
    images.set(convertImage(split.images.subarray(i * inSize, (i + 1) * inSize), h, w, c, shape), i * outSize);
  }
  return { images, labels: split.labels, count: split.count, shape: [...shape] };
}

/** How many test examples to read (undefined: all). */
function testLimitOf(opts: LoadOptions): number | undefined {
  return opts.testLimit === 'all' ? undefined : opts.testLimit ?? opts.limit;
}

const sameShape = (a: readonly number[] | undefined, b: readonly number[]) => !!a && a.length === b.length && a.every((v, i) => v === b[i]);

function checkOptions(opts: LoadOptions): void {
  const s = opts.inputShape;
  if (s && (s.length !== 3 || !s.every((v) => Number.isInteger(v) && v > 0) || (s[2] !== 1 && s[2] !== 3))) {
    throw new DataError(undefined, `inputShape ${JSON.stringify(s)} is not valid; expected [height, width, 1 or 3]`);
  }
  if (opts.limit !== undefined && !(Number.isInteger(opts.limit) && opts.limit > 0)) {
    throw new DataError(undefined, `limit ${opts.limit} is not valid; expected a positive whole number`);
  }
  const t = opts.testLimit;
  if (t !== undefined && t !== 'all' && !(Number.isInteger(t) && t > 0)) {
    throw new DataError(undefined, `testLimit ${t} is not valid; expected a positive whole number or 'all'`);
  }
  const v = opts.validationSplit;
  if (v !== undefined && !(v >= 0 && v < 1)) {
    throw new DataError(undefined, `validationSplit ${v} is not valid; expected a fraction in [0, 1)`);
  }
}
