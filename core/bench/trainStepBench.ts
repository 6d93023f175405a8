// Times one AT training step as the engine runs it: teacher forward (inference mode) →
// student forward + backward (training mode) with cross-entropy + β·Σ at_loss (the authors' weighting) over the hint
// pairs (β = 1000, taps paired in order) → SGD with momentum 0.9. Random images and labels; the
// numbers are throughput, not accuracy. Weight decay and augmentation are left out (small next
// to the convolutions).
//
// Images/s depends on the machine as much as on the kernels, so the bench also reports the step's
// arithmetic rate against the teacher's forward rate (stock XNNPACK convolutions on wasm): an
// efficiency of 1 means the student's backward pass runs as fast per FLOP as a plain forward pass.
//
// Every step ends with an asynchronous read of its loss (as training does), which waits for the GPU on
// webgpu, so a step's time is its real time there too. On webgpu kernels only queue work, so the teacher's
// forward rate is timed separately there (forward passes, each read back), and the kernel profile
// measures the CPU's time to dispatch each kernel (the per-op overhead), not the GPU's.
import { tf } from '../tf.js';
import { assertWebGpuHealthy, guardWebGpu, webGpuMemory } from '../backend/webgpu.js';
import { createModel, summarizeModel, withTaps } from '../models/index.js';
import type { ModelFamilySpec } from '../models/index.js';
import { atLoss, atTerm, crossEntropy } from '../losses/index.js';
import { installKernelProfiler, type KernelTiming } from './kernelProfile.js';
import { disposeMomentum } from '../util/disposeMomentum.js';
import { median } from '../util/median.js';

export type { ModelFamilySpec };

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
  /**
   * Arithmetic per image in MFLOP (2 per multiply-add): the teacher's forward pass, and the student's
   * forward pass with its two gradients (input and filter), counted as three forward passes.
   */
  mflopPerImage: { teacherForward: number; studentForwardBackward: number; step: number };
  /** GFLOP/s of the whole step and of the teacher's forward pass alone. */
  stepGflopPerSec: number;
  teacherForwardGflopPerSec: number;
  /** stepGflopPerSec ÷ teacherForwardGflopPerSec: how close the whole step runs to forward speed. */
  efficiency: number;
  /** With profileKernels: milliseconds and calls per step, by kernel, largest first. */
  kernels?: KernelTiming[];
  /**
   * GPU memory as the backend reports it (webgpu: tf.memory().numBytesInGPU, bytes in live tensors, sampled
   * after each step; numBytesAllocatedInGPU, its buffer pool, which never shrinks: the peak). Absent elsewhere.
   */
  gpuMemory?: { peakInUseMB: number; peakAllocatedMB: number };
}

const BETA = 1000;

interface Net { model: tf.LayersModel; multiplyAdds: number; dispose(): void }

function buildNet(spec: ModelFamilySpec, inputShape: [number, number, number], numClasses: number, prefix: string): Net {
  const zoo = createModel({ ...spec, inputShape, numClasses }, { namePrefix: prefix });
  const tapped = withTaps(zoo.model, zoo.taps.map((t) => t.name));
  return { model: tapped, multiplyAdds: summarizeModel(zoo.model, zoo.taps).multiplyAdds, dispose: () => zoo.model.dispose() };
}

async function useBackendNamed(name: string, wasmThreads?: number | 'auto'): Promise<{ threads: number; note?: string }> {
  if (name === 'webgpu') {
    const { selectBackend } = await import('../backend/select.js');
    await selectBackend({ force: 'webgpu' });
    return { threads: 1 };
  }
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

export async function benchTrainStep(opts: TrainStepBenchOptions = {}): Promise<TrainStepBenchResult> {
  const backend = opts.backend ?? 'wasm';
  const batch = opts.batch ?? 64;
  const steps = opts.steps ?? 5;
  const warmup = opts.warmup ?? 2;
  const inputShape = opts.inputShape ?? [32, 32, 3];
  const numClasses = opts.numClasses ?? 10;
  const used = await useBackendNamed(backend, opts.wasmThreads);

  const s = buildNet(opts.student ?? { family: 'wrn', depth: 16, widen: 1 }, inputShape, numClasses, 'student_');
  const t = buildNet(opts.teacher ?? { family: 'wrn', depth: 16, widen: 2 }, inputShape, numClasses, 'teacher_');
  const student = s.model;
  const teacher = t.model;
  const optimizer = tf.train.momentum(0.1, 0.9);
  const x = tf.randomNormal([batch, ...inputShape]) as tf.Tensor4D;
  const labels = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % numClasses), 'int32');
  const studentVars = student.trainableWeights.map((w) => w.read() as tf.Variable);

  const asyncKernels = tf.getBackend() === 'webgpu';
  let teacherMs = 0;
  const step = async (): Promise<number> => {
    const t0 = performance.now();
    const teacherTaps = tf.tidy(() => (teacher.apply(x, { training: false }) as tf.Tensor[]).slice(1));
    teacherMs += performance.now() - t0;
    const loss = optimizer.minimize(() => {
      const [logits, ...taps] = student.apply(x, { training: true }) as tf.Tensor[];
      const pairs = Math.min(taps.length, teacherTaps.length);
      const pairLosses = Array.from({ length: pairs }, (_, k) =>
        atLoss(taps[k] as tf.Tensor4D, teacherTaps[k] as tf.Tensor4D));
      const task = crossEntropy(logits as tf.Tensor2D, labels);
      return pairs > 0 ? tf.add(task, atTerm(pairLosses, BETA)) as tf.Scalar : task;
    }, true, studentVars);
    try {
      if (loss) await guardWebGpu(loss.data());
    } finally {
      tf.dispose([loss as tf.Tensor, ...teacherTaps]);
    }
    assertWebGpuHealthy();
    return performance.now() - t0;
  };
  const MB = 2 ** 20;
  const gpuPeak = { inUse: 0, allocated: 0, reported: false };
  const sampleGpu = () => {
    const m = webGpuMemory();
    if (!m) return;
    gpuPeak.reported = true;
    gpuPeak.inUse = Math.max(gpuPeak.inUse, m.inUseBytes);
    gpuPeak.allocated = Math.max(gpuPeak.allocated, m.allocatedBytes);
  };

  for (let i = 0; i < warmup; i++) {
    await step();
    sampleGpu();
    opts.onStep?.('warm', i);
  }
  teacherMs = 0;
  const profiler = opts.profileKernels ? installKernelProfiler(tf.getBackend(), { byShape: opts.profileKernels === 'byShape' }) : null;
  const tensorsAfterWarmup = tf.memory().numTensors;
  let peak = rssMB();
  const stepMs: number[] = [];
  for (let i = 0; i < steps; i++) {
    stepMs.push(await step());
    peak = Math.max(peak, rssMB());
    sampleGpu();
    opts.onStep?.('timed', i);
  }
  const numTensorsGrowth = tf.memory().numTensors - tensorsAfterWarmup;
  const kernels = profiler?.report().map((k) => ({ kernel: k.kernel, ms: k.ms / steps, calls: k.calls / steps }));
  profiler?.uninstall();
  if (asyncKernels) {
    // The step's teacher time above was only the time to queue its kernels: time forward passes, read back.
    teacherMs = 0;
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      const logits = tf.tidy(() => (teacher.apply(x, { training: false }) as tf.Tensor[])[0]!);
      try {
        await guardWebGpu(logits.data());
      } finally {
        logits.dispose();
      }
      teacherMs += performance.now() - t0;
    }
  }

  tf.dispose([x, labels]);
  disposeMomentum(optimizer);
  s.dispose();
  t.dispose();
  const imagesPerSec = batch / (median(stepMs) / 1000);
  const teacherForwardImagesPerSec = batch * steps / (teacherMs / 1000);
  const mflop = { teacherForward: 2 * t.multiplyAdds / 1e6, studentForwardBackward: 6 * s.multiplyAdds / 1e6, step: 0 };
  mflop.step = mflop.teacherForward + mflop.studentForwardBackward;
  const stepGflopPerSec = imagesPerSec * mflop.step / 1e3;
  const teacherForwardGflopPerSec = teacherForwardImagesPerSec * mflop.teacherForward / 1e3;
  return {
    imagesPerSec,
    teacherForwardImagesPerSec,
    peakRssMB: Math.round(peak),
    numTensorsGrowth,
    stepMs,
    backend: tf.getBackend(),
    threads: used.threads,
    ...(used.note !== undefined ? { threadsNote: used.note } : {}),
    mflopPerImage: mflop, stepGflopPerSec, teacherForwardGflopPerSec,
    efficiency: stepGflopPerSec / teacherForwardGflopPerSec,
    ...(kernels ? { kernels } : {}),
    ...(gpuPeak.reported ? { gpuMemory: { peakInUseMB: Math.round(gpuPeak.inUse / MB), peakAllocatedMB: Math.round(gpuPeak.allocated / MB) } } : {}),
  };
}
