// How many gradient computations are recording right now (TF.js keeps it on its engine, not in its API).
// 0 in a plain forward or backward pass; inside a gradFunc, > 0 means the gradient itself is being
// recorded (double backprop), so it must be built from ops that can be differentiated again.
import { tf } from '../tf.js';

export function gradientDepth(): number {
  return (tf.engine() as unknown as { state: { gradientDepth: number } }).state.gradientDepth;
}
