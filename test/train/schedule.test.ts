// Learning-rate schedules and β decay, against values worked out by hand from the paper's recipe.
import { describe, expect, it } from 'vitest';
import { betaScaleAt, learningRateAt, milestoneEpochs } from '../../core/train/index.js';

const paper = { lr: 0.1, schedule: { kind: 'step' as const, milestones: [0.3, 0.6, 0.8], gamma: 0.2 } };

describe('step schedule', () => {
  it("puts the paper's milestones at epochs 60, 120, 160 of 200", () => {
    expect(milestoneEpochs([0.3, 0.6, 0.8], 200)).toEqual([60, 120, 160]);
  });
  it('multiplies the rate by 0.2 at each milestone (PyTorch MultiStepLR stepped per epoch)', () => {
    const at = (e: number) => learningRateAt(paper, e, 200);
    expect(at(0)).toBeCloseTo(0.1, 12);
    expect(at(59)).toBeCloseTo(0.1, 12);
    expect(at(60)).toBeCloseTo(0.02, 12);
    expect(at(119)).toBeCloseTo(0.02, 12);
    expect(at(120)).toBeCloseTo(0.004, 12);
    expect(at(160)).toBeCloseTo(0.0008, 12);
    expect(at(199)).toBeCloseTo(0.0008, 12);
  });
  it('rounds milestones of short runs to whole epochs', () => {
    // 10 epochs: milestones 3, 6, 8.
    expect([0, 2, 3, 5, 6, 7, 8, 9].map((e) => learningRateAt(paper, e, 10))).toEqual(
      [0.1, 0.1, 0.1 * 0.2, 0.1 * 0.2, 0.1 * 0.2 ** 2, 0.1 * 0.2 ** 2, 0.1 * 0.2 ** 3, 0.1 * 0.2 ** 3]);
  });
});

describe('step schedule of very short runs', () => {
  it('fires no milestone before the first epoch ends (1 epoch trains at lr throughout)', () => {
    // Math.round(0.3 · 1) = 0 used to put the first milestone before step 1.
    expect(milestoneEpochs([0.3, 0.6, 0.8], 1)).toEqual([1, 1, 1]);
    expect(learningRateAt(paper, 0, 1)).toBe(0.1);
    // 2 epochs: round(0.6), round(1.2), round(1.6) = 1, 1, 2 → epoch 1 at lr, epoch 2 at lr · γ².
    expect(milestoneEpochs([0.3, 0.6, 0.8], 2)).toEqual([1, 1, 2]);
    expect(learningRateAt(paper, 0, 2)).toBe(0.1);
    expect(learningRateAt(paper, 1, 2)).toBeCloseTo(0.1 * 0.2 ** 2, 12);
    // A milestone as early as 0.01 of 10 epochs still waits for the first epoch.
    expect(learningRateAt({ lr: 0.1, schedule: { kind: 'step', milestones: [0.01], gamma: 0.5 } }, 0, 10)).toBe(0.1);
    expect(learningRateAt({ lr: 0.1, schedule: { kind: 'step', milestones: [0.01], gamma: 0.5 } }, 1, 10)).toBe(0.05);
  });
});

describe('cosine schedule', () => {
  it('starts at lr, is lr/2 halfway and approaches 0 at the end', () => {
    const c = { lr: 0.1, schedule: { kind: 'cosine' as const } };
    expect(learningRateAt(c, 0, 200)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(c, 100, 200)).toBeCloseTo(0.05, 12);
    expect(learningRateAt(c, 50, 200)).toBeCloseTo(0.05 * (1 + Math.SQRT1_2), 12);
    expect(learningRateAt(c, 199, 200)).toBeLessThan(1e-4);
  });
});

describe('β decay', () => {
  it('is 1 throughout without decay', () => {
    expect(betaScaleAt('none', 0, 100)).toBe(1);
    expect(betaScaleAt('none', 99, 100)).toBe(1);
  });
  it('falls linearly from 1 to 0 over the steps', () => {
    expect(betaScaleAt('linear', 0, 100)).toBe(1);
    expect(betaScaleAt('linear', 25, 100)).toBe(0.75);
    expect(betaScaleAt('linear', 100, 100)).toBe(0);
  });
});
