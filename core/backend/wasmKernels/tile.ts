// Tile for wasm by block copies. The batch-norm gradient tiles a [1,1,1,C] vector to the full
// activation shape once per layer; the stock kernel computes an index per element and was a
// quarter of a training step. Here each axis's block is written once and then doubled with
// copyWithin, so the cost is a memory copy.
import { tf } from '../../tf.js';
import { callKernel, wasmKernelConfig, type WasmKernelArgs } from '../kernelTypes.js';
import type { TensorInfo } from './wasmOps.js';

/** Beyond this many innermost rows to place one by one, the stock C++ loop is the better choice. */
const MAX_ROWS = 4096;

let stockTile: tf.KernelConfig | undefined;
export function setStockTile(config: tf.KernelConfig | undefined): void {
  stockTile = config;
}

type Heap = Float32Array | Int32Array | Uint8Array;

/** Repeats out[at, at + block) `reps` times in place. */
function repeat(out: Heap, at: number, block: number, reps: number): void {
  let filled = block;
  const total = block * reps;
  while (filled < total) {
    const n = Math.min(filled, total - filled);
    out.copyWithin(at + filled, at, at + n);
    filled += n;
  }
}

export function tile(args: WasmKernelArgs<tf.TileInputs, tf.TileAttrs>): TensorInfo {
  const { x } = args.inputs;
  const { reps } = args.attrs;
  const backend = args.backend;
  const shape = x.shape;
  const rank = shape.length;
  const rows = shape.slice(0, -1).reduce((p, v) => p * v, 1);
  if (x.dtype === 'string' || rank === 0 || rows > MAX_ROWS) {
    if (stockTile == null) throw new Error('stock wasm Tile kernel is not available');
    return callKernel(stockTile, args);
  }
  const outShape = shape.map((d, i) => d * reps[i]);
  const out = backend.makeOutput(outShape, x.dtype) as TensorInfo;
  const src = backend.typedArrayFromHeap(x) as Heap;
  const dst = backend.typedArrayFromHeap(out) as Heap;
  const xStrides = new Array<number>(rank);
  const outStrides = new Array<number>(rank);
  xStrides[rank - 1] = 1;
  outStrides[rank - 1] = 1;
  for (let i = rank - 2; i >= 0; i--) {
    xStrides[i] = xStrides[i + 1] * shape[i + 1];
    outStrides[i] = outStrides[i + 1] * outShape[i + 1];
  }
  // Writes the tile of the sub-tensor of x at (axis, xAt) to out at outAt: its x-sized block
  // first, then that block repeated reps[axis] times.
  const place = (axis: number, xAt: number, outAt: number): void => {
    if (axis === rank - 1) {
      dst.set(src.subarray(xAt, xAt + shape[axis]), outAt);
    } else {
      for (let i = 0; i < shape[axis]; i++) place(axis + 1, xAt + i * xStrides[axis], outAt + i * outStrides[axis]);
    }
    repeat(dst, outAt, shape[axis] * outStrides[axis], reps[axis]);
  };
  if (dst.length > 0) place(0, 0, 0);
  return out;
}

export const tileConfig = wasmKernelConfig('Tile', tile);
