// Picks the fastest TensorFlow.js backend that works here and says why the faster ones were not used.
// Order: tfjs-node-gpu (CUDA), webgpu (any GPU through Dawn: Vulkan, Metal, D3D12; a hardware adapter
// only, unless forced), tfjs-node (libtensorflow on the CPU), wasm (XNNPACK), cpu (plain JS).
// Everything is loaded through an injectable loader so tests can play each case (a package absent, or
// present with its native library missing); the default loader is a plain import().
// The parts: choice.ts (types), request.ts (what was asked for), attempts/ (one per kind of backend),
// describe.ts (the words), registerGradients.ts (the gradients the engine replaces).
import * as os from 'node:os';
import { tf } from '../tf.js';
import { defaultSystemProbe } from './cudaLibs.js';
import { attempt, type AttemptContext, type Outcome } from './attempts/index.js';
import { BACKEND_ORDER, BackendSelectionError, type BackendAttempt, type BackendChoice, type BackendName, type BackendRequestSource,
  type SelectBackendOptions } from './choice.js';
import { defaultLoader } from './loadErrors.js';
import { registerEngineGradients } from './registerGradients.js';
import { requestedBackend, requestedWasmThreads } from './request.js';

export * from './choice.js';
export { BACKEND_ENV_VAR, WASM_THREADS_ENV_VAR, DEFAULT_WASM_THREADS } from './request.js';
export { defaultLoader, isPackageNotFound } from './loadErrors.js';
export { describeBackendChoice } from './describe.js';
export { registerEngineGradients } from './registerGradients.js';

/**
 * Ends the wasm backend's threads and frees its memory; the next selectBackend initializes it again
 * (with the thread count asked for then). Tensors on wasm become invalid. Not needed for a clean exit.
 */
export async function releaseBackend(): Promise<void> {
  const { resetWasmBackend } = await import('./wasmKernels/wasmThreads.js');
  await resetWasmBackend();
}

function choiceFrom(name: BackendName, outcome: Extract<Outcome, { ok: true }>, attempts: BackendAttempt[], reason: string,
  by: BackendRequestSource): BackendChoice {
  const choice: BackendChoice = { name, tfBackend: tf.getBackend(), reason, forced: by !== 'auto', by, attempts, threads: outcome.threads,
    versions: outcome.versions };
  if (outcome.wasmThreads !== undefined) choice.wasmThreads = outcome.wasmThreads;
  if (outcome.warnings !== undefined) choice.warnings = outcome.warnings;
  if (outcome.simd !== undefined) choice.simd = outcome.simd;
  if (outcome.gpu !== undefined) choice.gpu = outcome.gpu;
  if (outcome.adapter !== undefined) choice.adapter = outcome.adapter;
  return choice;
}

/**
 * Selects and activates a backend. Forced (by `opts.force` or $ATSTUDIO_BACKEND): that one or an error,
 * never a silent fallback. Otherwise the first of BACKEND_ORDER that works, with every skipped one's reason.
 */
export async function selectBackend(opts: SelectBackendOptions = {}): Promise<BackendChoice> {
  const env = opts.env ?? process.env;
  const request = requestedBackend(opts, env);
  const { want, by } = request;
  const ctx: AttemptContext = { loader: opts.loader ?? defaultLoader, system: opts.system ?? defaultSystemProbe(env), forced: want !== 'auto',
    wasmThreads: requestedWasmThreads(opts, env), cores: opts.cores ?? os.availableParallelism(),
    ...(opts.wasmThreadsCheck ? { wasmThreadsCheck: opts.wasmThreadsCheck } : {}) };
  registerEngineGradients();

  if (want !== 'auto') {
    const outcome = await attempt(want, ctx);
    const attempts = [{ name: want, ok: outcome.ok, reason: outcome.reason }];
    if (!outcome.ok) {
      throw new BackendSelectionError(`backend ${want} was requested (${by}) but cannot be used: ${outcome.reason}`, attempts);
    }
    await tf.ready();
    return choiceFrom(want, outcome, attempts, `requested by ${by}`, request.source);
  }

  const attempts: BackendAttempt[] = [];
  for (const name of BACKEND_ORDER) {
    const outcome = await attempt(name, ctx);
    attempts.push({ name, ok: outcome.ok, reason: outcome.reason });
    if (!outcome.ok) continue;
    await tf.ready();
    const skipped = attempts.filter((a) => !a.ok);
    const reason = skipped.length === 0 ? 'the fastest backend, and it works here' : `the fastest that works here; not used: ${skipped.map((a) => `${a.name} (${a.reason})`).join('; ')}`;
    return choiceFrom(name, outcome, attempts, reason, 'auto');
  }
  throw new BackendSelectionError(`no TensorFlow.js backend works here: ${attempts.map((a) => `${a.name}: ${a.reason}`).join('; ')}`, attempts);
}
