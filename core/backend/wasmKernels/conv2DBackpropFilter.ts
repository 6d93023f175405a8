// Conv2DBackpropFilter for wasm (the wasm backend has none), as one XNNPACK convolution:
//   dW[i, j, ci, co] = Σ_{n, oh, ow} x[n, oh·sh + i − pt, ow·sw + j − pl, ci] · dy[n, oh, ow, co]
// is a convolution of x with batch and channels swapped (xᵀ: [Ci, H, W, N]) by dy used as the
// filter (dyᵀ: [Ho, Wo, N, Co]) with stride 1 and dilation = the forward stride; the output
// [Ci, kh, kw, Co] is transposed to [kh, kw, Ci, Co]. 1×1 filters use one matrix product.
// (Tried: with stride 1, x as the filter and dyᵀ as the input when x is smaller — no faster for the
// 3-channel first layer, since the product then has only Ci output channels. Tried: im2col of x
// (K = kh·kw·Ci) times dy as one BatchMatMul — the product alone was 1.2–2.3× slower than this whole
// kernel on WRN shapes, and building the columns slower still. Tried: the batch-last copy as one
// blocked loop over the heap — no faster inside the kernel.)
import type { tf } from '../../tf.js';
import { wasmKernelConfig, type WasmKernelArgs } from '../kernelTypes.js';
import { assertNHWC, assertShape, convInfo } from './convGeometry.js';
import { withOps, type TensorInfo, type WasmOps } from './wasmOps.js';

const NAME = 'Conv2DBackpropFilter';

/**
 * [N, H, W, C] → [C, H, W, N] as a 2-D transpose ([N, HWC] → [HWC, N]) and a transpose that moves
 * whole rows of N: together about three times faster than the stock kernel's direct 4-D reversal.
 */
function batchLast(ops: WasmOps, x: TensorInfo): TensorInfo {
  const [n, h, w, c] = x.shape;
  const t = ops.transpose(ops.reshape(x, [n, h * w * c]), [1, 0]);
  return ops.transpose(ops.reshape(t, [h, w, c, n]), [2, 0, 1, 3]);
}

/**
 * 1×1 filters without padding: dW = Xsᵀ·dy over all positions, Xs the strided input [P, Ci]; one
 * matrix product (XNNPACK fully-connected: no transposes allowed, so Xs is transposed first).
 */
function pointwise(ops: WasmOps, x: TensorInfo, dy: TensorInfo, sh: number, sw: number, Ho: number, Wo: number): TensorInfo {
  const [n, , , ci] = x.shape;
  const co = dy.shape[3];
  const xs = ops.subsample(x, sh, sw, Ho, Wo);
  const P = n * Ho * Wo;
  const xsT = ops.transpose(ops.reshape(xs, [P, ci]), [1, 0]);
  const dw = ops.run('BatchMatMul', { a: ops.reshape(xsT, [1, ci, P]), b: ops.reshape(dy, [1, P, co]) },
    { transposeA: false, transposeB: false });
  return ops.reshape(dw, [1, 1, ci, co]);
}

export function conv2DBackpropFilter(args: WasmKernelArgs<tf.Conv2DBackpropFilterInputs, tf.Conv2DBackpropFilterAttrs>): TensorInfo {
  const { x, dy } = args.inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs;
  assertNHWC(NAME, dataFormat);
  const info = convInfo(x.shape, filterShape, strides, pad, dimRoundingMode, false);
  assertShape(NAME, 'dy', dy.shape, info.outShape);
  const { inHeight: H, inWidth: W, outHeight: Ho, outWidth: Wo, strideHeight: sh, strideWidth: sw,
    filterHeight: kh, filterWidth: kw } = info;
  const { top: pt, left: pl } = info.padInfo;
  // Rows of x the forward pass read run from −pt to (Ho−1)·sh + kh − 1 − pt; pad (or crop) to that.
  const pb = (Ho - 1) * sh + kh - pt - H;
  const pr = (Wo - 1) * sw + kw - pl - W;
  return withOps(args.backend, (ops) => {
    if (kh === 1 && kw === 1 && pt === 0 && pl === 0) return pointwise(ops, x, dy, sh, sw, Ho, Wo);
    const xc = ops.crop(x, 0, H + Math.min(0, pb), 0, W + Math.min(0, pr));
    const xT = batchLast(ops, xc);
    const dyT = ops.transpose(dy, [1, 2, 0, 3]);
    const dwT = ops.conv2d(xT, dyT, [1, 1], [sh, sw], [[pt, Math.max(0, pb)], [pl, Math.max(0, pr)]]);
    return ops.transpose(dwT, [1, 2, 0, 3]);
  });
}

export const conv2DBackpropFilterConfig = wasmKernelConfig(NAME, conv2DBackpropFilter);
