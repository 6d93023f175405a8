// Whole training runs on the webgpu backend (forced onto SwiftShader, a software Vulkan GPU) against the
// same runs on cpu: a WRN-10-1 student learning by AT from a WRN-10-1 teacher file, and a NIN-thin student
// alone, 8×8×1 Fashion-MNIST images, batch 4, 5 steps. Same seed, same batches: every step's loss (and
// its parts) agrees with cpu's within 1e-3 relative; a webgpu run cancelled after step 2 and resumed from
// its checkpoint ends as the uninterrupted one (step losses, evaluation, weights); the tensor count is
// the same at every step event and back where it started after each run. Tiny on purpose: SwiftShader
// emulates a GPU on the CPU; for that reason only the first webgpu run measures the student's latency
// (new kernels to compile at batch 1 and 64), the others pass latency: false.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import type { BackendChoice } from '../../core/backend/index.js';
import { createModel, saveLayersModel } from '../../core/models/index.js';
import { createTrainControl, runTraining, type RunResult } from '../../core/train/index.js';
import type { EpochMetric, RunHandle } from '../../core/runs/index.js';
import type { RunEvent, StepEvent } from '../../core/events/index.js';
import { skipWebgpuTests, useWebgpu } from '../helpers/webgpu.js';
import { tempRuns, tinyConfig } from './harness.js';

const skip = skipWebgpuTests('test/train/webgpuTraining.test.ts');
const TOL = 1e-3; // relative, on each loss after up to 5 steps (the target)
const RESUME_TOL = 1e-5; // relative: the same backend, the same arithmetic, only a checkpoint in between

const runs = tempRuns();
const teacherFile = path.join(runs.dir, 'teacher', 'model.json');
let webgpu: BackendChoice;
const cpu: BackendChoice = { name: 'cpu', tfBackend: 'cpu', reason: 'chosen by the test', forced: true, by: 'option', attempts: [], threads: 1, versions: {} };

beforeAll(async () => {
  if (skip) return;
  webgpu = await useWebgpu();
  await tf.setBackend('cpu');
  const zoo = createModel({ family: 'wrn', depth: 10, widen: 1, inputShape: [8, 8, 1], numClasses: 10 }, { namePrefix: 'file_teacher.', seed: 5 });
  await saveLayersModel(zoo.model, path.dirname(teacherFile));
  zoo.model.dispose();
}, 120_000);
afterAll(() => runs.cleanup());

const atConfig = () => tinyConfig({
  method: 'at', teacher: { source: 'file', path: teacherFile },
  data: { limit: 20, augment: false }, training: { epochs: 1, batchSize: 4, lr: 0.05 }, probes: 1,
});
const ninConfig = () => tinyConfig({
  method: 'baseline', student: { model: { family: 'nin', variant: 'thin' } },
  data: { limit: 20, augment: false, inputShape: [8, 8, 1] }, training: { epochs: 1, batchSize: 4, lr: 0.05 }, probes: 1,
});

interface Trained { run: RunHandle; result: RunResult; steps: StepEvent[]; counts: number[]; leftOver: number; events: RunEvent[] }

/** One run (or its resumption) on a backend, with the tensor count at every step event. */
async function train(backend: BackendChoice, config: ReturnType<typeof tinyConfig>, opts: { run?: RunHandle; cancelAfterStep?: number; latency?: boolean } = {}): Promise<Trained> {
  await tf.setBackend(backend.tfBackend);
  const run = opts.run ?? (await runs.store.create(config));
  const control = createTrainControl();
  const events: RunEvent[] = [];
  const counts: number[] = [];
  const before = tf.memory().numTensors;
  const result = await runTraining(run, {
    backend, control, resume: !!opts.run, latency: opts.latency ?? false,
    onEvent: (e) => {
      events.push(e);
      if (e.type === 'step') {
        counts.push(tf.memory().numTensors);
        if (e.step === opts.cancelAfterStep) control.cancel();
      }
    },
  });
  const steps = events.filter((e): e is StepEvent => e.type === 'step');
  return { run, result, steps, counts, leftOver: tf.memory().numTensors - before, events };
}

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-6);
}

/** Each step's total and parts on webgpu against cpu; returns the worst relative error. */
function compareSteps(gpu: StepEvent[], ref: StepEvent[], tol: number, label: string): number {
  expect(gpu.map((s) => s.step)).toEqual(ref.map((s) => s.step));
  let worst = 0;
  gpu.forEach((s, i) => {
    const r = ref[i]!;
    const pairs: [string, number | undefined, number | undefined][] = [
      ['loss', s.loss, r.loss], ['ce', s.parts.ce, r.parts.ce], ['at', s.parts.at, r.parts.at],
    ];
    for (const [name, got, want] of pairs) {
      if (want === undefined) continue;
      const e = relErr(got!, want);
      expect(e, `${label}: step ${s.step} ${name} ${got} vs ${want}`).toBeLessThanOrEqual(tol);
      worst = Math.max(worst, e);
    }
  });
  return worst;
}

function expectFlat(t: Trained, label: string): void {
  expect(t.counts.length, label).toBeGreaterThan(1);
  expect(new Set(t.counts).size, `${label}: tensor counts at step events ${t.counts.join(', ')}`).toBe(1);
  expect(t.leftOver, `${label}: tensors left after the run`).toBe(0);
}

const studentEpochs = async (run: RunHandle) => (await run.readMetrics())
  .filter((m): m is EpochMetric => m.kind === 'epoch' && m.phase === 'student');
const studentWeights = (run: RunHandle) => {
  const b = readFileSync(path.join(path.dirname(run.modelPath('student')), 'weights.bin'));
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};

describe.skipIf(skip)('training on webgpu (SwiftShader) matches cpu', () => {
  let gpuAt: Trained;

  it('WRN-10-1 ← WRN-10-1 AT: 5 steps within 1e-3 of cpu, tensor count flat, the adapter recorded', async () => {
    const ref = await train(cpu, atConfig());
    gpuAt = await train(webgpu, atConfig(), { latency: true });
    for (const t of [ref, gpuAt]) {
      expect(t.result.error).toBeUndefined();
      expect(t.result.status).toBe('done');
    }
    expect(gpuAt.steps).toHaveLength(5);
    expect(gpuAt.steps.every((s) => s.parts.at !== undefined && s.parts.at > 0)).toBe(true);
    const worst = compareSteps(gpuAt.steps, ref.steps, TOL, 'AT');
    console.log(`webgpu vs cpu, WRN-10-1 AT, 5 steps: losses ${gpuAt.steps.map((s) => s.loss.toFixed(4)).join(', ')}; worst relative error ${worst.toExponential(1)}`);
    expectFlat(gpuAt, 'webgpu AT');
    // Evaluation after the steps (a read per batch, asynchronous) agrees too.
    const [eg] = await studentEpochs(gpuAt.run);
    const [ec] = await studentEpochs(ref.run);
    expect(relErr(eg!.test.loss, ec!.test.loss)).toBeLessThanOrEqual(TOL);
    const env = (await gpuAt.run.readEnvironment()) as { backend: { name: string; adapter?: { software: boolean } }; student: { latency: { backend: string; batch1MsPerImage: number } } };
    expect(env.backend.name).toBe('webgpu');
    expect(env.backend.adapter?.software).toBe(true); // SwiftShader, forced
    expect(env.student.latency.backend).toBe('webgpu'); // measured with asynchronous reads
    expect(env.student.latency.batch1MsPerImage).toBeGreaterThan(0);
  }, 300_000);

  it('NIN-thin alone: 5 steps within 1e-3 of cpu, tensor count flat', async () => {
    const ref = await train(cpu, ninConfig());
    const gpu = await train(webgpu, ninConfig());
    for (const t of [ref, gpu]) {
      expect(t.result.error).toBeUndefined();
      expect(t.result.status).toBe('done');
    }
    expect(gpu.steps).toHaveLength(5);
    const worst = compareSteps(gpu.steps, ref.steps, TOL, 'NIN');
    console.log(`webgpu vs cpu, NIN-thin, 5 steps: losses ${gpu.steps.map((s) => s.loss.toFixed(4)).join(', ')}; worst relative error ${worst.toExponential(1)}`);
    expectFlat(gpu, 'webgpu NIN');
  }, 300_000);

  it('a webgpu run cancelled after step 2 and resumed ends as the uninterrupted one', async () => {
    expect(gpuAt, 'needs the AT run above').toBeDefined();
    const first = await train(webgpu, atConfig(), { cancelAfterStep: 2 });
    expect(first.result.status).toBe('cancelled');
    expect(first.result.resumable).toBe(true);
    expect(first.steps).toHaveLength(2);
    expect(first.leftOver).toBe(0);
    const rest = await train(webgpu, atConfig(), { run: first.run });
    expect(rest.result.error).toBeUndefined();
    expect(rest.result.status).toBe('done');
    expect(rest.events.find((e) => e.type === 'started')).toMatchObject({ resumedFrom: { phase: 'student', epoch: 0, step: 2 } });
    expect(rest.steps.map((s) => s.step)).toEqual([3, 4, 5]);
    expectFlat(rest, 'webgpu resumed');
    compareSteps([...first.steps, ...rest.steps], gpuAt.steps, RESUME_TOL, 'resume');
    const [eb] = await studentEpochs(first.run);
    const [ea] = await studentEpochs(gpuAt.run);
    expect(relErr(eb!.test.loss, ea!.test.loss)).toBeLessThanOrEqual(RESUME_TOL);
    expect(eb!.test.top1).toBe(ea!.test.top1);
    const wa = studentWeights(gpuAt.run);
    const wb = studentWeights(first.run);
    expect(wb.length).toBe(wa.length);
    let worst = 0;
    let scale = 0;
    for (let i = 0; i < wa.length; i++) {
      worst = Math.max(worst, Math.abs(wb[i]! - wa[i]!));
      scale = Math.max(scale, Math.abs(wa[i]!));
    }
    expect(worst / scale).toBeLessThanOrEqual(RESUME_TOL);
  }, 300_000);
});
