// Resume reproduces the uninterrupted run exactly (cpu backend, same seed): one run trains straight
// through; the other is cancelled in the middle of epoch 1, resumed, "crashes" between writing the
// epoch-1 checkpoint and its metric line, and is resumed again. Epoch metrics, every step's loss and
// the exported weights must be identical. The cpu backend's gradient kernels are slow (plain JS), so the
// networks are tiny: WRN-10-1 on 8×8 images (the size of the teacher file decides the input size).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTrainControl, runTraining, type RunResult } from '../../core/train/index.js';
import type { EpochMetric, RunHandle } from '../../core/runs/index.js';
import type { RunEvent } from '../../core/events/index.js';
import { collect, currentBackend, teacherFileRuns } from './harness.js';

const setup = teacherFileRuns({
  data: { limit: 24, augment: true }, training: { epochs: 2, batchSize: 8, lr: 0.05 },
});
const runs = setup.runs;

/** The run handle with appendMetric failing on one epoch line: a crash after the checkpoint, before the line. */
function crashingOnEpochLine(run: RunHandle, epoch: number): RunHandle {
  return new Proxy(run, {
    get(target, prop) {
      if (prop === 'appendMetric') {
        return async (m: Parameters<RunHandle['appendMetric']>[0]) => {
          if (m.kind === 'epoch' && m.phase === 'student' && m.epoch === epoch) throw new Error('simulated crash');
          return target.appendMetric(m);
        };
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

const comparable = (m: EpochMetric) => {
  const { time: _t, seconds: _s, ...rest } = m;
  void _t;
  void _s;
  return rest;
};
const studentEpochs = async (run: RunHandle) =>
  (await run.readMetrics()).filter((m): m is EpochMetric => m.kind === 'epoch' && m.phase === 'student').map(comparable);
const stepLosses = (events: RunEvent[]) => events.flatMap((e) => (e.type === 'step' ? [[e.epoch, e.step, e.loss, e.parts.ce, e.parts.at]] : []));

describe('resume on cpu', () => {
  let a: RunHandle;
  let b: RunHandle;
  const evA = collect();
  const evB = collect();
  const results: RunResult[] = [];

  it('trains the uninterrupted run', async () => {
    a = await runs.store.create(setup.config);
    const t0 = performance.now();
    const r = await runTraining(a, { onEvent: evA.onEvent, backend: currentBackend() });
    const s = (performance.now() - t0) / 1000;
    const ips = evA.of('step').map((e) => e.imagesPerSec).sort((x, y) => x - y);
    console.log(`uninterrupted run: ${s.toFixed(1)} s, median ${ips[Math.floor(ips.length / 2)].toFixed(1)} images/s (cpu, WRN-10-1 AT, 8×8, batch 8)`);
    expect(r.error).toBeUndefined();
    expect(r.status).toBe('done');
    expect(evA.of('step')).toHaveLength(6);
  });

  it('stops when cancelled between steps and keeps a mid-epoch checkpoint', async () => {
    b = await runs.store.create(setup.config);
    const control = createTrainControl();
    const r = await runTraining(b, {
      backend: currentBackend(), control,
      onEvent: (e) => {
        evB.onEvent(e);
        if (e.type === 'step' && e.epoch === 1 && e.step === 2) control.cancel();
      },
    });
    results.push(r);
    expect(r.status).toBe('cancelled');
    expect(r.resumable).toBe(true);
    expect(evB.of('step')).toHaveLength(2);
    expect(evB.of('cancelled')).toEqual([{ type: 'cancelled', runId: b.id, resumable: true }]);
    const status = await b.readStatus();
    expect(status).toMatchObject({ status: 'cancelled', phase: 'student', epoch: 0, step: 2, resumable: true });
  });

  it('resumes mid-epoch, then fails at a crash between the checkpoint and the epoch line', async () => {
    const r = await runTraining(crashingOnEpochLine(b, 1), { onEvent: evB.onEvent, backend: currentBackend(), resume: true });
    results.push(r);
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/simulated crash/);
    expect(r.resumable).toBe(true);
    expect(evB.of('started')[1].resumedFrom).toEqual({ phase: 'student', epoch: 0, step: 2 });
    expect(await studentEpochs(b)).toHaveLength(0); // the line was lost in the "crash"
    expect((await b.readStatus()).status).toBe('failed');
  });

  it('resumes after the crash, restores the lost epoch line and finishes', async () => {
    const r = await runTraining(b, { onEvent: evB.onEvent, backend: currentBackend(), resume: true });
    results.push(r);
    expect(r.error).toBeUndefined();
    expect(r.status).toBe('done');
    expect(evB.of('started')[2].resumedFrom).toEqual({ phase: 'student', epoch: 1, step: 0 });
  });

  it('reproduces the uninterrupted run exactly: epoch metrics, step losses, exported weights', async () => {
    const ea = await studentEpochs(a);
    const eb = await studentEpochs(b);
    expect(ea.map((m) => m.epoch)).toEqual([1, 2]);
    expect(eb).toEqual(ea); // no duplicate lines, and every number equal
    expect(stepLosses(evB.events)).toEqual(stepLosses(evA.events));
    const weights = (run: RunHandle) => readFileSync(path.join(path.dirname(run.modelPath('student')), 'weights.bin'));
    expect(weights(b).equals(weights(a))).toBe(true);
    const snapA = await a.readSnapshots('student');
    const snapB = await b.readSnapshots('student');
    expect(snapB).toEqual(snapA);
  });
});
