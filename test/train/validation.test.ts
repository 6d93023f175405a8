// data.validationSplit holds out part of the training set; every epoch reports loss and top-1 on it, and
// the epoch metrics on disk keep them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backend.js';
import { tf } from '../../core/tf.js';
import { runTraining } from '../../core/train/index.js';
import { loadDataset } from '../../core/data/index.js';
import { collect, currentBackend, FASHION_DIR, tempRuns, tinyConfig } from './harness.js';

const runs = tempRuns();
afterAll(() => runs.cleanup());
beforeAll(async () => { await useBackend('cpu'); });

describe('validation split', () => {
  it('is evaluated every epoch and stored with the epoch metrics', async () => {
    const ev = collect();
    const config = tinyConfig({ data: { path: FASHION_DIR, limit: 200, augment: false, validationSplit: 0.25, inputShape: [8, 8, 1] }, training: { epochs: 2, batchSize: 25, lr: 0.05 } });
    const run = await runs.store.create(config);
    const before = tf.memory().numTensors;
    const r = await runTraining(run, { onEvent: ev.onEvent, backend: currentBackend() });
    expect(r.error).toBeUndefined();
    expect(tf.memory().numTensors).toBe(before);
    const epochs = ev.of('epoch');
    expect(epochs).toHaveLength(2);
    // 25% of 200 training images are held out: top-1 moves in steps of 1/50.
    const data = await loadDataset(FASHION_DIR, { limit: 200, validationSplit: 0.25, seed: config.seed, inputShape: [8, 8, 1] });
    expect(data.validation?.count).toBe(50);
    for (const e of epochs) {
      expect(e.validation).toBeDefined();
      expect(Number.isInteger(Math.round(e.validation!.top1 * 50 * 1e6) / 1e6)).toBe(true);
      expect(e.validation!.top1).toBeGreaterThanOrEqual(0);
      expect(e.validation!.top1).toBeLessThanOrEqual(1);
      expect(Number.isFinite(e.validation!.loss) && e.validation!.loss > 0).toBe(true);
    }
    const stored = (await run.readMetrics()).filter((m) => m.kind === 'epoch');
    expect(stored.map((m) => m.kind === 'epoch' && m.validation)).toEqual(epochs.map((e) => e.validation));
  });

  it('is absent when no validation split is asked for', async () => {
    const ev = collect();
    const run = await runs.store.create(tinyConfig({ data: { path: FASHION_DIR, limit: 64, augment: false, inputShape: [8, 8, 1] }, training: { epochs: 1, batchSize: 32 } }));
    await runTraining(run, { onEvent: ev.onEvent, backend: currentBackend() });
    expect(ev.of('epoch')[0]?.validation).toBeUndefined();
  });
});
