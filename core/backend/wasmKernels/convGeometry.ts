// Shared checks and geometry for the convolution gradient kernels (NHWC only, dilation 1 only).
import { tf } from '../../tf.js';

export type Conv2DInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;

export function assertNHWC(kernel: string, dataFormat: unknown): void {
  if (dataFormat != null && dataFormat !== 'NHWC') {
    throw new Error(`${kernel} on wasm supports only dataFormat 'NHWC', got '${String(dataFormat)}'`);
  }
}

/** TF.js's own conv gradients refuse dilations > 1, and the cpu reference ignores them: refuse too. */
export function assertNoDilation(kernel: string, dilations: unknown): void {
  const d = dilations == null ? [1, 1] : typeof dilations === 'number' ? [dilations, dilations] : dilations as number[];
  if (d.some((v) => v !== 1)) {
    throw new Error(`${kernel} on wasm supports only dilations 1, got [${d.join(', ')}]`);
  }
}

export function convInfo(
  xShape: number[], filterShape: number[], strides: number | [number, number], pad: tf.Conv2DBackpropInputAttrs['pad'],
  dimRoundingMode: tf.Conv2DBackpropInputAttrs['dimRoundingMode'], depthwise: boolean,
): Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number], filterShape as [number, number, number, number],
    strides, 1, pad, dimRoundingMode, depthwise, 'channelsLast');
}

export function assertShape(kernel: string, what: string, got: number[], want: number[]): void {
  if (got.length !== want.length || got.some((v, i) => v !== want[i])) {
    throw new Error(`${kernel}: ${what} has shape [${got.join(', ')}], expected [${want.join(', ')}]`);
  }
}
