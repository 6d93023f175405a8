// EXPERIMENTAL, opt-in: the threaded-SIMD wasm build under Node (worker_threads). TF.js 4.22
// switches it off in Node (tfjs issue #3830); three things stand in the way, each shimmed here:
//  1. the feature flag WASM_HAS_MULTITHREAD_SUPPORT is hard-wired false under Node → set it true;
//  2. the pthread worker script and the main script are handed over as Blob URLs, which Node's
//     Worker cannot load → while the backend initializes, Blob/URL.createObjectURL write them to
//     temporary files; the main script is the factory's source text, so the worker also needs the
//     free variables that the Node bundle renamed (require$$0…, commonjsGlobal, tslib helpers);
//  3. XNNPACK's thread count is capped at logical cores / 2 (a hyper-threading guess); on a
//     2-core machine that is 1 → os.cpus() reports twice the cores while the module starts.
// Depends on internals of @tensorflow/tfjs-backend-wasm 4.22. Must run before the first
// tf.setBackend('wasm') in the process (the build is chosen once). The pool's threads keep Node
// alive: call tf.removeBackend('wasm') (which ends them) before the process should exit.
// Checked in test/backend/wasmKernelsThreads.test.ts.
import { mkdtempSync, writeFileSync } from 'node:fs';
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

/**
 * Initializes the wasm backend with the threaded build and `threads` XNNPACK threads.
 * Returns the thread count actually in use (1 means the shims did not take).
 */
export async function initThreadedWasm(threads: number): Promise<number> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
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
  }
  return wasm.getThreadsCount();
}
