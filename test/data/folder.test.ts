// Image-folder reader on small PNG/JPEG folders written here.
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError, inspectDataset, loadDataset } from '../../core/data/index.js';
import { decodePng, jpegBytes, pngBytes, tempDir, write } from './fixtures.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const COLORS: Record<string, [number, number, number]> = { cat: [200, 10, 10], dog: [10, 200, 10], frog: [10, 10, 200] };
/** Each image is its class color, with the red channel nudged by its file number (to tell files apart). */
const colorOf = (cls: string, k: number): [number, number, number] => [COLORS[cls][0] + k, COLORS[cls][1], COLORS[cls][2]];

function folder(name: string, perClass = 5, sub = '', w = 6, h = 4) {
  const root = path.join(tmp.dir, name);
  for (const cls of Object.keys(COLORS)) {
    for (let k = 0; k < perClass; k++) write(path.join(root, sub, cls, `img${k}.png`), pngBytes(w, h, () => colorOf(cls, k)));
  }
  return root;
}

const fails = async (p: Promise<unknown>, file: string, ...parts: string[]) => {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(DataError);
  expect((err as DataError).file).toBe(file);
  for (const part of parts) expect((err as DataError).message).toContain(part);
};

describe('image folders', () => {
  it('<root>/<class>/*.png without a test folder: a fixed 20% per class is held out, and said so', async () => {
    const root = folder('plain');
    write(path.join(root, 'cat', 'notes.txt'), 'not an image');
    write(path.join(root, 'dog', '.DS_Store'), 'junk');
    const info = await inspectDataset(root);
    expect(info).toMatchObject({ format: 'folder', classes: ['cat', 'dog', 'frog'], trainCount: 12, testCount: 3, imageShape: [4, 6, 3] });
    expect(info.notes!.join(' ')).toContain('20% of each class is held out');
    const a = await loadDataset(root, { seed: 1 });
    const b = await loadDataset(root, { seed: 2 });
    expect(a.train.count).toBe(12);
    expect(Array.from(a.test.labels)).toEqual([0, 1, 2]);
    expect(a.test.images).toEqual(b.test.images); // same held-out images whatever the run's seed
    // Round-robin order: labels cycle through the classes; every pixel is its class color.
    expect(Array.from(a.train.labels)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
    const names = ['cat', 'dog', 'frog'];
    const seen = new Set<string>();
    for (const split of [a.train, a.test]) {
      for (let i = 0; i < split.count; i++) {
        const cls = names[split.labels[i]];
        const o = i * 72;
        const k = split.images[o] - COLORS[cls][0];
        expect(k >= 0 && k < 5).toBe(true);
        expect(Array.from(split.images.subarray(o, o + 3))).toEqual(colorOf(cls, k));
        expect(split.images[o + 71]).toBe(COLORS[cls][2]);
        seen.add(`${cls}${k}`);
      }
    }
    expect(seen.size).toBe(15); // train and test together are every file, once
    expect(info.samples.length).toBe(12); // 20 / 3 classes → up to 6 per class; 4 training images each
    expect(decodePng(info.samples[0].png).width).toBe(6);
  });

  it('train/ + test/ folders, val/ as validation when both exist; limit is balanced', async () => {
    const root = folder('split', 4, 'train');
    folder('split', 2, 'test');
    folder('split', 1, 'val');
    const ds = await loadDataset(root);
    expect(ds.info.classes).toEqual(['cat', 'dog', 'frog']);
    expect([ds.train.count, ds.test.count, ds.validation!.count]).toEqual([12, 6, 3]);
    expect(ds.info.notes!.join(' ')).not.toContain('held out');
    const lim = await loadDataset(root, { limit: 4 });
    expect(Array.from(lim.train.labels)).toEqual([0, 1, 2, 0]);
    expect(lim.test.count).toBe(4);
    const apart = await loadDataset(root, { limit: 4, testLimit: 'all' });
    expect([apart.train.count, apart.test.count]).toEqual([4, 6]);
    expect((await loadDataset(root, { limit: 4, testLimit: 2 })).test.count).toBe(2);
    // validationSplit takes precedence over the val/ folder
    const vs = await loadDataset(root, { validationSplit: 0.25, seed: 7 });
    expect([vs.train.count, vs.validation!.count]).toEqual([9, 3]);
  });

  it('<root>/<class> with a validation/ folder (no test/) uses it as the test set', async () => {
    const root = folder('valonly', 3);
    folder('valonly', 1, 'validation');
    const ds = await loadDataset(root);
    expect(ds.info.classes).toEqual(['cat', 'dog', 'frog']);
    expect([ds.train.count, ds.test.count]).toEqual([9, 3]);
    expect(ds.validation).toBeUndefined();
  });

  it('decodes JPEG, detects gray images, resizes to the first image size or the input shape', async () => {
    const root = path.join(tmp.dir, 'mixed');
    write(path.join(root, 'a', '1.jpg'), jpegBytes(8, 8, [90, 90, 90]));
    write(path.join(root, 'a', '2.png'), pngBytes(4, 4, () => [30, 30, 30]));
    write(path.join(root, 'b', '1.PNG'), pngBytes(8, 8, (x) => (x < 4 ? [0, 0, 0] : [200, 200, 200])));
    write(path.join(root, 'b', '2.jpeg'), jpegBytes(8, 8, [140, 140, 140]));
    write(path.join(root, 'test', 'a', 't.png'), pngBytes(8, 8, () => [60, 60, 60]));
    const ds = await loadDataset(root);
    expect(ds.train.shape).toEqual([8, 8, 1]); // first image 8×8, all gray → one channel
    expect(Math.abs(ds.train.images[0] - 90)).toBeLessThanOrEqual(2); // JPEG at quality 100
    // 4×4 flat 30 upscaled to 8×8 stays 30 everywhere; the note counts the resized image.
    const i2 = Array.from(ds.train.labels).indexOf(0, 1);
    expect(Array.from(ds.train.images.subarray(i2 * 64, i2 * 64 + 64)).every((v) => v === 30)).toBe(true);
    expect(ds.info.notes!.join(' ')).toContain('1 images resized to 8×8');
    const rgb = await loadDataset(root, { inputShape: [4, 4, 3], limit: 2 });
    expect(rgb.train.shape).toEqual([4, 4, 3]);
    // b/1.PNG (columns 0..3 black, 4..7 at 200), 8 → 4 columns with the widened triangle filter:
    // column 0 reads inputs 0..2 (weights .75,.75,.25) → 0; column 1 reads 1..4 (.25,.75,.75,.25) → 200·.25/2 = 25;
    // column 3 reads 5..7 → 200.
    const b = 1 * 48;
    expect([rgb.train.images[b], rgb.train.images[b + 9], rgb.train.images[b + 10], rgb.train.images[b + 11]]).toEqual([0, 200, 200, 200]);
    expect(rgb.train.images[b + 3]).toBe(25);
    expect(rgb.train.images[b + 6]).toBe(175); // column 2: (0·.25 + 200·.75 + 200·.75 + 200·.25)/2
  });

  it('class folder with no images', async () => {
    const root = folder('empty', 2);
    write(path.join(root, 'zebra', 'readme.txt'), 'no pictures here');
    await fails(loadDataset(root), path.join(root, 'zebra'), 'class "zebra" has no images', 'expected .png, .jpg or .jpeg');
  });

  it('image that does not decode: not an image, a PNG cut short, a broken JPEG', async () => {
    const r1 = folder('bad1', 2);
    const f1 = write(path.join(r1, 'dog', 'x.png'), 'hello, world');
    await fails(loadDataset(r1), f1, 'image does not decode: not a PNG or JPEG (first bytes 68 65 6c 6c)');
    const r2 = folder('bad2', 2);
    const f2 = write(path.join(r2, 'cat', 'cut.png'), pngBytes(16, 16, (x, y) => [x * 9, y * 9, 0]).subarray(0, 60));
    await fails(loadDataset(r2), f2, 'image does not decode as PNG');
    const r3 = folder('bad3', 2);
    const f3 = write(path.join(r3, 'frog', 'cut.jpg'), jpegBytes(16, 16, [1, 2, 3]).subarray(0, 40));
    await fails(loadDataset(r3), f3, 'image does not decode as JPEG');
  });

  it('a test class that is not a training class; no class folders at all', async () => {
    const root = folder('extra', 2, 'train');
    write(path.join(root, 'test', 'horse', 'h.png'), pngBytes(6, 4, () => [1, 2, 3]));
    await fails(loadDataset(root), path.join(root, 'test', 'horse'), 'class "horse" is not among the training classes');
    const flat = path.join(tmp.dir, 'flat');
    write(path.join(flat, 'x', 'readme.txt'), '');
    write(path.join(flat, 'y', 'readme.txt'), '');
    await fails(loadDataset(flat), path.join(flat, 'x'), 'has no images');
    await fails(loadDataset(path.join(tmp.dir, 'nope')), path.join(tmp.dir, 'nope'), 'not found');
  });
});
