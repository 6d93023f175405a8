// The run configuration as the rest of the engine sees it (after parseRunConfig filled the defaults).
// These types are written out by hand, not inferred, so that the training loop, CLI and UI read one plain
// declaration; core/config/schema.ts checks at compile time that the zod schema produces exactly this.
// Model, attention, data and backend shapes mirror the contracts of core/models, core/attention,
// core/data and core/backend (structurally identical, declared here so the config has no engine imports).

export type ModelFamilySpec =
  | { family: 'wrn'; depth: number /* 6n+4 */; widen: number }
  | { family: 'resnet'; depth: 18 | 34; stem?: 'auto' | 'small' | 'imagenet' | undefined }
  | { family: 'nin'; variant: 'thin' | 'wide' };

export type AttentionFn = { kind: 'sum' | 'sum-p' | 'max-p'; p?: number | undefined };
export interface HintPair { student: string; teacher: string; beta?: number | undefined }
export type DatasetFormat = 'cifar10' | 'cifar100' | 'idx' | 'folder';
export type BackendName = 'tensorflow-gpu' | 'webgpu' | 'tensorflow' | 'wasm' | 'cpu';

export type Method = 'baseline' | 'at' | 'kd' | 'at+kd' | 'grad-at';
export const METHODS: readonly Method[] = ['baseline', 'at', 'kd', 'at+kd', 'grad-at'];
/** Methods that learn from a teacher and therefore need `teacher`. */
export const TEACHER_METHODS: readonly Method[] = ['at', 'kd', 'at+kd', 'grad-at'];

export type LrSchedule =
  | { kind: 'step'; milestones: number[] /* fractions of epochs, increasing, in (0,1) */; gamma: number }
  | { kind: 'cosine' };

export interface TrainingRecipe {
  epochs: number;
  batchSize: number;
  lr: number;
  momentum: number;
  weightDecay: number;
  schedule: LrSchedule;
}

/** A teacher's own recipe: any field left out (or undefined, as the schema lets through) takes the student's. */
export type RecipeOverrides = { [K in keyof TrainingRecipe]?: TrainingRecipe[K] | undefined };

export type TeacherConfig =
  /**
   * Train the teacher first in this run (phase 'teacher'); `training` overrides the student's recipe;
   * `limit` is how many training images the teacher phase uses (the first ones; default `data.limit`).
   */
  | { source: 'train'; model: ModelFamilySpec; training?: RecipeOverrides | undefined; limit?: number | undefined }
  /** A teacher file on disk: a TF.js model.json or an ONNX .onnx (told by its bytes). */
  | { source: 'file'; path: string; taps?: string[] | undefined }
  /** The student (or trained teacher) of another run in the same runs folder. */
  | { source: 'run'; run: string; role?: 'student' | 'teacher' | undefined; taps?: string[] | undefined };

export interface RunConfig {
  version: 2;
  name: string;
  seed: number;
  data: {
    path: string;
    format: 'auto' | DatasetFormat;
    inputShape?: [number, number, number] | undefined;
    /** Training images used (the first ones); default all. */
    limit?: number | undefined;
    /** Test images used (the first ones); default all. Version 1 had one `limit` for both splits. */
    testLimit?: number | undefined;
    validationSplit: number;
    augment: boolean;
  };
  teacher?: TeacherConfig | undefined;
  student: { model: ModelFamilySpec; taps?: string[] | undefined };
  method: Method;
  attention: {
    fn: AttentionFn;
    /** 'code': total = task + β·Σ_j at_loss_j (the authors' code); 'paper': task + β/2·Σ_j ‖…‖ (eq. 2). */
    beta: number;
    form: 'code' | 'paper';
    pairs?: HintPair[] | undefined;
    betaDecay: 'none' | 'linear';
  };
  kd: { temperature: number; alpha: number };
  gradAt: { beta: number; flip: boolean };
  training: TrainingRecipe;
  backend: 'auto' | BackendName;
  /** Number of fixed test images whose attention maps are snapshotted every epoch. */
  probes: number;
}

/**
 * Version 2: β in the `code` form weighs Σ at_loss as the authors' code does (β, not β/2), `data.limit` is
 * the training images only (`data.testLimit` the test images), and a trained teacher may have its own
 * `limit`. A version 1 config is migrated on read (migrate.ts) so that it means exactly what it meant.
 */
export const CONFIG_VERSION = 2 as const;

/**
 * The smallest attention exponent p the engine accepts: below 1, |A|^p has an infinite slope at 0, and
 * ReLU activations are 0 in many places, so the first backward step would produce NaN/∞. The schema, the
 * engine (core/attention/attentionFn.ts) and the wizard all read this one value.
 */
export const MIN_ATTENTION_P = 1;
