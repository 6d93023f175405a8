// The training-step benchmark runs a real AT step (teacher forward, student forward and backward,
// SGD) on wasm without leaking tensors, and reports consistent numbers.
import { expect, it } from 'vitest';
import { benchTrainStep } from '../../core/bench/trainStepBench.js';

it('times a small WRN step on wasm, with a kernel profile and no tensor growth', async () => {
  const batch = 4;
  const r = await benchTrainStep({
    backend: 'wasm', batch, steps: 2, warmup: 1, inputShape: [16, 16, 3],
    student: { family: 'wrn', depth: 10, widen: 1 }, teacher: { family: 'wrn', depth: 10, widen: 2 },
    profileKernels: true,
  });
  expect(r.backend).toBe('wasm');
  expect(r.threads).toBeGreaterThanOrEqual(1); // as selectBackend chose (default: a thread per core)
  expect(r.stepMs).toHaveLength(2);
  expect(r.numTensorsGrowth).toBe(0);
  const median = [...r.stepMs].sort((a, b) => a - b)[0] / 2 + [...r.stepMs].sort((a, b) => a - b)[1] / 2;
  expect(r.imagesPerSec).toBeCloseTo(batch / (median / 1000), 6);
  expect(r.teacherForwardImagesPerSec).toBeGreaterThan(r.imagesPerSec); // the teacher step is a part of the step
  expect(r.peakRssMB).toBeGreaterThan(0);
  // By hand, on 16×16×3 (positions 256, 64, 16 per group): WRN-10-1 has convs of 432, 2·2304 | 4608 + 9216
  // + 512 (shortcut) | 18432 + 36864 + 2048 weights and a 64·10 dense layer; WRN-10-2 has 432 | 4608 +
  // 9216 + 512 | 18432 + 36864 + 2048 | 73728 + 147456 + 8192 and 128·10. Teacher forward counts 2 FLOP per
  // multiply-add; the student 6 (forward and two gradients).
  const studentMadds = (432 + 2 * 2304) * 256 + (4608 + 9216 + 512) * 64 + (18432 + 36864 + 2048) * 16 + 640;
  const teacherMadds = 432 * 256 + (4608 + 9216 + 512) * 256 + (18432 + 36864 + 2048) * 64 + (73728 + 147456 + 8192) * 16 + 1280;
  expect(r.mflopPerImage.studentForwardBackward).toBeCloseTo(6 * studentMadds / 1e6, 9);
  expect(r.mflopPerImage.teacherForward).toBeCloseTo(2 * teacherMadds / 1e6, 9);
  expect(r.stepGflopPerSec).toBeCloseTo(r.imagesPerSec * r.mflopPerImage.step / 1e3, 9);
  expect(r.efficiency).toBeCloseTo(r.stepGflopPerSec / r.teacherForwardGflopPerSec, 9);
  const names = r.kernels!.map((k) => k.kernel);
  for (const k of ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'FusedConv2D']) expect(names).toContain(k);
}, 60_000);
