// Identity (tf.clone) and same-type Cast for wasm without a copy. The engine clones every tensor it
// saves for the backward pass, and the relu gradient casts float32 to float32 (hundreds of calls
// per training step); the stock kernels copy the buffer each time.
// Tensors are immutable and the backend counts references per buffer (Reshape already shares),
// so sharing the buffer is safe; this is what the cpu backend does too.
import type { tf } from '../../tf.js';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { callKernel, wasmKernelConfig, type WasmKernelArgs } from '../kernelTypes.js';
import type { TensorInfo } from './wasmOps.js';

let stockIdentity: tf.KernelConfig | undefined;
let stockCast: tf.KernelConfig | undefined;
export function setStockIdentity(identityConfig: tf.KernelConfig | undefined, castConfig: tf.KernelConfig | undefined): void {
  stockIdentity = identityConfig;
  stockCast = castConfig;
}

function share(backend: BackendWasm, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
}

export function identity(args: WasmKernelArgs<tf.IdentityInputs, Record<string, never>>): TensorInfo {
  const { x } = args.inputs;
  if (x.dtype === 'string') {
    if (stockIdentity == null) throw new Error('stock wasm Identity kernel is not available');
    return callKernel(stockIdentity, args);
  }
  return share(args.backend, x);
}

export function cast(args: WasmKernelArgs<tf.CastInputs, tf.CastAttrs>): TensorInfo {
  const { x } = args.inputs;
  const { dtype } = args.attrs;
  if (x.dtype === dtype && dtype !== 'string') return share(args.backend, x);
  if (stockCast == null) throw new Error('stock wasm Cast kernel is not available');
  return callKernel(stockCast, args);
}

export const identityConfig = wasmKernelConfig('Identity', identity);
export const castConfig = wasmKernelConfig('Cast', cast);
