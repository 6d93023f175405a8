// TF.js LayersModel files: save → load round trip, and every way a model file can be wrong.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { useBackend } from '../helpers/backend.js';
import { createModel } from '../../core/models/index.js';
import { loadLayersModelFile, saveLayersModel } from '../../core/io/modelFiles.js';

let root: string;
beforeAll(async () => {
  await useBackend('cpu');
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'ats-modelfiles-'));
});
afterAll(async () => { await fs.rm(root, { recursive: true, force: true }); });

const spec = { family: 'wrn' as const, depth: 10, widen: 1, inputShape: [12, 12, 3] as [number, number, number], numClasses: 5 };

async function savedModel(name: string): Promise<string> {
  const z = createModel(spec, { seed: 3, namePrefix: 'student.' });
  const dir = path.join(root, name);
  await saveLayersModel(z.model, dir);
  z.model.dispose();
  return dir;
}

describe('saveLayersModel → loadLayersModelFile', () => {
  it('round trip: same layer names, weights (incl. moving statistics) and predictions', async () => {
    const z = createModel(spec, { seed: 9, namePrefix: 'student.' });
    // Move the batch-norm statistics away from 0/1 so the test sees them saved.
    tf.tidy(() => { z.model.apply(tf.randomNormal([4, 12, 12, 3], 1, 2, 'float32', 1), { training: true }); });
    const dir = path.join(root, 'roundtrip');
    await saveLayersModel(z.model, dir);
    expect((await fs.readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['./weights.bin']);
    expect((await fs.stat(path.join(dir, 'weights.bin'))).size).toBe(4 * z.model.countParams());

    const loaded = await loadLayersModelFile(path.join(dir, 'model.json'));
    expect(loaded.layers.map((l) => l.name)).toEqual(z.model.layers.map((l) => l.name));
    const x = tf.randomNormal([3, 12, 12, 3], 0, 1, 'float32', 2);
    const a = z.model.predict(x) as tf.Tensor;
    const b = loaded.predict(x) as tf.Tensor;
    expect(tf.tidy(() => a.sub(b).abs().max().dataSync()[0])).toBe(0);
    const mm = z.model.getLayer('student.bn').getWeights()[2].dataSync();
    expect(Math.abs(mm[0])).toBeGreaterThan(0);
    expect(Array.from(loaded.getLayer('student.bn').getWeights()[2].dataSync())).toEqual(Array.from(mm));
    [x, a, b].forEach((t) => t.dispose());
    z.model.dispose();
    loaded.dispose();
  });

  it('saving again replaces the files atomically (no temporary files left)', async () => {
    const dir = await savedModel('twice');
    const z = createModel(spec, { seed: 4 });
    await saveLayersModel(z.model, dir);
    z.model.dispose();
    expect((await fs.readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
  });
});

describe('loadLayersModelFile errors name the file and the problem', () => {
  const write = async (dir: string, file: string, data: string | Uint8Array) => {
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, file), data);
    return path.join(dir, file);
  };

  it('missing model.json', async () => {
    const f = path.join(root, 'nope', 'model.json');
    await expect(loadLayersModelFile(f)).rejects.toThrow(`${f}: the model file not found`);
  });

  it('not JSON', async () => {
    const f = await write(path.join(root, 'notjson'), 'model.json', 'PK\u0003\u0004 binary');
    await expect(loadLayersModelFile(f)).rejects.toThrow(new RegExp(`${escape(f)}: not JSON`));
  });

  it('no modelTopology', async () => {
    const f = await write(path.join(root, 'notopo'), 'model.json', JSON.stringify({ weightsManifest: [] }));
    await expect(loadLayersModelFile(f)).rejects.toThrow(/notopo.*no modelTopology: not a TF\.js LayersModel/);
  });

  it('a graph model', async () => {
    const f = await write(path.join(root, 'graph'), 'model.json', JSON.stringify({ format: 'graph-model', modelTopology: { node: [] }, weightsManifest: [] }));
    await expect(loadLayersModelFile(f)).rejects.toThrow(/format is 'graph-model', not 'layers-model'/);
    const g = await write(path.join(root, 'graph2'), 'model.json', JSON.stringify({ modelTopology: { node: [] }, weightsManifest: [] }));
    await expect(loadLayersModelFile(g)).rejects.toThrow(/looks like a graph model/);
  });

  it('missing weights file', async () => {
    const dir = await savedModel('noweights');
    await fs.rm(path.join(dir, 'weights.bin'));
    await expect(loadLayersModelFile(path.join(dir, 'model.json'))).rejects.toThrow(/noweights.*weights file '\.\/weights\.bin' listed in its manifest not found/);
  });

  it('wrong byte length', async () => {
    const dir = await savedModel('short');
    const w = await fs.readFile(path.join(dir, 'weights.bin'));
    await fs.writeFile(path.join(dir, 'weights.bin'), w.subarray(0, w.byteLength - 8));
    await expect(loadLayersModelFile(path.join(dir, 'model.json'))).rejects.toThrow(
      new RegExp(`are ${w.byteLength - 8} bytes, but its \\d+ weights need ${w.byteLength} bytes`));
  });

  it('a weights path that leaves the folder, or a URL, is refused', async () => {
    const dir = await savedModel('escape');
    const f = path.join(dir, 'model.json');
    const json = JSON.parse(await fs.readFile(f, 'utf8'));
    json.weightsManifest[0].paths = ['../short/weights.bin'];
    await fs.writeFile(f, JSON.stringify(json));
    await expect(loadLayersModelFile(f)).rejects.toThrow(/leaves the model's folder; refusing/);
    json.weightsManifest[0].paths = ['https://example.com/w.bin'];
    await fs.writeFile(f, JSON.stringify(json));
    await expect(loadLayersModelFile(f)).rejects.toThrow(/not a relative file path/);
  });

  it('weights split over several files are read in manifest order', async () => {
    const dir = await savedModel('sharded');
    const f = path.join(dir, 'model.json');
    const single = await loadLayersModelFile(f);
    const w = await fs.readFile(path.join(dir, 'weights.bin'));
    const cut = 4 * 100 + 2; // not on a weight boundary
    await fs.writeFile(path.join(dir, 'group1-shard1of2.bin'), w.subarray(0, cut));
    await fs.writeFile(path.join(dir, 'group1-shard2of2.bin'), w.subarray(cut));
    const json = JSON.parse(await fs.readFile(f, 'utf8'));
    json.weightsManifest[0].paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin'];
    await fs.writeFile(f, JSON.stringify(json));
    await fs.rm(path.join(dir, 'weights.bin'));
    const sharded = await loadLayersModelFile(f);
    const x = tf.randomNormal([2, 12, 12, 3], 0, 1, 'float32', 8);
    const d = tf.tidy(() => (single.predict(x) as tf.Tensor).sub(sharded.predict(x) as tf.Tensor).abs().max().dataSync()[0]);
    expect(d).toBe(0);
    [single, sharded].forEach((m) => m.dispose());
    x.dispose();
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
