// A checkpoint holds what an SGD-with-momentum step needs: continuing from a saved and reloaded
// checkpoint must give bit-identical weights to never having stopped.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { loadCheckpointDir, saveCheckpointDir } from '../../core/runs/checkpoint.js';
import { useBackend } from '../helpers/backend.js';

beforeAll(async () => {
  await useBackend('cpu');
});

const x = () => tf.tensor2d([[1, 2], [3, -1], [0.5, 0.25]]);
const y = () => tf.tensor2d([[1], [0], [2]]);

function stepOnce(opt: tf.Optimizer, w: tf.Variable, b: tf.Variable) {
  tf.tidy(() => {
    opt.minimize(() => tf.losses.meanSquaredError(y(), tf.add(tf.matMul(x(), w), b)) as tf.Scalar, false, [w, b]);
  });
}

it('resuming from a checkpoint continues exactly (weights and momentum)', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'atresume-'));
  let w: tf.Variable = tf.variable(tf.tensor2d([[0.3], [-0.2]]), true, 'resume/w');
  let b: tf.Variable = tf.variable(tf.tensor1d([0.1]), true, 'resume/b');
  let opt: tf.Optimizer = tf.train.momentum(0.05, 0.9);
  stepOnce(opt, w, b);
  stepOnce(opt, w, b);
  await saveCheckpointDir(root, 'latest', { phase: 'student', epoch: 2, step: 0, rngState: 7, weights: { [w.name]: w, [b.name]: b }, optimizer: await opt.getWeights() });
  stepOnce(opt, w, b);
  const uninterrupted = [...w.dataSync(), ...b.dataSync()];
  // "Crash": drop everything, then resume from disk.
  opt.dispose();
  w.dispose();
  b.dispose();
  const ck = (await loadCheckpointDir(root, 'latest'))!;
  w = tf.variable(ck.weights['resume/w'], true, 'resume/w');
  b = tf.variable(ck.weights['resume/b'], true, 'resume/b');
  const before = [...w.dataSync(), ...b.dataSync()];
  expect(before).not.toEqual(uninterrupted); // sanity: the third step changed the weights
  opt = tf.train.momentum(0.05, 0.9);
  await opt.setWeights(ck.optimizer);
  stepOnce(opt, w, b);
  const resumed = [...w.dataSync(), ...b.dataSync()];
  expect(new Float32Array(resumed)).toEqual(new Float32Array(uninterrupted));
  // Without the momentum the step differs, so the test would catch a lost optimizer state.
  const fresh = tf.train.momentum(0.05, 0.9);
  const w2 = tf.variable(ck.weights['resume/w'], true, 'resume/w2');
  const b2 = tf.variable(ck.weights['resume/b'], true, 'resume/b2');
  stepOnce(fresh, w2, b2);
  expect([...w2.dataSync(), ...b2.dataSync()]).not.toEqual(uninterrupted);
  tf.dispose([w, b, w2, b2, ...Object.values(ck.weights), ...ck.optimizer.map((o) => o.tensor)]);
  opt.dispose();
  fresh.dispose();
  await fs.rm(root, { recursive: true, force: true });
});
