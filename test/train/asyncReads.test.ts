// The engine reads tensors asynchronously on every path: webgpu in Node has no sync read (dataSync throws
// "OffscreenCanvas is not defined"). Here, on wasm (fast; the check is the same on any backend), every sync read of a tensor throws, and a whole run
// (teacher phase, AT student phase, evaluation with agreement, attention snapshots, checkpoints, the
// saved model, latency), a saved model's evaluation, the attention preview, the duration estimate's
// timing and the bench must still work — and leave no tensors behind.
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tf } from '../../core/tf.js';
import { useBackend } from '../helpers/backend.js';
import { createModel, saveLayersModel } from '../../core/models/index.js';
import { runTraining } from '../../core/train/index.js';
import { evaluate } from '../../core/eval/index.js';
import { measure } from '../../core/service/estimateMain.js';
import { createService } from '../../core/service/index.js';
import { clearPreviewCache } from '../../core/service/preview.js';
import { benchTrainStep } from '../../core/bench/trainStepBench.js';
import { collect, currentBackend, FASHION_DIR, tempRuns, tinyConfig } from './harness.js';

const runs = tempRuns();
const teacherFile = path.join(runs.dir, 'teacher', 'model.json');
const syncReads: string[] = [];

beforeAll(async () => {
  await useBackend('wasm');
  const zoo = createModel({ family: 'wrn', depth: 10, widen: 1, inputShape: [8, 8, 1], numClasses: 10 }, { namePrefix: 'file_teacher.', seed: 5 });
  await saveLayersModel(zoo.model, path.dirname(teacherFile));
  zoo.model.dispose();
  for (const method of ['dataSync', 'arraySync', 'bufferSync'] as const) {
    vi.spyOn(tf.Tensor.prototype, method).mockImplementation(function (this: tf.Tensor) {
      const where = new Error().stack?.split('\n').slice(2, 5).map((l) => l.trim()).join(' ← ') ?? '';
      syncReads.push(`${method} at ${where}`);
      throw new Error(`${method}() called (webgpu in Node has no sync read): ${where}`);
    });
  }
});
afterAll(() => {
  vi.restoreAllMocks();
  runs.cleanup();
});

describe('no sync reads on the engine paths', () => {
  it('a whole run: teacher trained first, then AT from it; nothing left allocated', async () => {
    const ev = collect();
    const run = await runs.store.create(tinyConfig({
      method: 'at', teacher: { source: 'train', model: { family: 'wrn', depth: 10, widen: 1 }, training: { epochs: 1 } },
      data: { limit: 16, inputShape: [8, 8, 1] }, training: { epochs: 1, batchSize: 8, lr: 0.05 }, probes: 1,
    }));
    const before = tf.memory().numTensors;
    const r = await runTraining(run, { onEvent: ev.onEvent, backend: currentBackend() });
    expect(syncReads).toEqual([]);
    expect(r.error).toBeUndefined();
    expect(r.status).toBe('done');
    expect(ev.of('epoch').map((e) => e.phase)).toEqual(['teacher', 'student']);
    expect(ev.of('attention')).toHaveLength(2);
    expect(ev.of('step').every((e) => Number.isFinite(e.loss))).toBe(true);
    expect(tf.memory().numTensors).toBe(before);

    // The saved student, evaluated from its file (the CLI's `eval`).
    const e = await evaluate({ modelPath: r.modelPath!, dataPath: FASHION_DIR, limit: 16 });
    expect(syncReads).toEqual([]);
    expect(e.count).toBe(16);
    expect(e.top1).toBeGreaterThanOrEqual(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the attention preview, the estimate timing and the bench', async () => {
    const before = tf.memory().numTensors;
    const api = createService({ runsDir: path.join(runs.dir, 'service-runs') });
    try {
      const p = await api.previewAttention({ data: { path: FASHION_DIR }, teacher: { source: 'file', path: teacherFile }, fn: { kind: 'sum-p', p: 2 }, sample: 0 });
      expect(p.maps).toHaveLength(3);
      expect(Math.max(...p.maps[0]!.map)).toBe(1);
    } finally {
      await api.close();
    }
    clearPreviewCache(); // the preview keeps its teacher cached (released by a timer)
    const m = await measure({
      backend: 'wasm', inputShape: [8, 8, 1], numClasses: 10, fn: { kind: 'sum-p', p: 2 }, steps: 1,
      phases: [{ phase: 'student', trainee: { family: 'wrn', depth: 10, widen: 1 }, teacher: { spec: { family: 'wrn', depth: 10, widen: 1 } }, batch: 2 }],
    });
    expect(m).toMatchObject({ ok: true, backend: 'wasm' });
    const b = await benchTrainStep({ backend: 'wasm', batch: 2, steps: 1, warmup: 1, inputShape: [8, 8, 1],
      student: { family: 'wrn', depth: 10, widen: 1 }, teacher: { family: 'wrn', depth: 10, widen: 1 } });
    expect(b.imagesPerSec).toBeGreaterThan(0);
    expect(b.numTensorsGrowth).toBe(0);
    expect(syncReads).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
