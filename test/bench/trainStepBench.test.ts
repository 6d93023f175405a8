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
  const names = r.kernels!.map((k) => k.kernel);
  for (const k of ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'FusedConv2D']) expect(names).toContain(k);
}, 60_000);
