// Training-mode batch norm for wasm as one op with its own gradient. tfjs-layers builds it from
// moments (Mean, Sub, Square, Mean) and FusedBatchNorm; the gradients of those (FusedBatchNorm's,
// then Mean's, Square's and Sub's, summed) are about twenty kernels per layer, half of them full
// element-wise passes. Here, as wasm (XNNPACK) kernels called directly, with no engine bookkeeping:
//   forward  AtsBatchNormTraining(x, scale, offset) → [y, mean, variance]: μ by pooling, x − μ and
//            its square, var by pooling, y = (x − μ)·γr + β (1×1 depthwise convolutions);
//   backward AtsBatchNormTrainingGrad: the mean and variance paths folded into one per-channel map,
//            dx = A·dy + B·(x − μ) + D: 7 kernels (2 pooling reductions, 3 affine maps, 2 products/sums).
// With x̂ = (x − μ)·r, r = 1/√(var + ε), N the elements per channel:
//   dβ = Σ dy,  dγ = Σ dy·x̂,  dx = γr·(dy − dβ/N − x̂·dγ/N) + dμ/N + 2·dvar·(x − μ)/N
// (dμ, dvar: gradients reaching the mean and variance outputs, zero in a training step).
// (Tried: the reductions and dx as plain JS loops over the heap, two passes — slower than these
// SIMD kernels even though they make more passes: JS does not vectorize.)
// Why the layer and not a kernel: the statistics' backward runs through the generic Mean, Square and
// Sub gradients, which no kernel or gradient registration can tell apart from other uses; so
// registerBatchNormTraining routes BatchNormalization.prototype.call (training mode) to this op.
// Effect on the bench step (WRN-16-1 ← WRN-16-2, batch 64): kernel calls 1877 → 1123 per step,
// ≈ 80 → 89 images/s on 1 thread, ≈ 130 → 150 on 2.
// The layer uses it only on wasm, channels last, float32, and not under nested gradients (higher
// derivatives — gradient-based AT — keep TF.js's composed, twice-differentiable ops).
// Checked against cpu and by finite differences in test/backend/wasmKernelsBatchNorm.test.ts.
import { tf } from '../../tf.js';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { gradientDepth } from '../gradientDepth.js';
import { gradConfig, wasmKernelConfig, type WasmKernelArgs } from '../kernelTypes.js';
import { channelAffine, leadingMean } from './channelOps.js';
import { WasmOps, type TensorInfo } from './wasmOps.js';

export const BN_TRAINING = 'AtsBatchNormTraining';
export const BN_TRAINING_GRAD = 'AtsBatchNormTrainingGrad';

/** Both kernels take FusedBatchNorm's attribute, varianceEpsilon. */
type TrainingArgs = WasmKernelArgs<Pick<tf.NamedTensorInfoMap, 'x' | 'scale' | 'offset'>, tf.FusedBatchNormAttrs>;
type TrainingGradArgs = WasmKernelArgs<
  Pick<tf.NamedTensorInfoMap, 'dy' | 'x' | 'scale' | 'mean' | 'variance' | 'dmean' | 'dvariance'>, tf.FusedBatchNormAttrs>;

const size = (shape: number[]) => shape.reduce((p, v) => p * v, 1);

function f32(backend: BackendWasm, t: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

/** A [C] float32 output holding `values`. */
function vectorOut(backend: BackendWasm, values: ArrayLike<number>): TensorInfo {
  const out = backend.makeOutput([values.length], 'float32') as TensorInfo;
  f32(backend, out).set(values);
  return out;
}

/** Per-channel mean of x (over all but the last axis), by pooling, copied out of the heap. */
function channelMean(ops: WasmOps, x: TensorInfo): Float32Array {
  return Float32Array.from(ops.heap(leadingMean(ops, x, x.shape.length - 1)));
}

export function batchNormTraining(args: TrainingArgs): TensorInfo[] {
  const { x, scale, offset } = args.inputs;
  const eps = args.attrs.varianceEpsilon;
  const backend = args.backend;
  const C = x.shape[x.shape.length - 1];
  const g = Float32Array.from(f32(backend, scale));
  const b = Float32Array.from(f32(backend, offset));
  const ops = new WasmOps(backend);
  try {
    const mean = channelMean(ops, x);
    const xm = channelAffine(ops, x, new Float32Array(C).fill(1), mean.map((m) => -m));
    const variance = channelMean(ops, ops.run('Square', { x: xm }));
    const a = new Float32Array(C);
    for (let c = 0; c < C; c++) a[c] = g[c] / Math.sqrt(variance[c] + eps);
    const y = ops.keep(channelAffine(ops, xm, a, b));
    return [y, vectorOut(backend, mean), vectorOut(backend, variance)];
  } finally {
    ops.release();
  }
}

export function batchNormTrainingGrad(args: TrainingGradArgs): TensorInfo[] {
  const { dy, x, scale, mean, variance, dmean, dvariance } = args.inputs;
  const eps = args.attrs.varianceEpsilon;
  const backend = args.backend;
  const C = x.shape[x.shape.length - 1];
  const n = size(x.shape) / C;
  const g = Float32Array.from(f32(backend, scale));
  const mu = Float32Array.from(f32(backend, mean));
  const v = Float32Array.from(f32(backend, variance));
  const dm = Float32Array.from(f32(backend, dmean));
  const dv = Float32Array.from(f32(backend, dvariance));
  const ops = new WasmOps(backend);
  try {
    const xm = channelAffine(ops, x, new Float32Array(C).fill(1), mu.map((m) => -m));
    const mdy = channelMean(ops, dy);
    const mdyx = channelMean(ops, ops.run('Multiply', { a: dy, b: xm }));
    const A = new Float32Array(C);
    const B = new Float32Array(C);
    const D = new Float32Array(C);
    const dGamma = new Float32Array(C);
    const dBeta = new Float32Array(C);
    for (let c = 0; c < C; c++) {
      const r = 1 / Math.sqrt(v[c] + eps);
      dBeta[c] = mdy[c] * n;
      dGamma[c] = mdyx[c] * n * r;
      A[c] = g[c] * r;
      B[c] = -g[c] * r * r * r * mdyx[c] + 2 * dv[c] / n; // −γr·x̂·dγ/N per (x − μ): −γr³·mean(dy·(x − μ))
      D[c] = -g[c] * r * mdy[c] + dm[c] / n;
    }
    const dx = ops.keep(ops.run('Add', {
      a: channelAffine(ops, dy, A, D), b: channelAffine(ops, xm, B, new Float32Array(C)),
    }));
    return [dx, vectorOut(backend, dGamma), vectorOut(backend, dBeta)];
  } finally {
    ops.release();
  }
}

/**
 * The same gradient composed of differentiable TF.js ops (any backend); used when the gradient is
 * itself being recorded (higher derivatives).
 */
export function batchNormTrainingGradOps(dy: tf.Tensor, x: tf.Tensor, scale: tf.Tensor, mean: tf.Tensor,
  variance: tf.Tensor, dmean: tf.Tensor, dvariance: tf.Tensor, eps: number): [tf.Tensor, tf.Tensor, tf.Tensor] {
  return tf.tidy(() => {
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    const n = size(x.shape.slice(0, -1));
    const r = tf.rsqrt(tf.add(variance, eps));
    const xm = tf.sub(x, mean);
    const xhat = tf.mul(xm, r);
    const db = tf.sum(dy, axes);
    const dg = tf.sum(tf.mul(dy, xhat), axes);
    const inner = tf.sub(tf.sub(dy, tf.div(db, n)), tf.mul(xhat, tf.div(dg, n)));
    const dx = tf.add(tf.add(tf.mul(inner, tf.mul(scale, r)), tf.div(dmean, n)), tf.mul(xm, tf.mul(dvariance, 2 / n)));
    return [dx, dg, db];
  });
}

export const batchNormTrainingGradConfig: tf.GradConfig = gradConfig<tf.FusedBatchNormAttrs>({
  kernelName: BN_TRAINING,
  inputsToSave: ['x', 'scale'],
  outputsToSave: [false, true, true],
  gradFunc: (dys, saved, attrs) => {
    const [dy, dmean, dvariance] = dys as tf.Tensor[];
    const [x, scale, mean, variance] = saved;
    const eps = attrs.varianceEpsilon;
    // All three at once (one kernel), here rather than in the per-input closures: those run inside
    // their own tidy, which would dispose the other two outputs.
    const grads = gradientDepth() > 0 || tf.getBackend() !== 'wasm'
      ? batchNormTrainingGradOps(dy, x, scale, mean, variance, dmean, dvariance, eps)
      : tf.engine().runKernel(BN_TRAINING_GRAD, { dy, x, scale, mean, variance, dmean, dvariance },
        { varianceEpsilon: eps }) as tf.Tensor[];
    return { x: () => grads[0], scale: () => grads[1], offset: () => grads[2] };
  },
});

export const batchNormTrainingConfigs: tf.KernelConfig[] = [
  wasmKernelConfig(BN_TRAINING, batchNormTraining),
  wasmKernelConfig(BN_TRAINING_GRAD, batchNormTrainingGrad),
];

/** y, mean, variance of training-mode batch norm over all but the last axis (wasm only). */
export function batchNormTrainingOp(x: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor, varianceEpsilon: number): [tf.Tensor, tf.Tensor, tf.Tensor] {
  return tf.engine().runKernel(BN_TRAINING, { x, scale, offset }, { varianceEpsilon }) as [tf.Tensor, tf.Tensor, tf.Tensor];
}

// --- the layer -------------------------------------------------------------------------------------

interface BnLayer {
  axis: number; epsilon: number; momentum: number;
  gamma: { read(): tf.Tensor } | null; beta: { read(): tf.Tensor } | null;
  movingMean: { read(): tf.Tensor; write(t: tf.Tensor): void };
  movingVariance: { read(): tf.Tensor; write(t: tf.Tensor): void };
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[];
}

let layerFused = false;
let stockCall: BnLayer['call'] | undefined;

function fusedCall(this: BnLayer, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
  const input = Array.isArray(inputs) ? (inputs.length === 1 ? inputs[0] : null) : inputs;
  const depth = gradientDepth();
  if (!layerFused || kwargs?.training !== true || input == null || input.dtype !== 'float32' || input.rank < 2 ||
    (this.axis !== -1 && this.axis !== input.rank - 1) || this.gamma == null || this.beta == null || depth > 1 ||
    tf.getBackend() !== 'wasm' || tf.getKernel(BN_TRAINING, 'wasm') == null) {
    return (stockCall as BnLayer['call']).call(this, inputs, kwargs);
  }
  return tf.tidy(() => {
    const [y, mean, variance] = batchNormTrainingOp(input, this.gamma!.read(), this.beta!.read(), this.epsilon);
    // The moving averages exactly as tfjs-layers updates them.
    const update = (variable: BnLayer['movingMean'], value: tf.Tensor) => tf.tidy(() => {
      const orig = variable.read();
      variable.write(tf.sub(orig, tf.mul(tf.sub(orig, value), 1 - this.momentum)));
    });
    update(this.movingMean, mean);
    update(this.movingVariance, variance);
    return y;
  });
}

/**
 * Routes tf.layers.batchNormalization's training mode through the fused op on wasm (its prototype's
 * call, so every model gets it; other backends and cases keep the stock path). `false` restores
 * the stock behaviour (benchmarks, comparisons). Idempotent.
 */
export function registerBatchNormTraining(fused = true): void {
  // The class from the serialization registry (an instance would advance tfjs-layers' name counters).
  const registered = tf.serialization.SerializationMap.getMap().classNameMap.BatchNormalization?.[0] as
    { prototype: BnLayer } | undefined;
  const proto = registered?.prototype ?? Object.getPrototypeOf(tf.layers.batchNormalization({})) as BnLayer;
  if (proto.call !== fusedCall) {
    stockCall = proto.call;
    proto.call = fusedCall;
  }
  layerFused = fused;
  if (tf.getGradient(BN_TRAINING) == null) tf.registerGradient(batchNormTrainingGradConfig);
}
