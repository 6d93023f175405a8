// estimateDuration: how long a run would take here. Times a few real training steps of the configured
// networks (batch capped at 64) in a child process (estimateMain.ts), so this process's event loop stays
// free; evaluation passes (the test set every epoch) are included. When measuring fails (no compiled child
// script, a timeout, a backend that does not start) the estimate comes from multiply-adds (measured: false).
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { TEACHER_METHODS, type RunConfig } from '../config/types.js';
import { teacherRecipe } from '../config/describe.js';
import { inspectDataset } from '../data/inspect.js';
import type { RunStore } from '../runs/runStore.js';
import type { DurationEstimate } from './api.js';
import { ServiceError } from './errors.js';
import type { MeasureJob, MeasurePhaseJob, MeasureReply } from './estimateMain.js';
import type { PathPolicy } from './paths.js';
import { compiledScript } from '../util/compiledScript.js';
import { modelEstimate, validateRunConfig } from './wizard.js';

export const MAX_MEASURE_BATCH = 64;
export const MEASURE_STEPS = 3;

export interface EstimateContext {
  paths: PathPolicy; store: RunStore;
  /** Whether a run is training on this machine now (the measurement is then slower than the run will be). */
  busy?: () => boolean;
  /** The compiled child script; default: estimateMain.js beside this module, or dist/… from sources. */
  script?: string;
  timeoutMs?: number;
}

export function defaultEstimateScript(): string {
  return compiledScript(import.meta.url, 'estimateMain.js');
}

interface PhasePlan { phase: 'teacher' | 'student'; epochs: number; batchSize: number; trainImages: number; evalImages: number; job: MeasurePhaseJob; macs: number }

/** Same config asked again while it is being timed (or within a minute): the same answer, not another child. */
const recent = new Map<string, { at: number; result: Promise<DurationEstimate> }>();
const RECENT_MS = 60_000;

export function estimateDuration(input: unknown, ctx: EstimateContext): Promise<DurationEstimate> {
  let key: string;
  try {
    key = JSON.stringify([input, ctx.script ?? '', ctx.busy?.() ?? false]);
  } catch {
    return estimateUncached(input, ctx);
  }
  const now = Date.now();
  for (const [k, v] of recent) if (now - v.at > RECENT_MS) recent.delete(k);
  const hit = recent.get(key);
  if (hit) return hit.result;
  const result = estimateUncached(input, ctx);
  recent.set(key, { at: now, result });
  result.catch(() => recent.delete(key));
  return result;
}

async function estimateUncached(input: unknown, ctx: EstimateContext): Promise<DurationEstimate> {
  const v = await validateRunConfig(input, { paths: ctx.paths, store: ctx.store });
  if (!v.ok || !v.config) {
    throw new ServiceError('invalid', `the run config has problems:\n${v.issues.map((i) => `  ${i.path || '(config)'}: ${i.message}`).join('\n')}`, v.issues);
  }
  const config = v.config;
  const info = await inspectDataset(ctx.paths.check(config.data.path, 'data.path', 'read'), { format: config.data.format });
  const inputShape = config.data.inputShape ?? info.imageShape;
  const numClasses = info.classes.length;
  // Training images of a phase (data.limit, or a trained teacher's own limit) and what it evaluates each
  // epoch: the test split (data.testLimit) and, when one is held out, the validation split.
  const testImages = config.data.testLimit ? Math.min(config.data.testLimit, info.testCount) : info.testCount;
  const imagesOf = (limit: number | undefined) => {
    const all = limit ? Math.min(limit, info.trainCount) : info.trainCount;
    const train = Math.max(1, Math.round(all * (1 - (config.data.validationSplit ?? 0))));
    return { trainImages: train, evalImages: testImages + (all - train) };
  };
  const t0 = config.teacher;
  const plans = await planPhases(config, ctx, inputShape, numClasses, imagesOf(config.data.limit),
    imagesOf(t0?.source === 'train' ? (t0.limit ?? config.data.limit) : config.data.limit));

  const job: MeasureJob = { backend: config.backend, inputShape, numClasses, fn: config.attention.fn, phases: plans.map((p) => p.job), steps: MEASURE_STEPS };
  const busy = ctx.busy?.() ?? false;
  const reply = await measureInChild(job, ctx.script ?? defaultEstimateScript(), ctx.timeoutMs ?? 120_000);

  const phases: DurationEstimate['phases'] = [];
  let measured = false;
  let backend: string = config.backend === 'auto' ? 'wasm' : config.backend;
  let note: string | undefined;
  if (reply.ok) {
    measured = true;
    backend = reply.backend;
    for (const [i, plan] of plans.entries()) {
      const m = reply.phases[i]!;
      phases.push(phaseResult(plan, m.trainImagesPerSec, m.evalImagesPerSec));
    }
    if (busy) note = 'measured while another run was training: the run alone will likely be faster';
  } else {
    const rate = MACS_PER_SECOND[backend] ?? MACS_PER_SECOND.wasm!;
    for (const plan of plans) {
      // A training step costs about three forward passes (forward, two backward) plus the teacher's forward.
      const trainMacs = 3 * plan.macs + teacherForwardMacs(plan);
      const evalMacs = plan.macs + teacherForwardMacs(plan);
      phases.push(phaseResult(plan, rate / trainMacs, rate / evalMacs));
    }
    note = `a rough estimate from the networks' multiply-adds (timing them failed: ${reply.error})`;
  }
  const seconds = phases.reduce((a, p) => a + p.seconds, 0);
  return { backend, seconds, phases, measured, ...(note ? { note } : {}) };
}

/** Rough sustained multiply-adds per second by backend, for the fallback only. */
const MACS_PER_SECOND: Record<string, number> = { 'tensorflow-gpu': 2e12, webgpu: 5e11, tensorflow: 5e10, wasm: 5e9, cpu: 3e8 };

function teacherForwardMacs(plan: PhasePlan & { teacherMacs?: number }): number {
  return plan.teacherMacs ?? 0;
}

function phaseResult(plan: PhasePlan, trainIps: number, evalIps: number): DurationEstimate['phases'][number] {
  const stepsPerEpoch = Math.ceil(plan.trainImages / plan.batchSize);
  // Steps run at the configured batch; throughput was timed at min(batch, 64) (larger batches are rarely slower per image).
  const perEpoch = (stepsPerEpoch * plan.batchSize) / trainIps + plan.evalImages / evalIps;
  return { phase: plan.phase, imagesPerSec: trainIps, epochs: plan.epochs, stepsPerEpoch, seconds: perEpoch * plan.epochs };
}

async function planPhases(config: RunConfig, ctx: EstimateContext, inputShape: [number, number, number], numClasses: number,
  student: { trainImages: number; evalImages: number }, teacherImages: { trainImages: number; evalImages: number }): Promise<(PhasePlan & { teacherMacs?: number })[]> {
  const { trainImages, evalImages } = student;
  const plans: (PhasePlan & { teacherMacs?: number })[] = [];
  const macsOf = (spec: RunConfig['student']['model']) => {
    try {
      return modelEstimate({ model: spec, inputShape, numClasses }).multiplyAdds;
    } catch {
      return 0;
    }
  };
  const t = config.teacher;
  const needsTeacher = TEACHER_METHODS.includes(config.method) && t !== undefined;
  if (needsTeacher && t.source === 'train') {
    const recipe = teacherRecipe(config);
    const batch = Math.min(recipe.batchSize, MAX_MEASURE_BATCH);
    plans.push({ phase: 'teacher', epochs: recipe.epochs, batchSize: recipe.batchSize, ...teacherImages,
      job: { phase: 'teacher', trainee: t.model, batch }, macs: macsOf(t.model) });
  }
  const batch = Math.min(config.training.batchSize, MAX_MEASURE_BATCH);
  const studentJob: MeasurePhaseJob = { phase: 'student', trainee: config.student.model, batch };
  let teacherMacs = 0;
  if (needsTeacher) {
    if (t.source === 'train') {
      studentJob.teacher = { spec: t.model };
      teacherMacs = macsOf(t.model);
    } else if (t.source === 'file') {
      studentJob.teacher = { modelJson: ctx.paths.check(t.path, 'teacher.path', 'read') };
    } else {
      const run = await ctx.store.open(t.run);
      studentJob.teacher = { modelJson: run.modelPath(t.role ?? 'student') };
    }
  }
  plans.push({ phase: 'student', epochs: config.training.epochs, batchSize: config.training.batchSize, trainImages, evalImages,
    job: studentJob, macs: macsOf(config.student.model), teacherMacs });
  return plans;
}

/** Forks the compiled measuring script; never rejects (a failure becomes { ok: false }). */
export function measureInChild(job: MeasureJob, script: string, timeoutMs: number): Promise<MeasureReply> {
  if (!existsSync(script)) return Promise.resolve({ ok: false, error: `the measuring script ${script} is missing (run npm run build)` });
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: MeasureReply) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      resolve(r);
    };
    // execArgv []: a test runner's loader flags must not leak into the child.
    const child = fork(script, ['--atstudio-estimate'], { execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-2000); });
    const timer = setTimeout(() => finish({ ok: false, error: `timing took longer than ${Math.round(timeoutMs / 1000)} s` }), timeoutMs);
    child.on('message', (m) => finish(m as MeasureReply));
    child.on('error', (err) => finish({ ok: false, error: err.message }));
    child.on('exit', (code, signal) => finish({ ok: false, error: `the measuring process stopped (${signal ?? `exit code ${code}`})${stderr ? `: ${stderr.trim().split('\n').slice(-2).join(' | ')}` : ''}` }));
    child.send(job);
  });
}
