// The wizard's side of the service: datasets, estimates, hint pairs, validation, path allow-list, errors.
// No training here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { useBackend } from '../helpers/backend.js';
import { createService, ServiceError, type AtStudioService } from '../../core/service/index.js';
import { FASHION_DIR, tempDir, tinyConfig } from './harness.js';
import * as path from 'node:path';
import { tf } from '../../core/tf.js';
import { saveLayersModel } from '../../core/io/modelFiles.js';
import { promises as fs } from 'node:fs';
import { createModel } from '../../core/models/index.js';
import { modelToOnnx } from '../../core/export/onnxExport.js';
import { RunStore } from '../../core/runs/index.js';
import { parseRunConfig } from '../../core/config/index.js';

const tmp = tempDir();
let api: AtStudioService;
beforeAll(async () => {
  await useBackend('wasm');
  api = createService({ runsDir: tmp.dir });
});
afterAll(async () => {
  await api.close();
  tmp.cleanup();
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ServiceError);
    return (err as ServiceError).code;
  }
  return 'no error';
}

describe('datasets and models', () => {
  it('inspects Fashion-MNIST with base64 PNG samples', async () => {
    const d = await api.inspectDataset(FASHION_DIR);
    expect(d.format).toBe('idx');
    expect(d.classes).toHaveLength(10);
    expect(d.trainCount).toBe(60000);
    expect(d.testCount).toBe(10000);
    expect(d.imageShape).toEqual([28, 28, 1]);
    expect(d.samples.length).toBeGreaterThan(0);
    const png = PNG.sync.read(Buffer.from(d.samples[0].pngBase64, 'base64'));
    expect(png.width).toBeGreaterThan(0);
  });

  it('estimates WRN-10-1 on 28×28×1, 10 classes (counted by hand)', async () => {
    const e = await api.estimateModel({ model: { family: 'wrn', depth: 10, widen: 1 }, inputShape: [28, 28, 1], numClasses: 10 });
    // Convs 144 + 2·2304 + 4608 + 9216 + 512 + 18432 + 36864 + 2048 = 76432, dense 64·10+10 = 650,
    // batch norms over 16+16+16+32+32+64+64 = 240 channels × 4 = 960 → 78042 (480 of them trainable).
    expect(e.name).toBe('WRN-10-1');
    expect(e.params).toBe(78042);
    expect(e.trainableParams).toBe(77562);
    expect(e.sizeBytes).toBe(78042 * 4);
    // Multiply-adds per image: each conv's weights × its output positions (784, 196, 49), plus 640.
    expect(e.multiplyAdds).toBe(144 * 784 + 2 * 2304 * 784 + (4608 + 9216 + 512) * 196 + (18432 + 36864 + 2048) * 49 + 640);
    expect(e.taps).toEqual([{ name: 'group0', shape: [28, 28, 16] }, { name: 'group1', shape: [14, 14, 32] }, { name: 'group2', shape: [7, 7, 64] }]);
  });

  it('refuses a model that cannot be built, as invalid', async () => {
    expect(await codeOf(api.estimateModel({ model: { family: 'nin', variant: 'huge' as 'thin' }, inputShape: [28, 28, 1], numClasses: 10 }))).toBe('invalid');
  });

  it('describes a teacher model file: parameters, multiply-adds, taps in use and every layer that could be one', async () => {
    const m = tf.sequential({ name: 'small' });
    m.add(tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1' }));
    m.add(tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'c2' }));
    m.add(tf.layers.flatten({ name: 'flat' }));
    m.add(tf.layers.dense({ units: 3, name: 'logits' }));
    const dir = path.join(tmp.dir, 'teacher-file');
    await saveLayersModel(m, dir);
    m.dispose();
    const file = path.join(dir, 'model.json');
    const auto = await api.inspectTeacherFile(file);
    // Weights: c1 36 + 4, c2 216 + 6, dense 96·3 + 3 = 553. Multiply-adds: 36·64 + 216·16 + 96·3 = 6048.
    expect(auto).toMatchObject({ numClasses: 3, inputShape: [8, 8, 1], params: 553, sizeBytes: 553 * 4, multiplyAdds: 6048 });
    expect(auto.taps).toEqual([{ name: 'c1', shape: [8, 8, 4] }, { name: 'c2', shape: [4, 4, 6] }]);
    expect(auto.layers).toEqual([{ name: 'c1', shape: [8, 8, 4] }, { name: 'c2', shape: [4, 4, 6] }]);
    const chosen = await api.inspectTeacherFile(file, ['c2']);
    expect(chosen.taps).toEqual([{ name: 'c2', shape: [4, 4, 6] }]);
    expect(chosen.layers).toHaveLength(2);
    await expect(api.inspectTeacherFile(file, ['flat'])).rejects.toThrow(/'flat' does not output one 4-D activation.*c1 \(8×8×4\)/);
  });

  it('describes an ONNX teacher file the same way: its 4-D tensors with their shapes; a foreign file is named', async () => {
    const zoo = createModel({ family: 'wrn', depth: 10, widen: 1, inputShape: [8, 8, 1], numClasses: 3 }, { namePrefix: 'ox_', seed: 1 });
    const file = path.join(tmp.dir, 'teacher.onnx');
    await fs.writeFile(file, modelToOnnx(zoo.model));
    zoo.model.dispose();
    const view = await api.inspectTeacherFile(file);
    expect(view).toMatchObject({ numClasses: 3, inputShape: [8, 8, 1] });
    expect(view.taps.map((t) => t.name)).toEqual(['ox_group0', 'ox_group1', 'ox_group2']);
    expect(view.layers).toContainEqual({ name: 'ox_group1', shape: [4, 4, 32] });
    expect(view.notes?.join(' ')).toMatch(/ONNX model \(opset 13, NCHW input\)/);
    const h5 = path.join(tmp.dir, 'teacher.h5');
    await fs.writeFile(h5, Buffer.from('\x89HDF\r\n\x1a\n....', 'latin1'));
    await expect(api.inspectTeacherFile(h5)).rejects.toThrow(/teacher\.h5: is a Keras HDF5 model/);
  });

  it('refuses a malformed request as invalid, saying what was expected', async () => {
    const bad = api.estimateModel({ model: { family: 'wrn', depth: 16, widen: 1 }, inputShape: [32, 32] as unknown as [number, number, number], numClasses: 10 });
    await expect(bad).rejects.toThrow(/inputShape must be \[height, width, channels\].*\[32,32\]/);
    await expect(api.estimateModel({ model: { family: 'wrn', depth: 16, widen: 1 }, inputShape: [32, 32, 3], numClasses: 1 })).rejects.toThrow(/numClasses must be a whole number ≥ 2, got 1/);
  });

  it('proposes hint pairs: equal resolutions in order, else resized with a note', async () => {
    const s = [{ name: 's1', shape: [8, 8, 16] as [number, number, number] }, { name: 's2', shape: [4, 4, 32] as [number, number, number] }];
    const t = [{ name: 't1', shape: [8, 8, 32] as [number, number, number] }, { name: 't2', shape: [4, 4, 64] as [number, number, number] }];
    const same = await api.proposeHintPairs(s, t);
    expect(same.map((p) => [p.student, p.teacher, p.resized])).toEqual([['s1', 't1', 'none'], ['s2', 't2', 'none']]);
    const resized = await api.proposeHintPairs([s[0]], [t[1]]);
    expect(resized[0]).toMatchObject({ student: 's1', teacher: 't2', resized: 'student' });
    expect(resized[0].note).toMatch(/8×8.*4×4/);
    expect(await codeOf(api.proposeHintPairs(s, t, [{ student: 's1', teacher: 'nope' }]))).toBe('invalid');
  });

  it('lists backends: cpu and wasm are always there', async () => {
    const b = await api.backends();
    expect(b.map((x) => x.name)).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']);
    expect(b.find((x) => x.name === 'wasm')?.available).toBe(true);
    expect(b.find((x) => x.name === 'cpu')?.available).toBe(true);
    expect((await api.defaultConfig()).version).toBe(2);
  });

  it('lists webgpu with the adapter Dawn offers, or why there is none (probed in a child process)', async () => {
    const icd = '/usr/lib/chromium/vk_swiftshader_icd.json';
    const webgpu = (await api.backends()).find((x) => x.name === 'webgpu')!;
    console.log(`webgpu here: ${JSON.stringify(webgpu)}`);
    if (process.env.VK_ICD_FILENAMES === icd) {
      expect(webgpu).toMatchObject({ available: true, adapter: { architecture: 'swiftshader', software: true } });
      expect(webgpu.reason).toContain('Automatic never picks it');
    } else {
      // No GPU on the machines the tests run on: Dawn finds no adapter, and the reason says what is missing.
      expect(webgpu.available).toBe(false);
      expect(webgpu.reason).toMatch(/^no WebGPU adapter: |the adapter probe .* is missing \(run npm run build\)/);
    }
  });
});

describe('validateConfig', () => {
  it('accepts a good config, fills defaults, and warns that an equal-size teacher has little to teach', async () => {
    const v = await api.validateConfig(tinyConfig());
    expect(v.issues).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.config?.attention.beta).toBe(1000);
    expect(v.warnings.join('\n')).toMatch(/not larger than the student/);
  });

  it('warns about different families and about resized hint maps', async () => {
    const v = await api.validateConfig(tinyConfig({ teacher: { source: 'train', model: { family: 'resnet', depth: 18 } } }));
    expect(v.ok).toBe(true);
    expect(v.warnings.join('\n')).toMatch(/different families/);
    // The evidence is named as what it is: a published benchmark's numbers.
    expect(v.warnings.join('\n')).toMatch(/a published benchmark on CIFAR-100: a MobileNetV2 student reached 64\.60% alone and 59\.40% with AT from a VGG-13 teacher/);
    expect(v.warnings.join('\n')).not.toMatch(/not larger/); // ResNet-18 is far larger than WRN-10-1
    // KD does not compare attention maps: no family warning.
    const kd = await api.validateConfig(tinyConfig({ method: 'kd', teacher: { source: 'train', model: { family: 'resnet', depth: 18 } } }));
    expect(kd.warnings.join('\n')).not.toMatch(/different families/);
    const pairs = await api.validateConfig(tinyConfig({ attention: { pairs: [{ student: 'group0', teacher: 'teacher_group2' }] } }));
    expect(pairs.warnings).toContain("hint pair group0 ← group2 has maps of different resolutions: student map 28×28 area-averaged to the teacher's 7×7");
    const bad = await api.validateConfig(tinyConfig({ attention: { pairs: [{ student: 'group9', teacher: 'group0' }] } }));
    expect(bad.issues.map((i) => i.path)).toEqual(['attention.pairs']);
  });

  it('a teacher from a finished run: its test top-1 against the student\'s own baseline, else the two sizes', async () => {
    const runs = tempDir('atstudio-advice-');
    const svc = createService({ runsDir: runs.dir });
    const store = new RunStore(runs.dir);
    try {
      // Two finished runs, written as training would leave them: a WRN-16-2 that reached 86.0 %, and the
      // WRN-10-1 student trained alone on the same data that reached 85.6 %.
      const done = async (config: Record<string, unknown>, top1: number) => {
        const r = await store.create(parseRunConfig(config));
        await r.writeStatus({ status: 'done', phase: 'student', results: { student: { best: { epoch: 1, top1 }, last: { epoch: 1, top1 } } } });
        return r.id;
      };
      const teacherRun = await done(tinyConfig({ method: 'baseline', teacher: undefined, student: { model: { family: 'wrn', depth: 16, widen: 2 } } }), 0.86);
      const fromRun = { ...tinyConfig(), teacher: { source: 'run', run: teacherRun } };
      // Nothing trained for this student yet: sizes decide, and WRN-16-2 is larger than WRN-10-1 — no warning.
      const before = await svc.validateConfig(fromRun);
      expect(before.issues).toEqual([]);
      expect(before.warnings.join('\n')).not.toMatch(/little to transfer/);
      await done(tinyConfig({ method: 'baseline', teacher: undefined }), 0.856);
      const after = await svc.validateConfig(fromRun);
      expect(after.warnings).toContain("the teacher's test top-1 (86.00%) is not clearly above what the student reaches alone (85.60%, its best baseline run on this data): there is little to transfer; a stronger teacher helps more");
      // A clearly better teacher (a point or more above the baseline): no warning.
      const strong = await done(tinyConfig({ method: 'baseline', teacher: undefined, student: { model: { family: 'wrn', depth: 16, widen: 2 } } }), 0.9);
      const fine = await svc.validateConfig({ ...tinyConfig(), teacher: { source: 'run', run: strong } });
      expect(fine.warnings.join('\n')).not.toMatch(/little to transfer/);
      // A run teacher of another family is named by its own architecture.
      const resnet = await done(tinyConfig({ method: 'baseline', teacher: undefined, student: { model: { family: 'resnet', depth: 18 } } }), 0.9);
      const other = await svc.validateConfig({ ...tinyConfig(), teacher: { source: 'run', run: resnet } });
      expect(other.warnings.join('\n')).toMatch(/teacher \(ResNet-18\) and student \(WRN-10-1\) are different families/);
    } finally {
      await svc.close();
      runs.cleanup();
    }
  });

  it('names every bad field by its path', async () => {
    const v = await api.validateConfig(tinyConfig({ student: { model: { family: 'wrn', depth: 11, widen: 1 } }, training: { lr: -1 } }));
    expect(v.ok).toBe(false);
    expect(v.issues.map((i) => i.path).sort()).toEqual(['student.model.depth', 'training.lr']);
    expect(v.issues.find((i) => i.path === 'training.lr')?.message).toMatch(/> 0/);
    const missing = await api.validateConfig(tinyConfig({ data: { path: '/nonexistent/data' } }));
    expect(missing.issues).toEqual([{ path: 'data.path', message: '/nonexistent/data does not exist' }]);
    const notData = await api.validateConfig(tinyConfig({ data: { path: tmp.dir } }));
    expect(notData.issues.map((i) => i.path)).toEqual(['data.path']);
    const run = await api.validateConfig({ ...tinyConfig(), teacher: { source: 'run', run: 'no-such-run' } });
    expect(run.issues.map((i) => i.path)).toEqual(['teacher.run']);
  });

  it('refuses to start an invalid config, with the issues attached', async () => {
    try {
      await api.startRun(tinyConfig({ training: { lr: -1 } }));
      expect.unreachable();
    } catch (err) {
      expect((err as ServiceError).code).toBe('invalid');
      expect((err as ServiceError).message).toMatch(/training\.lr/);
      expect((err as ServiceError).details).toEqual([expect.objectContaining({ path: 'training.lr' })]);
    }
    expect(await api.listRuns()).toEqual([]);
  });
});

describe('paths and run ids', () => {
  it('keeps a restricted service inside its roots', async () => {
    const roots = tempDir('atstudio-roots-');
    const limited = createService({ runsDir: tmp.dir, roots: [roots.dir] });
    try {
      expect(await codeOf(limited.inspectDataset(FASHION_DIR))).toBe('forbidden');
      expect(await codeOf(limited.inspectDataset('relative/path'))).toBe('invalid');
      expect(await codeOf(limited.exportReport(['x'], `${roots.dir}/../escape.html`))).toBe('forbidden');
      const v = await limited.validateConfig(tinyConfig());
      expect(v.issues.map((i) => i.path)).toEqual(['data.path']);
      expect(v.issues[0].message).toMatch(/outside the folders/);
    } finally {
      await limited.close();
      roots.cleanup();
    }
  });

  it('refuses bad run ids and unknown runs with codes', async () => {
    expect(await codeOf(api.getRun('../etc'))).toBe('invalid');
    expect(await codeOf(api.getRun('20260101-000000-none-0000'))).toBe('not-found');
    expect(await codeOf(api.deleteRun('20260101-000000-none-0000'))).toBe('not-found');
    expect(await codeOf(api.pauseRun('a/b'))).toBe('invalid');
  });
});
