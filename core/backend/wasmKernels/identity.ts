// Identity (tf.clone) and same-type Cast for wasm without a copy. The engine clones every tensor it
// saves for the backward pass, and the relu gradient casts float32 to float32 (hundreds of calls
// per training step); the stock kernels copy the buffer each time.
// Tensors are immutable and the backend counts references per buffer (Reshape already shares),
// so sharing the buffer is safe; this is what the cpu backend does too.
import type { tf } from '../../tf.js';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from './wasmOps.js';

let stockIdentity: tf.KernelConfig | undefined;
let stockCast: tf.KernelConfig | undefined;
export function setStockIdentity(identityConfig: tf.KernelConfig | undefined, castConfig: tf.KernelConfig | undefined): void {
  stockIdentity = identityConfig;
  stockCast = castConfig;
}

function share(backend: unknown, x: TensorInfo): TensorInfo {
  (backend as BackendWasm).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
}

export function identity(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): TensorInfo {
  const { x } = args.inputs as { x: TensorInfo };
  if (x.dtype === 'string') {
    if (stockIdentity == null) throw new Error('stock wasm Identity kernel is not available');
    return stockIdentity.kernelFunc(args as Parameters<tf.KernelFunc>[0]) as TensorInfo;
  }
  return share(args.backend, x);
}

export function cast(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const { x } = args.inputs as { x: TensorInfo };
  const { dtype } = args.attrs as unknown as { dtype: string };
  if (x.dtype === dtype && dtype !== 'string') return share(args.backend, x);
  if (stockCast == null) throw new Error('stock wasm Cast kernel is not available');
  return stockCast.kernelFunc(args as Parameters<tf.KernelFunc>[0]) as TensorInfo;
}

export const identityConfig = { kernelName: 'Identity', backendName: 'wasm', kernelFunc: identity } as unknown as tf.KernelConfig;
export const castConfig = { kernelName: 'Cast', backendName: 'wasm', kernelFunc: cast } as unknown as tf.KernelConfig;
