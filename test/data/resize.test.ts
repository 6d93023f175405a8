// Input-shape conversion: bilinear resize (half-pixel centers, antialiased when shrinking) and channels.
import { describe, expect, it } from 'vitest';
import { convertChannels, convertImage, resizeBilinear } from '../../core/data/index.js';

describe('resizeBilinear', () => {
  it('same size is the identity', () => {
    const src = Uint8Array.from({ length: 5 * 7 * 3 }, (_, i) => (i * 37) & 255);
    expect(resizeBilinear(src, 5, 7, 3, 5, 7)).toBe(src);
  });

  it('2×2 → 4×4 by hand (weights 1 | .75,.25 | .25,.75 | 1 on each axis)', () => {
    const src = Uint8Array.from([0, 100, 200, 40]); // [[0, 100], [200, 40]]
    const out = Array.from(resizeBilinear(src, 2, 2, 1, 4, 4));
    const row0 = [0, 25, 75, 100];
    const row3 = [200, 160, 80, 40];
    // row 1 = .75·row0 + .25·row3; row 2 = .25·row0 + .75·row3
    const row1 = row0.map((v, i) => Math.round(0.75 * v + 0.25 * row3[i]));
    const row2 = row0.map((v, i) => Math.round(0.25 * v + 0.75 * row3[i]));
    expect(out).toEqual([...row0, ...row1, ...row2, ...row3]);
  });

  it('4 → 2 shrinks with the widened triangle (weights 3/7, 3/7, 1/7 at the edge)', () => {
    const src = Uint8Array.from([70, 140, 0, 210]); // one row
    // out0 = (3·70 + 3·140 + 1·0)/7 = 90; out1 = (1·140 + 3·0 + 3·210)/7 = 110
    expect(Array.from(resizeBilinear(src, 1, 4, 1, 1, 2))).toEqual([90, 110]);
  });

  it('keeps channels separate', () => {
    const src = Uint8Array.from([10, 20, 30, 50, 60, 70]); // 1×2 RGB
    expect(Array.from(resizeBilinear(src, 1, 2, 3, 1, 1))).toEqual([30, 40, 50]);
  });
});

describe('channels', () => {
  it('RGB → gray by ITU-R 601 luminance, gray → RGB by replication, alpha dropped', () => {
    expect(Array.from(convertChannels(Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]), 4, 3, 1)))
      .toEqual([76, 150, 29, Math.round(0.299 * 10 + 0.587 * 20 + 0.114 * 30)]);
    expect(Array.from(convertChannels(Uint8Array.from([7, 9]), 2, 1, 3))).toEqual([7, 7, 7, 9, 9, 9]);
    expect(Array.from(convertChannels(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), 2, 4, 3))).toEqual([1, 2, 3, 5, 6, 7]);
  });

  it('convertImage: gray 2×2 → RGB 4×4 equals resizing then replicating', () => {
    const src = Uint8Array.from([0, 100, 200, 40]);
    const gray = resizeBilinear(src, 2, 2, 1, 4, 4);
    const rgb = convertImage(src, 2, 2, 1, [4, 4, 3]);
    for (let p = 0; p < 16; p++) expect([rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2]]).toEqual([gray[p], gray[p], gray[p]]);
  });
});
