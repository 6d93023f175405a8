// What selectBackend answers and takes: the backends, one attempt at each, the choice and why.
import type { SystemProbe } from './cudaLibs.js';
import { WEBGPU_PACKAGES, type WebGpuAdapter } from './webgpu.js';
import { StudioError } from '../errors.js';

export type BackendName = 'tensorflow-gpu' | 'webgpu' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_ORDER: readonly BackendName[] = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'];
export const BACKEND_VALUES: readonly string[] = [...BACKEND_ORDER, 'auto'];
export const BACKEND_PACKAGES = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  webgpu: WEBGPU_PACKAGES.tfjs,
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
} as const;

/** Who asked for the backend: the `force` option, $ATSTUDIO_BACKEND, or nobody (auto). */
export type BackendRequestSource = 'option' | 'env' | 'auto';

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  reason: string;
}
export interface BackendChoice {
  name: BackendName;
  tfBackend: string /* tf.getBackend() */;
  reason: string;
  /** True when this backend was asked for (then it is this one or an error, never a fallback). */
  forced: boolean;
  by: BackendRequestSource;
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
