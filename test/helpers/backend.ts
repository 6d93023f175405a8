// Tests run on the wasm backend (with the project's training kernels) or on cpu, chosen per file.
import { tf } from '../../core/tf.js';
import '@tensorflow/tfjs-backend-wasm';

export async function useBackend(name: 'wasm' | 'cpu'): Promise<void> {
  // As selectBackend does for the engine: pooling gradients that are right and differentiate again.
  const { registerPoolGradients } = await import('../../core/backend/poolGradients.js');
  registerPoolGradients();
  if (name === 'wasm') {
    const { registerWasmTrainingKernels } = await import('../../core/backend/wasmKernels/index.js');
    registerWasmTrainingKernels();
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`backend ${name} failed to initialize`);
  await tf.ready();
}
