// Errors found before anything trains and before a run folder is made: a hint pair naming a layer that
// does not exist (the message lists the taps) and a teacher file that does not load (the message names
// it). A run that reaches the engine with such a pair fails before its teacher phase, promising no resume.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './harness.js';
import { useBackend } from '../helpers/backend.js';
import { parseRunConfig } from '../../core/config/index.js';
import { RunStore } from '../../core/runs/index.js';
import { runTraining } from '../../core/train/index.js';

const FMNIST = '/usr/share/datasets/fashion-mnist';
const haveData = existsSync(path.join(FMNIST, 'train-images-idx3-ubyte.gz'));
if (!haveData) console.log(`early-error tests skip: ${FMNIST} is missing (apt-get install dataset-fashion-mnist)`);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'atstudio-early-'));
const runsDir = path.join(tmp, 'runs');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(() => useBackend('wasm'));

const config = (extra: Record<string, unknown>) => ({
  version: 1, name: 'early', seed: 1, data: { path: FMNIST, format: 'idx', limit: 32 },
  teacher: { source: 'train', model: { family: 'wrn', depth: 10, widen: 1 } },
  student: { model: { family: 'wrn', depth: 10, widen: 1 } }, method: 'at',
  training: { epochs: 1, batchSize: 16, lr: 0.05 }, backend: 'wasm', probes: 0, ...extra,
});
const write = (name: string, value: unknown) => {
  const file = path.join(tmp, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
};
const runFolders = () => (existsSync(runsDir) ? readdirSync(runsDir) : []);

describe.runIf(haveData)('atstudio train finds before it starts', () => {
  it('a hint pair naming a layer that does not exist: exit 1, the taps listed, no run folder', async () => {
    const file = write('bad-pair.json', config({ attention: { pairs: [{ student: 'group1', teacher: 'group9' }] } }));
    const r = await cli(['train', file, '--runs-dir', runsDir], { env: { ATSTUDIO_BACKEND: 'wasm' } });
    expect(r.code).toBe(1);
    expect(r.err).toContain(file);
    expect(r.err).toContain('attention.pairs[0].teacher: the teacher has no layer named "group9"');
    expect(r.err).toMatch(/the teacher's taps: group0 \(28×28×16\), group1 \(14×14×32\), group2 \(7×7×64\) \(or any of its \d+ layers with a 4-D output\)/);
    expect(r.err).not.toMatch(/resume/i);
    expect(runFolders()).toEqual([]);
  });

  it('a teacher file that does not load: exit 1 naming the file, no run folder', async () => {
    const dir = path.join(tmp, 'broken-teacher');
    mkdirSync(dir, { recursive: true });
    const modelJson = path.join(dir, 'model.json');
    writeFileSync(modelJson, '{"modelTopology": {"class_name": "Sequential"'); // cut short
    const file = write('bad-teacher.json', config({ teacher: { source: 'file', path: modelJson } }));
    const r = await cli(['train', file, '--runs-dir', runsDir], { env: { ATSTUDIO_BACKEND: 'wasm' } });
    expect(r.code).toBe(1);
    expect(r.err).toContain(`teacher.path: ${modelJson}`);
    expect(r.err).toContain('expected a TF.js model.json');
    expect(runFolders()).toEqual([]);
  });
});

it.runIf(haveData)('runTraining meets a bad hint pair before the teacher phase and promises no resume', async () => {
  const store = new RunStore(path.join(tmp, 'direct'));
  const run = await store.create(parseRunConfig(config({ attention: { pairs: [{ student: 'nope', teacher: 'group1' }] } })));
  const r = await runTraining(run);
  expect(r.status).toBe('failed');
  expect(r.error).toContain('attention.pairs[0].student: the student has no layer named "nope"');
  expect(r.error).toContain("the student's taps: group0");
  expect(r.error).toContain('Resuming would fail the same way');
  expect(r.error).not.toContain('resume continues');
  expect(await run.readMetrics()).toEqual([]); // the teacher did not train
}, 60_000);
