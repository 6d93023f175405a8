// Taking parts of a split: a subset by index, and the seeded validation split.
import { Rng } from '../util/rng.js';
import type { Split } from './types.js';

export function subsetSplit(split: Split, indices: ArrayLike<number>): Split {
  const size = split.shape[0] * split.shape[1] * split.shape[2];
  const images = new Uint8Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    images.set(split.images.subarray(i * size, (i + 1) * size), k * size);
    labels[k] = split.labels[i];
  }
  return { images, labels, count: indices.length, shape: [...split.shape] };
}

/** Mixed into the seed so the validation draw is not the same stream as the training shuffle. */
const VALIDATION_SALT = 0x9e3779b9;

/**
 * Split off round(fraction·N) training examples, chosen by a seeded shuffle; both parts keep the original
 * order so the result does not depend on anything but (N, fraction, seed).
 */
export function validationIndices(count: number, fraction: number, seed: number): { train: Int32Array; validation: Int32Array } {
  const nv = Math.min(count - 1, Math.max(0, Math.round(fraction * count)));
  const perm = new Int32Array(count);
  for (let i = 0; i < count; i++) perm[i] = i;
  new Rng((seed ^ VALIDATION_SALT) >>> 0).shuffle(perm);
  const validation = perm.slice(0, nv).sort();
  const train = perm.slice(nv).sort();
  return { train, validation };
}
