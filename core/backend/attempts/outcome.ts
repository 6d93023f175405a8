// One attempt's result, and what every attempt in one selectBackend call shares.
import type { SystemProbe } from '../cudaLibs.js';
import type { ModuleLoader, WasmThreadsOutcome } from '../choice.js';
import type { WebGpuAdapter } from '../webgpu.js';

export type Outcome =
  | { ok: true; reason: string; threads: number; versions: Record<string, string>; warnings?: string[]; simd?: boolean; gpu?: boolean;
      wasmThreads?: WasmThreadsOutcome; adapter?: WebGpuAdapter }
  | { ok: false; reason: string };

export interface AttemptContext {
  loader: ModuleLoader;
  wasmThreads: { want: number | 'auto'; by: string };
  cores: number;
  wasmThreadsCheck?: () => string | undefined;
  system: SystemProbe;
  forced: boolean;
  /** A native libtensorflow was loaded by an earlier attempt in this call (a second one must not be). */
  nativeLoaded?: 'tensorflow-gpu' | 'tensorflow';
}
