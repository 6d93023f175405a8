import { tf } from '../tf.js';
import { crossEntropy } from './crossEntropy.js';
import { expSafe, logSoftmaxSafe, stopGradient } from './stableOps.js';

/**
 * Hinton's distillation (README, "The method, as implemented"):
 *   α · T² · mean_batch Σ_c p_t,c (log p_t,c − log p_s,c) + (1 − α) · CE(student, labels),
 *   p_t = softmax(teacher/T), p_s = softmax(student/T); T = 4, α = 0.9 by default.
 * Relation to the authors' code: the current utils.py (lines 10–15) computes exactly this
 * (kl_div(log p_s, p_t, size_average=False) · T² / batch). The older utils.py used
 * kl_div(...) · (T²·2·α) with PyTorch's default element mean, i.e. divided by batch·classes, so its KD term is
 * ours × 2/classes (0.2× for CIFAR-10). The teacher is a constant: no gradient flows into teacherLogits.
 */
export function kdLoss(studentLogits: tf.Tensor2D, teacherLogits: tf.Tensor2D, labels: tf.Tensor1D | tf.Tensor2D,
  T = 4, alpha = 0.9): tf.Scalar {
  if (!(T > 0) || !Number.isFinite(T)) throw new Error(`KD temperature must be a finite number > 0, got ${T}`);
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`KD alpha must be in [0, 1], got ${alpha}`);
  if (studentLogits.shape.join() !== teacherLogits.shape.join()) {
    throw new Error(`student logits [${studentLogits.shape}] and teacher logits [${teacherLogits.shape}] differ in shape`);
  }
  return tf.tidy(() => {
    const logPt = logSoftmaxSafe(tf.div(stopGradient(teacherLogits), T));
    const pt = expSafe(logPt);
    const logPs = logSoftmaxSafe(tf.div(studentLogits, T));
    const kl = tf.mean(tf.sum(tf.mul(pt, tf.sub(logPt, logPs)), 1));
    const ce = crossEntropy(studentLogits, labels);
    return tf.add(tf.mul(kl, alpha * T * T), tf.mul(ce, 1 - alpha)) as tf.Scalar;
  });
}
