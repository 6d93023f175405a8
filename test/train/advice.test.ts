// Advice about the teacher: before a run (family, top-1 or size, resized hint maps) and after it (margin).
import { describe, expect, it } from 'vitest';
import { hintPairWarnings, teacherMarginWarning, teacherWarnings } from '../../core/train/index.js';

describe('teacherMarginWarning', () => {
  it('is silent when the teacher leads by a point or more', () => {
    expect(teacherMarginWarning(0.92, 0.91)).toBeNull();
    expect(teacherMarginWarning(0.95, 0.80)).toBeNull();
  });
  it('warns with both numbers when the lead is under a point, or the student is ahead', () => {
    expect(teacherMarginWarning(0.915, 0.91)).toBe(
      "the teacher's test top-1 (91.50%) is barely above the student's best (91.00%): there was little to transfer; a stronger teacher helps more");
    expect(teacherMarginWarning(0.5, 0.6)).toMatch(/\(50\.00%\).*\(60\.00%\)/);
  });
});

describe('teacherWarnings (before a run: the wizard\'s Review step and the run log)', () => {
  const wrn162 = { name: 'WRN-16-2', family: 'wrn' };
  const wrn161 = { name: 'WRN-16-1', family: 'wrn' };
  it('is silent for a larger teacher of the same family', () => {
    expect(teacherWarnings({ usesAt: true, teacher: { ...wrn162, params: 691674 }, student: { ...wrn161, params: 175994 } })).toEqual([]);
  });
  it('warns about another family for AT only, citing the published benchmark', () => {
    const w = teacherWarnings({ usesAt: true, teacher: { name: 'ResNet-18', family: 'resnet' }, student: wrn161 });
    expect(w).toEqual(['teacher (ResNet-18) and student (WRN-16-1) are different families: attention transfer across architectures can hurt the student ' +
      '(a published benchmark on CIFAR-100: a MobileNetV2 student reached 64.60% alone and 59.40% with AT from a VGG-13 teacher)']);
    expect(teacherWarnings({ usesAt: false, teacher: { name: 'ResNet-18', family: 'resnet' }, student: wrn161 })).toEqual([]);
    // A teacher file without a recorded architecture: nothing to compare, nothing said.
    expect(teacherWarnings({ usesAt: true, teacher: { name: 'model.json' }, student: wrn161 })).toEqual([]);
  });
  it('compares test top-1 with the student\'s own baseline when both are known (sizes are then not asked)', () => {
    const known = (top1: number, baselineTop1: number) =>
      teacherWarnings({ usesAt: true, teacher: { ...wrn162, params: 10, top1 }, student: { ...wrn161, params: 20, baselineTop1 } });
    expect(known(0.9, 0.85)).toEqual([]); // clearly better, although "smaller" by the given sizes
    expect(known(0.855, 0.85)).toEqual(["the teacher's test top-1 (85.50%) is not clearly above what the student reaches alone (85.00%, its best baseline run on this data): there is little to transfer; a stronger teacher helps more"]);
    expect(known(0.8, 0.85)[0]).toMatch(/\(80\.00%\).*\(85\.00%,/);
  });
  it('falls back to the sizes when nothing was trained yet', () => {
    expect(teacherWarnings({ usesAt: true, teacher: { ...wrn161, params: 175994 }, student: { ...wrn161, params: 175994 } }))
      .toEqual(['the teacher (WRN-16-1, 175994 parameters) is not larger than the student (WRN-16-1, 175994): it is unlikely to be much better, so there is little to transfer']);
    // A teacher already trained (its top-1 known) without a baseline to compare with: its size says little.
    expect(teacherWarnings({ usesAt: true, teacher: { ...wrn162, params: 10, top1: 0.9 }, student: { ...wrn161, params: 20 } })).toEqual([]);
  });
  it('says nothing about size when the teacher learns from more images than the student', () => {
    const same = { ...wrn161, params: 175994 };
    // The Fashion-MNIST demo: a same-size teacher on 10000 images, the student on 1000.
    expect(teacherWarnings({ usesAt: true, teacher: { ...same, trainImages: 10000 }, student: { ...same, trainImages: 1000 } })).toEqual([]);
    // The whole split (no limit) for the teacher, a limit for the student: more images too.
    expect(teacherWarnings({ usesAt: true, teacher: same, student: { ...same, trainImages: 1000 } })).toEqual([]);
    // The same images: size decides again.
    expect(teacherWarnings({ usesAt: true, teacher: { ...same, trainImages: 1000 }, student: { ...same, trainImages: 1000 } })[0]).toMatch(/not larger/);
  });
});

describe('hintPairWarnings', () => {
  it('names each resized pair, and only those', () => {
    expect(hintPairWarnings([
      { student: 'group0', teacher: 'group0' },
      { student: 'group0', teacher: 'group2', note: "student map 28×28 area-averaged to the teacher's 7×7" },
    ])).toEqual(["hint pair group0 ← group2 has maps of different resolutions: student map 28×28 area-averaged to the teacher's 7×7"]);
  });
});
