// Kernel-level building blocks for composing wasm kernels inside another wasm kernel.
// A kernelFunc must return TensorInfo and must not leave intermediates behind, so we call the
// registered wasm kernels directly (no engine bookkeeping, no tape) and free what we create.
import { tf } from '../../tf.js';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type TensorInfo = tf.TensorInfo;
export type Pad = [number, number];

/**
 * The wasm heap as bytes. BackendWasm types its module as an EmscriptenModule, whose declaration
 * (@types/emscripten) this project does not load globally (tsconfig `types`), so HEAPU8 is named here.
 */
export function wasmHeapU8(backend: BackendWasm): Uint8Array {
  return (backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8;
}

export class WasmOps {
  private readonly temps: TensorInfo[] = [];

  constructor(readonly backend: BackendWasm) {}

  /** Runs a registered wasm kernel; its result is freed by `release()` unless `keep()`-ed. */
  run(kernelName: string, inputs: Record<string, TensorInfo> | TensorInfo[], attrs: object = {}): TensorInfo {
    const kernel = tf.getKernel(kernelName, 'wasm');
    if (kernel == null) throw new Error(`wasm kernel ${kernelName} is not registered`);
    const out = kernel.kernelFunc({
      inputs: inputs as unknown as tf.NamedTensorInfoMap, // Concat and Pack take an array
      attrs: attrs as tf.NamedAttrMap,
      backend: this.backend,
    }) as TensorInfo;
    this.temps.push(out);
    return out;
  }

  /** A fresh float32 tensor whose contents the caller fills through `heap()`. */
  alloc(shape: number[]): TensorInfo {
    const out = this.backend.makeOutput(shape, 'float32') as TensorInfo;
    this.temps.push(out);
    return out;
  }

  /** A view of a tensor's memory. Take it after the last allocation: the heap may move on growth. */
  heap(t: TensorInfo): Float32Array {
    return this.backend.typedArrayFromHeap(t) as Float32Array;
  }

  /** Whether t was created here (as opposed to being one of the kernel's inputs). */
  owns(t: TensorInfo): boolean {
    return this.temps.includes(t);
  }

  keep(t: TensorInfo): TensorInfo {
    const i = this.temps.lastIndexOf(t);
    if (i >= 0) this.temps.splice(i, 1);
    return t;
  }

  release(): void {
    for (const t of this.temps.splice(0)) this.backend.disposeData(t.dataId);
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  /** Zero padding; returns x itself when there is nothing to pad. */
  pad(x: TensorInfo, paddings: Pad[]): TensorInfo {
    if (paddings.every(([a, b]) => a === 0 && b === 0)) return x;
    return this.run('PadV2', { x }, { paddings, constantValue: 0 });
  }

  /** Crops rows [top, top+h) and columns [left, left+w) of an NHWC tensor; x itself if whole. */
  crop(x: TensorInfo, top: number, h: number, left: number, w: number): TensorInfo {
    const [n, H, W, c] = x.shape;
    if (top === 0 && left === 0 && h === H && w === W) return x;
    // Row runs of w·c floats copied inside the wasm heap (the stock Slice copies x to JS first).
    const out = this.alloc([n, h, w, c]);
    const heap = this.heapF32();
    const src = this.backend.getMemoryOffset(x.dataId) / 4;
    const dst = this.backend.getMemoryOffset(out.dataId) / 4;
    for (let b = 0; b < n; b++) {
      for (let y = 0; y < h; y++) {
        const from = src + ((b * H + top + y) * W + left) * c;
        heap.copyWithin(dst + (b * h + y) * w * c, from, from + w * c);
      }
    }
    return out;
  }

  /** The whole wasm heap as float32 (indices are byte offsets / 4). Take it after allocating. */
  private heapF32(): Float32Array {
    return new Float32Array(wasmHeapU8(this.backend).buffer);
  }

  /**
   * DepthToSpace (NHWC, block s) fused with a crop to rows [top, top+h) and columns [left, left+w):
   * out[n, y, x, c] = phases[n, ⌊(y+top)/s⌋, ⌊(x+left)/s⌋, (((y+top) mod s)·s + (x+left) mod s)·C + c].
   * Done as contiguous block copies inside the wasm heap (the stock DepthToSpace computes an index per
   * element and cost more than the convolution feeding it).
   */
  depthToSpaceCrop(phases: TensorInfo, s: number, top: number, h: number, left: number, w: number): TensorInfo {
    const [n, A, B, sc] = phases.shape;
    const C = sc / (s * s);
    const out = this.alloc([n, h, w, C]);
    const heap = this.heapF32();
    const src = this.backend.getMemoryOffset(phases.dataId) / 4;
    const dst = this.backend.getMemoryOffset(out.dataId) / 4;
    for (let b = 0; b < n; b++) {
      for (let y = 0; y < h; y++) {
        const Y = y + top;
        const a = Math.floor(Y / s);
        const rh = Y - a * s;
        const rowIn = src + ((b * A + a) * B) * sc + rh * s * C;
        const rowOut = dst + ((b * h + y) * w) * C;
        // Columns x with the same block ⌊(x+left)/s⌋ are contiguous in both: copy them together.
        let x = 0;
        while (x < w) {
          const X = x + left;
          const bi = Math.floor(X / s);
          const rw = X - bi * s;
          const run = Math.min(s - rw, w - x);
          const from = rowIn + bi * sc + rw * C;
          heap.copyWithin(rowOut + x * C, from, from + run * C);
          x += run;
        }
      }
    }
    return out;
  }

  /**
   * x[:, ::sh, ::sw, :] limited to ho × wo, as a 1×1 depthwise convolution with stride (XNNPACK);
   * the stock strided StridedSlice is a per-element loop, 30× slower.
   */
  subsample(x: TensorInfo, sh: number, sw: number, ho: number, wo: number): TensorInfo {
    const [, H, W, c] = x.shape;
    if (sh === 1 && sw === 1) return this.crop(x, 0, ho, 0, wo);
    const ones = this.alloc([1, 1, c, 1]);
    this.heap(ones).fill(1);
    const sub = this.depthwiseConv2d(this.crop(x, 0, Math.min(H, (ho - 1) * sh + 1), 0, Math.min(W, (wo - 1) * sw + 1)),
      ones, [sh, sw], [[0, 0], [0, 0]]);
    return this.crop(sub, 0, ho, 0, wo);
  }

  /** Crops the negative sides of a padding away; returns the remaining (non-negative) padding. */
  cropNegative(x: TensorInfo, top: number, bottom: number, left: number, right: number): [TensorInfo, [Pad, Pad]] {
    const [, H, W] = x.shape;
    const c = (v: number) => Math.max(0, -v);
    const cropped = this.crop(x, c(top), H - c(top) - c(bottom), c(left), W - c(left) - c(right));
    const p = (v: number) => Math.max(0, v);
    return [cropped, [[p(top), p(bottom)], [p(left), p(right)]]];
  }

  /** Zero padding in the convolution itself (no copy); negative padding crops x first. */
  conv2dPadOrCrop(x: TensorInfo, filter: TensorInfo, top: number, bottom: number, left: number, right: number): TensorInfo {
    const [src, pad] = this.cropNegative(x, top, bottom, left, right);
    return this.conv2d(src, filter, [1, 1], [1, 1], pad);
  }

  depthwiseConv2dPadOrCrop(x: TensorInfo, filter: TensorInfo, top: number, bottom: number, left: number, right: number): TensorInfo {
    const [src, pad] = this.cropNegative(x, top, bottom, left, right);
    return this.depthwiseConv2d(src, filter, [1, 1], pad);
  }

  /**
   * Spreads dy apart by the strides: out[n, u*sh, v*sw, c] = dy[n, u, v, c], zeros elsewhere
   * (shape [n, Ho*sh, Wo*sw, c]), so a strided transposed convolution becomes a stride-1 one.
   */
  insertZeros(dy: TensorInfo, sh: number, sw: number): TensorInfo {
    if (sh === 1 && sw === 1) return dy;
    const [n, h, w, c] = dy.shape;
    const six = this.reshape(dy, [n, h, 1, w, 1, c]);
    const padded = this.pad(six, [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
    return this.reshape(padded, [n, h * sh, w * sw, c]);
  }

  /** Convolution (NHWC, filter [kh, kw, in, out]) with explicit per-side padding, by XNNPACK. */
  conv2d(x: TensorInfo, filter: TensorInfo, strides: Pad, dilations: Pad, pad: [Pad, Pad]): TensorInfo {
    return this.run('Conv2D', { x, filter }, {
      strides, dilations, pad: [[0, 0], pad[0], pad[1], [0, 0]], dataFormat: 'NHWC',
    });
  }

  depthwiseConv2d(x: TensorInfo, filter: TensorInfo, strides: Pad, pad: [Pad, Pad]): TensorInfo {
    return this.run('DepthwiseConv2dNative', { x, filter }, {
      strides, dilations: [1, 1], pad: [[0, 0], pad[0], pad[1], [0, 0]],
    });
  }
}

/** Runs `body` with a WasmOps whose intermediates are freed afterwards; the result is kept. */
export function withOps(backend: unknown, body: (ops: WasmOps) => TensorInfo): TensorInfo {
  const ops = new WasmOps(backend as BackendWasm);
  try {
    const out = body(ops);
    // The result may be a tensor we were given (e.g. an uncropped input); never hand that back
    // without a reference of its own.
    if (ops.owns(out)) return ops.keep(out);
    (backend as BackendWasm).incRef(out.dataId);
    return { dataId: out.dataId, shape: out.shape, dtype: out.dtype };
  } finally {
    ops.release();
  }
}
