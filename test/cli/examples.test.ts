// The shipped example configs are valid and say what their README promises.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readRunConfigFile, teacherRecipe } from '../../core/config/index.js';
import { learningRateAt, milestoneEpochs } from '../../core/train/index.js';
import { readStudyConfigFile } from '../../core/study/config.js';
import { plannedRuns, studyArms, teacherRunConfig } from '../../core/study/plan.js';

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

  it('Fashion-MNIST study: baseline and AT at β 100 and 1000, 3 seeds, the teacher on more images than the student', async () => {
    const s = await readStudyConfigFile(path.join(examples, 'fashion-mnist-study.json'));
    expect(s.methods).toEqual(['baseline', 'at']);
    expect(s.seeds).toEqual([1, 2, 3]);
    expect(studyArms(s)).toEqual([{ method: 'baseline' }, { method: 'at', beta: 100 }, { method: 'at', beta: 1000 }]);
    expect(plannedRuns(s)).toHaveLength(9);
    expect(s.base.data).toMatchObject({ limit: 1000, testLimit: 2000 });
    expect(teacherRunConfig(s).data.limit).toBe(2000);
  });
});
