// The two depthwise-convolution gradient kernels the wasm backend lacks (NHWC, dilation 1).
// Depthwise filters are [kh, kw, C, m] (m = channel multiplier); output channel c·m + k.
// Filter gradient, per tap (i, j):  dW[i, j, c, k] = Σ_{n,oh,ow} xpad[n, oh·sh + i, ow·sw + j, c] · dy[n, oh, ow, c·m + k]
//   — a strided slice of the padded input times dy, summed over batch and positions.
// Input gradient: spread dy apart by the strides (zeros between), then one stride-1 depthwise
//   convolution with the spatially flipped filter; with m > 1 the m products per input channel are
//   computed as m·C channels and summed.
import type { tf } from '../../tf.js';
import { wasmKernelConfig, type WasmKernelArgs } from '../kernelTypes.js';
import { assertNoDilation, assertShape, convInfo } from './convGeometry.js';
import { withOps, type TensorInfo, type WasmOps } from './wasmOps.js';

const FILTER = 'DepthwiseConv2dNativeBackpropFilter';
const INPUT = 'DepthwiseConv2dNativeBackpropInput';

export function depthwiseConv2dNativeBackpropFilter(
  args: WasmKernelArgs<tf.DepthwiseConv2dNativeBackpropFilterInputs, tf.DepthwiseConv2dNativeBackpropFilterAttrs>,
): TensorInfo {
  const { x, dy } = args.inputs;
  const { attrs } = args;
  assertNoDilation(FILTER, attrs.dilations);
  const info = convInfo(x.shape, attrs.filterShape, attrs.strides, attrs.pad, attrs.dimRoundingMode, true);
  assertShape(FILTER, 'dy', dy.shape, info.outShape);
  const { batchSize: n, inHeight: H, inWidth: W, outHeight: Ho, outWidth: Wo, inChannels: C,
    strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  const m = attrs.filterShape[3];
  const { top: pt, left: pl } = info.padInfo;
  return withOps(args.backend, (ops) => {
    // Pad so that every tap's strided window lies inside; extra rows at the far side are unread.
    const xp = ops.pad(x, [[0, 0], [pt, Math.max(0, (Ho - 1) * sh + kh - pt - H)],
      [pl, Math.max(0, (Wo - 1) * sw + kw - pl - W)], [0, 0]]);
    const dy3 = ops.reshape(dy, [n * Ho * Wo, C, m]);
    const taps: TensorInfo[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const span = ops.crop(xp, i, (Ho - 1) * sh + 1, j, (Wo - 1) * sw + 1);
        const win = ops.subsample(span, sh, sw, Ho, Wo);
        const prod = ops.run('Multiply', { a: ops.reshape(win, [n * Ho * Wo, C, 1]), b: dy3 });
        taps.push(ops.run('Sum', { x: prod }, { axis: [0], keepDims: false }));
      }
    }
    const stacked = taps.length === 1 ? taps[0] : ops.run('Concat', taps, { axis: 0 });
    return ops.reshape(stacked, [kh, kw, C, m]);
  });
}

/** F[t, u, k·C + c] = W[kh−1−t, kw−1−u, c, k]: flipped, with multiplier-major channels. */
function flippedDepthwiseFilter(ops: WasmOps, filter: TensorInfo): TensorInfo {
  const [kh, kw, C, m] = filter.shape;
  const out = ops.alloc([kh, kw, m * C, 1]);
  const f = ops.heap(filter);
  const o = ops.heap(out);
  for (let t = 0; t < kh; t++) {
    for (let u = 0; u < kw; u++) {
      const src = ((kh - 1 - t) * kw + (kw - 1 - u)) * C * m;
      const dst = (t * kw + u) * m * C;
      for (let c = 0; c < C; c++) {
        for (let k = 0; k < m; k++) o[dst + k * C + c] = f[src + c * m + k];
      }
    }
  }
  return out;
}

export function depthwiseConv2dNativeBackpropInput(
  args: WasmKernelArgs<tf.DepthwiseConv2dNativeBackpropInputInputs, tf.DepthwiseConv2dNativeBackpropInputAttrs>,
): TensorInfo {
  const { dy, filter } = args.inputs;
  const { attrs } = args;
  assertNoDilation(INPUT, attrs.dilations);
  const info = convInfo(attrs.inputShape, filter.shape, attrs.strides, attrs.pad, attrs.dimRoundingMode, true);
  assertShape(INPUT, 'dy', dy.shape, info.outShape);
  const { batchSize: n, inHeight: H, inWidth: W, outHeight: Ho, outWidth: Wo, inChannels: C,
    strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  const m = filter.shape[3];
  const { top: pt, left: pl } = info.padInfo;
  return withOps(args.backend, (ops) => {
    // Channel c·m + k of dy goes to channel k·C + c, so that the m partial sums of one input
    // channel end up m·C apart and can be added with a Sum over a middle axis.
    let src = dy;
    if (m > 1) {
      const t = ops.transpose(ops.reshape(dy, [n, Ho, Wo, C, m]), [0, 1, 2, 4, 3]);
      src = ops.reshape(t, [n, Ho, Wo, m * C]);
    }
    const up = ops.insertZeros(src, sh, sw);
    const f = flippedDepthwiseFilter(ops, filter);
    const dx = ops.depthwiseConv2dPadOrCrop(up, f, kh - 1 - pt, H + pt - Ho * sh, kw - 1 - pl, W + pl - Wo * sw);
    if (m === 1) return dx;
    const parts = ops.reshape(dx, [n, H, W, m, C]);
    return ops.run('Sum', { x: parts }, { axis: [3], keepDims: false });
  });
}

export const depthwiseConv2dNativeBackpropFilterConfig = wasmKernelConfig(FILTER, depthwiseConv2dNativeBackpropFilter);

export const depthwiseConv2dNativeBackpropInputConfig = wasmKernelConfig(INPUT, depthwiseConv2dNativeBackpropInput);
