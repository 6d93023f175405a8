// Gradients of Sum and Mean that do not build a tensor of ones in JavaScript.
//
// TF.js 4.22's own (tfjs-core gradients/Sum_grad.ts, Mean_grad.ts) broadcast dy back to x's shape as
// mul(reshape(dy), ones(x.shape)): `ones` fills a JavaScript array of x's size, which on webgpu is then
// uploaded to the GPU. Batch norm's statistics and the attention maps take ~30 of these per AT step; at
// batch 128 on 32×32 images that is about 150 MB filled on the CPU and copied to the GPU every step
// (measured: 35 activation-sized uploads per step of WRN-16-1 ← WRN-16-2, core/bench). On webgpu the
// gradient here is broadcastTo(reshape(dy) [/ n]), one Tile on the GPU (whose gradient, a sum, is right
// under double backprop). Other backends keep TF.js's exact arithmetic (wasm has its own fast paths).
// Checked against cpu in test/backend/webgpuKernels.test.ts.
import { tf } from '../tf.js';
import { gradConfig } from './kernelTypes.js';

function expandedShape(xShape: number[], axis: number | number[]): { shape: number[]; reduceSize: number } {
  const axes = tf.util.parseAxisParam(axis, xShape);
  const shape = xShape.slice();
  let reduceSize = 1;
  for (const a of axes) {
    reduceSize *= xShape[a]!;
    shape[a] = 1;
  }
  return { shape, reduceSize };
}

function onGpu(): boolean {
  return tf.getBackend() === 'webgpu';
}

export const sumGradConfig: tf.GradConfig = gradConfig<tf.SumAttrs>({
  kernelName: 'Sum',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    const { shape } = expandedShape(x.shape, attrs.axis);
    const expanded = tf.reshape(dy as tf.Tensor, shape);
    return { x: () => (onGpu() ? tf.broadcastTo(expanded, x.shape) : tf.mul(expanded, tf.ones(x.shape, 'float32'))) };
  },
});

export const meanGradConfig: tf.GradConfig = gradConfig<tf.MeanAttrs>({
  kernelName: 'Mean',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    const { shape, reduceSize } = expandedShape(x.shape, attrs.axis);
    return {
      x: () => {
        const expanded = tf.reshape(dy as tf.Tensor, shape);
        return onGpu() ? tf.broadcastTo(tf.div(expanded, reduceSize), x.shape) : tf.div(tf.mul(expanded, tf.ones(x.shape, 'float32')), reduceSize);
      },
    };
  },
});

/** Replaces TF.js's Sum and Mean gradients (idempotent; all backends, arithmetic unchanged off webgpu). */
export function registerReduceGradients(): void {
  for (const g of [sumGradConfig, meanGradConfig]) {
    if (tf.getGradient(g.kernelName) !== g) tf.registerGradient(g);
  }
}
