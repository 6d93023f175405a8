// IDX reader on Debian's real Fashion-MNIST (subsets), and on small broken IDX files written here.
import { copyFileSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeNormalization, DataError, DIGIT_CLASSES, FASHION_MNIST_CLASSES, inspectDataset, loadDataset } from '../../core/data/index.js';
import { decodePng, FASHION_DIR, gz, idxImages, idxLabels, tempDir, write } from './fixtures.js';

// Ground truth computed independently with numpy from the same files.
const TRAIN_LABELS = [9, 0, 0, 3, 0, 2, 7, 2, 5, 5, 0, 9];
const TEST_LABELS = [9, 2, 1, 1, 6, 1, 4, 6, 5, 7, 4, 5];
const TRAIN_SUMS = [76247, 84598, 28662];
const TEST_SUMS = [33456, 100994, 51520];

const sumImage = (px: Uint8Array, i: number, size: number) => px.subarray(i * size, (i + 1) * size).reduce((a, b) => a + b, 0);

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('Fashion-MNIST (real files)', () => {
  it('loads the first N examples with the right labels, pixels and class names', async () => {
    const ds = await loadDataset(FASHION_DIR, { limit: 100 });
    expect(ds.info.format).toBe('idx');
    expect(ds.info.classes).toEqual(FASHION_MNIST_CLASSES);
    expect(ds.train.count).toBe(100);
    expect(ds.test.count).toBe(100);
    expect(ds.train.shape).toEqual([28, 28, 1]);
    expect(ds.train.images.length).toBe(100 * 784);
    expect(Array.from(ds.train.labels.subarray(0, 12))).toEqual(TRAIN_LABELS);
    expect(Array.from(ds.test.labels.subarray(0, 12))).toEqual(TEST_LABELS);
    expect([0, 1, 2].map((i) => sumImage(ds.train.images, i, 784))).toEqual(TRAIN_SUMS);
    expect([0, 1, 2].map((i) => sumImage(ds.test.images, i, 784))).toEqual(TEST_SUMS);
    expect(Array.from(ds.train.images.subarray(14 * 28 + 10, 14 * 28 + 16))).toEqual([0, 0, 237, 226, 217, 223]);
    // numpy: mean 0.28454231692677073, std 0.3549158759149646 over the first 100 training images
    const norm = computeNormalization(ds.train);
    expect(norm.mean[0]).toBeCloseTo(0.28454231692677073, 12);
    expect(norm.std[0]).toBeCloseTo(0.3549158759149646, 12);
  });

  it('inspects without loading: counts from headers, two samples per class as PNG', async () => {
    const info = await inspectDataset(FASHION_DIR);
    expect(info).toMatchObject({ format: 'idx', trainCount: 60000, testCount: 10000, imageShape: [28, 28, 1] });
    expect(info.samples.length).toBe(20);
    expect(info.samples.map((s) => s.label)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9]);
    // First class-0 example is training image 1 (labels start 9, 0, …): the PNG must hold its pixels.
    const png = decodePng(info.samples[0].png);
    expect([png.width, png.height]).toEqual([28, 28]);
    let sum = 0;
    for (let p = 0; p < 784; p++) {
      expect(png.data[4 * p]).toBe(png.data[4 * p + 1]);
      sum += png.data[4 * p];
    }
    expect(sum).toBe(TRAIN_SUMS[1]);
  });

  it('converts to another input shape once at load (28×28×1 → 32×32×3, bilinear, gray replicated)', async () => {
    const ds = await loadDataset(FASHION_DIR, { limit: 4, inputShape: [32, 32, 3] });
    expect(ds.train.shape).toEqual([32, 32, 3]);
    expect(ds.info.imageShape).toEqual([32, 32, 3]);
    expect(ds.info.nativeShape).toEqual([28, 28, 1]);
    const native = (await loadDataset(FASHION_DIR, { limit: 4 })).train.images;
    // Independent half-pixel bilinear at a few points: src = (o + 0.5)·28/32 − 0.5, clamped at the edges.
    const at = (img: number, y: number, x: number) => {
      const sy = Math.min(27, Math.max(0, (y + 0.5) * 28 / 32 - 0.5));
      const sx = Math.min(27, Math.max(0, (x + 0.5) * 28 / 32 - 0.5));
      const y0 = Math.floor(sy), x0 = Math.floor(sx), y1 = Math.min(27, y0 + 1), x1 = Math.min(27, x0 + 1);
      const fy = sy - y0, fx = sx - x0;
      const p = (yy: number, xx: number) => native[img * 784 + yy * 28 + xx];
      return Math.round((1 - fy) * ((1 - fx) * p(y0, x0) + fx * p(y0, x1)) + fy * ((1 - fx) * p(y1, x0) + fx * p(y1, x1)));
    };
    for (const [img, y, x] of [[0, 16, 12], [1, 5, 20], [2, 31, 0], [3, 10, 10], [0, 0, 31]]) {
      const o = img * 3072 + (y * 32 + x) * 3;
      const v = ds.train.images[o];
      expect(Math.abs(v - at(img, y, x))).toBeLessThanOrEqual(1); // float32 weights may round the other way
      expect(ds.train.images[o + 1]).toBe(v);
      expect(ds.train.images[o + 2]).toBe(v);
    }
  });

  it('splits a seeded validation set off the training set', async () => {
    const a = await loadDataset(FASHION_DIR, { limit: 100, validationSplit: 0.2, seed: 3 });
    const b = await loadDataset(FASHION_DIR, { limit: 100, validationSplit: 0.2, seed: 3 });
    const c = await loadDataset(FASHION_DIR, { limit: 100, validationSplit: 0.2, seed: 4 });
    expect(a.train.count).toBe(80);
    expect(a.validation!.count).toBe(20);
    expect(a.info).toMatchObject({ trainCount: 80, validationCount: 20, testCount: 100 });
    expect(a.validation!.images).toEqual(b.validation!.images);
    expect(a.validation!.images).not.toEqual(c.validation!.images);
    // The two parts together are the 100 training images: compare per-image sums as a multiset.
    const full = await loadDataset(FASHION_DIR, { limit: 100 });
    const sums = (s: { images: Uint8Array; count: number }) => Array.from({ length: s.count }, (_, i) => sumImage(s.images, i, 784));
    expect([...sums(a.train), ...sums(a.validation!)].sort()).toEqual(sums(full.train).sort());
  });

  it('names classes as digits when nothing says Fashion, and from classes.txt when present', async () => {
    const d = path.join(tmp.dir, 'digits');
    for (const f of ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) {
      write(path.join(d, f), '');
      copyFileSync(path.join(FASHION_DIR, f), path.join(d, f));
    }
    expect((await loadDataset(d, { limit: 5 })).info.classes).toEqual(DIGIT_CLASSES);
    write(path.join(d, 'classes.txt'), 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n');
    expect((await loadDataset(d, { limit: 5 })).info.classes).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']);
  });
});

describe('broken IDX files', () => {
  const dataset = (name: string, files: Record<string, Uint8Array>) => {
    const d = path.join(tmp.dir, name);
    const good: Record<string, Uint8Array> = {
      'train-images-idx3-ubyte': idxImages(4, 2, 3),
      'train-labels-idx1-ubyte': idxLabels([0, 1, 2, 3]),
      't10k-images-idx3-ubyte': idxImages(2, 2, 3),
      't10k-labels-idx1-ubyte': idxLabels([4, 5]),
    };
    for (const [f, b] of Object.entries({ ...good, ...files })) if (b) write(path.join(d, f), b);
    return d;
  };
  const fails = async (p: Promise<unknown>, file: string, ...parts: string[]) => {
    const err = await p.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).file).toBe(file);
    expect((err as DataError).message.startsWith(file + ': ')).toBe(true);
    for (const part of parts) expect((err as DataError).message).toContain(part);
  };

  it('reads a well-formed small set (raw files, row-major pixels)', async () => {
    const ds = await loadDataset(dataset('good', {}));
    expect(ds.train.shape).toEqual([2, 3, 1]);
    expect(Array.from(ds.train.images)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(Array.from(ds.test.labels)).toEqual([4, 5]);
  });

  it('wrong magic number', async () => {
    const d = dataset('magic', { 'train-images-idx3-ubyte': idxLabels([1, 2, 3, 4]) });
    const f = path.join(d, 'train-images-idx3-ubyte');
    await fails(loadDataset(d), f, 'not an IDX images file: it starts with 0x00000801 where IDX images files start with 0x00000803; check that this is the right file of the dataset');
    await fails(inspectDataset(d), f, 'not an IDX images file: it starts with 0x00000801');
    const d2 = dataset('magic-gz', { 'train-labels-idx1-ubyte': idxImages(4, 2, 3) });
    await fails(loadDataset(d2), path.join(d2, 'train-labels-idx1-ubyte'), 'not an IDX labels file: it starts with 0x00000803 where IDX labels files start with 0x00000801');
    // A text file where an IDX file belongs: its first bytes are shown as text.
    const d3 = dataset('magic-text', { 'train-images-idx3-ubyte': new TextEncoder().encode('garbage, not images at all') });
    await fails(loadDataset(d3), path.join(d3, 'train-images-idx3-ubyte'), 'it starts with 0x67617262 ("garb…", text) where IDX images files start with 0x00000803');
  });

  it('truncated images: raw, raw with limit, and gzipped', async () => {
    const short = idxImages(4, 2, 3).subarray(0, 16 + 20);
    const d = dataset('trunc', { 'train-images-idx3-ubyte': short });
    const f = path.join(d, 'train-images-idx3-ubyte');
    await fails(loadDataset(d), f, 'truncated', 'header says 4 images of 2×3 (40 bytes)', 'has 36 bytes');
    await fails(loadDataset(d, { limit: 1 }), f, 'truncated', 'has 36 bytes');
    const dg = dataset('trunc-gz', { 'train-images-idx3-ubyte': undefined as never });
    // A gzip file cut short (the download was interrupted).
    const whole = readFileSync(path.join(FASHION_DIR, 'train-images-idx3-ubyte.gz'));
    const cut = write(path.join(dg, 'train-images-idx3-ubyte.gz'), new Uint8Array(whole.subarray(0, 50_000)));
    await fails(loadDataset(dg), cut, 'does not gunzip', 'expected a complete .gz file');
    // Found before any image is used: inspect (which reads headers and a few samples) and a limited load.
    await fails(inspectDataset(dg), cut, 'does not gunzip', 'the header says 60000 images of 28×28 (47040016 bytes)');
    await fails(loadDataset(dg, { limit: 10 }), cut, 'does not gunzip', 'expected a complete .gz file');
    // The test split's labels, cut short after the header: inspect reads only their header.
    const dl = dataset('trunc-labels-gz', { 't10k-labels-idx1-ubyte': undefined as never });
    const lab = write(path.join(dl, 't10k-labels-idx1-ubyte.gz'), gz(idxLabels([4, 5]).subarray(0, 9)));
    await fails(inspectDataset(dl), lab, 'truncated', 'the header says 2 labels (10 bytes)', 'decompressed file has 9 bytes');
  });

  it('gzipped header promising more images than the stream holds', async () => {
    const d = dataset('trunc-gz2', { 'train-images-idx3-ubyte': undefined as never });
    const f = write(path.join(d, 'train-images-idx3-ubyte.gz'), gz(idxImages(4, 2, 3).subarray(0, 30)));
    await fails(loadDataset(d), f, 'truncated', 'decompressed file has 30 bytes');
    await fails(loadDataset(d, { limit: 3 }), f, 'truncated');
  });

  it('label out of range', async () => {
    const d = dataset('range', { 't10k-labels-idx1-ubyte': idxLabels([4, 10]) });
    await fails(loadDataset(d), path.join(d, 't10k-labels-idx1-ubyte'), 'label 10 at index 1 is out of range, expected 0..9');
  });

  it('labels and images disagree in count', async () => {
    const d = dataset('count', { 'train-labels-idx1-ubyte': idxLabels([0, 1, 2]) });
    await fails(loadDataset(d), path.join(d, 'train-labels-idx1-ubyte'), 'has 3 labels but', 'has 4 images');
  });

  it('missing labels file', async () => {
    const d = path.join(tmp.dir, 'nolabels');
    write(path.join(d, 'train-images-idx3-ubyte'), idxImages(1, 2, 2));
    await fails(inspectDataset(d), path.join(d, 'train-images-idx3-ubyte'), 'no labels file', 'train-labels-idx1-ubyte');
  });
});
