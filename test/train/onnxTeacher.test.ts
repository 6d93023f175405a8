// An ONNX teacher trains the same student as the same teacher in TF.js: one teacher saved both ways
// (model.json, and ONNX through the export), AT+KD from each with one seed on real data. Tolerance: every
// step's loss parts within 1e-4 relative and the students' weights within 1e-4 (the converted teacher runs
// the same ops in TF.js; only float summation order may differ).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backend.js';
import { tf } from '../../core/tf.js';
import { createModel, saveLayersModel } from '../../core/models/index.js';
import { modelToOnnx } from '../../core/export/onnxExport.js';
import { runTraining } from '../../core/train/index.js';
import { randomizeWeights } from '../helpers/randomWeights.js';
import { collect, currentBackend, tempRuns, tinyConfig } from './harness.js';

const runs = tempRuns();
afterAll(() => runs.cleanup());
const jsonFile = path.join(runs.dir, 'teacher', 'model.json');
const onnxFile = path.join(runs.dir, 'teacher.onnx');

beforeAll(async () => {
  await useBackend('wasm');
  const zoo = createModel({ family: 'wrn', depth: 10, widen: 2, inputShape: [8, 8, 1], numClasses: 10 }, { namePrefix: 'tt_', seed: 3 });
  randomizeWeights(zoo.model, 21);
  await saveLayersModel(zoo.model, path.dirname(jsonFile));
  await fs.writeFile(onnxFile, modelToOnnx(zoo.model));
  zoo.model.dispose();
});

async function train(teacherPath: string) {
  const ev = collect();
  const run = await runs.store.create(tinyConfig({ method: 'at+kd', teacher: { source: 'file', path: teacherPath }, data: { limit: 32 }, training: { epochs: 1, batchSize: 16 } }));
  const before = tf.memory().numTensors;
  const r = await runTraining(run, { onEvent: ev.onEvent, backend: currentBackend() });
  expect(tf.memory().numTensors).toBe(before);
  expect(r.error).toBeUndefined();
  expect(r.status).toBe('done');
  const ck = await run.loadCheckpoint('latest');
  const weights = Object.fromEntries(Object.entries(ck!.weights).map(([k, t]) => [k, t.dataSync().slice()]));
  tf.dispose([...Object.values(ck!.weights), ...ck!.optimizer.map((o) => o.tensor)]);
  return { steps: ev.of('step'), weights, logs: ev.of('log').map((l) => l.message) };
}

describe('an ONNX teacher', () => {
  it('trains the same student (AT+KD) as the same teacher in TF.js', async () => {
    const a = await train(jsonFile);
    const b = await train(onnxFile);
    expect(b.logs.join('\n')).toMatch(/teacher: ONNX model \(opset 13, NCHW input\) converted/);
    expect(b.steps).toHaveLength(a.steps.length);
    a.steps.forEach((s, i) => {
      const t = b.steps[i];
      expect(t.parts.atPerPair).toHaveLength(3);
      for (const [x, y] of [[s.loss, t.loss], [s.parts.kd!, t.parts.kd!], ...s.parts.atPerPair!.map((v, j) => [v, t.parts.atPerPair![j]])]) {
        expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(x)));
      }
    });
    expect(Object.keys(b.weights).sort()).toEqual(Object.keys(a.weights).sort());
    let worst = 0;
    for (const [k, w] of Object.entries(a.weights)) for (let i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(w[i] - b.weights[k][i]));
    expect(worst).toBeLessThanOrEqual(1e-4);
  });
});
