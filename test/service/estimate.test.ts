// estimateDuration: timed in a child process (no training kernel runs in the service's), validated first, a fallback
// from multiply-adds when timing fails, and within an order of magnitude of a real short run.
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { useBackend } from '../helpers/backend.js';
import { createService, type AtStudioService } from '../../core/service/index.js';
import { estimateDuration } from '../../core/service/estimate.js';
import { PathPolicy } from '../../core/service/paths.js';
import { RunStore } from '../../core/runs/runStore.js';
import { tempDir, tinyConfig } from './harness.js';

const tmp = tempDir('atstudio-estimate-');
let api: AtStudioService;
const runsDir = path.join(tmp.dir, 'runs');
const config = tinyConfig({ name: 'estimate', data: { limit: 192 }, training: { epochs: 1, batchSize: 32, lr: 0.05 } });

beforeAll(async () => {
  await useBackend('wasm');
  api = createService({ runsDir });
});
afterAll(async () => {
  await api.close();
  tmp.cleanup();
});

describe('estimateDuration', () => {
  it('times real steps off the event loop, then agrees with a real run within an order of magnitude', async () => {
    // Off the event loop means in another process: no training kernel (any gradient) runs in this one
    // while estimating, and a call made meanwhile answers before the estimate does.
    const order: string[] = [];
    let est!: Awaited<ReturnType<AtStudioService['estimateDuration']>>;
    const t0 = performance.now();
    const profile = await tf.profile(async () => {
      const estimating = api.estimateDuration(config).then((e) => { order.push('estimate'); est = e; });
      await api.listRuns().then(() => order.push('listRuns'));
      await estimating;
    });
    const estimateWall = (performance.now() - t0) / 1000;
    expect(order).toEqual(['listRuns', 'estimate']);
    expect(profile.kernelNames.filter((k) => /Grad|Backprop/.test(k))).toEqual([]);
    expect(est.measured).toBe(true);
    expect(est.backend).toBe('wasm');
    expect(est.phases.map((p) => p.phase)).toEqual(['teacher', 'student']);
    for (const p of est.phases) {
      expect(p).toMatchObject({ epochs: 1, stepsPerEpoch: 6 }); // 192 images, batch 32
      expect(p.imagesPerSec).toBeGreaterThan(0);
    }
    expect(est.seconds).toBeCloseTo(est.phases[0]!.seconds + est.phases[1]!.seconds, 6);

    const r0 = performance.now();
    const run = await api.startRun(config);
    await api.whenIdle();
    const wall = (performance.now() - r0) / 1000;
    const detail = await api.getRun(run.id);
    expect(detail.summary.status).toBe('done');
    const [row] = await api.compareRuns([run.id]);
    const actual = row!.trainSeconds ?? wall;
    console.log(`estimate: ${est.seconds.toFixed(2)} s (${est.phases.map((p) => `${p.phase} ${p.imagesPerSec.toFixed(0)} img/s`).join(', ')}; estimating took ${estimateWall.toFixed(1)} s) vs actual ${actual.toFixed(2)} s (wall ${wall.toFixed(2)} s)`);
    expect(est.seconds / actual).toBeGreaterThan(0.1);
    expect(est.seconds / actual).toBeLessThan(10);
  }, 300_000);

  it('refuses an invalid config with invalid and its issues', async () => {
    await expect(api.estimateDuration({ ...config, training: { epochs: -1 } })).rejects.toMatchObject({ code: 'invalid' });
    await expect(api.estimateDuration(42)).rejects.toMatchObject({ code: 'invalid' });
  });

  it('counts each phase\'s own training images: a trained teacher\'s limit, the student\'s data.limit', async () => {
    const est = await estimateDuration({ ...config, teacher: { source: 'train', model: { family: 'wrn', depth: 10, widen: 1 }, limit: 320 } }, {
      paths: new PathPolicy(undefined, runsDir), store: new RunStore(runsDir), script: path.join(tmp.dir, 'missing.js'),
    });
    expect(est.phases.map((p) => [p.phase, p.stepsPerEpoch])).toEqual([['teacher', 10], ['student', 6]]); // 320 and 192 images, batch 32
  });

  it('falls back to multiply-adds when timing fails (measured: false, with the reason)', async () => {
    const est = await estimateDuration({ ...config, teacher: undefined, method: 'baseline' }, {
      paths: new PathPolicy(undefined, runsDir), store: new RunStore(runsDir), script: path.join(tmp.dir, 'missing.js'),
    });
    expect(est.measured).toBe(false);
    expect(est.note).toMatch(/multiply-adds.*missing\.js/);
    expect(est.phases.map((p) => p.phase)).toEqual(['student']);
    expect(est.seconds).toBeGreaterThan(0);
    expect(Number.isFinite(est.seconds)).toBe(true);
  });
});
