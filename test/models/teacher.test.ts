// Teachers from files: proposed taps, explicit taps, softmax heads, errors.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { useBackend } from '../helpers/backend.js';
import { createModel, loadTeacher, proposeTaps, tapCandidates } from '../../core/models/index.js';
import { saveLayersModel } from '../../core/io/modelFiles.js';

let root: string;
beforeAll(async () => {
  await useBackend('cpu');
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'ats-teacher-'));
});
afterAll(async () => { await fs.rm(root, { recursive: true, force: true }); });

/** A plain VGG-like net as a user might export from Keras: conv-bn-relu, pools, flatten, softmax head. */
function plainCnn(softmax: 'dense' | 'layer'): tf.LayersModel {
  const m = tf.sequential({ name: 'vggish' });
  m.add(tf.layers.conv2d({ inputShape: [16, 16, 1], filters: 4, kernelSize: 3, padding: 'same', name: 'c1' }));
  m.add(tf.layers.batchNormalization({ name: 'bn1' }));
  m.add(tf.layers.activation({ activation: 'relu', name: 'r1' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2, name: 'p1' }));
  m.add(tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c2' }));
  m.add(tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'c3' }));
  m.add(tf.layers.flatten({ name: 'flat' }));
  if (softmax === 'dense') m.add(tf.layers.dense({ units: 3, activation: 'softmax', name: 'out' }));
  else {
    m.add(tf.layers.dense({ units: 3, name: 'logits' }));
    m.add(tf.layers.activation({ activation: 'softmax', name: 'prob' }));
  }
  return m;
}

describe('loadTeacher', () => {
  it('a saved WRN: proposed taps are its group outputs (the sums before the next bn-relu)', async () => {
    const z = createModel({ family: 'wrn', depth: 16, widen: 2, inputShape: [16, 16, 3], numClasses: 10 }, { namePrefix: 'teacher.', seed: 1 });
    const dir = path.join(root, 'wrn');
    await saveLayersModel(z.model, dir);
    const t = await loadTeacher(path.join(dir, 'model.json'));
    expect(t.taps).toEqual(z.taps);
    expect(t.taps.map((x) => x.name)).toEqual(['teacher.group0', 'teacher.group1', 'teacher.group2']);
    expect(t.notes?.[0]).toMatch(/proposed automatically: teacher\.group0 \(16×16×32\)/);
    // Explicit names are kept as given, in order.
    const e = await loadTeacher(path.join(dir, 'model.json'), { taps: ['teacher.group2', 'teacher.group1.block0.relu0'] });
    expect(e.taps).toEqual([{ name: 'teacher.group2', shape: [4, 4, 128] }, { name: 'teacher.group1.block0.relu0', shape: [16, 16, 32] }]);
    await expect(loadTeacher(path.join(dir, 'model.json'), { taps: ['group1'] }))
      .rejects.toThrow(/model\.json: no layer named 'group1'.*teacher\.group1 \(8×8×64\)/);
    [z, t, e].forEach((m) => m.model.dispose());
  });

  it('ResNet-18 (ImageNet stem): proposeTaps gives the stem and the four stages', async () => {
    const z = createModel({ family: 'resnet', depth: 18, stem: 'imagenet', inputShape: [64, 64, 3], numClasses: 5 }, { zeroInit: true });
    expect(proposeTaps(z.model).map((t) => `${t.name}:${t.shape[0]}`))
      .toEqual(['stem.relu:32', 'group0:16', 'group1:8', 'group2:4', 'group3:2']);
    z.model.dispose();
  });

  it('tapCandidates lists every fixed-size 4-D activation in graph order (the wizard\'s choice of taps)', () => {
    const m = plainCnn('dense');
    expect(tapCandidates(m)).toEqual([
      { name: 'c1', shape: [16, 16, 4] }, { name: 'bn1', shape: [16, 16, 4] }, { name: 'r1', shape: [16, 16, 4] },
      { name: 'p1', shape: [8, 8, 4] }, { name: 'c2', shape: [8, 8, 8] }, { name: 'c3', shape: [4, 4, 8] },
    ]);
    m.dispose();
  });

  it('a plain CNN with a softmax dense head: relu taps before each pool/stride, logits restored', async () => {
    const m = plainCnn('dense');
    const dir = path.join(root, 'vgg');
    await saveLayersModel(m, dir);
    const t = await loadTeacher(path.join(dir, 'model.json'));
    // 16×16: relu before the pool; 8×8: c2 before the strided c3; 4×4: c3 before flatten.
    expect(t.taps).toEqual([{ name: 'r1', shape: [16, 16, 4] }, { name: 'c2', shape: [8, 8, 8] }, { name: 'c3', shape: [4, 4, 8] }]);
    expect(t.notes?.some((n) => /'out' had a softmax activation; it now outputs logits/.test(n))).toBe(true);
    tf.tidy(() => {
      const x = tf.randomNormal([2, 16, 16, 1], 0, 1, 'float32', 4);
      const logits = t.model.predict(x) as tf.Tensor;
      const probs = m.predict(x) as tf.Tensor;
      expect(tf.softmax(logits).sub(probs).abs().max().dataSync()[0]).toBeLessThan(1e-6);
      // Logits, not probabilities: rows do not sum to 1.
      expect(Math.abs(logits.sum(1).dataSync()[0] - 1)).toBeGreaterThan(1e-3);
    });
    t.model.dispose();
    m.dispose();
  });

  it('a separate softmax layer is dropped: the model ends at the logits layer', async () => {
    const m = plainCnn('layer');
    const dir = path.join(root, 'vgg2');
    await saveLayersModel(m, dir);
    const t = await loadTeacher(path.join(dir, 'model.json'));
    expect(t.model.outputs[0].sourceLayer.name).toBe('logits');
    expect(t.notes?.some((n) => /removed the final softmax layer 'prob'/.test(n))).toBe(true);
    t.model.dispose();
    m.dispose();
  });

  it('a file that is not a LayersModel fails with the file name', async () => {
    const f = path.join(root, 'bad', 'model.json');
    await fs.mkdir(path.dirname(f), { recursive: true });
    await fs.writeFile(f, JSON.stringify({ format: 'graph-model', modelTopology: { node: [] } }));
    await expect(loadTeacher(f)).rejects.toThrow(new RegExp(`bad/model\\.json: format is 'graph-model'`));
  });
});
