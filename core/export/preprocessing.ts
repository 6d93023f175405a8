// The whole preprocessing a model expects, written beside it (meta.json) and into ONNX metadata_props, so
// the model can be used elsewhere exactly as it was trained: pixel / 255, then per channel (x − mean) / std.
import type { Normalization } from '../data/types.js';
import { ModelError } from '../models/types.js';

export const PREPROCESSING_KEY = 'atstudio.preprocessing';

export interface Preprocessing {
  /** Bytes 0..255 are first divided by this. */
  divideBy: 255;
  mean: number[];
  std: number[];
  /** Channel order of the images: RGB for colour, a single channel for grayscale. */
  channels: 'RGB' | 'grayscale' | string;
  /** The image size the model takes, [height, width, channels]; images are resized to it (bilinear). */
  inputShape: [number, number, number];
  /** Axis order of the input tensor: NHWC in TF.js, NCHW in the ONNX export. */
  layout: 'NHWC' | 'NCHW';
  formula: string;
}

export function describePreprocessing(norm: Normalization, inputShape: [number, number, number], layout: 'NHWC' | 'NCHW'): Preprocessing {
  const c = inputShape[2];
  return {
    divideBy: 255, mean: norm.mean, std: norm.std,
    channels: c === 3 ? 'RGB' : c === 1 ? 'grayscale' : `${c} channels`,
    inputShape, layout,
    formula: 'x[c] = (pixel[c] / 255 - mean[c]) / std[c]',
  };
}

export function parsePreprocessing(text: string, file: string): Preprocessing {
  let p: Partial<Preprocessing>;
  try {
    p = JSON.parse(text) as Partial<Preprocessing>;
  } catch (err) {
    throw new ModelError(`${file}: metadata '${PREPROCESSING_KEY}' is not JSON (${(err as Error).message})`, file);
  }
  const ok = (v: unknown): v is number[] => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (!ok(p.mean) || !ok(p.std) || p.mean.length !== p.std.length || p.divideBy !== 255) {
    throw new ModelError(`${file}: metadata '${PREPROCESSING_KEY}' needs divideBy 255 and equally long number arrays mean and std`, file);
  }
  return p as Preprocessing;
}
