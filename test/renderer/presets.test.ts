// Training presets sized from a measured estimate (renderer/src/wizard/presets.ts), by hand-computed values.
import { describe, expect, it } from 'vitest';
import { applyPlan, costPerImage, crowdedMilestones, planPreset, plannedImages } from '../../renderer/src/wizard/presets.js';
import { defaultConfig } from './fakeApi.js';
import type { DurationEstimate } from '../../core/service/api.js';

// The fake engine's estimate: teacher 520 s + student 234 s over 200 epochs of 469 steps of 128 images.
const EST: DurationEstimate = {
  backend: 'wasm', seconds: 754, measured: true,
  phases: [
    { phase: 'teacher', imagesPerSec: 180, epochs: 200, stepsPerEpoch: 469, seconds: 520 },
    { phase: 'student', imagesPerSec: 410, epochs: 200, stepsPerEpoch: 469, seconds: 234 },
  ],
};

describe('training presets', () => {
  it('costs an image-epoch from every phase, evaluation spread over them', () => {
    // 754 s / (200 · 469 · 128) image-epochs; here the phases are the whole 754 s (overhead factor 1).
    expect(costPerImage(EST, defaultConfig()).scaled).toBeCloseTo(754 / (200 * 469 * 128), 12);
    // 10 s beyond the phases: every phase's share grows by 764/754.
    expect(costPerImage({ ...EST, seconds: 764 }, defaultConfig()).scaled).toBeCloseTo(764 / (200 * 469 * 128), 12);
    // A teacher with its own epochs costs a fixed time.
    const c = defaultConfig();
    c.teacher = { source: 'train', model: { family: 'wrn', depth: 16, widen: 2 }, training: { epochs: 5 } };
    expect(costPerImage(EST, c)).toEqual({ scaled: expect.closeTo(234 / (200 * 469 * 128), 12), fixedSeconds: 520 });
  });

  it('fits Quick look and Good result into their time on all the images; the paper recipe is 200 epochs', () => {
    const c = defaultConfig();
    const perEpoch = (754 / (200 * 469 * 128)) * 60000; // 3.77 s an epoch here
    const quick = planPreset('quick', EST, c, 60000);
    expect(quick).toMatchObject({ epochs: 10, batchSize: 64, lr: 0.05, schedule: { kind: 'cosine' }, limit: undefined });
    expect(quick.seconds).toBeCloseTo(10 * perEpoch, 6);
    const good = planPreset('good', EST, c, 60000);
    // 3600 / 3.77 = 955 epochs fit; at most 60, and a run that long keeps the authors' step schedule.
    expect(good).toMatchObject({ epochs: 60, batchSize: 128, lr: 0.1, schedule: { kind: 'step', milestones: [0.3, 0.6, 0.8], gamma: 0.2 } });
    const paper = planPreset('paper', EST, c, 60000);
    expect(paper).toMatchObject({ epochs: 200, batchSize: 128, lr: 0.1, schedule: { kind: 'step' } });
    expect(paper.seconds).toBeCloseTo(200 * perEpoch, 6);
  });

  it('trains on fewer images when even the fewest epochs do not fit', () => {
    // 0.01 s an image-epoch: all 60,000 take 600 s an epoch, twice the Quick look's 5 minutes.
    const slow: DurationEstimate = { backend: 'wasm', seconds: 1280, measured: true, phases: [{ phase: 'student', imagesPerSec: 100, epochs: 1, stepsPerEpoch: 1000, seconds: 1280 }] };
    const c = defaultConfig();
    expect(costPerImage(slow, c).scaled).toBeCloseTo(0.01, 12);
    const quick = planPreset('quick', slow, c, 60000);
    // 2 epochs × n images × 0.01 s = 300 s → n = 15,000.
    expect(quick).toMatchObject({ epochs: 2, limit: 15000, testLimit: 2000, schedule: { kind: 'cosine' } });
    expect(quick.seconds).toBeCloseTo(300, 6);
    // Good result: an epoch of all 60,000 takes 600 s, so 3600 s hold 6 epochs (at least 5): no limit.
    expect(planPreset('good', slow, c, 60000)).toMatchObject({ epochs: 6, limit: undefined, schedule: { kind: 'cosine' } });
  });

  it('a preset takes back only the image limits a preset wrote', () => {
    const c = defaultConfig();
    const slow: DurationEstimate = { backend: 'wasm', seconds: 1280, measured: true, phases: [{ phase: 'student', imagesPerSec: 100, epochs: 1, stepsPerEpoch: 1000, seconds: 1280 }] };
    const wrote = applyPlan(c, planPreset('quick', slow, c, 60000));
    expect(c.data).toMatchObject({ limit: 15000, testLimit: 2000 });
    expect(plannedImages(c, 60000, wrote)).toBe(60000);
    applyPlan(c, planPreset('paper', slow, c, 60000), wrote);
    expect(c.data.limit).toBeUndefined();
    expect(c.training).toMatchObject({ epochs: 200, batchSize: 128 });
    // The person's own limit stays and is what the preset plans for.
    c.data.limit = 1000;
    expect(plannedImages(c, 60000, {})).toBe(1000);
    applyPlan(c, planPreset('good', slow, c, 1000), {});
    expect(c.data.limit).toBe(1000);
  });

  it('finds milestones that fall on the same epoch of a short run', () => {
    const step = { kind: 'step' as const, milestones: [0.3, 0.6, 0.8], gamma: 0.2 };
    // 2 epochs: round(0.6) = 1, round(1.2) = 1, round(1.6) = 2 — cut twice after epoch 1.
    expect(crowdedMilestones(step, 2)).toEqual([1, 1, 2]);
    expect(crowdedMilestones(step, 10)).toBeNull();
    expect(crowdedMilestones({ kind: 'cosine' }, 2)).toBeNull();
  });
});
