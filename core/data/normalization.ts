// Per-channel mean and standard deviation of a split, in [0,1] pixel units (computed from the training
// set and stored in the run). Exact: a per-channel histogram of the 256 byte values.
import type { Normalization, Split } from './types.js';

/** Below this a channel is constant; dividing by ~0 would only amplify rounding, so std becomes 1. */
const MIN_STD = 1e-6;

export function computeNormalization(split: Split): Normalization {
  const c = split.shape[2];
  const hist = new Float64Array(c * 256);
  const n = split.count * split.shape[0] * split.shape[1] * c;
  const px = split.images;
  if (c === 3) {
    for (let i = 0; i < n; i += 3) { hist[px[i]]++; hist[256 + px[i + 1]]++; hist[512 + px[i + 2]]++; }
  } else {
    for (let i = 0; i < n; i++) hist[(i % c) * 256 + px[i]]++;
  }
  const mean: number[] = [];
  const std: number[] = [];
  for (let ch = 0; ch < c; ch++) {
    let count = 0, s = 0, s2 = 0;
    for (let v = 0; v < 256; v++) {
      const h = hist[ch * 256 + v];
      count += h; s += h * v; s2 += h * v * v;
    }
    const m = count > 0 ? s / count : 0;
    const variance = count > 0 ? Math.max(0, s2 / count - m * m) : 0;
    const sd = Math.sqrt(variance) / 255;
    mean.push(m / 255);
    std.push(sd < MIN_STD ? 1 : sd);
  }
  return { mean, std };
}

/** 256-entry table per channel: lut[c·256 + v] = (v/255 − mean_c) / std_c. */
export function normalizationTable(norm: Normalization, channels: number): Float32Array {
  if (norm.mean.length !== channels || norm.std.length !== channels) {
    throw new Error(`normalization has ${norm.mean.length} channels, the images have ${channels}`);
  }
  const lut = new Float32Array(channels * 256);
  for (let c = 0; c < channels; c++) {
    for (let v = 0; v < 256; v++) lut[c * 256 + v] = (v / 255 - norm.mean[c]) / norm.std[c];
  }
  return lut;
}
