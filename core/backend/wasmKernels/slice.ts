// Slice for wasm by contiguous block copies inside the wasm heap. The stock kernel first copies the
// whole input out to JS, then copies the slice back row by row; the gradient of a ZeroPadding2D layer
// (the models' PyTorch-exact padding for strided convolutions) is such a slice of a full activation.
import { tf } from '../../tf.js';
import { callKernel, wasmKernelConfig, type WasmKernelArgs } from '../kernelTypes.js';
import { wasmHeapU8, type TensorInfo } from './wasmOps.js';

let stockSlice: tf.KernelConfig | undefined;
export function setStockSlice(config: tf.KernelConfig | undefined): void {
  stockSlice = config;
}

export function slice(args: WasmKernelArgs<tf.SliceInputs, tf.SliceAttrs>): TensorInfo {
  const { x } = args.inputs;
  const { begin, size } = args.attrs;
  const backend = args.backend;
  const bytes = x.dtype === 'float32' || x.dtype === 'int32' ? 4 : x.dtype === 'bool' ? 1 : 0;
  if (bytes === 0) {
    if (stockSlice == null) throw new Error('stock wasm Slice kernel is not available');
    return callKernel(stockSlice, args);
  }
  const [b, s] = tf.slice_util.parseSliceParams(x, begin, size);
  const shape = x.shape;
  const rank = shape.length;
  const out = backend.makeOutput(s, x.dtype) as TensorInfo;
  const total = s.reduce((p, v) => p * v, 1);
  if (total === 0) return out;
  // The copy unit: axis k and everything after it, where every axis after k is taken whole.
  let k = rank - 1;
  while (k > 0 && s[k] === shape[k]) k--;
  const inner = shape.slice(k + 1).reduce((p, v) => p * v, 1);
  const run = s[k] * inner;
  const strides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) strides[i] = strides[i + 1] * shape[i + 1];
  const heap = bytes === 4
    ? new Int32Array(wasmHeapU8(backend).buffer) // raw 4-byte words
    : wasmHeapU8(backend);
  const src = backend.getMemoryOffset(x.dataId) / bytes;
  let dst = backend.getMemoryOffset(out.dataId) / bytes;
  let offset = b.reduce((p, v, i) => p + v * strides[i], 0);
  // Odometer over the axes before k.
  const index = new Array<number>(k).fill(0);
  for (;;) {
    heap.copyWithin(dst, src + offset, src + offset + run);
    dst += run;
    let axis = k - 1;
    while (axis >= 0) {
      index[axis]++;
      offset += strides[axis];
      if (index[axis] < s[axis]) break;
      offset -= index[axis] * strides[axis];
      index[axis] = 0;
      axis--;
    }
    if (axis < 0) break;
  }
  return out;
}

export const sliceConfig = wasmKernelConfig('Slice', slice);
