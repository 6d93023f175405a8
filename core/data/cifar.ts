// CIFAR binary batches. CIFAR-10 records are 3073 bytes (label, 3072 pixels); CIFAR-100 records are 3074
// bytes (coarse label, fine label, 3072 pixels; we use the fine label). Pixels are stored as three 32×32
// planes (R, G, B — CHW); this project keeps images HWC.
import { DataError } from './errors.js';
import { fileSize, readRange } from './files.js';
import type { Split } from './types.js';

export const CIFAR_SIDE = 32;
export const CIFAR_PIXELS = CIFAR_SIDE * CIFAR_SIDE * 3;

export interface CifarKind {
  name: 'CIFAR-10' | 'CIFAR-100';
  /** Label bytes before the pixels. */
  labelBytes: 1 | 2;
  /** Offset of the label used for training inside the record. */
  labelOffset: number;
  numClasses: number;
  coarseClasses?: number;
}

export const CIFAR10: CifarKind = { name: 'CIFAR-10', labelBytes: 1, labelOffset: 0, numClasses: 10 };
export const CIFAR100: CifarKind = { name: 'CIFAR-100', labelBytes: 2, labelOffset: 1, numClasses: 100, coarseClasses: 20 };

export const recordBytes = (k: CifarKind): number => k.labelBytes + CIFAR_PIXELS;

/** Records per file, each file checked for a whole number of records. */
export async function cifarFileCounts(files: string[], kind: CifarKind): Promise<number[]> {
  const rec = recordBytes(kind);
  const counts: number[] = [];
  for (const f of files) {
    const size = await fileSize(f);
    if (size === 0 || size % rec !== 0) {
      throw new DataError(f, `truncated batch: ${size} bytes is not a whole number of ${rec}-byte ${kind.name} ` +
        `records (${kind.labelBytes === 1 ? '1 label byte' : '2 label bytes (coarse, fine)'} + ${CIFAR_PIXELS} pixels)`);
    }
    counts.push(size / rec);
  }
  return counts;
}

function checkLabels(file: string, kind: CifarKind, rec: Uint8Array, index: number): number {
  if (kind.coarseClasses !== undefined && rec[0] >= kind.coarseClasses) {
    throw new DataError(file, `coarse label ${rec[0]} of record ${index} is out of range, expected 0..${kind.coarseClasses - 1}`);
  }
  const label = rec[kind.labelOffset];
  if (label >= kind.numClasses) {
    throw new DataError(file, `${kind.coarseClasses !== undefined ? 'fine ' : ''}label ${label} of record ${index} ` +
      `is out of range, expected 0..${kind.numClasses - 1} (${kind.name})`);
  }
  return label;
}

/** CHW planes of one record → HWC at `dst[offset..]`. */
export function chwToHwc(src: Uint8Array, srcOffset: number, dst: Uint8Array, dstOffset: number): void {
  const plane = CIFAR_SIDE * CIFAR_SIDE;
  for (let p = 0, o = dstOffset; p < plane; p++, o += 3) {
    dst[o] = src[srcOffset + p];
    dst[o + 1] = src[srcOffset + plane + p];
    dst[o + 2] = src[srcOffset + 2 * plane + p];
  }
}

/** The first `limit` records (all when undefined) across `files` in order, reading only what is needed. */
export async function readCifarSplit(files: string[], kind: CifarKind, limit?: number): Promise<Split> {
  const counts = await cifarFileCounts(files, kind);
  const total = counts.reduce((a, b) => a + b, 0);
  const n = limit === undefined ? total : Math.min(limit, total);
  const rec = recordBytes(kind);
  const images = new Uint8Array(n * CIFAR_PIXELS);
  const labels = new Int32Array(n);
  let k = 0;
  for (let f = 0; f < files.length && k < n; f++) {
    const take = Math.min(counts[f], n - k);
    const bytes = await readRange(files[f], 0, take * rec);
    if (bytes.length < take * rec) throw new DataError(files[f], `truncated batch: file shrank while being read`);
    for (let r = 0; r < take; r++, k++) {
      const off = r * rec;
      labels[k] = checkLabels(files[f], kind, bytes.subarray(off, off + kind.labelBytes), r);
      chwToHwc(bytes, off + kind.labelBytes, images, k * CIFAR_PIXELS);
    }
  }
  return { images, labels, count: n, shape: [CIFAR_SIDE, CIFAR_SIDE, 3] };
}

/**
 * For inspect: up to `perClass` records of each class from the start of the first file, reading
 * `chunk` records at a time until found or the file ends.
 */
export async function sampleCifar(file: string, kind: CifarKind, perClass: number, maxTotal: number, chunk = 500): Promise<{ label: number; image: Uint8Array }[]> {
  const [count] = await cifarFileCounts([file], kind);
  const rec = recordBytes(kind);
  const classesWanted = Math.min(kind.numClasses, Math.ceil(maxTotal / perClass));
  const taken = new Array<number>(kind.numClasses).fill(0);
  const out: { label: number; image: Uint8Array }[] = [];
  for (let start = 0; start < count && out.length < Math.min(maxTotal, classesWanted * perClass); start += chunk) {
    const m = Math.min(chunk, count - start);
    const bytes = await readRange(file, start * rec, m * rec);
    for (let r = 0; r < m; r++) {
      const off = r * rec;
      const label = checkLabels(file, kind, bytes.subarray(off, off + kind.labelBytes), start + r);
      if (label >= classesWanted || taken[label] >= perClass) continue;
      taken[label]++;
      const image = new Uint8Array(CIFAR_PIXELS);
      chwToHwc(bytes, off + kind.labelBytes, image, 0);
      out.push({ label, image });
    }
  }
  return out.sort((a, b) => a.label - b.label);
}
