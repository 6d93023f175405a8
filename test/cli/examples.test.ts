// The shipped example configs are valid and say what their README promises.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readRunConfigFile, teacherRecipe } from '../../core/config/index.js';
import { learningRateAt, milestoneEpochs } from '../../core/train/index.js';
import { plannedRunConfig, plannedRuns, readStudyConfigFile, teacherRunConfig } from '../../core/study/index.js';

const examples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples');

describe('examples/', () => {
  it('CIFAR-10 WRN-16-1 ← WRN-16-2 AT follows the paper recipe', async () => {
    const c = await readRunConfigFile(path.join(examples, 'cifar10-wrn16-1-from-wrn16-2-at.json'));
    expect(c.method).toBe('at');
    expect(c.data.format).toBe('cifar10');
    expect(c.teacher).toEqual({ source: 'train', model: { family: 'wrn', depth: 16, widen: 2 } });
    expect(c.student.model).toEqual({ family: 'wrn', depth: 16, widen: 1 });
    // The authors' β: total = CE + 1000 · Σ at_loss (cifar.py:223), config version 2.
    expect(c.version).toBe(2);
    expect(c.attention).toMatchObject({ beta: 1000, form: 'code' });
    expect(c.training).toMatchObject({ epochs: 200, batchSize: 128, lr: 0.1, momentum: 0.9, weightDecay: 5e-4 });
    expect(c.training.schedule.kind).toBe('step');
    if (c.training.schedule.kind !== 'step') return;
    // lr × 0.2 at epochs 60, 120, 160: 0.1 → 0.02 → 0.004 → 0.0008.
    expect(milestoneEpochs(c.training.schedule.milestones, 200)).toEqual([60, 120, 160]);
    expect(learningRateAt(c.training, 59, 200)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(c.training, 60, 200)).toBeCloseTo(0.02, 12);
    expect(learningRateAt(c.training, 199, 200)).toBeCloseTo(0.0008, 12);
    expect(teacherRecipe(c).epochs).toBe(200);
  });

  it('Fashion-MNIST quick: WRN-10-2 teacher trained first, WRN-10-1 student, AT, 28×28×1, a subset', async () => {
    const c = await readRunConfigFile(path.join(examples, 'fashion-mnist-quick.json'));
    expect(c.data).toMatchObject({ path: '/usr/share/datasets/fashion-mnist', inputShape: [28, 28, 1], limit: 2000, testLimit: 2000 });
    expect(c.version).toBe(2);
    expect(c.teacher).toMatchObject({ source: 'train', model: { family: 'wrn', depth: 10, widen: 2 } });
    expect(c.student.model).toEqual({ family: 'wrn', depth: 10, widen: 1 });
    expect(c.method).toBe('at');
    expect(teacherRecipe(c).epochs).toBe(3);
    expect(c.training.epochs).toBe(3);
  });

  it('Fashion-MNIST AT demo: teacher on 10000 images, student on 1000, whole-run β = 100 (authors\' convention)', async () => {
    const c = await readRunConfigFile(path.join(examples, 'fashion-mnist-at-demo.json'));
    expect(c.version).toBe(2);
    expect(c.data).toMatchObject({ path: '/usr/share/datasets/fashion-mnist', limit: 1000, testLimit: 1000, augment: false });
    expect(c.teacher).toMatchObject({ source: 'train', model: { family: 'wrn', depth: 10, widen: 1 }, limit: 10000 });
    expect(teacherRecipe(c).epochs).toBe(4);
    expect(c.student.model).toEqual({ family: 'wrn', depth: 10, widen: 1 });
    expect(c.method).toBe('at');
    expect(c.attention).toMatchObject({ beta: 100, form: 'code', betaDecay: 'none' });
    expect(c.training.epochs).toBe(12);
  });

  it('Fashion-MNIST AT demo study: the run config plus baseline and AT × 4 seeds, one teacher run on 10000 images', async () => {
    const s = await readStudyConfigFile(path.join(examples, 'fashion-mnist-study.json'));
    const run = await readRunConfigFile(path.join(examples, 'fashion-mnist-at-demo.json'));
    expect(s.methods).toEqual(['baseline', 'at']);
    expect(s.seeds).toEqual([1, 2, 3, 4]);
    // The study is the README's run recipe: same data, models, β and recipe as the run config.
    const { name: _a, ...studyBase } = s.base;
    const { name: _b, ...runBase } = run;
    expect(studyBase).toEqual(runBase);
    const teacher = teacherRunConfig(s);
    expect(teacher.data).toMatchObject({ limit: 10000, testLimit: 1000 });
    expect(teacher.student.model).toEqual({ family: 'wrn', depth: 10, widen: 1 });
    expect(teacher.training.epochs).toBe(4);
    const runs = plannedRuns(s).map((p) => plannedRunConfig(s, p, 'teacher-run'));
    expect(runs.map((r) => [r.method, r.seed])).toEqual([['baseline', 1], ['at', 1], ['baseline', 2], ['at', 2], ['baseline', 3], ['at', 3], ['baseline', 4], ['at', 4]]);
    for (const r of runs) expect(r.data).toMatchObject({ limit: 1000, testLimit: 1000 });
    expect(runs[1].teacher).toEqual({ source: 'run', run: 'teacher-run', role: 'student' });
    expect(runs[1].attention.beta).toBe(100);
  });
});
