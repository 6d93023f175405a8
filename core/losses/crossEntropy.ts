import { tf } from '../tf.js';
import { logSoftmaxSafe } from './stableOps.js';

/** Class indices (int32 [batch], as the reference) or one-hot / soft targets ([batch, classes]) → [batch, classes]. */
export function labelsToTargets(labels: tf.Tensor, numClasses: number): tf.Tensor2D {
  return tf.tidy(() => {
    if (labels.rank === 1) {
      if (labels.dtype !== 'int32') throw new Error(`class-index labels must be int32, got ${labels.dtype}`);
      return tf.oneHot(labels as tf.Tensor1D, numClasses).toFloat() as tf.Tensor2D;
    }
    if (labels.rank === 2 && labels.shape[1] === numClasses) return labels.toFloat() as tf.Tensor2D;
    throw new Error(`labels must be int32 [batch] or one-hot [batch, ${numClasses}], got shape [${labels.shape.join(', ')}]`);
  });
}

/** Per-example cross-entropy −Σ_c y_c log softmax(logits)_c, [batch]; both derivatives right (see stableOps). */
export function crossEntropyPerExample(logits: tf.Tensor2D, labels: tf.Tensor): tf.Tensor1D {
  if (logits.rank !== 2) throw new Error(`logits must be [batch, classes], got shape [${logits.shape.join(', ')}]`);
  if (labels.shape[0] !== logits.shape[0]) {
    throw new Error(`labels have batch ${labels.shape[0]} but logits have batch ${logits.shape[0]}`);
  }
  return tf.tidy(() => {
    const targets = labelsToTargets(labels, logits.shape[1]);
    return tf.neg(tf.sum(tf.mul(targets, logSoftmaxSafe(logits)), 1)) as tf.Tensor1D;
  });
}

/** Mean cross-entropy over the batch (F.cross_entropy). Labels: int32 class indices, or one-hot rows. */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D | tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(crossEntropyPerExample(logits, labels)) as tf.Scalar);
}
