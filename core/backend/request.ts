// What was asked for: the backend (option, else $ATSTUDIO_BACKEND, else auto) and the wasm threads
// (option, else $ATSTUDIO_WASM_THREADS, else the default), each with where it came from for messages.
import { BACKEND_VALUES, BackendSelectionError, type BackendName, type BackendRequestSource, type SelectBackendOptions } from './choice.js';

export const BACKEND_ENV_VAR = 'ATSTUDIO_BACKEND';
export const WASM_THREADS_ENV_VAR = 'ATSTUDIO_WASM_THREADS';
/**
 * 'auto': every logical core when the threaded build computes right (checked at start-up, else one
 * thread); its workers never keep a process from exiting. The speed-up it gives and when one thread is
 * faster (more compute-bound processes than cores) are in the README's Performance section.
 */
export const DEFAULT_WASM_THREADS: number | 'auto' = 'auto';

export interface BackendRequest {
  want: BackendName | 'auto';
  source: BackendRequestSource;
  /** The request in words, e.g. "ATSTUDIO_BACKEND=cpu" or "the backend option (wasm)". */
  by: string;
}

function parseBackend(value: string, source: string): BackendName | 'auto' {
  const v = value.trim().toLowerCase();
  if ((BACKEND_VALUES as readonly string[]).includes(v)) return v as BackendName | 'auto';
  throw new BackendSelectionError(`${source} is "${value}", which is not a backend; accepted values: ${BACKEND_VALUES.join(', ')}`);
}

export function requestedBackend(opts: SelectBackendOptions, env: NodeJS.ProcessEnv): BackendRequest {
  const fromEnv = env[BACKEND_ENV_VAR];
  if (opts.force !== undefined) {
    // Callers often pass the variable's value through as `force`; name the variable when that is what it is.
    const isEnv = fromEnv !== undefined && fromEnv === opts.force;
    const by = isEnv ? `${BACKEND_ENV_VAR}=${fromEnv}` : `the backend option (${opts.force})`;
    const source = isEnv ? `the environment variable ${BACKEND_ENV_VAR}` : 'the requested backend';
    return { want: parseBackend(opts.force, source), source: isEnv ? 'env' : 'option', by };
  }
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    return { want: parseBackend(fromEnv, `the environment variable ${BACKEND_ENV_VAR}`), source: 'env', by: `${BACKEND_ENV_VAR}=${fromEnv}` };
  }
  return { want: 'auto', source: 'auto', by: 'auto' };
}

function parseWasmThreads(value: number | string, source: string): number | 'auto' {
  const v = typeof value === 'string' ? value.trim().toLowerCase() : value;
  if (v === 'auto') return 'auto';
  const n = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : NaN;
  if (Number.isInteger(n) && n >= 1 && n <= 8) return n;
  throw new BackendSelectionError(`${source} is "${value}", which is not a thread count; accepted values: auto, or an integer from 1 to 8`);
}

export function requestedWasmThreads(opts: SelectBackendOptions, env: NodeJS.ProcessEnv): { want: number | 'auto'; by: string } {
  if (opts.wasmThreads !== undefined) return { want: parseWasmThreads(opts.wasmThreads, 'the wasmThreads option'), by: 'the wasmThreads option' };
  const fromEnv = env[WASM_THREADS_ENV_VAR];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    return { want: parseWasmThreads(fromEnv, `the environment variable ${WASM_THREADS_ENV_VAR}`), by: `${WASM_THREADS_ENV_VAR}=${fromEnv}` };
  }
  return { want: DEFAULT_WASM_THREADS, by: 'the default' };
}
