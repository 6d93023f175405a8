// Conv2DBackpropInput for wasm through XNNPACK forward convolutions (the stock wasm kernel is a
// plain loop and was the largest cost of a training step).
//   dx[n, h, w, ci] = Σ dy[n, oh, ow, co] · W[i, j, ci, co]   over oh·s + i − pt = h, ow·s + j − pl = w.
// Stride 1: a convolution of dy with the spatially flipped, in/out-transposed filter.
// Stride s (equal in both directions): sub-pixel phases. Write h + pt = a·s + r; the rows of phase r
// come from filter rows i = r + s·m, so every phase is a stride-1 convolution of dy with an
// M×M sub-filter (M = ⌈k/s⌉, missing taps zero). All s² phases form one convolution with s²·Ci
// output channels, and DepthToSpace interleaves them back into rows and columns.
// Unequal strides fall back to spreading dy apart with zeros (insertZeros) and stride 1.
import type { tf } from '../../tf.js';
import { wasmKernelConfig, type WasmKernelArgs } from '../kernelTypes.js';
import { assertNHWC, assertShape, convInfo } from './convGeometry.js';
import { withOps, type TensorInfo, type WasmOps } from './wasmOps.js';

const NAME = 'Conv2DBackpropInput';

/**
 * The phase filter F[t, u, co, (rh·s + rw)·Ci + ci] = W[rh + s(M−1−t), rw + s(N−1−u), ci, co]
 * (zero where the index leaves the filter), [M, N, Co, s²·Ci]. With s = 1 this is the flipped,
 * transposed filter. Built directly in wasm memory: filters are small next to activations.
 */
export function phaseFilter(ops: WasmOps, filter: TensorInfo, s: number): TensorInfo {
  const [kh, kw, ci, co] = filter.shape;
  const M = Math.ceil(kh / s);
  const N = Math.ceil(kw / s);
  const oc = s * s * ci;
  const out = ops.alloc([M, N, co, oc]);
  const f = ops.heap(filter);
  const o = ops.heap(out);
  o.fill(0);
  for (let t = 0; t < M; t++) {
    for (let rh = 0; rh < s; rh++) {
      const i = rh + s * (M - 1 - t);
      if (i >= kh) continue;
      for (let u = 0; u < N; u++) {
        for (let rw = 0; rw < s; rw++) {
          const j = rw + s * (N - 1 - u);
          if (j >= kw) continue;
          const src = (i * kw + j) * ci * co;
          const dst = (t * N + u) * co * oc + (rh * s + rw) * ci;
          for (let c = 0; c < ci; c++) {
            for (let d = 0; d < co; d++) o[dst + d * oc + c] = f[src + c * co + d];
          }
        }
      }
    }
  }
  return out;
}

export function conv2DBackpropInput(args: WasmKernelArgs<tf.Conv2DBackpropInputInputs, tf.Conv2DBackpropInputAttrs>): TensorInfo {
  const { dy, filter } = args.inputs;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs;
  assertNHWC(NAME, dataFormat);
  const info = convInfo(inputShape, filter.shape, strides, pad, dimRoundingMode, false);
  assertShape(NAME, 'dy', dy.shape, info.outShape);
  const { inHeight: H, inWidth: W, outHeight: Ho, outWidth: Wo, strideHeight: sh, strideWidth: sw,
    filterHeight: kh, filterWidth: kw } = info;
  const { top: pt, left: pl } = info.padInfo;
  return withOps(args.backend, (ops) => {
    if (sh !== sw) {
      const up = ops.insertZeros(dy, sh, sw);
      const f = phaseFilter(ops, filter, 1);
      // Stride 1 on the spread-out dy: output row h reads up rows h + pt − (kh − 1) … h + pt.
      return ops.conv2dPadOrCrop(up, f, kh - 1 - pt, H + pt - Ho * sh, kw - 1 - pl, W + pl - Wo * sw);
    }
    const s = sh;
    const M = Math.ceil(kh / s);
    const N = Math.ceil(kw / s);
    // Phase rows a cover h + pt ∈ [pt, pt + H): a ∈ [a0, a1); likewise columns b ∈ [b0, b1).
    const a0 = Math.floor(pt / s);
    const a1 = Math.ceil((pt + H) / s);
    const b0 = Math.floor(pl / s);
    const b1 = Math.ceil((pl + W) / s);
    // Phase row a reads dy rows a − (M − 1) … a.
    const top = M - 1 - a0;
    const bottom = a1 - a0 + M - 1 - Ho - top;
    const left = N - 1 - b0;
    const right = b1 - b0 + N - 1 - Wo - left;
    const f = phaseFilter(ops, filter, s);
    const phases = ops.conv2dPadOrCrop(dy, f, top, bottom, left, right);
    if (s === 1) return phases;
    return ops.depthToSpaceCrop(phases, s, pt - a0 * s, H, pl - b0 * s, W);
  });
}

export const conv2DBackpropInputConfig = wasmKernelConfig(NAME, conv2DBackpropInput);
