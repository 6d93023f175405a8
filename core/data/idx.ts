// IDX files (MNIST, Fashion-MNIST, KMNIST): a big-endian header — magic 0x0000 08 <ndims>, then one
// uint32 per dimension — followed by uint8 data. Images are idx3 (N, H, W); labels are idx1 (N).
import { DataError } from './errors.js';
import { assertContentLength, fileSize, isGzip, readPrefix, readWhole } from './files.js';
import type { Split } from './types.js';

export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

export interface IdxHeader { dims: number[]; headerBytes: number }

const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

export function parseIdxHeader(bytes: Uint8Array, file: string, kind: 'images' | 'labels'): IdxHeader {
  const expected = kind === 'images' ? IDX_IMAGES_MAGIC : IDX_LABELS_MAGIC;
  const what = kind === 'images' ? 'IDX images' : 'IDX labels';
  if (bytes.length < 4) throw new DataError(file, `truncated: ${bytes.length} bytes, expected an ${what} header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic !== expected) {
    // Said as what the file is not: "wrong magic number 0x67617262" meant nothing to a person.
    const text = [0, 1, 2, 3].map((i) => bytes[i]!).every((b) => b >= 0x20 && b < 0x7f) ? ` ("${String.fromCharCode(...bytes.subarray(0, 4))}…", text)` : '';
    throw new DataError(file, `not an ${what} file: it starts with ${hex(magic)}${text} where ${what} files start with ${hex(expected)}; check that this is the right file of the dataset`);
  }
  const ndims = bytes[3];
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new DataError(file, `truncated: ${bytes.length} bytes, expected a ${headerBytes}-byte ${what} header`);
  }
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i));
  return { dims, headerBytes };
}

export interface IdxImages { images: Uint8Array; count: number; height: number; width: number; total: number }

/** Header, and a check that the file holds every image it announces (a few bytes read, even from a .gz). */
export async function readIdxImagesHeader(file: string): Promise<{ total: number; height: number; width: number }> {
  const { dims } = parseIdxHeader(await readPrefix(file, 16), file, 'images');
  const [total, height, width] = dims;
  await assertContentLength(file, 16 + total * height * width, `the header says ${total} images of ${height}×${width}`);
  return { total, height, width };
}

/** The first `limit` images (all when undefined). */
export async function readIdxImages(file: string, limit?: number): Promise<IdxImages> {
  const head = await readIdxImagesHeader(file);
  const { total, height, width } = head;
  const n = limit === undefined ? total : Math.min(limit, total);
  const pixels = height * width;
  const headerBytes = 16;
  const need = headerBytes + n * pixels;
  const bytes = limit === undefined ? await readWhole(file) : await readPrefix(file, need);
  if (bytes.length < need) {
    throw new DataError(
      file,
      `truncated: the header says ${total} images of ${height}×${width} (${headerBytes + total * pixels} bytes) ` +
        `but the ${isGzip(file) ? 'decompressed ' : ''}file has ${bytes.length} bytes`,
    );
  }
  if (limit !== undefined && !isGzip(file)) {
    // Cheap for raw files: catch truncation even when only a prefix is read.
    const size = await fileSize(file);
    if (size < headerBytes + total * pixels) {
      throw new DataError(file, `truncated: the header says ${total} images of ${height}×${width} ` +
        `(${headerBytes + total * pixels} bytes) but the file has ${size} bytes`);
    }
  }
  return { images: bytes.subarray(headerBytes, need), count: n, height, width, total };
}

export async function readIdxLabelsHeader(file: string): Promise<{ total: number }> {
  const h = parseIdxHeader(await readPrefix(file, 8), file, 'labels');
  if (h.dims.length !== 1) throw new DataError(file, `has ${h.dims.length} dimensions, expected 1 (IDX labels)`);
  await assertContentLength(file, h.headerBytes + h.dims[0], `the header says ${h.dims[0]} labels`);
  return { total: h.dims[0] };
}

/** The first `limit` labels (all when undefined), each checked against the class count. */
export async function readIdxLabels(file: string, numClasses: number, limit?: number): Promise<{ labels: Int32Array; total: number }> {
  const bytes = await readWhole(file); // labels are small: 60 kB for 60 000 examples
  const h = parseIdxHeader(bytes, file, 'labels');
  if (h.dims.length !== 1) throw new DataError(file, `has ${h.dims.length} dimensions, expected 1 (IDX labels)`);
  const total = h.dims[0];
  if (bytes.length < h.headerBytes + total) {
    throw new DataError(file, `truncated: the header says ${total} labels (${h.headerBytes + total} bytes) ` +
      `but the ${isGzip(file) ? 'decompressed ' : ''}file has ${bytes.length} bytes`);
  }
  const n = limit === undefined ? total : Math.min(limit, total);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = bytes[h.headerBytes + i];
    if (v >= numClasses) {
      throw new DataError(file, `label ${v} at index ${i} is out of range, expected 0..${numClasses - 1} ` +
        `(${numClasses} classes)`);
    }
    labels[i] = v;
  }
  return { labels, total };
}

/** One IDX split: images + labels, checked against each other. */
export async function readIdxSplit(imagesFile: string, labelsFile: string, numClasses: number, limit?: number): Promise<Split> {
  const img = await readIdxImages(imagesFile, limit);
  const lab = await readIdxLabels(labelsFile, numClasses, limit);
  if (lab.total !== img.total) {
    throw new DataError(labelsFile, `has ${lab.total} labels but ${imagesFile} has ${img.total} images; expected equal counts`);
  }
  return { images: img.images, labels: lab.labels, count: img.count, shape: [img.height, img.width, 1] };
}
