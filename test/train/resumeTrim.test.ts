// Resume keeps each metric line once: what an interrupted epoch wrote after its checkpoint (a kill -9,
// a disk that filled up at the epoch's checkpoint) is trained again, so it is trimmed before the resume.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { useBackend } from '../helpers/backend.js';
import { createTrainControl, runTraining } from '../../core/train/index.js';
import type { Metric, RunHandle } from '../../core/runs/index.js';
import { currentBackend, tempRuns, tinyConfig } from './harness.js';

const runs = tempRuns();
afterAll(() => runs.cleanup());
beforeAll(() => useBackend('wasm'));

/** The handle with its 'latest' checkpoint failing at the end of `epoch` (a disk that filled up). */
function diskFullAtEpochEnd(run: RunHandle, epoch: number): RunHandle {
  return new Proxy(run, {
    get(target, prop) {
      if (prop === 'saveCheckpoint') {
        return async (which: 'latest' | 'best', ck: Parameters<RunHandle['saveCheckpoint']>[1]) => {
          if (ck.epoch === epoch && ck.step === 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          return target.saveCheckpoint(which, ck);
        };
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

const keys = (ms: Metric[]) => ms.map((m) => `${m.phase} ${m.kind} ${m.epoch}${m.kind === 'step' ? `.${m.step}` : ''}`);

it('after a cancel, a disk-full failure and two resumes, metrics.jsonl holds every step and epoch once', async () => {
  // 24 images, batch 8: 3 steps per epoch, a step line for each.
  const run = await runs.store.create(tinyConfig({ data: { limit: 24 }, training: { epochs: 2, batchSize: 8 }, probes: 0 }));
  const control = createTrainControl();
  const first = await runTraining(run, { backend: currentBackend(), control,
    onEvent: (e) => { if (e.type === 'step' && e.step === 1) control.cancel(); } });
  expect(first.status).toBe('cancelled');
  // Resumed from step 1; steps 2 and 3 are written, then the epoch's checkpoint fails: disk full.
  const second = await runTraining(diskFullAtEpochEnd(run, 1), { backend: currentBackend(), resume: true });
  expect(second.status).toBe('failed');
  expect(keys(await run.readMetrics())).toEqual(['student step 1.1', 'student step 1.2', 'student step 1.3']);
  // A kill -9 mid-write leaves a torn last line too (dropped with the two steps past the checkpoint).
  const { appendFileSync } = await import('node:fs');
  appendFileSync(`${run.dir}/metrics.jsonl`, '{"kind":"step","pha');
  const third = await runTraining(run, { backend: currentBackend(), resume: true });
  expect(third.error).toBeUndefined();
  expect(third.status).toBe('done');
  const got = keys(await run.readMetrics());
  expect(got).toEqual([
    'student step 1.1', 'student step 1.2', 'student step 1.3', 'student epoch 1',
    'student step 2.1', 'student step 2.2', 'student step 2.3', 'student epoch 2',
  ]);
  expect(await run.readLog()).toMatch(/resume: removed 3 metric line\(s\) written after the checkpoint/);
}, 120_000);
