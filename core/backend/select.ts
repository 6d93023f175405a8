// Picks the fastest TensorFlow.js backend that works here and says why the faster ones were not used.
// Order: tfjs-node-gpu (CUDA), webgpu (any GPU through Dawn: Vulkan, Metal, D3D12; a hardware adapter
// only, unless forced), tfjs-node (libtensorflow on the CPU), wasm (XNNPACK), cpu (plain JS).
// Both native packages register the tfjs backend 'tensorflow'; they are optional dependencies, so any of
// them may be absent, or present with its native library missing. Everything is loaded through an
// injectable loader so tests can play each of those cases; the default loader is a plain import().
import { createRequire } from 'node:module';
import * as os from 'node:os';
import { tf } from '../tf.js';
import { checkCudaLibraries, defaultSystemProbe, type CudaCheck, type SystemProbe } from './cudaLibs.js';
import { describeAdapter, initWebGpu, WEBGPU_PACKAGES, type WebGpuAdapter } from './webgpu.js';
import { StudioError } from '../errors.js';

export type BackendName = 'tensorflow-gpu' | 'webgpu' | 'tensorflow' | 'wasm' | 'cpu';
export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  reason: string;
}
export interface BackendChoice {
  name: BackendName;
  tfBackend: string /* tf.getBackend() */;
  reason: string;
  attempts: BackendAttempt[];
  threads: number;
  versions: Record<string, string>;
  /** Things the user should know although the backend works (e.g. the GPU build found no GPU). */
  warnings?: string[];
  /** wasm only: whether the SIMD build is in use. */
  simd?: boolean;
  /** wasm only: the threads asked for, how many run, and why fewer when they differ. */
  wasmThreads?: WasmThreadsOutcome;
  /** tensorflow-gpu only: whether TensorFlow placed ops on a GPU. */
  gpu?: boolean;
  /** webgpu only: the GPU adapter in use (what it is, whether it is a software emulation, its limits). */
  adapter?: WebGpuAdapter;
}

/** How optional packages are found and loaded. `resolve` throws MODULE_NOT_FOUND when not installed. */
export interface ModuleLoader {
  resolve(specifier: string): string;
  import(specifier: string): Promise<unknown>;
}

export interface SelectBackendOptions {
  force?: BackendName;
  env?: NodeJS.ProcessEnv;
  loader?: ModuleLoader;
  /** The machine as the CUDA library check sees it (default: the real one). */
  system?: SystemProbe;
  /**
   * wasm only: XNNPACK threads. 'auto' = every logical core when the threaded build initializes and
   * computes a test convolution right, else 1 with the reason in `choice.wasmThreads.fallback`.
   * Default: $ATSTUDIO_WASM_THREADS, else DEFAULT_WASM_THREADS. Takes effect only where the wasm
   * backend is initialized first in the process (call releaseBackend() to choose again).
   */
  wasmThreads?: number | 'auto';
  /** The logical cores 'auto' uses (default os.availableParallelism()); for tests. */
  cores?: number;
  /** Checks the threaded build computes right; returns what is wrong (default: a test convolution). For tests. */
  wasmThreadsCheck?: () => string | undefined;
}

export interface WasmThreadsOutcome {
  requested: number | 'auto';
  /** Where the request came from: the option, the variable, or the default. */
  by: string;
  used: number;
  /** Why fewer threads run than asked for. */
  fallback?: string;
}

export const WASM_THREADS_ENV_VAR = 'ATSTUDIO_WASM_THREADS';
/**
 * 'auto': with its cores free, a 2-core machine trained 1.75× faster with the threaded build than with
 * one thread (core/bench: 120–125 vs 68–70 images/s, WRN-16-1 ← WRN-16-2, batch 64); results are the
 * same (checked at start-up, else one thread); its workers never keep a process from exiting. On a
 * machine already running more compute-bound processes than cores, XNNPACK's threads wait on each other
 * and one thread can be faster: there, set ATSTUDIO_WASM_THREADS=1.
 */
export const DEFAULT_WASM_THREADS: number | 'auto' = 'auto';

export const BACKEND_ENV_VAR = 'ATSTUDIO_BACKEND';
export const BACKEND_ORDER: readonly BackendName[] = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'];
export const BACKEND_VALUES: readonly string[] = [...BACKEND_ORDER, 'auto'];
export const BACKEND_PACKAGES = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  webgpu: WEBGPU_PACKAGES.tfjs,
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
} as const;

/** A backend could not be selected: an invalid request, or a forced backend that does not work. */
export class BackendSelectionError extends StudioError {
  constructor(
    message: string,
    readonly attempts: BackendAttempt[] = [],
  ) {
    super('backend.unavailable', message);
    this.name = 'BackendSelectionError';
  }
}

const require = createRequire(import.meta.url);
export const defaultLoader: ModuleLoader = {
  resolve: (specifier) => require.resolve(specifier),
  import: (specifier) => import(specifier),
};

type Outcome =
  | { ok: true; reason: string; threads: number; versions: Record<string, string>; warnings?: string[]; simd?: boolean; gpu?: boolean;
      wasmThreads?: WasmThreadsOutcome; adapter?: WebGpuAdapter }
  | { ok: false; reason: string };

interface Context {
  loader: ModuleLoader;
  wasmThreads: { want: number | 'auto'; by: string };
  cores: number;
  wasmThreadsCheck?: () => string | undefined;
  system: SystemProbe;
  forced: boolean;
  /** A native libtensorflow was loaded by an earlier attempt in this call (a second one must not be). */
  nativeLoaded?: 'tensorflow-gpu' | 'tensorflow';
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

function errorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : typeof err === 'object' && err !== null && 'message' in err ? String((err as { message: unknown }).message) : String(err);
  // Node appends a "Require stack:" list; the lines before it carry the cause.
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const stack = lines.findIndex((l) => l.startsWith('Require stack'));
  const firstLines = lines.slice(0, stack === -1 ? 2 : Math.min(stack, 2)).join(' ');
  return firstLines.length > 400 ? `${firstLines.slice(0, 400)}…` : firstLines;
}

/** True only when the package itself is missing, not when something it needs is (e.g. its native addon). */
export function isPackageNotFound(err: unknown, pkg: string): boolean {
  const code = errorCode(err);
  if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') return false;
  const msg = err instanceof Error ? err.message : String((err as { message?: unknown }).message ?? '');
  const quoted = pkg.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(`Cannot find (module|package) '${quoted}(/package\\.json)?'`).test(msg);
}

function loadFailure(pkg: string, err: unknown): string {
  const msg = errorMessage(err);
  const native = /libtensorflow|tfjs_binding|\.so(\.\d+)*\b|\.dll|\.dylib|dlopen|ERR_DLOPEN_FAILED/i.test(`${msg} ${errorCode(err) ?? ''}`);
  return native
    ? `${pkg} is installed but its native library failed to load (libtensorflow missing or unusable): ${msg}`
    : `${pkg} is installed but failed to load: ${msg}`;
}

/** tf.setBackend reports a failed initialization only through console.warn; keep that text for the reason. */
async function setBackendCapturingWarnings(name: string): Promise<{ ok: boolean; warnings: string[] }> {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
    original(...args);
  };
  try {
    const ok = await tf.setBackend(name);
    return { ok, warnings };
  } catch (err) {
    return { ok: false, warnings: [...warnings, errorMessage(err)] };
  } finally {
    console.warn = original;
  }
}

/** One tiny op, read back: proves the kernels and the backend's memory actually work. */
async function sanityCheck(): Promise<string | undefined> {
  try {
    const sum = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)));
    const value = (await sum.data())[0];
    sum.dispose();
    return value === 3 ? undefined : `1 + 2 gave ${value}`;
  } catch (err) {
    return errorMessage(err);
  }
}

async function activate(tfName: string, label: string): Promise<string | undefined> {
  const { ok, warnings } = await setBackendCapturingWarnings(tfName);
  if (!ok) {
    const detail = warnings.filter((w) => w.trim() !== '').slice(-2).join(' ').replace(/\s+/g, ' ');
    return `${label}: backend '${tfName}' failed to initialize${detail ? `: ${detail.slice(0, 400)}` : ''}`;
  }
  const broken = await sanityCheck();
  return broken === undefined ? undefined : `${label}: backend '${tfName}' initialized but a test op failed: ${broken}`;
}

function baseVersions(): Record<string, string> {
  return { 'tfjs-core': tf.version_core, tfjs: tf.version.tfjs ?? tf.version_core, node: process.versions.node };
}

function moduleExport<T>(mod: unknown, key: string): T | undefined {
  const m = mod as Record<string, unknown> | undefined;
  // CommonJS packages imported from ESM may expose their exports only on `default`.
  return (m?.[key] ?? (m?.default as Record<string, unknown> | undefined)?.[key]) as T | undefined;
}

async function tryNative(name: 'tensorflow-gpu' | 'tensorflow', ctx: Context): Promise<Outcome> {
  const pkg = BACKEND_PACKAGES[name];
  if (ctx.nativeLoaded !== undefined) {
    return { ok: false, reason: `not tried: ${BACKEND_PACKAGES[ctx.nativeLoaded]} already loaded libtensorflow in this process, and a second copy cannot be loaded alongside it` };
  }
  if (name === 'tensorflow-gpu' && ctx.system.platform === 'darwin') {
    return { ok: false, reason: `${pkg} is not supported on macOS (no CUDA there)` };
  }
  try {
    ctx.loader.resolve(pkg);
  } catch (err) {
    return { ok: false, reason: isPackageNotFound(err, pkg) ? `${pkg} is not installed` : `${pkg} cannot be resolved: ${errorMessage(err)}` };
  }
  let cuda: CudaCheck | undefined;
  if (name === 'tensorflow-gpu') {
    // Checked before loading: without these libraries the GPU build loads fine and silently uses the CPU.
    cuda = checkCudaLibraries(ctx.system);
    if (!cuda.ok) return { ok: false, reason: `${pkg} is installed, but the CUDA libraries are missing, so it would quietly run on the CPU: ${cuda.reason}` };
  }
  let mod: unknown;
  try {
    // Exactly what a user's `import '@tensorflow/tfjs-node'` does: load libtensorflow, register 'tensorflow'.
    mod = await ctx.loader.import(pkg);
  } catch (err) {
    if (isPackageNotFound(err, pkg)) return { ok: false, reason: `${pkg} is not installed` };
    return { ok: false, reason: loadFailure(pkg, err) };
  }
  ctx.nativeLoaded = name;
  if (tf.findBackendFactory('tensorflow') == null) {
    return { ok: false, reason: `${pkg} loaded but did not register the 'tensorflow' backend with this app's TensorFlow.js (a second copy of @tensorflow/tfjs-core installed under it?)` };
  }
  const failed = await activate('tensorflow', pkg);
  if (failed !== undefined) return { ok: false, reason: failed };

  const versions = { ...baseVersions() };
  const own = moduleExport<Record<string, string>>(mod, 'version')?.['tfjs-node'];
  if (own !== undefined) versions[pkg] = own;
  // libtensorflow sizes its thread pools to the logical cores unless told otherwise.
  const threads = os.availableParallelism();
  if (name === 'tensorflow') return { ok: true, reason: `${pkg} loaded libtensorflow`, threads, versions };

  const onGpu = (tf.backend() as { isUsingGpuDevice?: boolean }).isUsingGpuDevice;
  if (onGpu === false) {
    const why = `${pkg} loaded, but TensorFlow found no usable GPU (driver, GPU model or CUDA version not accepted) and runs on the CPU`;
    if (ctx.forced) return { ok: false, reason: why };
    return { ok: true, reason: why, threads, versions, gpu: false, warnings: [why] };
  }
  return { ok: true, reason: `${pkg} loaded libtensorflow with CUDA (${cuda?.reason ?? 'libraries found'})`, threads, versions, gpu: onGpu };
}

/**
 * Initializes the threaded build with the requested threads and checks it computes right; on any
 * failure puts the wasm backend back to uninitialized. Returns the threads in use, or why none.
 */
async function tryThreadedWasm(threads: number, check?: () => string | undefined): Promise<{ used: number } | { fallback: string }> {
  const { initThreadedWasm, resetWasmBackend, verifyWasmConv } = await import('./wasmKernels/wasmThreads.js');
  let failure: string;
  try {
    const used = await initThreadedWasm(threads);
    const wrong = used > 1 ? (check ?? verifyWasmConv)() : undefined;
    if (used > 1 && wrong === undefined) return { used };
    failure = used <= 1 ? 'the threaded build started with 1 thread' : `the threaded build ${wrong}`;
  } catch (err) {
    failure = `the threaded build failed to start: ${errorMessage(err)}`;
  }
  await resetWasmBackend();
  return { fallback: failure };
}

async function tryWasm(ctx: Context): Promise<Outcome> {
  const pkg = BACKEND_PACKAGES.wasm;
  let mod: unknown;
  try {
    mod = await ctx.loader.import(pkg);
  } catch (err) {
    return { ok: false, reason: isPackageNotFound(err, pkg) ? `${pkg} is not installed` : `${pkg} failed to load: ${errorMessage(err)}` };
  }
  try {
    // wasm lacks some gradient kernels; register ours before the backend initializes so it binds them.
    const { registerWasmTrainingKernels } = await import('./wasmKernels/index.js');
    registerWasmTrainingKernels();
  } catch (err) {
    return { ok: false, reason: `the project's wasm training kernels failed to register: ${errorMessage(err)}` };
  }
  const { wasmBackendInitialized, MAX_WASM_THREADS } = await import('./wasmKernels/wasmThreads.js');
  const { want, by } = ctx.wasmThreads;
  const asked = want === 'auto' ? Math.min(ctx.cores, MAX_WASM_THREADS) : want;
  let fallback: string | undefined;
  if (wasmBackendInitialized()) {
    // The build and its thread count are fixed once the backend exists in this process.
  } else if (asked > 1) {
    const threaded = await tryThreadedWasm(asked, ctx.wasmThreadsCheck);
    if ('fallback' in threaded) fallback = threaded.fallback;
  } else if (want === 'auto') {
    fallback = `1 logical core`;
  }
  const failed = await activate('wasm', pkg);
  if (failed !== undefined) return { ok: false, reason: failed };

  let threads = 1;
  try {
    threads = moduleExport<() => number>(mod, 'getThreadsCount')?.() ?? 1;
  } catch {
    threads = 1; // the package reports no count before its own backend instance exists
  }
  threads = Math.max(1, threads);
  if (fallback === undefined && threads !== asked && want !== 'auto') {
    fallback = `the wasm backend was already initialized in this process with ${threads} thread${threads === 1 ? '' : 's'}`;
  } else if (fallback === undefined && want === 'auto' && threads === 1 && asked > 1) {
    fallback = 'the wasm backend was already initialized in this process with 1 thread';
  }
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const versions = { ...baseVersions() };
  const own = moduleExport<string>(mod, 'version_wasm');
  if (own !== undefined) versions[pkg] = own;
  const wasmThreads: WasmThreadsOutcome = { requested: want, by, used: threads, ...(fallback !== undefined ? { fallback } : {}) };
  const threadText = `${threads} thread${threads === 1 ? '' : 's'}${fallback !== undefined && asked > 1 ? ` instead of ${asked}: ${fallback}` : ''}`;
  return { ok: true, reason: `${pkg} initialized (${simd ? 'SIMD' : 'no SIMD'}, ${threadText})`, threads, versions, simd, wasmThreads };
}

async function tryWebGpu(ctx: Context): Promise<Outcome> {
  // Forced webgpu accepts a software adapter (tests run on SwiftShader); auto wants a real GPU.
  const init = await initWebGpu({ allowSoftware: ctx.forced, loader: ctx.loader, system: ctx.system });
  if (!init.ok) return { ok: false, reason: init.reason };
  const failed = await activate('webgpu', WEBGPU_PACKAGES.tfjs);
  if (failed !== undefined) return { ok: false, reason: failed };
  const versions = { ...baseVersions() };
  for (const pkg of Object.values(WEBGPU_PACKAGES)) {
    try {
      versions[pkg] = (createRequire(import.meta.url)(`${pkg}/package.json`) as { version: string }).version;
    } catch {
      // a fake loader in tests, or a package without a readable package.json
    }
  }
  const a = init.adapter;
  const warnings = a.software ? [`the WebGPU adapter is ${describeAdapter(a)}: it emulates a GPU on the CPU and is far slower than wasm`] : undefined;
  return { ok: true, reason: `WebGPU on ${describeAdapter(a)}`, threads: 1, versions, adapter: a, ...(warnings ? { warnings } : {}) };
}

async function tryCpu(): Promise<Outcome> {
  const failed = await activate('cpu', 'plain JavaScript');
  if (failed !== undefined) return { ok: false, reason: failed };
  return { ok: true, reason: 'plain JavaScript kernels (very slow)', threads: 1, versions: { ...baseVersions(), 'tfjs-backend-cpu': tf.version['tfjs-backend-cpu'] ?? tf.version_core } };
}

function attempt(name: BackendName, ctx: Context): Promise<Outcome> {
  if (name === 'wasm') return tryWasm(ctx);
  if (name === 'cpu') return tryCpu();
  if (name === 'webgpu') return tryWebGpu(ctx);
  return tryNative(name, ctx);
}

function parseBackend(value: string, source: string): BackendName | 'auto' {
  const v = value.trim().toLowerCase();
  if ((BACKEND_VALUES as readonly string[]).includes(v)) return v as BackendName | 'auto';
  throw new BackendSelectionError(`${source} is "${value}", which is not a backend; accepted values: ${BACKEND_VALUES.join(', ')}`);
}

/** What was asked for, and by whom (for messages). */
function requested(opts: SelectBackendOptions, env: NodeJS.ProcessEnv): { want: BackendName | 'auto'; by: string } {
  const fromEnv = env[BACKEND_ENV_VAR];
  if (opts.force !== undefined) {
    // Callers often pass the variable's value through as `force`; name the variable when that is what it is.
    const by = fromEnv !== undefined && fromEnv === opts.force ? `${BACKEND_ENV_VAR}=${fromEnv}` : `the backend option (${opts.force})`;
    const source = by.startsWith(BACKEND_ENV_VAR) ? `the environment variable ${BACKEND_ENV_VAR}` : 'the requested backend';
    return { want: parseBackend(opts.force, source), by };
  }
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    return { want: parseBackend(fromEnv, `the environment variable ${BACKEND_ENV_VAR}`), by: `${BACKEND_ENV_VAR}=${fromEnv}` };
  }
  return { want: 'auto', by: 'auto' };
}

function parseWasmThreads(value: number | string, source: string): number | 'auto' {
  const v = typeof value === 'string' ? value.trim().toLowerCase() : value;
  if (v === 'auto') return 'auto';
  const n = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : NaN;
  if (Number.isInteger(n) && n >= 1 && n <= 8) return n;
  throw new BackendSelectionError(`${source} is "${value}", which is not a thread count; accepted values: auto, or an integer from 1 to 8`);
}

function requestedWasmThreads(opts: SelectBackendOptions, env: NodeJS.ProcessEnv): { want: number | 'auto'; by: string } {
  if (opts.wasmThreads !== undefined) return { want: parseWasmThreads(opts.wasmThreads, 'the wasmThreads option'), by: 'the wasmThreads option' };
  const fromEnv = env[WASM_THREADS_ENV_VAR];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    return { want: parseWasmThreads(fromEnv, `the environment variable ${WASM_THREADS_ENV_VAR}`), by: `${WASM_THREADS_ENV_VAR}=${fromEnv}` };
  }
  return { want: DEFAULT_WASM_THREADS, by: 'the default' };
}

/**
 * Ends the wasm backend's threads and frees its memory; the next selectBackend initializes it again
 * (with the thread count asked for then). Tensors on wasm become invalid. Not needed for a clean exit.
 */
export async function releaseBackend(): Promise<void> {
  const { resetWasmBackend } = await import('./wasmKernels/wasmThreads.js');
  await resetWasmBackend();
}

function choiceFrom(name: BackendName, outcome: Extract<Outcome, { ok: true }>, attempts: BackendAttempt[], reason: string): BackendChoice {
  const choice: BackendChoice = { name, tfBackend: tf.getBackend(), reason, attempts, threads: outcome.threads, versions: outcome.versions };
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
  const { want, by } = requested(opts, env);
  const ctx: Context = { loader: opts.loader ?? defaultLoader, system: opts.system ?? defaultSystemProbe(env), forced: want !== 'auto',
    wasmThreads: requestedWasmThreads(opts, env), cores: opts.cores ?? os.availableParallelism(),
    ...(opts.wasmThreadsCheck ? { wasmThreadsCheck: opts.wasmThreadsCheck } : {}) };
  // Double backprop (gradient-based AT) through batch norm needs a batched Tile gradient on every backend.
  const { registerTileGradient } = await import('./wasmKernels/tileGrad.js');
  registerTileGradient();
  // Pooling gradients TF.js gets wrong ('same' average pooling) or cannot differentiate again.
  const { registerPoolGradients } = await import('./poolGradients.js');
  registerPoolGradients();
  // Sum and Mean gradients that broadcast on the device instead of uploading a tensor of ones (webgpu).
  const { registerReduceGradients } = await import('./reduceGradients.js');
  registerReduceGradients();

  if (want !== 'auto') {
    const outcome = await attempt(want, ctx);
    const attempts = [{ name: want, ok: outcome.ok, reason: outcome.reason }];
    if (!outcome.ok) {
      throw new BackendSelectionError(`backend ${want} was requested (${by}) but cannot be used: ${outcome.reason}`, attempts);
    }
    await tf.ready();
    return choiceFrom(want, outcome, attempts, `requested by ${by}`);
  }

  const attempts: BackendAttempt[] = [];
  for (const name of BACKEND_ORDER) {
    const outcome = await attempt(name, ctx);
    attempts.push({ name, ok: outcome.ok, reason: outcome.reason });
    if (!outcome.ok) continue;
    await tf.ready();
    const skipped = attempts.filter((a) => !a.ok);
    const reason = skipped.length === 0 ? 'the fastest backend, and it works here' : `the fastest that works here; not used: ${skipped.map((a) => `${a.name} (${a.reason})`).join('; ')}`;
    return choiceFrom(name, outcome, attempts, reason);
  }
  throw new BackendSelectionError(`no TensorFlow.js backend works here: ${attempts.map((a) => `${a.name}: ${a.reason}`).join('; ')}`, attempts);
}

function label(choice: BackendChoice): string {
  if (choice.name === 'wasm') {
    const simd = choice.simd === undefined ? '' : choice.simd ? 'SIMD, ' : 'no SIMD, ';
    return `wasm (${simd}${choice.threads} thread${choice.threads === 1 ? '' : 's'})`;
  }
  if (choice.name === 'tensorflow-gpu') return choice.gpu === false ? 'tensorflow-gpu (on the CPU: no usable GPU)' : 'tensorflow-gpu (CUDA)';
  if (choice.name === 'tensorflow') return `tensorflow (libtensorflow on the CPU, ${choice.threads} threads)`;
  if (choice.name === 'webgpu') return `webgpu (${choice.adapter ? describeAdapter(choice.adapter) : 'unknown adapter'})`;
  return 'cpu (plain JavaScript, very slow)';
}

/** One paragraph for the CLI and the UI: what runs, why, and why each faster backend did not. */
export function describeBackendChoice(choice: BackendChoice): string {
  const skipped = choice.attempts.filter((a) => !a.ok && a.name !== choice.name);
  const forced = choice.reason.startsWith('requested by');
  const parts = [`${label(choice)}${forced ? `, ${choice.reason}` : ''}.`];
  if (skipped.length > 0) parts.push(`Not used: ${skipped.map((a) => `${a.name}: ${a.reason}`).join('; ')}.`);
  for (const w of choice.warnings ?? []) parts.push(`Warning: ${w}.`);
  const v = choice.versions;
  const pkg = Object.keys(v).find((k) => k.startsWith('@tensorflow/'));
  parts.push(`TensorFlow.js ${v['tfjs-core'] ?? '?'}${pkg ? `, ${pkg} ${v[pkg]}` : ''}, Node ${v.node ?? process.versions.node}.`);
  return parts.join(' ');
}
