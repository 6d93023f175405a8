// The reference augmentation: 4-pixel reflect pad, horizontal flip, random crop — against a plain
// implementation that builds the padded image.
import { describe, expect, it } from 'vitest';
import { augmentImage, drawAugmentation, reflect } from '../../core/data/index.js';
import { Rng } from '../../core/util/rng.js';

/** numpy.pad(mode='reflect') of an HWC image, then flip the padded image, then crop at (top, left). */
function naive(img: Uint8Array, h: number, w: number, c: number, flip: boolean, top: number, left: number, pad = 4): Uint8Array {
  const ph = h + 2 * pad, pw = w + 2 * pad;
  const refl = (i: number, n: number) => { while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i; return i; };
  const padded = new Uint8Array(ph * pw * c);
  for (let y = 0; y < ph; y++) for (let x = 0; x < pw; x++) for (let ch = 0; ch < c; ch++)
    padded[(y * pw + x) * c + ch] = img[(refl(y - pad, h) * w + refl(x - pad, w)) * c + ch];
  const out = new Uint8Array(h * w * c);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) {
    const px = flip ? pw - 1 - (x + left) : x + left;
    out[(y * w + x) * c + ch] = padded[((y + top) * pw + px) * c + ch];
  }
  return out;
}

describe('augmentation', () => {
  it('reflect does not repeat the edge pixel', () => {
    expect([-4, -3, -2, -1, 0, 4, 5, 6, 7, 8].map((i) => reflect(i, 5))).toEqual([4, 3, 2, 1, 0, 4, 3, 2, 1, 0]);
  });

  it('by hand: 5×5 gray, crop at the top-left corner of the padded image', () => {
    const img = Uint8Array.from({ length: 25 }, (_, i) => i); // value = 5y + x
    const out = new Uint8Array(25);
    augmentImage(img, 0, 5, 5, 1, { flip: false, top: 0, left: 0 }, out, 0);
    // out(y, x) = img(|y − 4|, |x − 4|) for y, x ≤ 4 (reflection about row/column 0)
    expect(Array.from(out)).toEqual(Array.from({ length: 25 }, (_, i) => 5 * Math.abs(Math.floor(i / 5) - 4) + Math.abs((i % 5) - 4)));
    augmentImage(img, 0, 5, 5, 1, { flip: false, top: 4, left: 4 }, out, 0);
    expect(Array.from(out)).toEqual(Array.from(img)); // centered crop = original
    augmentImage(img, 0, 5, 5, 1, { flip: true, top: 4, left: 4 }, out, 0);
    expect(Array.from(out.subarray(0, 5))).toEqual([4, 3, 2, 1, 0]); // centered + flip = mirror
  });

  it('matches the plain pad → flip → crop for every offset and flip (32×32×3 and 7×9×1)', () => {
    for (const [h, w, c] of [[32, 32, 3], [7, 9, 1]]) {
      const img = Uint8Array.from({ length: h * w * c }, (_, i) => (i * 131 + 7) & 255);
      const out = new Uint8Array(h * w * c);
      for (const flip of [false, true]) for (let top = 0; top <= 8; top += 2) for (let left = 0; left <= 8; left++) {
        augmentImage(img, 0, h, w, c, { flip, top, left }, out, 0);
        const want = naive(img, h, w, c, flip, top, left);
        let diff = 0;
        for (let i = 0; i < want.length; i++) diff += Number(out[i] !== want[i]);
        expect(diff, `flip ${flip} top ${top} left ${left}`).toBe(0);
      }
    }
  });

  it('draws flip, top, left — three rng draws, in that order', () => {
    const a = new Rng(42), b = new Rng(42);
    const d = drawAugmentation(a);
    expect(d).toEqual({ flip: b.next() < 0.5, top: b.int(9), left: b.int(9) });
    expect(a.getState()).toBe(b.getState());
    // Over many draws: each offset 0..8 appears, flips ≈ half.
    const r = new Rng(1);
    const tops = new Set<number>();
    let flips = 0;
    for (let i = 0; i < 2000; i++) { const x = drawAugmentation(r); tops.add(x.top); flips += Number(x.flip); }
    expect([...tops].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Math.abs(flips - 1000)).toBeLessThan(100);
  });
});
