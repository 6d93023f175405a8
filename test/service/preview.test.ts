// previewAttention: the teacher's attention maps on a dataset sample — a freshly initialised 'train'
// teacher (seeded, trained=false), a saved model file, the real attentionMap (per function), [0,1] scaling,
// and no tensors left behind.
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { useBackend } from '../helpers/backend.js';
import { createModel, saveLayersModel } from '../../core/models/index.js';
import { createService, type AtStudioService } from '../../core/service/index.js';
import { clearPreviewCache } from '../../core/service/preview.js';
import { parseRunConfig } from '../../core/config/index.js';
import { RunStore } from '../../core/runs/runStore.js';
import { FASHION_DIR, tempDir, tinyConfig } from './harness.js';

const tmp = tempDir('atstudio-preview-');
let api: AtStudioService;

beforeAll(async () => {
  await useBackend('cpu');
  api = createService({ runsDir: path.join(tmp.dir, 'runs') });
});
afterAll(async () => {
  await api.close();
  tmp.cleanup();
});

const teacher = { source: 'train' as const, model: { family: 'wrn' as const, depth: 10, widen: 1 } };

describe('previewAttention', () => {
  it('maps an untrained, seeded teacher on a sample: one map per tap, scaled to [0,1], same every time', async () => {
    const p = await api.previewAttention({ data: { path: FASHION_DIR }, teacher, fn: { kind: 'sum-p', p: 2 }, sample: 1 });
    expect(p.trained).toBe(false);
    expect(p.note).toMatch(/untrained/);
    const view = await api.inspectDataset(FASHION_DIR);
    expect(p.imagePngBase64).toBe(view.samples[1]!.pngBase64);
    expect(p.label).toBe(view.samples[1]!.label);
    expect(p.className).toBe(view.classes[p.label]);
    expect(p.maps.map((m) => m.tap)).toEqual(['group0', 'group1', 'group2']);
    expect(p.maps.map((m) => [m.h, m.w])).toEqual([[28, 28], [14, 14], [7, 7]]);
    for (const m of p.maps) {
      expect(m.map).toHaveLength(m.h * m.w);
      expect(Math.min(...m.map)).toBe(0);
      expect(Math.max(...m.map)).toBeCloseTo(1, 6);
    }
    clearPreviewCache(); // rebuilt with the same seed: the same maps
    const again = await api.previewAttention({ data: { path: FASHION_DIR }, teacher, fn: { kind: 'sum-p', p: 2 }, sample: 1 });
    expect(again.maps).toEqual(p.maps);
    // Another function gives other maps; explicit taps choose which.
    const maxp = await api.previewAttention({ data: { path: FASHION_DIR }, teacher, fn: { kind: 'max-p', p: 4 }, sample: 1, taps: ['group2'] });
    expect(maxp.maps.map((m) => m.tap)).toEqual(['group2']);
    expect(maxp.maps[0]!.map).not.toEqual(p.maps[2]!.map);
  }, 120_000);

  it('leaves no tensors behind once the model is cached', async () => {
    await api.previewAttention({ data: { path: FASHION_DIR }, teacher, fn: { kind: 'sum' } });
    const before = tf.memory().numTensors;
    await api.previewAttention({ data: { path: FASHION_DIR }, teacher, fn: { kind: 'sum' }, sample: 3 });
    await api.previewAttention({ data: { path: FASHION_DIR }, teacher, fn: { kind: 'sum-p', p: 1 }, taps: ['group1'] });
    expect(tf.memory().numTensors).toBe(before);
    clearPreviewCache();
    expect(tf.memory().numTensors).toBeLessThan(before);
  }, 120_000);

  it('loads a saved teacher file (trained=true)', async () => {
    const zoo = createModel({ family: 'wrn', depth: 10, widen: 1, inputShape: [28, 28, 1], numClasses: 10 }, { seed: 5 });
    const dir = path.join(tmp.dir, 'teacher');
    await saveLayersModel(zoo.model, dir);
    zoo.model.dispose();
    const p = await api.previewAttention({ data: { path: FASHION_DIR }, teacher: { source: 'file', path: path.join(dir, 'model.json'), taps: [] }, fn: { kind: 'sum-p', p: 2 },
      taps: ['group0', 'group2'] });
    expect(p.trained).toBe(true);
    expect(p.note).toBeUndefined();
    expect(p.maps.map((m) => [m.tap, m.h])).toEqual([['group0', 28], ['group2', 7]]);
  }, 120_000);

  it("uses another run's saved model (teacher source 'run'), and says when the run has none", async () => {
    const store = new RunStore(path.join(tmp.dir, 'runs'));
    const run = await store.create(parseRunConfig(tinyConfig({ name: 'saved teacher' })));
    await expect(api.previewAttention({ data: { path: FASHION_DIR }, teacher: { source: 'run', run: run.id, role: 'teacher' }, fn: { kind: 'sum' } }))
      .rejects.toMatchObject({ code: 'not-found' });
    const zoo = createModel({ family: 'wrn', depth: 10, widen: 1, inputShape: [28, 28, 1], numClasses: 10 }, { seed: 7, namePrefix: 'teacher_' });
    await run.saveModel('teacher', zoo.model);
    zoo.model.dispose();
    const p = await api.previewAttention({ data: { path: FASHION_DIR }, teacher: { source: 'run', run: run.id, role: 'teacher' }, fn: { kind: 'sum' }, taps: ['group1'] });
    expect(p.trained).toBe(true);
    expect(p.maps.map((m) => [m.tap, m.h])).toEqual([['group1', 14]]);
  }, 120_000);

  it('refuses bad requests with invalid', async () => {
    await expect(api.previewAttention({ data: { path: FASHION_DIR }, teacher, fn: { kind: 'sum' }, sample: 999 })).rejects.toMatchObject({ code: 'invalid' });
    await expect(api.previewAttention({ data: { path: FASHION_DIR }, teacher, fn: { kind: 'bogus' as 'sum' } })).rejects.toMatchObject({ code: 'invalid' });
    await expect(api.previewAttention({ data: { path: FASHION_DIR }, teacher, fn: { kind: 'sum' }, taps: ['nope'] })).rejects.toMatchObject({ code: 'invalid' });
    await expect(api.previewAttention({ data: { path: path.join(tmp.dir, 'missing') }, teacher, fn: { kind: 'sum' } })).rejects.toMatchObject({ code: 'invalid' }); // as inspectDataset
  }, 60_000);
});
