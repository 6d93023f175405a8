// `atstudio train` of a config with a teacher runs wasm on the threads 'auto' asks for. It once ran on one:
// the config check builds the teacher's taps, and that first model started TF.js's default backend (wasm,
// single-threaded) before the command chose its own. A fresh process (the spawned bin), since the wasm
// build is chosen once per process.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_WASM_THREADS } from '../../core/backend/wasmKernels/wasmThreads.js';
import { builtBin } from './harness.js';

const examples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples');
const FMNIST = '/usr/share/datasets/fashion-mnist';
const haveData = existsSync(path.join(FMNIST, 'train-images-idx3-ubyte.gz'));
if (!haveData) {
  const why = `${FMNIST} is missing (apt-get install dataset-fashion-mnist)`;
  if (process.env.CI) throw new Error(`trainThreads: ${why}`);
  console.log(`trainThreads skips: ${why}`);
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'atstudio-threads-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('atstudio train with a teacher (spawned)', () => {
  it.runIf(haveData)('examples/fashion-mnist-quick.json, made tiny, runs wasm on every core as auto asks', () => {
    // The example as shipped (teacher trained first, backend 'auto', wasm threads by default), shrunk:
    // 64 images, one epoch per phase, wasm asked for by name so that a machine with tfjs-node still tests wasm.
    const example = JSON.parse(readFileSync(path.join(examples, 'fashion-mnist-quick.json'), 'utf8')) as Record<string, unknown>;
    const file = path.join(tmp, 'quick-tiny.json');
    writeFileSync(file, JSON.stringify({ ...example, probes: 1 }));
    const env = { ...process.env };
    delete env.ATSTUDIO_WASM_THREADS;
    env.ATSTUDIO_BACKEND = 'wasm';
    const runsDir = path.join(tmp, 'runs');
    const r = spawnSync(process.execPath, [builtBin(), 'train', file, '--json', '--epochs', '1', '--limit', '64', '--runs-dir', runsDir],
      { encoding: 'utf8', env });
    expect(r.status, r.stderr).toBe(0);
    const [id] = readdirSync(runsDir);
    const backend = (JSON.parse(readFileSync(path.join(runsDir, id!, 'environment.json'), 'utf8')) as {
      backend: { name: string; threads: number; wasmThreads: { requested: unknown; used: number; fallback?: string } };
    }).backend;
    const asked = Math.min(os.availableParallelism(), MAX_WASM_THREADS);
    if (asked === 1) console.log('trainThreads: this machine has 1 logical core, so auto asks for 1 thread and the bug cannot show');
    expect(backend.name).toBe('wasm');
    expect(backend.wasmThreads.requested).toBe('auto');
    expect(backend.wasmThreads.fallback ?? '').not.toMatch(/already initialized/);
    expect(backend.threads).toBe(asked);
    expect(backend.wasmThreads.used).toBe(asked);
  }, 240_000);
});

describe('atstudio study (spawned)', () => {
  it.runIf(haveData)('examples/fashion-mnist-study.json, made tiny: the teacher run and the AT run train wasm on the threads auto asks for', () => {
    // The study's checks build the teacher and student before any run, which once started wasm on one thread.
    const example = JSON.parse(readFileSync(path.join(examples, 'fashion-mnist-study.json'), 'utf8')) as Record<string, any>;
    const tiny = {
      ...example, seeds: 1, methods: ['at'], probes: 0,
      data: { ...example.data, limit: 32, testLimit: 32 },
      teacher: { ...example.teacher, limit: 32, training: { epochs: 1 } },
      training: { ...example.training, epochs: 1 },
    };
    const file = path.join(tmp, 'study-tiny.json');
    writeFileSync(file, JSON.stringify(tiny));
    const env = { ...process.env };
    delete env.ATSTUDIO_WASM_THREADS;
    env.ATSTUDIO_BACKEND = 'wasm';
    const runsDir = path.join(tmp, 'study-runs');
    const r = spawnSync(process.execPath, [builtBin(), 'study', file, '--json', '--runs-dir', runsDir], { encoding: 'utf8', env });
    expect(r.status, r.stderr).toBe(0);
    const asked = Math.min(os.availableParallelism(), MAX_WASM_THREADS);
    const ids = readdirSync(runsDir).filter((d) => !d.startsWith('.'));
    expect(ids).toHaveLength(2); // the teacher's run, then the AT run
    for (const id of ids) {
      const backend = (JSON.parse(readFileSync(path.join(runsDir, id, 'environment.json'), 'utf8')) as {
        backend: { name: string; threads: number; wasmThreads: { fallback?: string } };
      }).backend;
      expect(backend.name).toBe('wasm');
      expect(backend.wasmThreads.fallback ?? '').not.toMatch(/already initialized/);
      expect(backend.threads).toBe(asked);
    }
  }, 240_000);
});
