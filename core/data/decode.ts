// PNG and JPEG decoding with pure-JS decoders (pngjs, jpeg-js): nothing native to install. The format is
// recognized by its first bytes, not by the file name.
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { DataError } from './errors.js';

export interface RgbaImage { width: number; height: number; data: Uint8Array /* RGBA */ }

const isPng = (b: Uint8Array) => b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const isJpeg = (b: Uint8Array) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/** Large photos would take seconds and gigabytes in a JS decoder; a training image never needs this much. */
const MAX_MEGAPIXELS = 64;

export function decodeImage(bytes: Uint8Array, file: string): RgbaImage {
  if (isPng(bytes)) {
    try {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    } catch (err) {
      throw new DataError(file, `image does not decode as PNG (${(err as Error).message}); expected a valid PNG file`);
    }
  }
  if (isJpeg(bytes)) {
    try {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_MEGAPIXELS });
      if (!(img.width > 0 && img.height > 0) || img.data.length < img.width * img.height * 4) {
        throw new Error('no image data');
      }
      return { width: img.width, height: img.height, data: img.data };
    } catch (err) {
      throw new DataError(file, `image does not decode as JPEG (${(err as Error).message}); expected a valid JPEG file`);
    }
  }
  const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new DataError(file, `image does not decode: not a PNG or JPEG (first bytes ${head || 'none: empty file'}); ` +
    'expected .png, .jpg or .jpeg image data');
}

/** True when every pixel has R = G = B (a grayscale picture stored as color). */
export function isGrayRgba(data: Uint8Array): boolean {
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] !== data[i + 1] || data[i] !== data[i + 2]) return false;
  }
  return true;
}
