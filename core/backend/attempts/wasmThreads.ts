// How many XNNPACK threads the wasm backend gets: the threaded build when more than one is asked for
// and it starts and computes right, else one thread with the reason. The build and its thread count
// are fixed once the wasm backend exists in this process.
import { errorMessage } from '../loadErrors.js';

export interface ThreadPlan {
  /** The threads asked for ('auto' resolved to the cores, at most MAX_WASM_THREADS). */
  asked: number;
  /** Why fewer threads will run than asked for, when known before the backend starts. */
  fallback?: string;
}

/**
 * Initializes the threaded build with the requested threads and checks it computes right; on any
 * failure puts the wasm backend back to uninitialized. Returns the threads in use, or why none.
 */
async function tryThreadedWasm(threads: number, check?: () => string | undefined): Promise<{ used: number } | { fallback: string }> {
  const { initThreadedWasm, resetWasmBackend, verifyWasmConv } = await import('../wasmKernels/wasmThreads.js');
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

/** Before the backend starts: sets up the threaded build when it is wanted and works. */
export async function prepareWasmThreads(want: number | 'auto', cores: number, check?: () => string | undefined): Promise<ThreadPlan> {
  const { wasmBackendInitialized, MAX_WASM_THREADS } = await import('../wasmKernels/wasmThreads.js');
  const asked = want === 'auto' ? Math.min(cores, MAX_WASM_THREADS) : want;
  if (wasmBackendInitialized()) return { asked }; // fixed already: settleWasmThreads says so
  if (asked > 1) {
    const threaded = await tryThreadedWasm(asked, check);
    return 'fallback' in threaded ? { asked, fallback: threaded.fallback } : { asked };
  }
  return want === 'auto' ? { asked, fallback: `1 logical core` } : { asked };
}

/** After the backend started with `threads`: why that differs from the request, if it does. */
export function settleWasmThreads(want: number | 'auto', plan: ThreadPlan, threads: number): string | undefined {
  if (plan.fallback !== undefined) return plan.fallback;
  if (threads !== plan.asked && want !== 'auto') {
    return `the wasm backend was already initialized in this process with ${threads} thread${threads === 1 ? '' : 's'}`;
  }
  if (want === 'auto' && threads === 1 && plan.asked > 1) return 'the wasm backend was already initialized in this process with 1 thread';
  return undefined;
}
