// Batches for training and evaluation. Images stay uint8 in the split; each batch is gathered (and
// augmented) as uint8, then turned into normalized float32 through a per-channel lookup table.
//
// Rng order (so a resumed run can reproduce an epoch): when the generator starts, one Fisher–Yates shuffle
// of 0..N−1 (if shuffle); then, batch by batch and example by example in batch order, the three
// augmentation draws of drawAugmentation (if augment). Nothing else touches the rng.
import { tf } from '../tf.js';
import { augmentImage, drawAugmentation, AUGMENT_PAD } from './augment.js';
import { normalizationTable } from './normalization.js';
import type { BatchOptions, Normalization, Split } from './types.js';
import type { Rng } from '../util/rng.js';

/** Copy the chosen images into one uint8 batch, augmented with `rng` when given. */
export function gatherBatch(split: Split, indices: ArrayLike<number>, rng?: Rng): Uint8Array {
  const [h, w, c] = split.shape;
  const size = h * w * c;
  const out = new Uint8Array(indices.length * size);
  const colMap = new Int32Array(w);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!(i >= 0 && i < split.count)) throw new RangeError(`index ${i} is outside the split (0..${split.count - 1})`);
    if (rng) augmentImage(split.images, i * size, h, w, c, drawAugmentation(rng), out, k * size, AUGMENT_PAD, colMap);
    else out.set(split.images.subarray(i * size, (i + 1) * size), k * size);
  }
  return out;
}

/** (x/255 − mean)/std per channel, as float32. */
export function normalizeBatch(pixels: Uint8Array, channels: number, norm: Normalization | Float32Array): Float32Array {
  const lut = norm instanceof Float32Array ? norm : normalizationTable(norm, channels);
  const out = new Float32Array(pixels.length);
  if (channels === 3) {
    for (let i = 0; i < pixels.length; i += 3) {
      out[i] = lut[pixels[i]]; out[i + 1] = lut[256 + pixels[i + 1]]; out[i + 2] = lut[512 + pixels[i + 2]];
    }
  } else if (channels === 1) {
    for (let i = 0; i < pixels.length; i++) out[i] = lut[pixels[i]];
  } else {
    for (let i = 0; i < pixels.length; i++) out[i] = lut[(i % channels) * 256 + pixels[i]];
  }
  return out;
}

function toTensors(split: Split, indices: ArrayLike<number>, pixels: Uint8Array, lut: Float32Array) {
  const [h, w, c] = split.shape;
  const labels = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) labels[k] = split.labels[indices[k]];
  const x = tf.tensor4d(normalizeBatch(pixels, c, lut), [indices.length, h, w, c], 'float32');
  const y = tf.tensor1d(labels, 'int32');
  return { x, y };
}

/** One batch of the given examples, unaugmented (evaluation, probes). Caller disposes x and y. */
export function makeBatch(split: Split, indices: ArrayLike<number>, normalization: Normalization): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const pixels = gatherBatch(split, indices);
  return toTensors(split, indices, pixels, normalizationTable(normalization, split.shape[2]));
}

/** Batch count of one epoch. */
export function batchCount(count: number, batchSize: number, dropLast = false): number {
  return dropLast ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
}

/** One epoch of batches. Caller disposes x and y of each. */
export function* batches(split: Split, opts: BatchOptions): Generator<{ x: tf.Tensor4D; y: tf.Tensor1D; indices: Int32Array }> {
  const { batchSize, rng } = opts;
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new RangeError(`batchSize ${batchSize} must be a positive whole number`);
  const order = new Int32Array(split.count);
  for (let i = 0; i < split.count; i++) order[i] = i;
  if (opts.shuffle) rng.shuffle(order);
  const lut = normalizationTable(opts.normalization, split.shape[2]);
  const n = batchCount(split.count, batchSize, opts.dropLast);
  const skip = Math.min(n, Math.max(0, opts.skipBatches ?? 0));
  if (opts.augment) {
    // Skipped batches still consume their augmentation draws, in the same order.
    const skipped = Math.min(split.count, skip * batchSize);
    for (let k = 0; k < skipped; k++) drawAugmentation(rng);
  }
  for (let b = skip; b < n; b++) {
    const indices = order.slice(b * batchSize, Math.min(split.count, (b + 1) * batchSize));
    const pixels = gatherBatch(split, indices, opts.augment ? rng : undefined);
    yield { ...toTensors(split, indices, pixels, lut), indices };
  }
}
