// One attempt at one backend: load its package, start it, run a test op, say why not when it fails.
import type { BackendName } from '../choice.js';
import { tryCpu } from './cpu.js';
import { tryNative } from './native.js';
import type { AttemptContext, Outcome } from './outcome.js';
import { tryWasm } from './wasm.js';
import { tryWebGpu } from './webgpu.js';

export type { AttemptContext, Outcome } from './outcome.js';

export function attempt(name: BackendName, ctx: AttemptContext): Promise<Outcome> {
  if (name === 'wasm') return tryWasm(ctx);
  if (name === 'cpu') return tryCpu();
  if (name === 'webgpu') return tryWebGpu(ctx);
  return tryNative(name, ctx);
}
