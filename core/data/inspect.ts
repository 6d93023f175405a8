// inspectDataset: what the wizard shows before a run — format, classes, counts, image shape, a few
// samples — reading headers, file sizes and the first records rather than the whole set.
import * as path from 'node:path';
import { CIFAR10, CIFAR100, cifarFileCounts, sampleCifar } from './cifar.js';
import { idxClasses, namesFromFile, namesNote } from './classNames.js';
import { detectLayout, type Layout } from './detect.js';
import { DataError } from './errors.js';
import { decodeExamples, folderShape, scanFolder } from './folder.js';
import { readIdxImages, readIdxImagesHeader, readIdxLabels, readIdxLabelsHeader } from './idx.js';
import { encodePng, MAX_SAMPLES, pickSampleIndices, samplesPerClass } from './samples.js';
import type { DatasetFormat, DatasetInfo } from './types.js';

export async function inspectDataset(dir: string, opts: { format?: DatasetFormat | 'auto' } = {}): Promise<DatasetInfo> {
  const layout = await detectLayout(dir, opts.format ?? 'auto');
  switch (layout.format) {
    case 'cifar10':
    case 'cifar100':
      return inspectCifar(layout);
    case 'idx':
      return inspectIdx(layout);
    case 'folder':
      return inspectFolder(layout.root);
  }
}

async function inspectCifar(layout: Extract<Layout, { format: 'cifar10' | 'cifar100' }>): Promise<DatasetInfo> {
  const kind = layout.format === 'cifar10' ? CIFAR10 : CIFAR100;
  const trainCount = sum(await cifarFileCounts(layout.train, kind));
  const testCount = sum(await cifarFileCounts(layout.test, kind));
  const classes = await namesFromFile(layout.namesFile, kind.numClasses);
  const picked = await sampleCifar(layout.train[0], kind, samplesPerClass(kind.numClasses), MAX_SAMPLES);
  return {
    path: layout.root, format: layout.format, classes, trainCount, testCount, imageShape: [32, 32, 3],
    samples: picked.map((s) => ({ label: s.label, png: encodePng(s.image, 32, 32, 3) })),
    notes: namesNote(layout.namesFile, classes, kind.numClasses),
  };
}

async function inspectIdx(layout: Extract<Layout, { format: 'idx' }>): Promise<DatasetInfo> {
  const classes = await idxClasses(layout);
  const counts: number[] = [];
  let shape: [number, number, number] = [0, 0, 1];
  for (const pair of [layout.train, layout.test]) {
    const img = await readIdxImagesHeader(pair.images);
    const lab = await readIdxLabelsHeader(pair.labels);
    if (lab.total !== img.total) {
      throw new DataError(pair.labels, `has ${lab.total} labels but ${pair.images} has ${img.total} images; expected equal counts`);
    }
    counts.push(img.total);
    if (pair === layout.train) shape = [img.height, img.width, 1];
  }
  const { labels } = await readIdxLabels(layout.train.labels, classes.length);
  const idx = pickSampleIndices(labels, classes.length);
  const last = idx.length ? Math.max(...idx) : -1;
  const { images } = await readIdxImages(layout.train.images, last + 1);
  const size = shape[0] * shape[1];
  return {
    path: layout.root, format: 'idx', classes, trainCount: counts[0], testCount: counts[1], imageShape: shape,
    samples: idx.map((i) => ({ label: labels[i], png: encodePng(images.subarray(i * size, (i + 1) * size), shape[0], shape[1], 1) })),
    notes: [`class names: ${layout.namesFile ? path.basename(layout.namesFile) : classes[0] === '0' ? 'MNIST digits' : 'Fashion-MNIST (from the folder name)'}`],
  };
}

async function inspectFolder(root: string): Promise<DatasetInfo> {
  const layout = await scanFolder(root);
  const imageShape = await folderShape(layout.train);
  const labels = layout.train.map((e) => e.label);
  const picked = pickSampleIndices(labels, layout.classes.length).map((i) => layout.train[i]);
  const decoded = await decodeExamples(picked);
  return {
    path: layout.root, format: 'folder', classes: layout.classes, trainCount: layout.train.length,
    testCount: layout.test.length, imageShape,
    validationCount: layout.validation?.length,
    samples: decoded.map((d) => ({ label: d.label, png: encodePng(d.data, d.height, d.width, 4) })),
    notes: [...layout.notes, `image size taken from the first image (${imageShape[0]}×${imageShape[1]}); ` +
      'images of other sizes are resized when loaded'],
  };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
