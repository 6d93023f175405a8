// Sample images for the wizard, as PNG bytes. Large images are shrunk to a thumbnail first.
import { PNG } from 'pngjs';
import { convertChannels, resizeBilinear } from './resize.js';

export const MAX_SAMPLES = 20;
export const THUMBNAIL_MAX_SIDE = 128;

/** Samples per class so that the total stays within MAX_SAMPLES (at least one). */
export const samplesPerClass = (numClasses: number): number => Math.max(1, Math.floor(MAX_SAMPLES / Math.max(1, numClasses)));

/** PNG bytes of an HWC uint8 image with 1, 3 or 4 channels. */
export function encodePng(pixels: Uint8Array, h: number, w: number, c: number): Uint8Array {
  let img = pixels;
  let [H, W] = [h, w];
  const side = Math.max(h, w);
  if (side > THUMBNAIL_MAX_SIDE) {
    H = Math.max(1, Math.round((h * THUMBNAIL_MAX_SIDE) / side));
    W = Math.max(1, Math.round((w * THUMBNAIL_MAX_SIDE) / side));
    img = resizeBilinear(pixels, h, w, c, H, W);
  }
  const png = new PNG({ width: W, height: H });
  const rgba = c === 4 ? img : addAlpha(convertChannels(img, H * W, c, 3), H * W);
  png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  const out = PNG.sync.write(png);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

function addAlpha(rgb: Uint8Array, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels * 4);
  for (let p = 0; p < pixels; p++) {
    out[4 * p] = rgb[3 * p]; out[4 * p + 1] = rgb[3 * p + 1]; out[4 * p + 2] = rgb[3 * p + 2]; out[4 * p + 3] = 255;
  }
  return out;
}

/** Up to `perClass` examples of each class, in class order, from the start of a split, capped at MAX_SAMPLES. */
export function pickSampleIndices(labels: ArrayLike<number>, numClasses: number, count = labels.length): number[] {
  const per = samplesPerClass(numClasses);
  const taken = new Array<number>(numClasses).fill(0);
  const picked: number[] = [];
  for (let i = 0; i < count; i++) {
    const l = labels[i];
    if (taken[l] < per) { taken[l]++; picked.push(i); }
  }
  return picked.sort((a, b) => labels[a] - labels[b] || a - b).slice(0, MAX_SAMPLES);
}
