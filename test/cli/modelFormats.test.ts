// Models that travel, through the CLI: every foreign teacher format is named with the way in (exit 1, no
// run folder), a truncated ONNX file and an ONNX teacher that does not fit the data likewise; `eval` takes
// an .onnx file; `export` writes ONNX, zip and TF.js, and the ONNX student gives TF.js's logits in
// onnxruntime; environment.json records the app, the command line and the data; meta.json the preprocessing.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { zipSync, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, jsonLines } from './harness.js';
import { tf } from '../../core/tf.js';
import { useBackend } from '../helpers/backend.js';
import { createModel, loadLayersModelFile } from '../../core/models/index.js';
import { modelToOnnx } from '../../core/export/onnxExport.js';
import { itWithOrt, runOnnx } from '../helpers/onnxRuntime.js';

const FMNIST = '/usr/share/datasets/fashion-mnist';
const haveData = existsSync(path.join(FMNIST, 'train-images-idx3-ubyte.gz'));
if (!haveData && process.env.CI) throw new Error(`${FMNIST} is required under CI=true`);
if (!haveData) console.log(`model-format CLI tests that train skip: ${FMNIST} is missing`);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'atstudio-formats-'));
const runsDir = path.join(tmp, 'runs');
const env = { ATSTUDIO_BACKEND: 'wasm' };
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => { await useBackend('wasm'); });

const z = (names: string[]) => zipSync(Object.fromEntries(names.map((n) => [n, new Uint8Array([1, 2, 3])])));
const foreign: { file: string; bytes?: Uint8Array; dir?: string[]; expect: RegExp }[] = [
  { file: 'model.h5', bytes: Buffer.concat([Buffer.from('\x89HDF\r\n\x1a\n', 'latin1'), Buffer.alloc(100)]), expect: /Keras HDF5 model .*tensorflowjs_converter --input_format=keras MODEL\.h5 OUT_DIR/ },
  { file: 'model.keras', bytes: z(['metadata.json', 'config.json', 'model.weights.h5']), expect: /Keras 3 model \(\.keras.*tensorflowjs_converter --input_format=keras/ },
  { file: 'weights.pt', bytes: z(['archive/data.pkl', 'archive/version', 'archive/data/0']), expect: /PyTorch checkpoint .*torch\.onnx\.export/ },
  { file: 'scripted.pt', bytes: z(['scripted/data.pkl', 'scripted/constants.pkl', 'scripted/code/__torch__/m.py']), expect: /TorchScript model .*torch\.onnx\.export/ },
  { file: 'old.pth', bytes: Buffer.from([0x80, 0x02, 0x8a, 0x0a]), expect: /Python pickle .*torch\.onnx\.export/ },
  { file: 'saved', dir: ['saved_model.pb', 'variables/variables.index'], expect: /TensorFlow SavedModel .*--input_format=keras_saved_model.*tf2onnx\.convert --saved-model/ },
];

function make(f: typeof foreign[number]): string {
  const p = path.join(tmp, f.file);
  if (f.dir) {
    for (const n of f.dir) { mkdirSync(path.dirname(path.join(p, n)), { recursive: true }); writeFileSync(path.join(p, n), Buffer.from([0x08, 0x01])); }
  } else writeFileSync(p, f.bytes!);
  return p;
}

function config(name: string, teacherPath: string, extra: Record<string, unknown> = {}): string {
  const file = path.join(tmp, `${name}.json`);
  writeFileSync(file, JSON.stringify({
    version: 1, name, seed: 7, data: { path: FMNIST, format: 'idx', limit: 32, augment: false },
    teacher: { source: 'file', path: teacherPath }, student: { model: { family: 'wrn', depth: 10, widen: 1 } },
    method: 'at', training: { epochs: 1, batchSize: 16, lr: 0.05 }, backend: 'wasm', probes: 2, ...extra,
  }));
  return file;
}

const runFolders = () => (existsSync(runsDir) ? readdirSync(runsDir).filter((n) => !n.startsWith('.')) : []);

describe.runIf(haveData)('foreign and broken teachers', () => {
  for (const f of foreign) {
    it(`${f.file}: named with the way in, exit 1, no run folder; eval names it too`, async () => {
      const p = make(f);
      const r = await cli(['train', config(`t-${f.file}`, p), '--runs-dir', runsDir], { env });
      expect(r.code).toBe(1);
      expect(r.err).toContain(p);
      expect(r.err).toMatch(f.expect);
      expect(r.err).not.toMatch(/Unexpected token|EISDIR|\\x|\uFFFD/);
      expect(runFolders()).toHaveLength(0);
      const e = await cli(['eval', p, '--data', FMNIST, '--runs-dir', runsDir], { env });
      expect(e.code).toBe(1);
      expect(e.err).toMatch(f.expect);
    });
  }

  it('a truncated ONNX file and an ONNX teacher that does not fit the data: one message each, no run folder', async () => {
    const zoo = createModel({ family: 'wrn', depth: 10, widen: 1, inputShape: [8, 8, 3], numClasses: 10 }, { seed: 1 });
    const bytes = modelToOnnx(zoo.model);
    zoo.model.dispose();
    const cut = path.join(tmp, 'cut.onnx');
    writeFileSync(cut, bytes.subarray(0, 300));
    const r = await cli(['train', config('cut', cut), '--runs-dir', runsDir], { env });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`${cut.replace(/[.]/g, '\\.')}: .*(truncated|damaged)`));
    const ok = path.join(tmp, 'rgb8.onnx');
    writeFileSync(ok, bytes);
    const shape = await cli(['train', config('shape', ok, { data: { path: FMNIST, format: 'idx', limit: 32, inputShape: [28, 28, 1] } }), '--runs-dir', runsDir], { env });
    expect(shape.code).toBe(1);
    expect(shape.err).toContain('rgb8.onnx: the teacher takes 8×8×3 images (height × width × channels), but data.inputShape is 28×28×1');
    expect(runFolders()).toHaveLength(0);
  });
});

describe.runIf(haveData)('export and the record', () => {
  let runId = '';
  const teacherOnnx = path.join(tmp, 'teacher.onnx');

  it('trains AT from an ONNX teacher; environment.json and meta.json say what ran and how inputs are made', async () => {
    const zoo = createModel({ family: 'wrn', depth: 10, widen: 1, inputShape: [12, 12, 1], numClasses: 10 }, { seed: 4 });
    writeFileSync(teacherOnnx, modelToOnnx(zoo.model));
    zoo.model.dispose();
    const file = config('from-onnx', teacherOnnx);
    const r = await cli(['train', file, '--runs-dir', runsDir, '--json'], { env });
    expect(r.code, r.err).toBe(0);
    const started = jsonLines(r.out).find((e) => e.type === 'started') as { runId: string };
    runId = started.runId;
    const envJson = JSON.parse(readFileSync(path.join(runsDir, runId, 'environment.json'), 'utf8'));
    expect(envJson.app.version).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    expect(envJson.invocation).toContain(`atstudio train ${file} --runs-dir ${runsDir} --json`);
    expect(envJson.dataset).toMatchObject({ path: FMNIST, fileCount: 4, counts: { train: 32, test: 32 } });
    expect(envJson.dataset.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(envJson.dataset.files[0]).toEqual({ name: 't10k-images-idx3-ubyte.gz', bytes: expect.any(Number) });
    const meta = JSON.parse(readFileSync(path.join(runsDir, runId, 'models', 'student', 'meta.json'), 'utf8'));
    expect(meta.preprocessing).toMatchObject({ divideBy: 255, channels: 'grayscale', inputShape: [12, 12, 1], layout: 'NHWC', mean: meta.normalization.mean });
  });

  itWithOrt('export --format onnx: onnxruntime gives the TF.js student\'s logits (≤ 1e-4); zip holds both; tfjs a folder', async (ort) => {
    expect(runId).not.toBe('');
    const onnxOut = path.join(tmp, 'out', 'student.onnx');
    const r = await cli(['export', runId, '--format', 'onnx', '--out', onnxOut, '--runs-dir', runsDir], { env });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`as onnx: ${onnxOut}`);
    const student = await loadLayersModelFile(path.join(runsDir, runId, 'models', 'student', 'model.json'));
    const x = tf.randomNormal([3, 12, 12, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    const want = (student.predict(x) as tf.Tensor).dataSync();
    const got = await runOnnx(ort, readFileSync(onnxOut), { data: tf.tidy(() => x.transpose([0, 3, 1, 2]).dataSync() as Float32Array), dims: [3, 1, 12, 12] });
    const logits = Object.values(got)[0].data;
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(want[i] - logits[i]));
    expect(worst).toBeLessThanOrEqual(1e-4);
    tf.dispose([x]);
    student.dispose();

    const zipOut = path.join(tmp, 'out', 'student.zip');
    expect((await cli(['export', runId, '--format', 'zip', '--out', zipOut, '--runs-dir', runsDir], { env })).code).toBe(0);
    const names = Object.keys(unzipSync(readFileSync(zipOut))).sort();
    expect(names).toEqual(['student/README.txt', 'student/meta.json', 'student/model.json', 'student/model.onnx', 'student/weights.bin']);
    const dirOut = path.join(tmp, 'out', 'tfjs');
    expect((await cli(['export', runId, '--out', dirOut, '--runs-dir', runsDir], { env })).code).toBe(0);
    expect(readdirSync(dirOut).sort()).toEqual(['meta.json', 'model.json', 'weights.bin']);
    const bad = await cli(['export', runId, '--format', 'onnx', '--out', dirOut, '--runs-dir', runsDir], { env });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('is a folder; --format onnx writes one file');

    // eval takes the exported .onnx, with the preprocessing from its metadata.
    const e = await cli(['eval', onnxOut, '--data', FMNIST, '--limit', '32', '--json'], { env });
    expect(e.code, e.err).toBe(0);
    const viaOnnx = jsonLines(e.out)[0];
    const viaRun = jsonLines((await cli(['eval', runId, '--data', FMNIST, '--limit', '32', '--json', '--runs-dir', runsDir], { env })).out)[0];
    expect(viaOnnx.top1).toBe(viaRun.top1);
    expect(viaOnnx.loss as number).toBeCloseTo(viaRun.loss as number, 4);
  });

  it('--version prints the package version', async () => {
    const r = await cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });
});
