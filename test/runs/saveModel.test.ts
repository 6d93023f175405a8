// The run folder stores final models through core/io/modelFiles (models helper) under models/<role>/.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseRunConfig } from '../../core/config/index.js';
import { loadLayersModelFile } from '../../core/io/modelFiles.js';
import { RunStore } from '../../core/runs/index.js';
import { tf } from '../../core/tf.js';
import { useBackend } from '../helpers/backend.js';

let runsDir: string;
beforeAll(async () => {
  await useBackend('cpu');
  runsDir = await fs.mkdtemp(path.join(os.tmpdir(), 'atmodel-'));
});
afterAll(async () => {
  await fs.rm(runsDir, { recursive: true, force: true });
});

it('saves the student as model.json + weights.bin that load back to the same outputs', async () => {
  const run = await new RunStore(runsDir).create(parseRunConfig({ data: { path: '/d' } }));
  const model = tf.sequential({
    layers: [tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 3, padding: 'same' }), tf.layers.flatten(), tf.layers.dense({ units: 3 })],
  });
  const file = await run.saveModel('student', model);
  expect(file).toBe(path.join(run.dir, 'models', 'student', 'model.json'));
  expect((await fs.readdir(path.dirname(file))).sort()).toEqual(['model.json', 'weights.bin']);
  const loaded = await loadLayersModelFile(file);
  const x = tf.tensor4d(Float32Array.from({ length: 32 }, (_, i) => Math.cos(i)), [2, 4, 4, 1]);
  const a = model.predict(x) as tf.Tensor;
  const b = loaded.predict(x) as tf.Tensor;
  expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
  tf.dispose([x, a, b]);
  model.dispose();
  loaded.dispose();
});
