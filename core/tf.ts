// The one TensorFlow.js instance the whole engine uses. Callers import `tf` from here (or from the
// package root) so that models, tensors and backends registered by the core are the ones they see.
// Which TF.js packages that is, and why not the umbrella @tensorflow/tfjs: ./tfPackages.ts.
import * as tf from './tfPackages.js';

export { tf };
export type Tensor = tf.Tensor;
export type Scalar = tf.Scalar;
export type Tensor1D = tf.Tensor1D;
export type Tensor2D = tf.Tensor2D;
export type Tensor4D = tf.Tensor4D;
