// Gradient-based attention transfer (paper §3.2). J = ∂CE/∂x, the network's sensitivity to each input pixel.
//   loss = CE_S + β/2 · mean_b ‖J_S,b − J_T,b‖₂                                       (paper eq. 3)
//        [+ β/2 · mean_b ‖J_S,b(x) − flip(J_S,b(flip(x)))‖₂]                           (flip: true, eq. 4)
// Our reading of the paper: J_S = ∂L(W_S, x)/∂x and J_T = ∂L(W_T, x)/∂x per example, ‖·‖₂ the (unsquared) L2 norm;
// the flip-invariance term ("propagate horizontally flipped images as well as originals, backpropagate and
// flip gradient attention maps back", L_sym) is applied to the student's own maps. Choices made here:
// - J_b is the gradient of example b's own CE (we differentiate Σ_b CE_b, not the batch mean), so β does not
//   depend on the batch size; the norm is taken per example and averaged over the batch.
// - CE_S is the batch mean, as elsewhere; flip is horizontal (NHWC axis 2).
// - The teacher's J is a constant (no gradient reaches the teacher).
// Minimizing this needs second derivatives (double backprop) through the student; the CE here is built from
// stableOps (TF.js's own softmax/log-softmax/exp get them wrong), max and average pooling differentiate twice
// through core/backend/poolGradients.ts, and a student with a layer that still cannot (global max pooling,
// sigmoid, tanh, elu, softmax…) is refused before its first step (doubleBackprop.ts).
import { tf } from '../tf.js';
import { crossEntropyPerExample } from './crossEntropy.js';
import { stopGradient } from './stableOps.js';

export interface GradAtArgs {
  student: (x: tf.Tensor4D) => tf.Tensor2D;
  teacher: (x: tf.Tensor4D) => tf.Tensor2D;
  x: tf.Tensor4D;
  labels: tf.Tensor1D | tf.Tensor2D;
  beta: number;
  flip?: boolean;
}

/** Horizontal flip of an NHWC batch. */
export function flipHorizontal<T extends tf.Tensor4D>(x: T): T {
  return tf.reverse(x, 2) as T;
}

/** Per-example ‖a_b − b_b‖₂ averaged over the batch; finite gradient when a = b. */
function meanRowDistance(a: tf.Tensor4D, b: tf.Tensor4D): tf.Scalar {
  const n = a.shape[0];
  const d = tf.reshape(tf.sub(a, b), [n, -1]);
  return tf.mean(tf.sqrt(tf.maximum(tf.sum(tf.square(d), 1), 1e-24))) as tf.Scalar;
}

/** J = ∂(Σ_b CE_b)/∂x and Σ_b CE_b, from one forward pass. */
function inputGradient(net: (x: tf.Tensor4D) => tf.Tensor2D, x: tf.Tensor4D, labels: tf.Tensor): { ceSum: tf.Scalar; j: tf.Tensor4D } {
  const f = (xx: tf.Tensor4D) => tf.sum(crossEntropyPerExample(net(xx), labels)) as tf.Scalar;
  const { value, grad } = tf.valueAndGrad(f)(x);
  return { ceSum: value, j: grad as tf.Tensor4D };
}

/** CE_S + β/2·‖J_S − J_T‖₂ (+ flip term); differentiable w.r.t. the student's variables (double backprop). */
export function gradAtLoss(args: GradAtArgs): tf.Scalar {
  const { student, teacher, x, labels, beta, flip = false } = args;
  if (x.rank !== 4) throw new Error(`gradAtLoss needs a 4-D NHWC input, got shape [${x.shape.join(', ')}]`);
  if (!(Number.isFinite(beta) && beta >= 0)) throw new Error(`β must be a finite number ≥ 0, got ${beta}`);
  return tf.tidy(() => {
    const s = inputGradient(student, x, labels);
    const jT = stopGradient(inputGradient(teacher, x, labels).j);
    const ce = tf.div(s.ceSum, x.shape[0]);
    let loss = tf.add(ce, tf.mul(meanRowDistance(s.j, jT), beta / 2));
    if (flip) {
      const jFlipped = flipHorizontal(inputGradient(student, flipHorizontal(x), labels).j);
      loss = tf.add(loss, tf.mul(meanRowDistance(s.j, jFlipped), beta / 2));
    }
    return loss as tf.Scalar;
  });
}
