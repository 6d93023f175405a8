// `--backend cpu` with explicit hint pairs starts every time: validation builds the models, and an op
// while a backend is still starting threw "Backend 'cpu' has not yet been initialized" (3 times in 6).
// Since validation builds them for every such config, the failure became certain without the fix.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureBuilt } from './builtBin.js';

const FMNIST = '/usr/share/datasets/fashion-mnist';
const haveData = existsSync(path.join(FMNIST, 'train-images-idx3-ubyte.gz'));
if (!haveData) console.log(`cpu backend start test skips: ${FMNIST} is missing (apt-get install dataset-fashion-mnist)`);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'atstudio-cpu-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let bin = '';
beforeAll(() => { bin = ensureBuilt(); }, 180_000);

it.runIf(haveData)('a fresh process trains on --backend cpu with explicit hint pairs (8×8 images, a few seconds of CPU)', async () => {
  const file = path.join(tmp, 'pairs.json');
  writeFileSync(file, JSON.stringify({
    version: 1, name: 'cpu pairs', seed: 1, data: { path: FMNIST, format: 'idx', limit: 16, inputShape: [8, 8, 1] },
    teacher: { source: 'train', model: { family: 'wrn', depth: 10, widen: 1 } }, student: { model: { family: 'wrn', depth: 10, widen: 1 } },
    method: 'at', attention: { pairs: [{ student: 'group1', teacher: 'group1' }] },
    training: { epochs: 1, batchSize: 16, lr: 0.05 }, probes: 0,
  }));
  const child = spawn(process.execPath, [bin, 'train', file, '--backend', 'cpu', '--runs-dir', path.join(tmp, 'runs')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  expect(out).not.toContain('has not yet been initialized');
  expect(code, out).toBe(0);
  expect(out).toContain('done: final top-1');
}, 240_000);
