// KD, AT+KD (with per-pair β and β decay) and gradient-based AT on real data (wasm), from a teacher
// file: each trains, and each step's total equals the loss parts combined as the method says.
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backend.js';
import { tf } from '../../core/tf.js';
import { createModel, saveLayersModel } from '../../core/models/index.js';
import { runTraining } from '../../core/train/index.js';
import { collect, currentBackend, tempRuns, tinyConfig } from './harness.js';

const runs = tempRuns();
afterAll(() => runs.cleanup());
const teacherFile = (size: number) => path.join(runs.dir, `teacher${size}`, 'model.json');

beforeAll(async () => {
  await useBackend('wasm');
  for (const size of [28, 8]) {
    const zoo = createModel({ family: 'wrn', depth: 10, widen: 2, inputShape: [size, size, 1], numClasses: 10 }, { namePrefix: 'tt_', seed: 3 });
    await saveLayersModel(zoo.model, path.dirname(teacherFile(size)));
    zoo.model.dispose();
  }
});

async function train(over: Record<string, unknown>) {
  const ev = collect();
  const run = await runs.store.create(tinyConfig(over));
  const before = tf.memory().numTensors;
  const r = await runTraining(run, { onEvent: ev.onEvent, backend: currentBackend() });
  expect(tf.memory().numTensors).toBe(before); // models, optimizer and probes all released
  expect(r.error).toBeUndefined();
  expect(r.status).toBe('done');
  return { ev, run, r, steps: ev.of('step'), epochs: ev.of('epoch') };
}

describe('methods', () => {
  it('KD: the total is the KD loss; cosine schedule halves the rate in epoch 2 of 2', async () => {
    const { steps, epochs } = await train({
      method: 'kd', teacher: { source: 'file', path: teacherFile(28) }, data: { limit: 64 },
      training: { epochs: 2, batchSize: 32, schedule: { kind: 'cosine' } },
    });
    expect(steps).toHaveLength(4);
    for (const s of steps) {
      expect(s.loss).toBe(s.parts.kd);
      expect(s.parts.at).toBeUndefined();
      expect(Number.isFinite(s.parts.ce)).toBe(true);
    }
    expect(epochs.map((e) => e.lr)).toEqual([0.1, expect.closeTo(0.05, 12)]);
    expect(epochs[1].test.agreement).toBeGreaterThanOrEqual(0);
  });

  it('AT+KD with per-pair β and linear β decay: total = KD + Σ_j β_j·scale · at_j (the authors\' β · Σ at_loss)', async () => {
    const { steps } = await train({
      method: 'at+kd', teacher: { source: 'file', path: teacherFile(28) }, data: { limit: 64 },
      training: { epochs: 2, batchSize: 32 },
      attention: { beta: 1000, betaDecay: 'linear', pairs: [
        // Names may leave out the engine's layer prefix ("group0" is the student's "student_group0").
        { student: 'group0', teacher: 'tt_group0', beta: 2000 },
        { student: 'student_group2', teacher: 'group2' },
      ] },
    });
    expect(steps).toHaveLength(4);
    steps.forEach((s, g) => {
      const scale = 1 - g / 4; // global step g of 4
      const [at0, at1] = s.parts.atPerPair!;
      expect(s.loss).toBeCloseTo(s.parts.kd! + scale * (2000 * at0 + 1000 * at1), 4);
      expect(at0).toBeGreaterThan(0);
    });
  });

  it("AT from another run's student: its normalization and taps come with it (meta.json)", async () => {
    const first = await train({ method: 'baseline', data: { limit: 64 }, training: { epochs: 1, batchSize: 32 } });
    const firstCk = await first.run.loadCheckpoint('latest');
    // β 500: the weight this test was written with (config version 1's β 1000 weighed Σ at_loss by β/2).
    const second = await train({ method: 'at', teacher: { source: 'run', run: first.run.id }, data: { limit: 32 }, training: { epochs: 1, batchSize: 32 }, attention: { beta: 500 } });
    const secondCk = await second.run.loadCheckpoint('latest');
    // Normalization of the teacher's 64 training images, not of the student's own 32.
    expect(secondCk?.extra?.normalization).toEqual(firstCk?.extra?.normalization);
    for (const ck of [firstCk!, secondCk!]) tf.dispose([...Object.values(ck.weights), ...ck.optimizer.map((o) => o.tensor)]);
    expect(second.steps[0].parts.atPerPair).toHaveLength(3);
    expect(second.epochs[0].test.agreement).toBeGreaterThan(0);
  });

  it('gradient-based AT with the flip term trains (double backprop; tiny 8×8 images)', async () => {
    const { steps, epochs } = await train({
      method: 'grad-at', teacher: { source: 'file', path: teacherFile(8) }, data: { limit: 16 },
      training: { epochs: 1, batchSize: 8 }, gradAt: { beta: 0.5, flip: true }, probes: 1,
    });
    expect(steps).toHaveLength(2);
    for (const s of steps) {
      expect(s.parts.gradAt).toBeGreaterThan(0);
      expect(s.loss).toBeCloseTo(s.parts.ce + 0.25 * s.parts.gradAt!, 4);
    }
    expect(epochs[0].test.perClass).toHaveLength(10);
  });

  it('gradient-based AT with a NIN-thin student (max and average pooling), as the paper\'s NIN experiment', async () => {
    const { steps } = await train({
      method: 'grad-at', teacher: { source: 'file', path: teacherFile(8) }, student: { model: { family: 'nin', variant: 'thin' } },
      data: { limit: 16 }, training: { epochs: 1, batchSize: 8 }, gradAt: { beta: 0.5, flip: false }, probes: 1,
    });
    expect(steps).toHaveLength(2);
    for (const s of steps) {
      expect(s.parts.gradAt).toBeGreaterThan(0);
      expect(s.loss).toBeCloseTo(s.parts.ce + 0.25 * s.parts.gradAt!, 4);
    }
  });
});
