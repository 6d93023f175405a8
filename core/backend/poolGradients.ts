// Gradients of 2-D max and average pooling that are right, and right again when differentiated.
//
// TF.js 4.22 gets two things wrong here, on every backend:
// - AvgPoolGrad scales by 1/(kh·kw) while AvgPool divides each window by the inputs it covers, so with
//   'same' padding the gradient at padded borders is too small (NIN's 3×3/2 average pool trains with it).
//   Fixed by scaling dy by kh·kw/count first; the stock kernel then gives Σ_windows dy/count exactly.
// - MaxPoolGrad and AvgPoolGrad have no gradient, so double backprop (gradient-based AT) through a network
//   with pooling fails. AvgPoolGrad is linear in dy: its gradient is the average pool of the upstream
//   gradient (scaled back by count/(kh·kw)). For max pooling under nested gradients the input gradient is
//   built from ops that differentiate again: a constant one-hot mask per window offset (the first maximum
//   in row-major window order, as TF.js picks it) times dy, each placed back by padding and reshaping.
// - tfjs-backend-wasm's MaxPoolGrad gives no gradient to a window whose maximum is negative (harmless
//   after a ReLU, wrong otherwise): on wasm the composed max-pool gradient is used at first order too.
// Checked against finite differences in test/backend/poolGradients.test.ts.
import { tf } from '../tf.js';
import { gradientDepth } from './gradientDepth.js';
import { gradConfig, runKernel } from './kernelTypes.js';

/** MaxPool's and AvgPool's attributes (the same fields); AvgPoolGrad gets AvgPool's, passed on whole. */
type PoolAttrs = tf.MaxPoolAttrs | tf.AvgPoolAttrs;

function poolInfo(shape: number[], attrs: PoolAttrs) {
  return tf.backend_util.computePool2DInfo(shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
}

/**
 * Share of each output window that covers real (unpadded) inputs, count/(kh·kw), as [1, Ho, Wo, 1]: the
 * factor between TF.js's AvgPoolGrad (which divides by kh·kw) and the average AvgPool takes (by count).
 */
function windowCoverage(info: ReturnType<typeof poolInfo>): tf.Tensor4D {
  const { outHeight: Ho, outWidth: Wo, strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, inHeight: H, inWidth: W } = info;
  const { top, left } = info.padInfo;
  const coverage = new Float32Array(Ho * Wo);
  for (let i = 0; i < Ho; i++) {
    const rows = Math.min(H, i * sh - top + kh) - Math.max(0, i * sh - top);
    for (let j = 0; j < Wo; j++) {
      const cols = Math.min(W, j * sw - left + kw) - Math.max(0, j * sw - left);
      coverage[i * Wo + j] = Math.max(1, rows * cols) / (kh * kw);
    }
  }
  return tf.tensor4d(coverage, [1, Ho, Wo, 1]);
}

// Everything below stays within 4-D tensors: tfjs-backend-webgpu's pad and slice shaders fail to compile
// for rank 6 ("cannot index type 'vec6'"), so [n, Ho·sh, Wo·sw, c] is viewed as [n·Ho, sh, Wo, sw·c].

/** The input positions of window offset (a, b) of the padded input: xp[:, a + i·sh, b + j·sw, :]. */
function windowView(xp: tf.Tensor4D, a: number, b: number, info: ReturnType<typeof poolInfo>): tf.Tensor4D {
  const { outHeight: Ho, outWidth: Wo, strideHeight: sh, strideWidth: sw, batchSize: n, inChannels: c } = info;
  // Rows a … a + Ho·sh − 1 (padded at the end when short), every sh-th one.
  const [, Hp, Wp] = xp.shape;
  const extra = tf.pad(xp, [[0, 0], [0, Math.max(0, a + Ho * sh - Hp)], [0, Math.max(0, b + Wo * sw - Wp)], [0, 0]]);
  const rows = tf.slice(extra, [0, a, b, 0], [n, Ho * sh, Wo * sw, c]);
  const grouped = tf.reshape(rows, [n * Ho, sh, Wo, sw * c]);
  return tf.reshape(tf.slice(grouped, [0, 0, 0, 0], [n * Ho, 1, Wo, c]), [n, Ho, Wo, c]);
}

/** The adjoint of windowView: v placed at xp[:, a + i·sh, b + j·sw, :] in zeros of the padded shape. */
function placeWindow(v: tf.Tensor4D, a: number, b: number, Hp: number, Wp: number, info: ReturnType<typeof poolInfo>): tf.Tensor4D {
  const { outHeight: Ho, outWidth: Wo, strideHeight: sh, strideWidth: sw, batchSize: n, inChannels: c } = info;
  const spread = tf.reshape(tf.pad(tf.reshape(v, [n * Ho, 1, Wo, c]), [[0, 0], [0, sh - 1], [0, 0], [0, (sw - 1) * c]]), [n, Ho * sh, Wo * sw, c]);
  const placed = tf.pad(spread, [[0, 0], [a, Math.max(0, Hp - a - Ho * sh)], [b, Math.max(0, Wp - b - Wo * sw)], [0, 0]]);
  return tf.slice(placed, [0, 0, 0, 0], [n, Hp, Wp, c]) as tf.Tensor4D;
}

/**
 * One-hot masks of the first maximum of each window, kh·kw of [N, Ho, Wo, C]. Computed inside a customGrad
 * forward, which no tape records, with a zero gradient: the masks are constants of the input gradient.
 */
function firstMaxMasks(x: tf.Tensor4D, y: tf.Tensor4D, info: ReturnType<typeof poolInfo>): tf.Tensor[] {
  const masks = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xx, yy] = args as [tf.Tensor4D, tf.Tensor4D];
    const { top, bottom, left, right } = info.padInfo;
    const xp = tf.pad(xx, [[0, 0], [top, bottom], [left, right], [0, 0]], Number.NEGATIVE_INFINITY) as tf.Tensor4D;
    const out: tf.Tensor[] = [];
    let taken = tf.zerosLike(yy).cast('bool');
    for (let a = 0; a < info.filterHeight; a++) {
      for (let b = 0; b < info.filterWidth; b++) {
        const hit = tf.logicalAnd(tf.equal(windowView(xp, a, b, info), yy), tf.logicalNot(taken));
        out.push(tf.cast(hit, 'float32'));
        taken = tf.logicalOr(taken, hit);
      }
    }
    return { value: tf.concat(out, 0), gradFunc: () => [tf.zerosLike(xx), tf.zerosLike(yy)] };
  }) as (x: tf.Tensor4D, y: tf.Tensor4D) => tf.Tensor;
  return tf.split(masks(x, y), info.filterHeight * info.filterWidth, 0);
}

/** ∂maxPool/∂x applied to dy, from differentiable ops (for the nested pass). */
function maxPoolInputGradient(dy: tf.Tensor4D, x: tf.Tensor4D, y: tf.Tensor4D, attrs: PoolAttrs): tf.Tensor4D {
  const info = poolInfo(x.shape, attrs);
  const { top, bottom, left, right } = info.padInfo;
  const Hp = info.inHeight + top + bottom;
  const Wp = info.inWidth + left + right;
  const masks = firstMaxMasks(x, y, info);
  let sum: tf.Tensor4D | null = null;
  let k = 0;
  for (let a = 0; a < info.filterHeight; a++) {
    for (let b = 0; b < info.filterWidth; b++) {
      const placed = placeWindow(tf.mul(dy, masks[k++]!) as tf.Tensor4D, a, b, Hp, Wp, info);
      sum = sum ? (tf.add(sum, placed) as tf.Tensor4D) : placed;
    }
  }
  return tf.slice(sum!, [0, top, left, 0], x.shape) as tf.Tensor4D;
}

export const maxPoolGradConfig: tf.GradConfig = gradConfig<tf.MaxPoolAttrs>({
  kernelName: 'MaxPool',
  inputsToSave: ['x'],
  outputsToSave: [true],
  gradFunc: (dy, saved, a) => {
    const [x, y] = saved as [tf.Tensor4D, tf.Tensor4D];
    return {
      // tfjs-backend-wasm's MaxPoolGrad drops windows whose maximum is negative: the composed path there too.
      x: () => (gradientDepth() > 0 || tf.getBackend() === 'wasm'
        ? maxPoolInputGradient(dy as tf.Tensor4D, x, y, a)
        : runKernel<tf.MaxPoolGradAttrs>('MaxPoolGrad', { dy: dy as tf.Tensor, input: x, output: y }, a) as tf.Tensor),
    };
  },
});

export const avgPoolGradConfig: tf.GradConfig = gradConfig<tf.AvgPoolAttrs>({
  kernelName: 'AvgPool',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, a) => {
    const [x] = saved as [tf.Tensor4D];
    return {
      x: () => runKernel<tf.AvgPoolAttrs>('AvgPoolGrad', { dy: tf.div(dy as tf.Tensor, windowCoverage(poolInfo(x.shape, a))), input: x },
        a) as tf.Tensor,
    };
  },
});

/**
 * AvgPoolGrad(dy) = A₀ᵀ·dy with A₀ = window sums / (kh·kw); its gradient is A₀·g = avgPool(g)·count/(kh·kw).
 * Its attributes are AvgPoolGradAttrs, plus dimRoundingMode when avgPoolGradConfig above ran it: AvgPoolAttrs.
 */
export const avgPoolGradGradConfig: tf.GradConfig = gradConfig<tf.AvgPoolAttrs>({
  kernelName: 'AvgPoolGrad',
  inputsToSave: ['input'],
  gradFunc: (g, saved, a) => {
    const [input] = saved as [tf.Tensor4D];
    return {
      dy: () => tf.mul(tf.avgPool(g as tf.Tensor4D, a.filterSize, a.strides, a.pad, a.dimRoundingMode), windowCoverage(poolInfo(input.shape, a))),
      input: () => tf.zerosLike(input),
    };
  },
});

/** Registers the three gradients above, replacing TF.js's own (idempotent). */
export function registerPoolGradients(): void {
  for (const g of [maxPoolGradConfig, avgPoolGradConfig, avgPoolGradGradConfig]) {
    if (tf.getGradient(g.kernelName) !== g) tf.registerGradient(g);
  }
}
