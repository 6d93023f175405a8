// Two processes resuming the same run at once (the built bin, spawned): the run lock lets exactly one
// train; the other exits 1 naming the holder, and metrics.jsonl holds every step and epoch once.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './builtBin.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli } from './harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'dist/cli/main.js');
const FMNIST = '/usr/share/datasets/fashion-mnist';
const haveData = existsSync(path.join(FMNIST, 'train-images-idx3-ubyte.gz'));
if (!haveData) console.log(`resume race test skips: ${FMNIST} is missing (apt-get install dataset-fashion-mnist)`);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'atstudio-race-'));
const runsDir = path.join(tmp, 'runs');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(() => { ensureBuilt(); }, 180_000);

function resume(id: string): Promise<{ code: number | null; err: string }> {
  const child = spawn(process.execPath, [bin, 'resume', id, '--runs-dir', runsDir, '--json'],
    { env: { ...process.env, ATSTUDIO_BACKEND: 'wasm' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, err })));
}

it.runIf(haveData)('two resumes race: one trains, the other exits 1 with "being trained by pid … on host … since …"', async () => {
  const file = path.join(tmp, 'race.json');
  writeFileSync(file, JSON.stringify({
    version: 1, name: 'race', seed: 3, data: { path: FMNIST, format: 'idx', limit: 192 },
    student: { model: { family: 'wrn', depth: 10, widen: 1 } }, method: 'baseline',
    training: { epochs: 3, batchSize: 16, lr: 0.05 }, backend: 'wasm', probes: 0,
  }));
  // A cancelled, resumable run: Ctrl-C at the first step.
  let pressed = false;
  const first = await cli(['train', file, '--json', '--runs-dir', runsDir], {
    env: { ATSTUDIO_BACKEND: 'wasm' },
    onStdout: (chunk, interrupt) => { if (!pressed && chunk.includes('"type":"step"')) { pressed = true; interrupt(); } },
  });
  expect(first.code).toBe(130);
  const id = JSON.parse(first.out.split('\n').find((l) => l.includes('"type":"started"'))!).runId as string;

  const [a, b] = await Promise.all([resume(id), resume(id)]);
  const codes = [a.code, b.code].sort();
  expect(codes, `stderr:\n${a.err}\n---\n${b.err}`).toEqual([0, 1]);
  const loser = a.code === 1 ? a : b;
  expect(loser.err).toMatch(new RegExp(`atstudio: run ${id} is being trained by pid \\d+ on host ${os.hostname()} since \\d{4}-\\d\\d-\\d\\dT`));

  const lines = readFileSync(path.join(runsDir, id, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const keys = lines.map((m) => `${m.kind} ${m.phase} ${m.epoch} ${m.step ?? ''}`);
  expect(keys.length).toBeGreaterThan(3);
  expect(new Set(keys).size).toBe(keys.length);
  expect(lines.filter((m) => m.kind === 'epoch').map((m) => m.epoch)).toEqual([1, 2, 3]);
  const status = JSON.parse(readFileSync(path.join(runsDir, id, 'status.json'), 'utf8'));
  expect(status.status).toBe('done');
  expect(existsSync(path.join(runsDir, id, 'run.lock'))).toBe(false);
  const log = readFileSync(path.join(runsDir, id, 'log.txt'), 'utf8');
  expect(log.match(/ done: /g)).toHaveLength(1);
}, 240_000);
