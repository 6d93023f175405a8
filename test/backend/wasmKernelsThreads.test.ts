// The threaded wasm build under Node (core/backend/wasmKernels/wasmThreads.ts), as initThreadedWasm starts it: it must
// really run 2 XNNPACK threads and give the same gradients as cpu. Own file = own process, since
// the wasm build is chosen once per process.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { Rng } from '../../core/util/rng.js';
import { registerWasmTrainingKernels } from '../../core/backend/wasmKernels/index.js';
import { initThreadedWasm } from '../../core/backend/wasmKernels/wasmThreads.js';
import { compareBackends, randomArray } from './wasmKernelsCompare.js';

let threads = 0;

// The pool's worker threads keep the process alive until the backend is removed.
afterAll(() => tf.removeBackend('wasm'));

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('cpu');
  threads = await initThreadedWasm(2);
});

it('initializes the threaded build with 2 threads', () => {
  expect('PThread' in (tf.findBackend('wasm') as unknown as { wasm: object }).wasm).toBe(true);
  expect(threads).toBe(2);
});

it('conv gradients on the threaded build match cpu', async () => {
  const rng = new Rng(41);
  const x = randomArray(rng, [4, 12, 12, 8]);
  const w = randomArray(rng, [3, 3, 8, 16]);
  const errors = await compareBackends(() => tf.grads((a: tf.Tensor, b: tf.Tensor) =>
    tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same').square().sum())([tf.tensor(x, [4, 12, 12, 8]), tf.tensor(w, [3, 3, 8, 16])]));
  console.log(`threaded wasm vs cpu, conv s=2 grads: dx ${errors[0].toExponential(2)} dW ${errors[1].toExponential(2)}`);
  for (const e of errors) expect(e).toBeLessThanOrEqual(1e-4);
});
