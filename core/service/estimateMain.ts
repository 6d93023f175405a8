// The child process that times training for estimateDuration (forked by core/service/estimate.ts), so the
// service's event loop stays free while TensorFlow.js computes. It receives one MeasureJob over IPC, times a
// few real training steps (and an inference batch, for evaluation) of each phase's networks on the backend
// the run would use, replies with a MeasureReply and exits.
import { tf } from '../tf.js';
import { registerWasmTrainingKernels, selectBackend } from '../backend/index.js';
import type { BackendName } from '../backend/select.js';
import type { AttentionFn, ModelFamilySpec } from '../config/types.js';
import { atLoss, atTerm } from '../losses/atLoss.js';
import { crossEntropy } from '../losses/crossEntropy.js';
import { buildNet, loadTeacherNet, type Net } from '../train/networks.js';
import { disposeMomentum } from '../util/disposeMomentum.js';

export interface MeasurePhaseJob {
  phase: 'teacher' | 'student';
  trainee: ModelFamilySpec;
  /** The network the trainee learns from (student phase of a distillation method). */
  teacher?: { spec: ModelFamilySpec } | { modelJson: string };
  batch: number;
}
export interface MeasureJob {
  backend: 'auto' | BackendName;
  inputShape: [number, number, number];
  numClasses: number;
  fn: AttentionFn;
  phases: MeasurePhaseJob[];
  /** Timed steps per phase (after one warm-up step). */
  steps: number;
}
export interface MeasuredPhase { phase: 'teacher' | 'student'; trainImagesPerSec: number; evalImagesPerSec: number }
export type MeasureReply = { ok: true; backend: string; phases: MeasuredPhase[] } | { ok: false; error: string };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function phaseTeacher(job: MeasureJob, p: MeasurePhaseJob): Promise<Net | null> {
  if (!p.teacher) return null;
  if ('spec' in p.teacher) return buildNet(p.teacher.spec, job.inputShape, job.numClasses, 'teacher_', 1);
  return (await loadTeacherNet(p.teacher.modelJson)).net;
}

async function measurePhase(job: MeasureJob, p: MeasurePhaseJob): Promise<MeasuredPhase> {
  const trainee = buildNet(p.trainee, job.inputShape, job.numClasses, p.phase === 'teacher' ? 'teacher_' : 'student_', 1);
  const teacher = await phaseTeacher(job, p);
  const optimizer = tf.train.momentum(0.01, 0.9);
  const x = tf.randomNormal([p.batch, ...job.inputShape]) as tf.Tensor4D;
  const labels = tf.tensor1d(Array.from({ length: p.batch }, (_, i) => i % job.numClasses), 'int32');
  const vars = trainee.model.trainableWeights.map((w) => w.read() as tf.Variable);
  try {
    const step = async (): Promise<number> => {
      const t0 = performance.now();
      const teacherTaps = teacher ? tf.tidy(() => (teacher.tapped.apply(x, { training: false }) as tf.Tensor[]).slice(1)) : [];
      const loss = optimizer.minimize(() => {
        const [logits, ...taps] = trainee.tapped.apply(x, { training: true }) as tf.Tensor[];
        const pairLosses: tf.Scalar[] = [];
        for (let k = 0; k < Math.min(taps.length, teacherTaps.length); k++) {
          const s = taps[k] as tf.Tensor4D;
          const t = teacherTaps[k] as tf.Tensor4D;
          const ok = (s.shape[1] >= t.shape[1] && s.shape[2] >= t.shape[2]) || (s.shape[1] <= t.shape[1] && s.shape[2] <= t.shape[2]);
          if (ok) pairLosses.push(atLoss(s, t, job.fn));
        }
        const task = crossEntropy(logits as tf.Tensor2D, labels);
        return pairLosses.length > 0 ? (tf.add(task, atTerm(pairLosses, 1000)) as tf.Scalar) : task;
      }, true, vars);
      await loss?.data(); // the step has finished, not just been dispatched
      tf.dispose([loss as tf.Tensor, ...teacherTaps]);
      return performance.now() - t0;
    };
    const evalStep = async (): Promise<number> => {
      const t0 = performance.now();
      const outs = tf.tidy(() => {
        const s = trainee.model.apply(x, { training: false }) as tf.Tensor;
        const t = teacher ? (teacher.model.apply(x, { training: false }) as tf.Tensor) : null;
        return t ? [s, t] : [s];
      });
      await Promise.all(outs.map((o) => o.data()));
      tf.dispose(outs);
      return performance.now() - t0;
    };
    await step(); // warm-up: kernel compilation, allocation
    const ms: number[] = [];
    const budgetEnd = performance.now() + 20_000;
    for (let i = 0; i < job.steps && (i === 0 || performance.now() < budgetEnd); i++) ms.push(await step());
    await evalStep();
    const evalMs = await evalStep();
    return { phase: p.phase, trainImagesPerSec: p.batch / (median(ms) / 1000), evalImagesPerSec: p.batch / (evalMs / 1000) };
  } finally {
    tf.dispose([x, labels]);
    disposeMomentum(optimizer);
    trainee.dispose();
    teacher?.dispose();
  }
}

export async function measure(job: MeasureJob): Promise<MeasureReply> {
  try {
    const choice = await selectBackend(job.backend === 'auto' ? {} : { force: job.backend });
    if (choice.tfBackend === 'wasm') registerWasmTrainingKernels();
    if (tf.getBackend() !== choice.tfBackend) {
      if (!(await tf.setBackend(choice.tfBackend))) throw new Error(`backend ${choice.tfBackend} failed to start`);
      await tf.ready();
    }
    const phases: MeasuredPhase[] = [];
    for (const p of job.phases) phases.push(await measurePhase(job, p));
    return { ok: true, backend: choice.name, phases };
  } catch (err) {
    return { ok: false, error: (err as Error).message ?? String(err) };
  }
}

// Entry when forked: one job in, one reply out.
if (typeof process.send === 'function' && process.argv.includes('--atstudio-estimate')) {
  process.once('message', (job) => {
    void measure(job as MeasureJob).then((reply) => {
      process.send!(reply, () => process.exit(0));
    });
  });
}
