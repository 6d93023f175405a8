// Separate training-set sizes for the teacher phase (teacher.limit) and the student phase (data.limit),
// with the test split sized on its own (data.testLimit): each phase steps through its own images.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backend.js';
import { runTraining, type RunResult } from '../../core/train/index.js';
import type { RunHandle } from '../../core/runs/index.js';
import { collect, currentBackend, tempRuns, tinyConfig } from './harness.js';

const runs = tempRuns();
const ev = collect();
let run: RunHandle;
let result: RunResult;
afterAll(() => runs.cleanup());

beforeAll(async () => {
  await useBackend('wasm');
  run = await runs.store.create(tinyConfig({
    method: 'at',
    teacher: { source: 'train', model: { family: 'wrn', depth: 10, widen: 1 }, limit: 48 },
    data: { limit: 16, testLimit: 24, inputShape: [8, 8, 1] },
    training: { epochs: 1, batchSize: 16, lr: 0.05 },
    probes: 1,
  }));
  result = await runTraining(run, { backend: currentBackend(), onEvent: ev.onEvent });
});

describe('teacher.limit and data.testLimit', () => {
  it('the teacher steps through its 48 images, the student through its 16', () => {
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('done');
    const perEpoch = (phase: string) => [...new Set(ev.of('step').filter((s) => s.phase === phase).map((s) => s.totalSteps))];
    expect(perEpoch('teacher')).toEqual([3]);
    expect(perEpoch('student')).toEqual([1]);
  });

  it('says so in the log', async () => {
    expect(await run.readLog()).toContain('the teacher trains on 48 training images, the student on 16');
  });

  it('does not call an equal-size teacher weak when it learns from more images (48 against the student\'s 16)', async () => {
    expect(await run.readLog()).not.toMatch(/is not larger than the student/);
    expect(ev.of('log').filter((e) => e.level === 'warn' && /is not larger than the student/.test(e.message))).toHaveLength(0);
  });
});
