// Pause, resume, cancel between steps; a loss that turns NaN stops the run with a clear message and the
// last good checkpoint stays (wasm, Fashion-MNIST subsets).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backend.js';
import { createTrainControl, runTraining } from '../../core/train/index.js';
import type { EpochMetric, RunStatusFile } from '../../core/runs/index.js';
import { collect, currentBackend, tempRuns, tinyConfig } from './harness.js';

const runs = tempRuns();
afterAll(() => runs.cleanup());
beforeAll(async () => {
  await useBackend('wasm');
});

describe('pause, resume, cancel', () => {
  it('pauses between steps, writes the status, continues on resume, and cancels at an epoch end', async () => {
    const run = await runs.store.create(tinyConfig({ data: { limit: 64 }, training: { epochs: 2, batchSize: 16 } }));
    const control = createTrainControl();
    const ev = collect();
    let whilePaused: RunStatusFile | undefined;
    const r = await runTraining(run, {
      backend: currentBackend(), control,
      onEvent: (e) => {
        ev.onEvent(e);
        // Requests arrive from outside the loop (a timer here, a UI message or Ctrl-C in the app).
        if (e.type === 'step' && e.epoch === 1 && e.step === 2) setTimeout(() => control.pause(), 0);
        if (e.type === 'status' && e.status === 'paused') {
          setTimeout(() => {
            void run.readStatus().then((s) => {
              whilePaused = s;
              control.resume();
            });
          }, 20);
        }
        if (e.type === 'epoch' && e.epoch === 1) setTimeout(() => control.cancel(), 0);
      },
    });
    expect(r.status).toBe('cancelled');
    expect(whilePaused?.status).toBe('paused');
    const seq = ev.events.filter((e) => e.type === 'step' || e.type === 'status').map((e) => (e.type === 'step' ? `s${e.step}` : e.status));
    // The pause lands at the next step boundary after the request (step 2 or 3 here), then resume.
    expect(seq.filter((x) => x.startsWith('s'))).toEqual(['s1', 's2', 's3', 's4']);
    const at = seq.indexOf('paused');
    expect(at).toBeGreaterThanOrEqual(2);
    expect(at).toBeLessThanOrEqual(3);
    expect(seq[at + 1]).toBe('running');
    expect(ev.of('cancelled')[0].resumable).toBe(true);
    const status = await run.readStatus();
    expect(status).toMatchObject({ status: 'cancelled', epoch: 1, step: 0, resumable: true });

    const ev2 = collect();
    const r2 = await runTraining(run, { backend: currentBackend(), resume: true, onEvent: ev2.onEvent });
    expect(r2.status).toBe('done');
    expect(ev2.of('started')[0].resumedFrom).toEqual({ phase: 'student', epoch: 1, step: 0 });
    expect(ev2.of('step').map((s) => s.epoch)).toEqual([2, 2, 2, 2]);
    const lines = (await run.readMetrics()).filter((m): m is EpochMetric => m.kind === 'epoch');
    expect(lines.map((m) => m.epoch)).toEqual([1, 2]);
  });

  it('refuses to train a run that already has a checkpoint without resume', async () => {
    const run = await runs.store.create(tinyConfig({ data: { limit: 32 }, training: { epochs: 1, batchSize: 32 } }));
    expect((await runTraining(run, { backend: currentBackend() })).status).toBe('done');
    const again = await runTraining(run, { backend: currentBackend() });
    expect(again.status).toBe('failed');
    expect(again.error).toMatch(/resume it instead/);
  });
});

describe('non-finite loss', () => {
  it('stops with a message naming phase, epoch, step and the loss part; the last good checkpoint stays', async () => {
    // The teacher trains normally; the student's learning rate of 1e30 makes its weights overflow.
    const run = await runs.store.create(tinyConfig({
      method: 'at', data: { limit: 64 }, training: { epochs: 2, batchSize: 16, lr: 1e30 },
      teacher: { source: 'train', model: { family: 'wrn', depth: 10, widen: 1 }, training: { epochs: 1, lr: 0.1 } },
    }));
    const ev = collect();
    const r = await runTraining(run, { backend: currentBackend(), onEvent: ev.onEvent });
    expect(r.status).toBe('failed');
    console.log(r.error);
    expect(r.error).toMatch(/^Training stopped: the loss became non-finite in the student phase at epoch 1, step \d of 4: the (cross-entropy term|AT term of hint pair \d \(.+\)) is (NaN|-?Infinity)\. The last good checkpoint \(teacher phase, epoch 1\) is kept/);
    expect(r.resumable).toBe(true);
    const failed = ev.of('failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ error: r.error, resumable: true });
    const status = await run.readStatus();
    expect(status).toMatchObject({ status: 'failed', error: r.error, resumable: true, phase: 'student' });
    const ck = await run.loadCheckpoint('latest');
    expect(ck).toMatchObject({ phase: 'teacher', epoch: 1, step: 0 });
    for (const t of Object.values(ck!.weights)) t.dispose();
    for (const o of ck!.optimizer) o.tensor.dispose();
    expect(ev.of('epoch').filter((e) => e.phase === 'student')).toHaveLength(0);
  });
});
