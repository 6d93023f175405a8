// selectBackend's wasmThreads: the threaded build when asked and working, checked by a test
// convolution; a fallback to one thread, with the reason in the choice, when it is not; releaseBackend
// to choose again; ATSTUDIO_WASM_THREADS; and a process that never releases still exits at once.
// Own file = own process: the wasm build is chosen once per process.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { Rng } from '../../core/util/rng.js';
import { releaseBackend, selectBackend } from '../../core/backend/select.js';
import { verifyWasmConv } from '../../core/backend/wasmKernels/wasmThreads.js';
import { compareBackends, randomArray } from './wasmKernelsCompare.js';

afterAll(() => releaseBackend());

const pool = () => 'PThread' in ((tf.findBackend('wasm') as unknown as { wasm: object }).wasm);

/** A conv layer's gradients as training takes them, wasm (as selected) against cpu. */
async function convGradErrors(): Promise<number[]> {
  const rng = new Rng(5);
  const x = randomArray(rng, [8, 16, 16, 16]);
  const w = randomArray(rng, [3, 3, 16, 32]);
  const errors = await compareBackends(() => tf.grads((a: tf.Tensor, b: tf.Tensor) =>
    tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same').square().sum())([tf.tensor(x, [8, 16, 16, 16]), tf.tensor(w, [3, 3, 16, 32])]));
  await tf.setBackend('wasm');
  return errors;
}

describe('wasmThreads', () => {
  it("'auto' on 2 cores runs the threaded build with 2 threads, which computes like cpu", async () => {
    const choice = await selectBackend({ force: 'wasm', env: {}, wasmThreads: 'auto', cores: 2 });
    expect(choice.threads).toBe(2);
    expect(choice.wasmThreads).toEqual({ requested: 'auto', by: 'the wasmThreads option', used: 2 });
    expect(choice.attempts[0].reason).toMatch(/initialized \((no )?SIMD, 2 threads\)$/);
    expect(pool()).toBe(true);
    expect(verifyWasmConv()).toBeUndefined();
    for (const e of await convGradErrors()) expect(e).toBeLessThanOrEqual(1e-4);
  });

  it('asking again without releasing keeps the backend and says why the count differs', async () => {
    const choice = await selectBackend({ force: 'wasm', env: {}, wasmThreads: 1 });
    expect(choice.threads).toBe(2);
    expect(choice.wasmThreads?.fallback).toMatch(/already initialized in this process with 2 threads/);
  });

  it('releaseBackend, then 1 thread from ATSTUDIO_WASM_THREADS: the single-threaded build', async () => {
    await releaseBackend();
    const choice = await selectBackend({ force: 'wasm', env: { ATSTUDIO_WASM_THREADS: '1' } });
    expect(choice.threads).toBe(1);
    expect(choice.wasmThreads).toEqual({ requested: 1, by: 'ATSTUDIO_WASM_THREADS=1', used: 1 });
    expect(pool()).toBe(false);
    expect(verifyWasmConv()).toBeUndefined();
  });

  it('a threaded build that computes wrongly is dropped: 1 thread, the reason recorded, results right', async () => {
    await releaseBackend();
    const choice = await selectBackend({ force: 'wasm', env: {}, wasmThreads: 2, wasmThreadsCheck: () => 'gave 7 for 6' });
    expect(choice.threads).toBe(1);
    expect(choice.wasmThreads).toEqual({ requested: 2, by: 'the wasmThreads option', used: 1, fallback: 'the threaded build gave 7 for 6' });
    expect(choice.reason).toBe('requested by the backend option (wasm)');
    expect(choice.attempts[0].reason).toMatch(/1 thread instead of 2: the threaded build gave 7 for 6\)$/);
    expect(pool()).toBe(false);
    for (const e of await convGradErrors()) expect(e).toBeLessThanOrEqual(1e-4);
  });

  it("'auto' on 1 core stays single-threaded and says so", async () => {
    await releaseBackend();
    const choice = await selectBackend({ force: 'wasm', env: {}, wasmThreads: 'auto', cores: 1 });
    expect(choice.threads).toBe(1);
    expect(choice.wasmThreads).toEqual({ requested: 'auto', by: 'the wasmThreads option', used: 1, fallback: '1 logical core' });
  });

  it('rejects a bad ATSTUDIO_WASM_THREADS, naming it', async () => {
    await expect(selectBackend({ force: 'wasm', env: { ATSTUDIO_WASM_THREADS: 'many' } }))
      .rejects.toThrow(/ATSTUDIO_WASM_THREADS is "many".*auto, or an integer from 1 to 8/);
    await expect(selectBackend({ force: 'wasm', env: {}, wasmThreads: 0 })).rejects.toThrow(/wasmThreads option is "0"/);
  });
});

it('a process that selected the threaded build and never released it exits at once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ats-exit-'));
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, [
    `import { selectBackend } from ${JSON.stringify(join(process.cwd(), 'core/backend/select.ts'))};`,
    `import { tf } from ${JSON.stringify(join(process.cwd(), 'core/tf.ts'))};`,
    "const c = await selectBackend({ force: 'wasm', env: {}, wasmThreads: 2 });",
    "console.log(c.threads, tf.conv2d(tf.ones([1, 8, 8, 4]), tf.ones([3, 3, 4, 4]), 1, 'same').dataSync()[0]);",
  ].join('\n'));
  const out = join(process.cwd(), 'node_modules', '.cache', `ats-exit-${process.pid}.mjs`); // resolves packages from here
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: out, logLevel: 'silent' });
  const t0 = Date.now();
  const { stdout } = await promisify(execFile)(process.execPath, [out], { timeout: 30_000 })
    .finally(() => { rmSync(out, { force: true }); rmSync(dir, { recursive: true, force: true }); });
  expect(stdout.trim()).toBe('2 16');
  console.log(`child exited ${Date.now() - t0} ms after start`);
}, 60_000);
