// The threaded-SIMD wasm build under Node (worker_threads), selected by selectBackend's wasmThreads. TF.js 4.22
// switches it off in Node (tfjs issue #3830); three things stand in the way, each shimmed here:
//  1. the feature flag WASM_HAS_MULTITHREAD_SUPPORT is hard-wired false under Node → set it true;
//  2. the pthread worker script and the main script are handed over as Blob URLs, which Node's
//     Worker cannot load → while the backend initializes, Blob/URL.createObjectURL write them to
//     temporary files; the main script is the factory's source text, so the worker also needs the
//     free variables that the Node bundle renamed (require$$0…, commonjsGlobal, tslib helpers);
//  3. XNNPACK's thread count is capped at logical cores / 2 (a hyper-threading guess); on a
//     2-core machine that is 1 → os.cpus() reports twice the cores while the module starts.
// Depends on internals of @tensorflow/tfjs-backend-wasm 4.22. Must run before the first
// tf.setBackend('wasm') in the process (the build is chosen once; resetWasmBackend() allows another
// choice). The pool's workers are unref'd, so they never keep a process alive (kernels are
// synchronous: the main thread is busy, not waiting on the event loop, while workers compute);
// resetWasmBackend() ends them. Checked in test/backend/wasmKernelsThreads*.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../tf.js';

/** Prepended to the worker script: what the main script's source text expects to find globally. */
const WORKER_PRELUDE = [
  'URL.createObjectURL=(b)=>b.__path;URL.revokeObjectURL=()=>{};',
  'Object.assign(globalThis,{require$$0:require("fs"),require$$1:require("path"),',
  'require$$2:require("worker_threads"),require$$3:require("perf_hooks"),require$$4:require("os"),',
  'commonjsGlobal:globalThis,',
  '__read:(o,n)=>{const a=[];for(const v of o){if(n!==undefined&&a.length>=n)break;a.push(v)}return a},',
  '__spreadArray:(to,from)=>to.concat(Array.from(from)),__values:(o)=>o[Symbol.iterator]()});',
].join('');

/** Emscripten's pre-spawned pool (PTHREAD_POOL_SIZE of the 4.22 build): more threads would need new
 * workers after the shims are gone. */
export const MAX_WASM_THREADS = 8;

interface EmscriptenWorker { unref?(): void }
interface PThreadApi { unusedWorkers: EmscriptenWorker[]; runningWorkers: EmscriptenWorker[]; allocateUnusedWorker?: () => void }

/** Lets the process exit while the pool's workers exist, including workers spawned later. */
function unrefWorkers(wasmModule: unknown): void {
  const pthread = (wasmModule as { PThread?: PThreadApi } | null)?.PThread;
  if (pthread == null) return;
  for (const w of [...pthread.unusedWorkers, ...pthread.runningWorkers]) w.unref?.();
  const allocate = pthread.allocateUnusedWorker;
  if (allocate != null) {
    pthread.allocateUnusedWorker = () => {
      allocate.call(pthread);
      pthread.unusedWorkers[pthread.unusedWorkers.length - 1]?.unref?.();
    };
  }
}

/** Whether the wasm backend has been initialized in this process (without initializing it). */
export function wasmBackendInitialized(): boolean {
  return (tf.engine() as unknown as { registry: Record<string, unknown> }).registry.wasm != null;
}

let wasmFactory: (() => tf.KernelBackend | Promise<tf.KernelBackend>) | undefined;
/** The wasm package's backend factory, remembered so the backend can be initialized again. */
async function rememberFactory(): Promise<void> {
  await import('@tensorflow/tfjs-backend-wasm');
  wasmFactory ??= tf.findBackendFactory('wasm') ?? undefined;
}

/**
 * Removes the wasm backend (ending the pool's threads, freeing its heap) and registers its factory
 * again, so the next tf.setBackend('wasm') initializes a fresh instance, single-threaded unless
 * initThreadedWasm runs first. Tensors on wasm become invalid.
 */
export async function resetWasmBackend(): Promise<void> {
  await rememberFactory();
  if (tf.engine().backendName === 'wasm' || wasmBackendInitialized()) tf.removeBackend('wasm');
  if (tf.findBackendFactory('wasm') == null && wasmFactory != null) tf.registerBackend('wasm', wasmFactory, 2);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  (await import('@tensorflow/tfjs-backend-wasm')).setThreadsCount(1);
}

/**
 * Checks a small convolution and its filter gradient (the project's kernel) on the active wasm
 * backend against plain JavaScript: a threaded build that initializes but computes wrongly must not
 * be used. Returns what went wrong, or undefined.
 */
export function verifyWasmConv(): string | undefined {
  const [n, h, w, ci, co] = [2, 10, 10, 8, 16];
  const xs = Float32Array.from({ length: n * h * w * ci }, (_, i) => Math.sin(i * 0.37));
  const ws = Float32Array.from({ length: 9 * ci * co }, (_, i) => Math.cos(i * 0.11));
  // out = conv(x, W) 'same', stride 1; dW of Σ out² = Σ x·(2·out).
  const out = new Float64Array(n * h * w * co);
  for (let b = 0; b < n; b++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let o = 0; o < co; o++) {
    let acc = 0;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      const yy = y + i - 1;
      const xx = x + j - 1;
      if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
      for (let c = 0; c < ci; c++) acc += xs[((b * h + yy) * w + xx) * ci + c] * ws[((i * 3 + j) * ci + c) * co + o];
    }
    out[((b * h + y) * w + x) * co + o] = acc;
  }
  const dw = new Float64Array(9 * ci * co);
  for (let b = 0; b < n; b++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
    const yy = y + i - 1;
    const xx = x + j - 1;
    if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
    for (let c = 0; c < ci; c++) {
      const xv = xs[((b * h + yy) * w + xx) * ci + c];
      for (let o = 0; o < co; o++) dw[((i * 3 + j) * ci + c) * co + o] += xv * 2 * out[((b * h + y) * w + x) * co + o];
    }
  }
  try {
    // Sync reads are fine here: this runs only on the wasm backend just initialized, which has them.
    const [got, gotDw] = tf.tidy(() => {
      const x = tf.tensor4d(xs, [n, h, w, ci]);
      const f = tf.tensor4d(ws, [3, 3, ci, co]);
      const y = tf.conv2d(x, f, 1, 'same');
      return [y.dataSync(), tf.grad((ff: tf.Tensor) => tf.conv2d(x, ff as tf.Tensor4D, 1, 'same').square().sum())(f).dataSync()];
    });
    const err = (a: ArrayLike<number>, r: Float64Array) => {
      let d = 0;
      let m = 0;
      for (let i = 0; i < r.length; i++) {
        d = Math.max(d, Number.isFinite(a[i]) ? Math.abs(a[i] - r[i]) : Infinity);
        m = Math.max(m, Math.abs(r[i]));
      }
      return d / Math.max(m, 1e-6);
    };
    const e1 = err(got, out);
    const e2 = err(gotDw, dw);
    if (!(e1 <= 1e-4 && e2 <= 1e-4)) return `a test convolution was wrong (relative error ${e1.toExponential(1)} forward, ${e2.toExponential(1)} filter gradient)`;
    return undefined;
  } catch (err) {
    return `a test convolution failed: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/**
 * Initializes the wasm backend with the threaded build and `threads` XNNPACK threads.
 * Returns the thread count actually in use (1 means the shims did not take).
 */
export async function initThreadedWasm(threads: number): Promise<number> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  await rememberFactory();
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_WASM_THREADS) {
    throw new Error(`wasm threads must be an integer from 1 to ${MAX_WASM_THREADS}, got ${threads}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'ats-wasm-threads-'));
  let n = 0;
  class FileBlob {
    readonly __path: string;
    constructor(parts: string[]) {
      this.__path = join(dir, `script${n++}.js`);
      let text = parts.join('');
      if (text.startsWith('"use strict";var Module={}')) text = WORKER_PRELUDE + text; // the worker
      writeFileSync(this.__path, text);
    }
  }
  const g = globalThis as unknown as { Blob: unknown };
  const realBlob = g.Blob;
  const realCreate = URL.createObjectURL;
  const realCpus = os.cpus;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  g.Blob = FileBlob;
  URL.createObjectURL = ((b: { __path?: string }) => b.__path ?? realCreate(b as Blob)) as typeof URL.createObjectURL;
  (os as { cpus: typeof os.cpus }).cpus = () => Array.from({ length: 2 * threads }, (_, i) => realCpus()[i % realCpus().length]);
  try {
    if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend failed to initialize');
    await tf.ready();
  } finally {
    g.Blob = realBlob;
    URL.createObjectURL = realCreate;
    (os as { cpus: typeof os.cpus }).cpus = realCpus;
    // The pool's workers (all of them: PTHREAD_POOL_SIZE, and XNNPACK's threads come from it) have
    // loaded the scripts by now; nothing reads these files again.
    rmSync(dir, { recursive: true, force: true });
  }
  unrefWorkers((tf.findBackend('wasm') as unknown as { wasm?: unknown } | null)?.wasm);
  return wasm.getThreadsCount();
}
