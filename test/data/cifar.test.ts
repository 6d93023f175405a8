// CIFAR-10 / CIFAR-100 binary readers on small batch files written here.
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError, inspectDataset, loadDataset } from '../../core/data/index.js';
import { cifarPixel, cifarRecords, decodePng, tempDir, write } from './fixtures.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const NAMES10 = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/** data_batch_1 (3 records), data_batch_2 (3), test_batch (2); image i has pixels cifarPixel(i, …). */
function cifar10(name: string, opts: { meta?: boolean; labels?: number[]; nested?: boolean } = {}) {
  const root = path.join(tmp.dir, name);
  const d = opts.nested ? path.join(root, 'cifar-10-batches-bin') : root;
  const l = opts.labels ?? [3, 1, 4, 1, 5, 9];
  write(path.join(d, 'data_batch_1.bin'), cifarRecords(l.slice(0, 3).map((x) => [x]), 0));
  write(path.join(d, 'data_batch_2.bin'), cifarRecords(l.slice(3).map((x) => [x]), 3));
  write(path.join(d, 'test_batch.bin'), cifarRecords([[2], [6]], 100));
  if (opts.meta !== false) write(path.join(d, 'batches.meta.txt'), NAMES10.join('\n') + '\n\n');
  return { root, d };
}

const fails = async (p: Promise<unknown>, file: string, ...parts: string[]) => {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(DataError);
  expect((err as DataError).file).toBe(file);
  for (const part of parts) expect((err as DataError).message).toContain(part);
};

describe('CIFAR-10', () => {
  it('reads all batches in order, converts CHW planes to HWC, names classes from batches.meta.txt', async () => {
    const { d } = cifar10('c10');
    const ds = await loadDataset(d);
    expect(ds.info).toMatchObject({ format: 'cifar10', classes: NAMES10, trainCount: 6, testCount: 2, imageShape: [32, 32, 3] });
    expect(Array.from(ds.train.labels)).toEqual([3, 1, 4, 1, 5, 9]);
    expect(Array.from(ds.test.labels)).toEqual([2, 6]);
    for (const [i, y, x, c] of [[0, 0, 0, 0], [0, 0, 0, 2], [4, 7, 19, 1], [5, 31, 31, 2], [2, 12, 3, 0]]) {
      expect(ds.train.images[i * 3072 + (y * 32 + x) * 3 + c]).toBe(cifarPixel(i, c, y, x));
    }
    expect(ds.test.images[1 * 3072 + (5 * 32 + 6) * 3 + 1]).toBe(cifarPixel(101, 1, 5, 6));
  });

  it('limit reads the first N across batch files', async () => {
    const { d } = cifar10('c10-limit');
    const ds = await loadDataset(d, { limit: 4 });
    expect(ds.train.count).toBe(4);
    expect(Array.from(ds.train.labels)).toEqual([3, 1, 4, 1]);
    expect(ds.train.images[3 * 3072 + 5]).toBe(cifarPixel(3, 2, 0, 1));
    expect(ds.test.count).toBe(2);
  });

  it('without batches.meta.txt the classes are "class 0"…, and the download folder is followed', async () => {
    const { root } = cifar10('c10-nested', { meta: false, nested: true });
    const info = await inspectDataset(root);
    expect(info.classes).toEqual(Array.from({ length: 10 }, (_, i) => `class ${i}`));
    expect(info.path).toBe(path.join(root, 'cifar-10-batches-bin'));
    expect(info.trainCount).toBe(6);
    // Samples: one per class present in data_batch_1 (labels 3, 1, 4), up to two per class, sorted by class.
    expect(info.samples.map((s) => s.label)).toEqual([1, 3, 4]);
    const png = decodePng(info.samples[1].png); // class 3 = record 0
    expect([png.width, png.height]).toEqual([32, 32]);
    expect([png.data[(2 * 32 + 5) * 4], png.data[(2 * 32 + 5) * 4 + 1], png.data[(2 * 32 + 5) * 4 + 2]])
      .toEqual([cifarPixel(0, 0, 2, 5), cifarPixel(0, 1, 2, 5), cifarPixel(0, 2, 2, 5)]);
  });

  it('truncated batch', async () => {
    const { d } = cifar10('c10-trunc');
    const f = write(path.join(d, 'data_batch_2.bin'), cifarRecords([[1], [2]]).subarray(0, 3073 + 1000));
    await fails(loadDataset(d), f, 'truncated batch: 4073 bytes is not a whole number of 3073-byte CIFAR-10 records');
    await fails(inspectDataset(d), f, 'truncated batch');
  });

  it('label out of range', async () => {
    const { d } = cifar10('c10-range', { labels: [3, 10, 4, 1, 5, 9] });
    await fails(loadDataset(d), path.join(d, 'data_batch_1.bin'), 'label 10 of record 1 is out of range, expected 0..9 (CIFAR-10)');
  });

  it('a test batch without training batches', async () => {
    const d = path.join(tmp.dir, 'c10-only-test');
    write(path.join(d, 'test_batch.bin'), cifarRecords([[1]]));
    await fails(loadDataset(d), path.join(d, 'test_batch.bin'), 'no training batches', 'data_batch_1.bin');
  });
});

describe('CIFAR-100', () => {
  function cifar100(name: string, train: number[][], names = true) {
    const d = path.join(tmp.dir, name);
    write(path.join(d, 'train.bin'), cifarRecords(train, 0));
    write(path.join(d, 'test.bin'), cifarRecords([[0, 99], [19, 50]], 10));
    if (names) write(path.join(d, 'fine_label_names.txt'), Array.from({ length: 100 }, (_, i) => `fine${i}`).join('\n'));
    return d;
  }

  it('uses the fine label (second byte) and fine_label_names.txt', async () => {
    const d = cifar100('c100', [[4, 72], [1, 0], [19, 99]]);
    const ds = await loadDataset(d);
    expect(ds.info.format).toBe('cifar100');
    expect(ds.info.classes.length).toBe(100);
    expect(ds.info.classes[72]).toBe('fine72');
    expect(Array.from(ds.train.labels)).toEqual([72, 0, 99]);
    expect(Array.from(ds.test.labels)).toEqual([99, 50]);
    expect(ds.train.images[2 * 3072 + (9 * 32 + 30) * 3 + 2]).toBe(cifarPixel(2, 2, 9, 30));
  });

  it('fine label out of range, coarse label out of range, truncated', async () => {
    const f = (d: string) => path.join(d, 'train.bin');
    const d1 = cifar100('c100-fine', [[4, 72], [1, 100]]);
    await fails(loadDataset(d1), f(d1), 'fine label 100 of record 1 is out of range, expected 0..99');
    const d2 = cifar100('c100-coarse', [[20, 1]]);
    await fails(loadDataset(d2), f(d2), 'coarse label 20 of record 0 is out of range, expected 0..19');
    const d3 = cifar100('c100-trunc', [[1, 1]]);
    write(f(d3), cifarRecords([[1, 1], [2, 2]]).subarray(0, 3074 + 3073));
    await fails(loadDataset(d3), f(d3), 'truncated batch', '3074-byte CIFAR-100 records');
  });

  it('train.bin without test.bin', async () => {
    const d = path.join(tmp.dir, 'c100-half');
    write(path.join(d, 'train.bin'), cifarRecords([[1, 1]]));
    await fails(loadDataset(d), d, 'has train.bin but not test.bin');
  });
});
