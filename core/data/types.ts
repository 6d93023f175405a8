// The data module's public shapes. Images stay uint8 in memory; they become
// float32 only one batch at a time.
import type { Rng } from '../util/rng.js';

export type DatasetFormat = 'cifar10' | 'cifar100' | 'idx' | 'folder';

export interface DatasetInfo {
  path: string;
  format: DatasetFormat;
  classes: string[];
  trainCount: number;
  testCount: number;
  /** H, W, C of the images as they are (inspect) or as they were loaded (loadDataset). */
  imageShape: [number, number, number];
  samples: { label: number; png: Uint8Array }[];
  /** Shape on disk when loadDataset converted the images to another inputShape. */
  nativeShape?: [number, number, number];
  validationCount?: number | undefined;
  /** Plain-language remarks for the wizard and the run log (held-out test set, resized images, …). */
  notes?: string[];
}

export interface Split {
  images: Uint8Array /* N*H*W*C, uint8, HWC per image */;
  labels: Int32Array;
  count: number;
  shape: [number, number, number];
}

export interface Dataset {
  info: DatasetInfo;
  train: Split;
  test: Split;
  validation?: Split;
}

export interface LoadOptions {
  inputShape?: [number, number, number];
  /** First N training examples, and first N test examples unless testLimit says otherwise. */
  limit?: number;
  /** First N test examples ('all': the whole test split, whatever `limit` is). Default: `limit`. */
  testLimit?: number | 'all';
  /** Fraction of the training set split off (seeded) as validation. */
  validationSplit?: number;
  seed?: number;
  format?: DatasetFormat | 'auto';
}

/** Per channel, in [0,1] pixel units. */
export interface Normalization {
  mean: number[];
  std: number[];
}

export interface BatchOptions {
  batchSize: number;
  shuffle: boolean;
  augment: boolean;
  normalization: Normalization;
  rng: Rng;
  dropLast?: boolean;
  /**
   * Resume support: skip this many batches of the epoch without building them, while consuming the rng
   * exactly as if they had been built, so batch k+1 is the same as in an uninterrupted epoch.
   */
  skipBatches?: number;
}
