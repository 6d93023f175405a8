// Ops whose first AND second derivatives are right in TF.js 4.22, for losses that are differentiated twice
// (gradient-based AT). Why they exist: TF.js saves an op's *outputs* for backprop as clones recorded on the
// tape before the op itself, so a higher-order gradient sees them as constants. Every gradient that reuses its
// output is therefore silently wrong at second order (Exp, Tanh, Sigmoid, Softmax, LogSoftmax, Elu, Pow's
// exponent, and tf.losses.softmaxCrossEntropy, which is built on them), and some gradients are kernels with no
// gradient of their own (MaxPoolGrad, AvgPoolGrad, ResizeBilinearGrad; Max/logSumExp go through Equal).
// Here: exp is a customGrad that re-derives exp from its saved *input*; the max shift in log-softmax is a
// constant (its exact derivative cancels anyway); everything else is log/sum/sub/mul, whose gradients use inputs.
import { tf } from '../tf.js';

/** exp(x) with d/dx = exp(x) recomputed from x (itself through expSafe), so every derivative order is right. */
export const expSafe: (x: tf.Tensor) => tf.Tensor = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  (args[1] as tf.GradSaveFunc)([x]); // inputs are safe to save (their producer is already on the tape); outputs are not
  return { value: tf.exp(x), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, expSafe(saved[0])) };
}) as (x: tf.Tensor) => tf.Tensor;

/** Row max over the last axis, treated as a constant (zero gradient): used only as a shift for stability. */
const constantRowMax: (x: tf.Tensor) => tf.Tensor = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  const shape = x.shape;
  return { value: tf.max(x, -1, true), gradFunc: () => tf.zeros(shape) };
}) as (x: tf.Tensor) => tf.Tensor;

/** log softmax over the last axis: z − log Σ exp(z), z = x − max(x) with the max held constant. */
export function logSoftmaxSafe<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => {
    const z = tf.sub(x, constantRowMax(x));
    return tf.sub(z, tf.log(tf.sum(expSafe(z), -1, true))) as T;
  });
}

/** softmax over the last axis, as exp(log softmax) so both derivatives stay right. */
export function softmaxSafe<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => expSafe(logSoftmaxSafe(x)) as T);
}

/** The value of x with a zero gradient (TF.js has no public stopGradient): teachers never receive gradients. */
export const stopGradient: <T extends tf.Tensor>(x: T) => T = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  const shape = x.shape;
  return { value: tf.add(x, 0) as tf.Tensor, gradFunc: () => tf.zeros(shape) };
}) as <T extends tf.Tensor>(x: T) => T;
