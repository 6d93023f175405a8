// Shared types of the model zoo.
import type { tf } from '../tf.js';
import { StudioError } from '../errors.js';

export type ModelFamilySpec =
  | { family: 'wrn'; depth: number; widen: number }
  | { family: 'resnet'; depth: 18 | 34; stem?: 'auto' | 'small' | 'imagenet' | undefined }
  | { family: 'nin'; variant: 'thin' | 'wide' };

export type ModelSpec = ModelFamilySpec & { inputShape: [number, number, number]; numClasses: number };

/** A hint tap: a layer whose 4-D output [batch, H, W, C] feeds an attention map. */
export interface TapInfo { name: string /* layer name */; shape: [number, number, number] /* H, W, C */ }

export interface ZooModel {
  model: tf.LayersModel /* outputs logits only, no softmax */;
  taps: TapInfo[];
  spec?: ModelSpec;
  /** Things the loader changed or guessed (e.g. a stripped softmax), for the UI and the run log. */
  notes?: string[];
}

export interface ModelSummary {
  params: number /* all weights, including batch-norm moving statistics */;
  trainableParams: number;
  multiplyAdds: number /* per image: convolutions and dense layers only */;
  taps: TapInfo[];
  sizeBytes: number /* float32 weights */;
}

export interface CreateModelOptions {
  /** Prepended to every layer name, so a teacher and a student can live in one process. */
  namePrefix?: string;
  /** Seed for the weight initializers; omitted → tfjs's own random seeds. */
  seed?: number;
  /**
   * true (default): strided convs pad symmetrically like the PyTorch reference (ZeroPadding2D + 'valid').
   * false: TF 'same' (asymmetric for even sizes) — kept only to measure the difference.
   */
  exactPadding?: boolean;
  /** All weights zero instead of random: for counting and shapes only (estimateModel), much faster. */
  zeroInit?: boolean;
}

export class ModelError extends StudioError {
  constructor(message: string, file?: string) {
    super('model.invalid', message, file !== undefined ? { file } : {});
    this.name = 'ModelError';
  }
}
