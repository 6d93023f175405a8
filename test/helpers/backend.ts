// Tests run on the wasm backend (with the project's training kernels) or on cpu, chosen per file.
import { tf } from '../../core/tf.js';
import '@tensorflow/tfjs-backend-wasm';
import { registerEngineGradients } from '../../core/backend/registerGradients.js';

export async function useBackend(name: 'wasm' | 'cpu'): Promise<void> {
  registerEngineGradients();
  if (name === 'wasm') {
    const { registerWasmTrainingKernels } = await import('../../core/backend/wasmKernels/index.js');
    registerWasmTrainingKernels();
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`backend ${name} failed to initialize`);
  await tf.ready();
}
