// The reference augmentation (szagoruyko/attention-transfer, cifar.py): 4-pixel reflect pad, random
// horizontal flip (p = 0.5), random crop back to H×W — done on uint8 images without building the padded
// image: each output pixel reads its source through a row map and a column map.
import type { Rng } from '../util/rng.js';

export const AUGMENT_PAD = 4;

export interface AugmentDraw { flip: boolean; top: number; left: number }

/**
 * Rng order per example (part of the resume contract): flip = next() < 0.5, then top = int(2·pad+1),
 * then left = int(2·pad+1) — three draws.
 */
export function drawAugmentation(rng: Rng, pad = AUGMENT_PAD): AugmentDraw {
  const flip = rng.next() < 0.5;
  const top = rng.int(2 * pad + 1);
  const left = rng.int(2 * pad + 1);
  return { flip, top, left };
}
export const DRAWS_PER_EXAMPLE = 3;

/** 'reflect' padding (edge pixel not repeated): index −1 → 1, n → n−2. */
export function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let j = i % period;
  if (j < 0) j += period;
  return j < n ? j : period - j;
}

/**
 * Write the augmented copy of one HWC image. The padded image (H+2p)×(W+2p) is flipped, then cropped at
 * (top, left): out(y, x) = padded(y + top, flip ? W+2p−1−(x+left) : x+left).
 */
export function augmentImage(src: Uint8Array, srcOffset: number, h: number, w: number, c: number,
  draw: AugmentDraw, dst: Uint8Array, dstOffset: number, pad = AUGMENT_PAD, colMap = new Int32Array(w)): void {
  const pw = w + 2 * pad;
  for (let x = 0; x < w; x++) {
    const px = draw.flip ? pw - 1 - (x + draw.left) : x + draw.left;
    colMap[x] = reflect(px - pad, w) * c;
  }
  let o = dstOffset;
  for (let y = 0; y < h; y++) {
    const row = srcOffset + reflect(y + draw.top - pad, h) * w * c;
    if (c === 3) {
      for (let x = 0; x < w; x++, o += 3) {
        const s = row + colMap[x];
        dst[o] = src[s]; dst[o + 1] = src[s + 1]; dst[o + 2] = src[s + 2];
      }
    } else {
      for (let x = 0; x < w; x++) {
        const s = row + colMap[x];
        for (let ch = 0; ch < c; ch++) dst[o++] = src[s + ch];
      }
    }
  }
}
