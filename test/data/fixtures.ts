// Small datasets written by the tests, in the real on-disk formats, under a temp folder.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';

export const FASHION_DIR = '/usr/share/datasets/fashion-mnist';

export function tempDir(prefix = 'atstudio-data-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function write(file: string, data: Uint8Array | string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, data);
  return file;
}

/** Pixel value of CIFAR test image `i`, channel c, row y, column x — distinct across c, y, x. */
export const cifarPixel = (i: number, c: number, y: number, x: number) => (i * 7 + c * 85 + y * 3 + x) & 255;

/** CIFAR records: labels = [label] (CIFAR-10) or [coarse, fine] (CIFAR-100), pixels as CHW planes. */
export function cifarRecords(labels: number[][], firstIndex = 0): Uint8Array {
  const rec = labels[0].length + 3072;
  const out = new Uint8Array(labels.length * rec);
  labels.forEach((ls, r) => {
    const o = r * rec;
    ls.forEach((l, j) => (out[o + j] = l));
    for (let c = 0; c < 3; c++)
      for (let y = 0; y < 32; y++)
        for (let x = 0; x < 32; x++) out[o + ls.length + c * 1024 + y * 32 + x] = cifarPixel(firstIndex + r, c, y, x);
  });
  return out;
}

export function idxImages(count: number, h: number, w: number, pixels?: Uint8Array, magic = 0x00000803): Uint8Array {
  const head = new Uint8Array(16);
  const v = new DataView(head.buffer);
  v.setUint32(0, magic); v.setUint32(4, count); v.setUint32(8, h); v.setUint32(12, w);
  const body = pixels ?? Uint8Array.from({ length: count * h * w }, (_, i) => i & 255);
  return concat(head, body);
}

export function idxLabels(labels: number[], magic = 0x00000801): Uint8Array {
  const head = new Uint8Array(8);
  const v = new DataView(head.buffer);
  v.setUint32(0, magic); v.setUint32(4, labels.length);
  return concat(head, Uint8Array.from(labels));
}

export const gz = (b: Uint8Array) => new Uint8Array(gzipSync(b));

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a); out.set(b, a.length);
  return out;
}

/** PNG of a w×h image filled by rgb(x, y) → [r, g, b]. */
export function pngBytes(w: number, h: number, rgb: (x: number, y: number) => [number, number, number]): Uint8Array {
  const png = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const [r, g, b] = rgb(x, y);
      const o = (y * w + x) * 4;
      png.data[o] = r; png.data[o + 1] = g; png.data[o + 2] = b; png.data[o + 3] = 255;
    }
  return new Uint8Array(PNG.sync.write(png));
}

export function jpegBytes(w: number, h: number, rgb: [number, number, number]): Uint8Array {
  const data = new Uint8Array(w * h * 4);
  for (let p = 0; p < w * h; p++) { data.set(rgb, p * 4); data[p * 4 + 3] = 255; }
  return new Uint8Array(jpeg.encode({ width: w, height: h, data }, 100).data);
}

export function decodePng(bytes: Uint8Array) {
  return PNG.sync.read(Buffer.from(bytes));
}
