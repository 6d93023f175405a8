// Format detection and option checks: what the user pointed at, and what they asked for.
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError, inspectDataset, loadDataset } from '../../core/data/index.js';
import { FASHION_DIR, pngBytes, tempDir, write } from './fixtures.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const fails = async (p: Promise<unknown>, file: string | undefined, ...parts: string[]) => {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(DataError);
  expect((err as DataError).file).toBe(file);
  for (const part of parts) expect((err as DataError).message).toContain(part);
};

describe('detection', () => {
  it('a forced format that does not match', async () => {
    await fails(loadDataset(FASHION_DIR, { format: 'cifar100' }), FASHION_DIR, 'looks like idx, not the requested cifar100');
    expect((await inspectDataset(FASHION_DIR, { format: 'idx' })).format).toBe('idx');
  });

  it('an empty folder, a file instead of a folder, one class only', async () => {
    const empty = path.join(tmp.dir, 'empty');
    write(path.join(empty, 'readme.txt'), 'hi');
    await fails(inspectDataset(empty), empty, 'no dataset found', 'data_batch_*.bin', 'one subfolder of images per class');
    await fails(inspectDataset(path.join(empty, 'readme.txt')), path.join(empty, 'readme.txt'), 'is a file; expected the folder');
    const one = path.join(tmp.dir, 'one');
    write(path.join(one, 'cat', 'a.png'), pngBytes(2, 2, () => [1, 2, 3]));
    write(path.join(one, 'cat', 'b.png'), pngBytes(2, 2, () => [1, 2, 3]));
    await fails(inspectDataset(one), one, 'only one class folder ("cat")');
  });

  it('bad options are reported before anything is read', async () => {
    await fails(loadDataset(FASHION_DIR, { inputShape: [32, 32, 4] }), undefined, 'inputShape [32,32,4] is not valid');
    await fails(loadDataset(FASHION_DIR, { limit: 0 }), undefined, 'limit 0 is not valid');
    await fails(loadDataset(FASHION_DIR, { validationSplit: 1 }), undefined, 'validationSplit 1 is not valid');
  });
});
