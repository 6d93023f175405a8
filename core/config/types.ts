// The run configuration as the rest of the engine sees it (after parseRunConfig filled the defaults).
// These types are written out by hand, not inferred, so that the training loop, CLI and UI read one plain
// declaration; core/config/schema.ts checks at compile time that the zod schema produces exactly this.
// Model, attention, data and backend shapes mirror the contracts of core/models, core/attention,
// core/data and core/backend (structurally identical, declared here so the config has no engine imports).

export type ModelFamilySpec =
  | { family: 'wrn'; depth: number /* 6n+4 */; widen: number }
  | { family: 'resnet'; depth: 18 | 34; stem?: 'auto' | 'small' | 'imagenet' }
  | { family: 'nin'; variant: 'thin' | 'wide' };

export type AttentionFn = { kind: 'sum' | 'sum-p' | 'max-p'; p?: number };
export interface HintPair { student: string; teacher: string; beta?: number }
export type DatasetFormat = 'cifar10' | 'cifar100' | 'idx' | 'folder';
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

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

export type TeacherConfig =
  /** Train the teacher first in this run (phase 'teacher'); `training` overrides the student's recipe. */
  | { source: 'train'; model: ModelFamilySpec; training?: Partial<TrainingRecipe> }
  /** A teacher file on disk: a TF.js model.json or an ONNX .onnx (told by its bytes). */
  | { source: 'file'; path: string; taps?: string[] }
  /** The student (or trained teacher) of another run in the same runs folder. */
  | { source: 'run'; run: string; role?: 'student' | 'teacher'; taps?: string[] };

export interface RunConfig {
  version: 1;
  name: string;
  seed: number;
  data: {
    path: string;
    format: 'auto' | DatasetFormat;
    inputShape?: [number, number, number];
    limit?: number;
    validationSplit: number;
    augment: boolean;
  };
  teacher?: TeacherConfig;
  student: { model: ModelFamilySpec; taps?: string[] };
  method: Method;
  attention: {
    fn: AttentionFn;
    beta: number;
    form: 'code' | 'paper';
    pairs?: HintPair[];
    betaDecay: 'none' | 'linear';
  };
  kd: { temperature: number; alpha: number };
  gradAt: { beta: number; flip: boolean };
  training: TrainingRecipe;
  backend: 'auto' | BackendName;
  /** Number of fixed test images whose attention maps are snapshotted every epoch. */
  probes: number;
}

export const CONFIG_VERSION = 1 as const;
