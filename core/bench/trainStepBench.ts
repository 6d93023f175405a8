// Times one AT training step as the engine runs it: teacher forward (inference mode) →
// student forward + backward (training mode) with cross-entropy + β/2·Σ at_loss over the hint
// pairs (β = 1000, taps paired in order) → SGD with momentum 0.9. Random images and labels; the
// numbers are throughput, not accuracy. Weight decay and augmentation are left out (small next
// to the convolutions).
import { tf } from '../tf.js';
import { installKernelProfiler, type KernelTiming } from './kernelProfile.js';
import { standInWrn } from './standInWrn.js';

/** Same shape as core/models' ModelFamilySpec (kept local so the bench builds before core/models). */
export type ModelFamilySpec =
  | { family: 'wrn'; depth: number; widen: number }
  | { family: 'resnet'; depth: 18 | 34; stem?: 'auto' | 'small' | 'imagenet' }
  | { family: 'nin'; variant: 'thin' | 'wide' };

export interface TrainStepBenchOptions {
  backend?: string; batch?: number; student?: ModelFamilySpec; teacher?: ModelFamilySpec;
  steps?: number; warmup?: number; inputShape?: [number, number, number]; numClasses?: number;
  /** wasm: XNNPACK threads, as selectBackend's option (default: $ATSTUDIO_WASM_THREADS, else its default). */
  wasmThreads?: number | 'auto';
  /** Time every kernel during the timed steps (adds little overhead on wasm and cpu). */
  profileKernels?: boolean | 'byShape';
  /** Called after every warm-up and timed step. */
  onStep?: (phase: 'warm' | 'timed', stepIndex: number) => void;
}

export interface TrainStepBenchResult {
  imagesPerSec: number; teacherForwardImagesPerSec: number; peakRssMB: number;
  numTensorsGrowth: number; stepMs: number[]; backend: string;
  /** Threads the backend computes with (wasm: XNNPACK threads in use). */
  threads: number;
  /** wasm: why fewer threads than asked for run, when they do. */
  threadsNote?: string;
  /** Where the networks came from: 'core/models' or the bench's stand-in WRN. */
  models: string;
  /** Where the losses came from: 'core/losses' or the bench's inline ones. */
  losses: string;
  /** With profileKernels: milliseconds and calls per step, by kernel, largest first. */
  kernels?: KernelTiming[];
}

const BETA = 1000;

/** Reference attention map: mean over channels of A², flattened, L2-normalized per example. */
function attention(a: tf.Tensor4D): tf.Tensor2D {
  const f = a.square().mean(3).reshape([a.shape[0], -1]) as tf.Tensor2D;
  return f.div(f.norm('euclidean', 1, true).add(1e-12));
}

interface Losses {
  crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar;
  atLoss(s: tf.Tensor4D, t: tf.Tensor4D): tf.Scalar;
  /** task loss + this = total */
  atTerm(pairLosses: tf.Scalar[]): tf.Scalar;
  source: string;
}

/** Stand-in losses while core/losses is not available: reference at_loss, β/2 · Σ as the authors' code. */
const inlineLosses: Losses = {
  crossEntropy: (logits, labels) =>
    tf.losses.softmaxCrossEntropy(tf.oneHot(labels, logits.shape[1]), logits) as tf.Scalar,
  atLoss: (s, t) => {
    let [ss, tt] = [s, t];
    if (s.shape[1] !== t.shape[1] || s.shape[2] !== t.shape[2]) {
      if (s.shape[1] > t.shape[1]) ss = tf.image.resizeBilinear(s, [t.shape[1], t.shape[2]]);
      else tt = tf.image.resizeBilinear(t, [s.shape[1], s.shape[2]]);
    }
    return attention(ss).sub(attention(tt)).square().mean() as tf.Scalar;
  },
  atTerm: (ls) => tf.addN(ls).mul(BETA / 2) as tf.Scalar,
  source: 'inline',
};

async function loadLosses(): Promise<Losses> {
  // core/losses is written concurrently by another helper; use it when it is there.
  const lossesPath = '../losses/index.js';
  try {
    const m = await import(lossesPath) as {
      crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar;
      atLoss(s: tf.Tensor4D, t: tf.Tensor4D): tf.Scalar;
      atTerm(pairLosses: tf.Scalar[], beta: number): tf.Scalar;
    };
    return { crossEntropy: m.crossEntropy, atLoss: (s, t) => m.atLoss(s, t), atTerm: (ls) => m.atTerm(ls, BETA),
      source: 'core/losses' };
  } catch {
    return inlineLosses;
  }
}

interface Net { model: tf.LayersModel; dispose(): void }

async function buildNet(spec: ModelFamilySpec, inputShape: [number, number, number], numClasses: number,
  prefix: string): Promise<{ net: Net; source: string }> {
  // core/models is written concurrently by another helper; use it when it is there.
  const modelsPath = '../models/index.js';
  const models = await import(modelsPath).catch(() => null) as null | {
    createModel(spec: object, opts?: object): { model: tf.LayersModel; taps: { name: string }[] };
    withTaps(model: tf.LayersModel, names: string[]): tf.LayersModel;
  };
  if (models != null) {
    const zoo = models.createModel({ ...spec, inputShape, numClasses }, { namePrefix: prefix });
    const tapped = models.withTaps(zoo.model, zoo.taps.map((t) => t.name));
    return { net: { model: tapped, dispose: () => zoo.model.dispose() }, source: 'core/models' };
  }
  if (spec.family !== 'wrn') throw new Error('core/models is not available; the bench\'s stand-in builds WRN only');
  const model = standInWrn(spec.depth, spec.widen, inputShape, numClasses, prefix);
  return { net: { model, dispose: () => model.dispose() }, source: 'stand-in WRN (core/models not available)' };
}

async function useBackendNamed(name: string, wasmThreads?: number | 'auto'): Promise<{ threads: number; note?: string }> {
  if (name === 'wasm') {
    // As the engine selects it: training kernels, threads, the batched Tile gradient.
    const { selectBackend } = await import('../backend/select.js');
    const choice = await selectBackend({ force: 'wasm', ...(wasmThreads !== undefined ? { wasmThreads } : {}) });
    return { threads: choice.threads, ...(choice.wasmThreads?.fallback ? { note: choice.wasmThreads.fallback } : {}) };
  }
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} failed to initialize`);
  await tf.ready();
  return { threads: 1 };
}

function rssMB(): number {
  return typeof process !== 'undefined' ? process.memoryUsage().rss / 2 ** 20 : 0;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export async function benchTrainStep(opts: TrainStepBenchOptions = {}): Promise<TrainStepBenchResult> {
  const backend = opts.backend ?? 'wasm';
  const batch = opts.batch ?? 64;
  const steps = opts.steps ?? 5;
  const warmup = opts.warmup ?? 2;
  const inputShape = opts.inputShape ?? [32, 32, 3];
  const numClasses = opts.numClasses ?? 10;
  const used = await useBackendNamed(backend, opts.wasmThreads);

  const s = await buildNet(opts.student ?? { family: 'wrn', depth: 16, widen: 1 }, inputShape, numClasses, 'student_');
  const t = await buildNet(opts.teacher ?? { family: 'wrn', depth: 16, widen: 2 }, inputShape, numClasses, 'teacher_');
  const student = s.net.model;
  const teacher = t.net.model;
  const optimizer = tf.train.momentum(0.1, 0.9);
  const x = tf.randomNormal([batch, ...inputShape]) as tf.Tensor4D;
  const labels = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % numClasses), 'int32');
  const losses = await loadLosses();
  const studentVars = student.trainableWeights.map((w) => w.read() as tf.Variable);

  let teacherMs = 0;
  const step = (): number => {
    const t0 = performance.now();
    const teacherTaps = tf.tidy(() => (teacher.apply(x, { training: false }) as tf.Tensor[]).slice(1));
    teacherMs += performance.now() - t0;
    const loss = optimizer.minimize(() => {
      const [logits, ...taps] = student.apply(x, { training: true }) as tf.Tensor[];
      const pairs = Math.min(taps.length, teacherTaps.length);
      const pairLosses = Array.from({ length: pairs }, (_, k) =>
        losses.atLoss(taps[k] as tf.Tensor4D, teacherTaps[k] as tf.Tensor4D));
      const task = losses.crossEntropy(logits as tf.Tensor2D, labels);
      return pairs > 0 ? tf.add(task, losses.atTerm(pairLosses)) as tf.Scalar : task;
    }, true, studentVars);
    loss?.dataSync();
    tf.dispose([loss as tf.Tensor, ...teacherTaps]);
    return performance.now() - t0;
  };

  for (let i = 0; i < warmup; i++) {
    step();
    opts.onStep?.('warm', i);
  }
  teacherMs = 0;
  const profiler = opts.profileKernels ? installKernelProfiler(tf.getBackend(), { byShape: opts.profileKernels === 'byShape' }) : null;
  const tensorsAfterWarmup = tf.memory().numTensors;
  let peak = rssMB();
  const stepMs: number[] = [];
  for (let i = 0; i < steps; i++) {
    stepMs.push(step());
    peak = Math.max(peak, rssMB());
    opts.onStep?.('timed', i);
  }
  const numTensorsGrowth = tf.memory().numTensors - tensorsAfterWarmup;
  const kernels = profiler?.report().map((k) => ({ kernel: k.kernel, ms: k.ms / steps, calls: k.calls / steps }));
  profiler?.uninstall();

  tf.dispose([x, labels]);
  optimizer.dispose();
  s.net.dispose();
  t.net.dispose();
  return {
    imagesPerSec: batch / (median(stepMs) / 1000),
    teacherForwardImagesPerSec: batch * steps / (teacherMs / 1000),
    peakRssMB: Math.round(peak),
    numTensorsGrowth,
    stepMs,
    backend: tf.getBackend(),
    threads: used.threads,
    ...(used.note !== undefined ? { threadsNote: used.note } : {}),
    models: s.source === t.source ? s.source : `${s.source} / ${t.source}`,
    losses: losses.source,
    ...(kernels ? { kernels } : {}),
  };
}
