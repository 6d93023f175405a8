// wasm: XNNPACK, with the project's training kernels and, where it works, several threads.
import { tf } from '../../tf.js';
import { activate, baseVersions } from '../activate.js';
import { BACKEND_PACKAGES, type WasmThreadsOutcome } from '../choice.js';
import { errorMessage, isPackageNotFound, moduleExport } from '../loadErrors.js';
import type { AttemptContext, Outcome } from './outcome.js';
import { prepareWasmThreads, settleWasmThreads } from './wasmThreads.js';

export async function tryWasm(ctx: AttemptContext): Promise<Outcome> {
  const pkg = BACKEND_PACKAGES.wasm;
  let mod: unknown;
  try {
    mod = await ctx.loader.import(pkg);
  } catch (err) {
    return { ok: false, reason: isPackageNotFound(err, pkg) ? `${pkg} is not installed` : `${pkg} failed to load: ${errorMessage(err)}` };
  }
  try {
    // wasm lacks some gradient kernels; register ours before the backend initializes so it binds them.
    const { registerWasmTrainingKernels } = await import('../wasmKernels/index.js');
    registerWasmTrainingKernels();
  } catch (err) {
    return { ok: false, reason: `the project's wasm training kernels failed to register: ${errorMessage(err)}` };
  }
  const { want, by } = ctx.wasmThreads;
  const plan = await prepareWasmThreads(want, ctx.cores, ctx.wasmThreadsCheck);
  const failed = await activate('wasm', pkg);
  if (failed !== undefined) return { ok: false, reason: failed };

  let threads = 1;
  try {
    threads = moduleExport<() => number>(mod, 'getThreadsCount')?.() ?? 1;
  } catch {
    threads = 1; // the package reports no count before its own backend instance exists
  }
  threads = Math.max(1, threads);
  const fallback = settleWasmThreads(want, plan, threads);
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const versions = { ...baseVersions() };
  const own = moduleExport<string>(mod, 'version_wasm');
  if (own !== undefined) versions[pkg] = own;
  const wasmThreads: WasmThreadsOutcome = { requested: want, by, used: threads, ...(fallback !== undefined ? { fallback } : {}) };
  const threadText = `${threads} thread${threads === 1 ? '' : 's'}${fallback !== undefined && plan.asked > 1 ? ` instead of ${plan.asked}: ${fallback}` : ''}`;
  return { ok: true, reason: `${pkg} initialized (${simd ? 'SIMD' : 'no SIMD'}, ${threadText})`, threads, versions, simd, wasmThreads };
}
