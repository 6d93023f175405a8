// The WebGPU backend in Node: Dawn's Node binding (npm `webgpu`, a prebuilt dawn.node per platform) gives
// Node a `navigator.gpu`; @tensorflow/tfjs-backend-webgpu runs TF.js kernels on it as compute shaders.
// Vulkan on Linux, Metal on macOS, D3D12 on Windows.
//
// Why the adapter and device are created here and not by the package's own backend factory
// (tfjs-backend-webgpu/dist/base.js): to look at the adapter before using it (a software adapter such as
// SwiftShader is an emulator, slower than wasm: `auto` must not take it), to record what it is, and to
// hold the device, whose `lost` promise and `uncapturederror` events are how a lost GPU or an
// out-of-memory shows up (TF.js itself never looks at either).
//
// On WebGPU in Node, dataSync() throws (the backend's sync read-back needs OffscreenCanvas, browser-only):
// read with data()/array().
import { tf } from '../tf.js';
import type { ModuleLoader } from './select.js';
import type { SystemProbe } from './cudaLibs.js';
import { diagnoseNoAdapter } from './webgpuDiagnose.js';
import { StudioError } from '../errors.js';

export const WEBGPU_PACKAGES = { dawn: 'webgpu', tfjs: '@tensorflow/tfjs-backend-webgpu' } as const;

/** The adapter facts that matter for training: what it is, and the limits that cap tensor sizes. */
export interface WebGpuAdapter {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  /** A CPU emulation of a GPU (SwiftShader, llvmpipe, lavapipe, WARP, or any fallback adapter). */
  software: boolean;
  limits: {
    maxBufferSize: number;
    maxStorageBufferBindingSize: number;
    maxComputeWorkgroupStorageSize: number;
    maxComputeInvocationsPerWorkgroup: number;
    maxComputeWorkgroupSizeX: number;
    maxComputeWorkgroupsPerDimension: number;
  };
  /** Features TF.js uses when present. */
  features: string[];
}

export type WebGpuInit =
  | { ok: true; adapter: WebGpuAdapter; reused: boolean }
  | { ok: false; reason: string };

export interface WebGpuInitOptions {
  /** Accept a software adapter (forced webgpu, tests); `auto` does not. */
  allowSoftware: boolean;
  loader: ModuleLoader;
  system: SystemProbe;
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render|\bwarp\b/i;

interface GpuLike { requestAdapter(o?: { powerPreference?: string }): Promise<AdapterLike | null> }
interface AdapterLike {
  info: Record<string, unknown>;
  limits: Record<string, number>;
  features: Set<string>;
  requestDevice(d: unknown): Promise<DeviceLike>;
}
interface DeviceLike {
  lost: Promise<{ reason: string; message: string }>;
  addEventListener(type: 'uncapturederror', fn: (e: { error: { message: string; constructor: { name: string } } }) => void): void;
  destroy(): void;
}

/** Module state: one Dawn instance, one device for the process (TF.js has one 'webgpu' backend). */
const state: {
  gpu?: GpuLike;
  device?: DeviceLike | undefined;
  adapter?: WebGpuAdapter;
  failure?: Error | undefined;
  lostWaiters: ((e: Error) => void)[];
} = { lostWaiters: [] };

/** The GPU stopped working under a run: the device was lost, or it ran out of memory. */
export class WebGpuDeviceError extends StudioError {
  constructor(message: string, readonly kind: 'lost' | 'out-of-memory' | 'error') {
    super('backend.device', message);
    this.name = 'WebGpuDeviceError';
  }
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function summarizeAdapter(adapter: AdapterLike): WebGpuAdapter {
  const info = adapter.info ?? {};
  const l = adapter.limits;
  const facts = { vendor: text(info.vendor), architecture: text(info.architecture), device: text(info.device), description: text(info.description) };
  const isFallbackAdapter = info.isFallbackAdapter === true || (adapter as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return {
    ...facts,
    isFallbackAdapter,
    software: isFallbackAdapter || SOFTWARE.test(Object.values(facts).join(' ')),
    limits: {
      maxBufferSize: l.maxBufferSize, maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize, maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX, maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
    },
    features: ['timestamp-query', 'shader-f16', 'subgroups'].filter((f) => adapter.features.has(f)),
  };
}

/** "NVIDIA ampere (NVIDIA GeForce RTX 3080)"; for messages and the UI. */
export function describeAdapter(a: WebGpuAdapter): string {
  const name = [a.vendor, a.architecture].filter((s) => s !== '').join(' ') || 'unknown GPU';
  const detail = a.description || a.device;
  return `${name}${detail ? ` (${detail})` : ''}${a.software ? ', a software adapter' : ''}`;
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n').filter((l) => l.trim() !== '').slice(0, 2).join(' ').slice(0, 400);
}

/**
 * Gives this process a `navigator.gpu` from Dawn. Node 21+ already has a `navigator` (userAgent,
 * hardwareConcurrency…): keep it and add `gpu`; Node 20 has none: create one. Returns why not, if not.
 */
async function installNavigatorGpu(loader: ModuleLoader): Promise<GpuLike | string> {
  if (state.gpu) return state.gpu;
  let mod: { create?: (o: string[]) => GpuLike; globals?: object };
  try {
    mod = (await loader.import(WEBGPU_PACKAGES.dawn)) as typeof mod;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && /'webgpu'/.test(errorText(err))) return `${WEBGPU_PACKAGES.dawn} is not installed`;
    return `Dawn's Node binding (${WEBGPU_PACKAGES.dawn}, dawn.node for ${process.platform}-${process.arch}) failed to load: ${errorText(err)}`;
  }
  const create = mod.create ?? (mod as { default?: typeof mod }).default?.create;
  const globals = mod.globals ?? (mod as { default?: typeof mod }).default?.globals;
  if (typeof create !== 'function') return `${WEBGPU_PACKAGES.dawn} loaded but has no create()`;
  // GPUBufferUsage, GPUMapMode… are globals in a browser; TF.js's WebGPU backend uses them so.
  for (const [k, v] of Object.entries(globals ?? {})) {
    if (!(k in globalThis)) Object.defineProperty(globalThis, k, { value: v, writable: true, configurable: true });
  }
  const gpu = create([]);
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, writable: true, configurable: true });
  } else if (!('gpu' in nav) || (nav as { gpu?: unknown }).gpu == null) {
    try {
      Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
    } catch {
      // A frozen navigator: replace it by one that keeps its fields and adds gpu.
      Object.defineProperty(globalThis, 'navigator', { value: Object.assign(Object.create(nav), { gpu }), writable: true, configurable: true });
    }
  }
  state.gpu = gpu;
  return gpu;
}

/**
 * Makes a failed device's backend harmless. After a GPU error, reads still in flight can complete
 * later, for tensors the engine has disposed meanwhile; TF.js then throws inside its read, from a
 * promise nobody holds, and an unhandled rejection ends the process (the wasm backend's Emscripten
 * runtime rethrows them). Disposing would destroy buffers whose maps are pending, with the same effect.
 */
function neutralizeBackend(): void {
  const b = tf.findBackend('webgpu') as (tf.KernelBackend & { dispose(): void; convertAndCacheOnCPU?: (...a: unknown[]) => unknown }) | null;
  if (b == null) return;
  b.dispose = () => undefined;
  const convert = b.convertAndCacheOnCPU;
  if (typeof convert === 'function') {
    b.convertAndCacheOnCPU = (...args: unknown[]) => {
      try {
        return convert.apply(b, args);
      } catch {
        return undefined; // the tensor is gone; its reader already got the device's failure
      }
    };
  }
}

function watchDevice(device: DeviceLike): void {
  const fail = (err: WebGpuDeviceError) => {
    if (state.failure !== undefined) return;
    state.failure = err;
    if (state.device === device) neutralizeBackend();
    for (const w of state.lostWaiters.splice(0)) w(err);
  };
  void device.lost.then((info) => {
    if (state.device !== device) return; // a device we replaced on purpose
    fail(new WebGpuDeviceError(`the GPU device was lost (${info.reason || 'unknown reason'}${info.message ? `: ${info.message}` : ''})`, 'lost'));
  });
  device.addEventListener('uncapturederror', (e) => {
    const text = e.error?.message ?? '';
    const tooLarge = /exceeds the max(imum)? (buffer size|storage buffer binding size)/i.test(text);
    const kind = e.error?.constructor?.name === 'GPUOutOfMemoryError' || /out of memory/i.test(text) || tooLarge ? 'out-of-memory' : 'error';
    const what = tooLarge ? 'a tensor is larger than this GPU allows (try a smaller batch)'
      : kind === 'out-of-memory' ? 'the GPU ran out of memory (try a smaller batch)' : 'the GPU reported an error';
    fail(new WebGpuDeviceError(`${what}: ${errorText(e.error?.message)}`, kind));
  });
}

/**
 * Which adapter Dawn would give, without creating a device or loading TF.js's backend (for the service's
 * backend list, from a short-lived child process: see webgpuProbe.ts).
 */
export async function probeWebGpuAdapter(loader: ModuleLoader, system: SystemProbe): Promise<{ adapter: WebGpuAdapter } | { reason: string }> {
  const gpu = await installNavigatorGpu(loader);
  if (typeof gpu === 'string') return { reason: gpu };
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    return adapter == null ? { reason: diagnoseNoAdapter(system) } : { adapter: summarizeAdapter(adapter) };
  } catch (err) {
    return { reason: `asking Dawn for a GPU adapter failed: ${errorText(err)}` };
  }
}

/**
 * Sets up Dawn and registers TF.js's 'webgpu' backend on a device this module holds. Does not switch
 * to it (the caller's setBackend does). Idempotent while the device works.
 */
export async function initWebGpu(opts: WebGpuInitOptions): Promise<WebGpuInit> {
  if (state.device !== undefined && state.adapter !== undefined && state.failure === undefined && tf.findBackendFactory('webgpu') != null) {
    if (state.adapter.software && !opts.allowSoftware) return { ok: false, reason: softwareReason(state.adapter) };
    return { ok: true, adapter: state.adapter, reused: true };
  }
  const gpu = await installNavigatorGpu(opts.loader);
  if (typeof gpu === 'string') return { ok: false, reason: gpu };
  let adapter: AdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (err) {
    return { ok: false, reason: `asking Dawn for a GPU adapter failed: ${errorText(err)}` };
  }
  if (adapter == null) return { ok: false, reason: diagnoseNoAdapter(opts.system) };
  const summary = summarizeAdapter(adapter);
  if (summary.software && !opts.allowSoftware) return { ok: false, reason: softwareReason(summary) };

  // Importing the package registers its kernels for 'webgpu' (and its own factory, replaced below).
  let pkg: { WebGPUBackend?: new (device: unknown, info: unknown) => tf.KernelBackend };
  try {
    pkg = (await opts.loader.import(WEBGPU_PACKAGES.tfjs)) as typeof pkg;
  } catch (err) {
    return { ok: false, reason: `${WEBGPU_PACKAGES.tfjs} failed to load: ${errorText(err)}` };
  }
  const Backend = pkg.WebGPUBackend ?? (pkg as { default?: typeof pkg }).default?.WebGPUBackend;
  if (Backend === undefined) return { ok: false, reason: `${WEBGPU_PACKAGES.tfjs} loaded but exports no WebGPUBackend` };

  // The device TF.js's own factory asks for (tfjs-backend-webgpu/dist/base.js): the adapter's own limits.
  const l = adapter.limits;
  let device: DeviceLike;
  try {
    device = await adapter.requestDevice({
      requiredFeatures: ['timestamp-query', 'bgra8unorm-storage'].filter((f) => adapter.features.has(f)),
      requiredLimits: {
        maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize, maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
        maxStorageBufferBindingSize: l.maxStorageBufferBindingSize, maxBufferSize: l.maxBufferSize,
        maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX, maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
      },
    });
  } catch (err) {
    return { ok: false, reason: `the GPU adapter ${describeAdapter(summary)} refused to create a device: ${errorText(err)}` };
  }
  if (state.device !== undefined) {
    // A failed device: drop the backend built on it without destroying its buffers or the device (a
    // map still pending on it would be rejected through a promise nobody holds: see neutralizeBackend).
    // The old device and its buffers go with the garbage.
    state.device = undefined;
    neutralizeBackend();
    if (tf.findBackend('webgpu') != null || tf.findBackendFactory('webgpu') != null) tf.removeBackend('webgpu');
  }
  state.device = device;
  state.adapter = summary;
  state.failure = undefined;
  watchDevice(device);
  if (tf.findBackendFactory('webgpu') != null) tf.removeBackend('webgpu');
  const info = adapter.info;
  tf.registerBackend('webgpu', () => new Backend(device, info), 3);
  return { ok: true, adapter: summary, reused: false };
}

function softwareReason(a: WebGpuAdapter): string {
  return `the only WebGPU adapter is ${describeAdapter(a)}: a CPU emulation of a GPU, far slower than wasm, so auto never picks it (force it with --backend webgpu or ATSTUDIO_BACKEND=webgpu)`;
}

/** The adapter in use, once initWebGpu succeeded. */
export function webGpuAdapter(): WebGpuAdapter | undefined {
  return state.adapter;
}

/** Why the GPU stopped working, once it did (lost device, out of memory, a validation error). */
export function webGpuFailure(): WebGpuDeviceError | undefined {
  return state.failure as WebGpuDeviceError | undefined;
}

/** Throws the device's failure, if any: call between steps so a run fails (resumably) instead of training on garbage. */
export function assertWebGpuHealthy(): void {
  if (tf.getBackend() === 'webgpu' && state.failure !== undefined) throw state.failure;
}

/**
 * Resolves `p`, or rejects with the device's failure as soon as the device is lost or fails: a read
 * (`await t.data()`) that waits on a dead GPU must not wait forever.
 */
export function guardWebGpu<T>(p: Promise<T>): Promise<T> {
  if (tf.getBackend() !== 'webgpu' || state.device === undefined) return p;
  if (state.failure !== undefined) return Promise.reject(state.failure);
  let waiter: ((e: Error) => void) | undefined;
  const failed = new Promise<never>((_, reject) => {
    waiter = reject;
    state.lostWaiters.push(reject);
  });
  return Promise.race([p, failed]).finally(() => {
    const i = state.lostWaiters.indexOf(waiter!);
    if (i !== -1) state.lostWaiters.splice(i, 1);
  });
}

/** GPU memory as the backend reports it (bytes in live tensors, and in its buffer pool), on webgpu only. */
export function webGpuMemory(): { inUseBytes: number; allocatedBytes: number } | undefined {
  if (tf.getBackend() !== 'webgpu') return undefined;
  const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number; numBytesAllocatedInGPU?: number };
  if (m.numBytesInGPU === undefined) return undefined;
  return { inUseBytes: m.numBytesInGPU, allocatedBytes: m.numBytesAllocatedInGPU ?? m.numBytesInGPU };
}

/** For tests: destroy the device as a driver reset would (its `lost` promise resolves). */
export function loseWebGpuDeviceForTest(): void {
  state.device?.destroy();
}
