// SIGTERM, SIGHUP and a closed stdout stop a training run the way Ctrl-C does: at a step boundary, with
// a checkpoint, status `cancelled` and resumable, exit 128 + the signal (143, 129; 141 for the pipe).
// `atstudio serve` stops cleanly (exit 0) on SIGTERM and SIGHUP. The built bin is spawned.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './builtBin.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'dist/cli/main.js');
const FMNIST = '/usr/share/datasets/fashion-mnist';
const haveData = existsSync(path.join(FMNIST, 'train-images-idx3-ubyte.gz'));
if (!haveData) console.log(`signal tests that train skip: ${FMNIST} is missing (apt-get install dataset-fashion-mnist)`);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'atstudio-signals-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(() => { ensureBuilt(); }, 180_000);

const config = path.join(tmp, 'tiny.json');
writeFileSync(config, JSON.stringify({
  version: 1, name: 'sig', seed: 3, data: { path: FMNIST, format: 'idx', limit: 96 },
  student: { model: { family: 'wrn', depth: 10, widen: 1 } }, method: 'baseline',
  training: { epochs: 2, batchSize: 16, lr: 0.05 }, backend: 'wasm', probes: 0,
}));

/** Train; at the first step event, `stop` the child (send a signal or close its stdout). */
async function trainAndStop(name: string, stop: (child: ReturnType<typeof spawn>) => void) {
  const runsDir = path.join(tmp, name);
  const child = spawn(process.execPath, [bin, 'train', config, '--json', '--runs-dir', runsDir],
    { env: { ...process.env, ATSTUDIO_BACKEND: 'wasm' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let stopped = false;
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    if (!stopped && out.includes('"type":"step"')) { stopped = true; stop(child); }
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  const [id] = readdirSync(runsDir);
  const status = JSON.parse(readFileSync(path.join(runsDir, id, 'status.json'), 'utf8'));
  return { code, err, status, log: readFileSync(path.join(runsDir, id, 'log.txt'), 'utf8'), stopped };
}

describe.runIf(haveData)('atstudio train stops at a checkpoint on', () => {
  it.each([['SIGTERM', 143], ['SIGHUP', 129]] as const)('%s: cancelled, resumable, exit %i', async (sig, exit) => {
    const r = await trainAndStop(sig, (c) => c.kill(sig));
    expect(r.stopped).toBe(true);
    expect(r.code, r.err).toBe(exit);
    expect(r.status).toMatchObject({ status: 'cancelled', resumable: true });
    expect(r.status.step + r.status.epoch).toBeGreaterThan(0);
    expect(r.log).toContain(`${sig}: cancelling after the current step`);
  }, 120_000);

  it('a closed stdout (`| head -3`): cancelled, resumable, exit 141, said on stderr — not a silent exit 0', async () => {
    const r = await trainAndStop('EPIPE', (c) => c.stdout!.destroy());
    expect(r.code, r.err).toBe(141);
    expect(r.err).toContain('stdout was closed: cancelling after the current step');
    expect(r.status).toMatchObject({ status: 'cancelled', resumable: true });
    expect(r.log).toContain('EPIPE (nobody reads stdout any more)');
  }, 120_000);
});

describe('atstudio serve', () => {
  it.each(['SIGTERM', 'SIGHUP'] as const)('shuts down cleanly on %s (exit 0)', async (sig) => {
    const runsDir = path.join(tmp, `serve-${sig}`);
    const child = spawn(process.execPath, [bin, 'serve', '--runs-dir', runsDir, '--port', String(20000 + Math.floor(Math.random() * 20000))],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    // One signal only: output that comes after it (the server saying it stops) must not send a second,
    // which would find the handler gone and kill the process with the signal's default action.
    let sent = false;
    const watch = (d: Buffer) => { out += d.toString(); if (!sent && out.includes('Press Ctrl-C')) { sent = true; child.kill(sig); } };
    child.stdout!.on('data', watch);
    child.stderr!.on('data', watch);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code, out).toBe(0);
    expect(out).toContain(`${sig}: stopping the server`);
  }, 60_000);
});
