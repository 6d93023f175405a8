// Per-channel operations for wasm, as XNNPACK kernels. A batch-norm layer and its gradient are
// mostly "activation (op) per-channel vector" and "sum over all but the channel axis"; the stock
// wasm kernels for these broadcast or transpose element by element and cost several times a
// memory pass. Here:
//   x·a + b per channel  → a 1×1 depthwise convolution with bias (one pass): batch-norm itself,
//     and full (·, +, −, /, squared difference) vector;
//   sum/mean over the leading axes → average pooling over the spatial window, then over the batch.
// Anything else goes to the stock kernel.
import type { tf } from '../../tf.js';
import { callKernel, wasmKernelConfig, type WasmKernelArgs } from '../kernelTypes.js';
import { withOps, type TensorInfo, type WasmOps } from './wasmOps.js';

/** FusedBatchNorm always has x, mean and variance; offset and scale are optional. */
type BatchNormArgs = WasmKernelArgs<Pick<tf.FusedBatchNormInputs, 'x' | 'mean' | 'variance'>, tf.FusedBatchNormAttrs>
  & { inputs: Pick<tf.FusedBatchNormInputs, 'offset' | 'scale'> };
type BinaryArgs = WasmKernelArgs<tf.BinaryInputs, Record<string, never>>;
type ReduceArgs = WasmKernelArgs<tf.SumInputs, tf.SumAttrs>; // Mean's inputs and attributes are the same

/** Below this many elements the stock kernels are as fast, and exactly what TF.js tests against. */
const MIN_SIZE = 4096;

const stock = new Map<string, tf.KernelConfig>();
export function setStockKernel(name: string, config: tf.KernelConfig | undefined): void {
  if (config == null) stock.delete(name);
  else stock.set(name, config);
}

function runStock(name: string, args: BatchNormArgs | BinaryArgs | ReduceArgs): TensorInfo {
  const config = stock.get(name);
  if (config == null) throw new Error(`stock wasm ${name} kernel is not available`);
  return callKernel(config, args);
}

const size = (shape: number[]) => shape.reduce((p, v) => p * v, 1);

/** True when t broadcasts as a vector along the last axis of `full` (shape [C] or [1,…,1,C]). */
function isChannelVector(t: TensorInfo | undefined, full: TensorInfo): boolean {
  if (t == null || t.dtype !== 'float32') return false;
  const C = full.shape[full.shape.length - 1];
  return t.shape.length >= 1 && t.shape.length <= full.shape.length && t.shape[t.shape.length - 1] === C &&
    size(t.shape) === C;
}

function isBig(t: TensorInfo): boolean {
  return t.dtype === 'float32' && t.shape.length >= 2 && size(t.shape) >= MIN_SIZE;
}

function vector(ops: WasmOps, t: TensorInfo | undefined, C: number, fill: number): Float32Array {
  return t == null ? new Float32Array(C).fill(fill) : Float32Array.from(ops.heap(t));
}

/** out = x·a + b with a, b per channel (last axis), as a 1×1 depthwise convolution with bias. */
export function channelAffine(ops: WasmOps, x: TensorInfo, a: Float32Array, b: Float32Array): TensorInfo {
  const C = x.shape[x.shape.length - 1];
  const filter = ops.alloc([1, 1, C, 1]);
  const bias = ops.alloc([C]);
  ops.heap(filter).set(a);
  ops.heap(bias).set(b);
  const x4 = x.shape.length === 4 ? x : ops.reshape(x, [1, size(x.shape) / C, 1, C]);
  const y = ops.run('FusedDepthwiseConv2D', { x: x4, filter, bias }, {
    strides: [1, 1], pad: 'valid', dilations: [1, 1], dataFormat: 'NHWC', activation: 'linear',
  });
  return x.shape.length === 4 ? y : ops.reshape(y, x.shape);
}

export function fusedBatchNorm(args: BatchNormArgs): TensorInfo {
  const { x, mean, variance, offset, scale } = args.inputs;
  if (!isBig(x) || !isChannelVector(mean, x) || !isChannelVector(variance, x) ||
    (offset != null && !isChannelVector(offset, x)) || (scale != null && !isChannelVector(scale, x))) {
    return runStock('FusedBatchNorm', args);
  }
  const eps = args.attrs.varianceEpsilon;
  const C = x.shape[x.shape.length - 1];
  return withOps(args.backend, (ops) => {
    const m = vector(ops, mean, C, 0);
    const v = vector(ops, variance, C, 1);
    const o = vector(ops, offset, C, 0);
    const s = vector(ops, scale, C, 1);
    const a = new Float32Array(C);
    const b = new Float32Array(C);
    for (let c = 0; c < C; c++) {
      a[c] = s[c] / Math.sqrt(v[c] + eps);
      b[c] = o[c] - m[c] * a[c];
    }
    return channelAffine(ops, x, a, b);
  });
}

type BinaryName = 'Multiply' | 'Add' | 'Sub' | 'RealDiv' | 'SquaredDifference';

/** full (op) vector or vector (op) full, as x·a + b on the full operand. */
function binary(name: BinaryName, args: BinaryArgs): TensorInfo {
  const { a: l, b: r } = args.inputs;
  const leftFull = isBig(l) && isChannelVector(r, l) && l.shape.length >= r.shape.length;
  const rightFull = !leftFull && isBig(r) && isChannelVector(l, r) && r.shape.length >= l.shape.length &&
    name !== 'RealDiv'; // vector / full is not affine in full
  if (!leftFull && !rightFull) return runStock(name, args);
  const [full, vec] = leftFull ? [l, r] : [r, l];
  const C = full.shape[full.shape.length - 1];
  return withOps(args.backend, (ops) => {
    const v = vector(ops, vec, C, 0);
    const ones = new Float32Array(C).fill(1);
    const zeros = new Float32Array(C);
    switch (name) {
      case 'Multiply': return channelAffine(ops, full, v, zeros);
      case 'Add': return channelAffine(ops, full, ones, v);
      case 'Sub': return leftFull ? channelAffine(ops, full, ones, v.map((e) => -e))
        : channelAffine(ops, full, ones.fill(-1), v);
      case 'RealDiv': return channelAffine(ops, full, v.map((e) => 1 / e), zeros);
      case 'SquaredDifference': // (full − vector)², symmetric
        return ops.run('Square', { x: channelAffine(ops, full, ones, v.map((e) => -e)) });
    }
  });
}

export const multiply = (args: BinaryArgs) => binary('Multiply', args);
export const add = (args: BinaryArgs) => binary('Add', args);
export const sub = (args: BinaryArgs) => binary('Sub', args);
export const realDiv = (args: BinaryArgs) => binary('RealDiv', args);
export const squaredDifference = (args: BinaryArgs) => binary('SquaredDifference', args);

/** Sorted, non-negative reduction axes, or null when they are not exactly the leading axes 0…k−1. */
function leadingAxes(axis: number | number[], rank: number): number | null {
  const axes = [...new Set((Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)))].sort((p, q) => p - q);
  if (axes.length === 0 || axes.length >= rank || axes.some((a, i) => a !== i)) return null;
  return axes.length;
}

/** Mean over the leading k axes by average pooling: per batch over the spatial window, then over the batch. */
export function leadingMean(ops: WasmOps, x: TensorInfo, k: number): TensorInfo {
  const shape = x.shape;
  const T = size(shape.slice(k));
  // View as [R1, Rh, Rw, T]: the last two reduced axes (or one) form the pooling window.
  const Rw = k >= 3 ? shape[k - 1] : 1;
  const Rh = k >= 3 ? shape[k - 2] : shape[k - 1];
  const R1 = size(shape.slice(0, k)) / (Rh * Rw);
  const pool = (t: TensorInfo, h: number, w: number) =>
    ops.run('AvgPool', { x: t }, { filterSize: [h, w], strides: [1, 1], pad: 'valid' });
  let m = pool(ops.reshape(x, [R1, Rh, Rw, T]), Rh, Rw);
  if (R1 > 1) m = pool(ops.reshape(m, [1, R1, 1, T]), R1, 1);
  return m;
}

function reduce(name: 'Sum' | 'Mean', args: ReduceArgs): TensorInfo {
  const { x } = args.inputs;
  const { axis, keepDims } = args.attrs;
  const k = isBig(x) ? leadingAxes(axis, x.shape.length) : null;
  if (k == null) return runStock(name, args);
  const kept = x.shape.slice(k);
  const outShape = keepDims ? [...x.shape.slice(0, k).map(() => 1), ...kept] : kept;
  return withOps(args.backend, (ops) => {
    const m = leadingMean(ops, x, k);
    if (name === 'Mean') return ops.reshape(m, outShape);
    const out = ops.alloc(outShape);
    const n = size(x.shape.slice(0, k));
    const src = ops.heap(m);
    const dst = ops.heap(out);
    for (let i = 0; i < dst.length; i++) dst[i] = src[i] * n;
    return out;
  });
}

export const sum = (args: ReduceArgs) => reduce('Sum', args);
export const mean = (args: ReduceArgs) => reduce('Mean', args);

export const channelOpConfigs: tf.KernelConfig[] = [
  wasmKernelConfig('FusedBatchNorm', fusedBatchNorm),
  wasmKernelConfig('Multiply', multiply),
  wasmKernelConfig('Add', add),
  wasmKernelConfig('Sub', sub),
  wasmKernelConfig('RealDiv', realDiv),
  wasmKernelConfig('SquaredDifference', squaredDifference),
  wasmKernelConfig('Sum', sum),
  wasmKernelConfig('Mean', mean),
];
