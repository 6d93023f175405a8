// tf.train.momentum's dispose() frees its accumulators and momentum scalar but not the learning-rate scalar
// its SGD base class keeps (tfjs-core 4.22: momentum_optimizer.js dispose() never calls super.dispose();
// sgd_optimizer.js setLearningRate keeps `c`): one tensor leaked per optimizer without this.
import { tf } from '../tf.js';

export function disposeMomentum(optimizer: tf.MomentumOptimizer): void {
  optimizer.dispose();
  (optimizer as unknown as { c?: tf.Tensor }).c?.dispose();
}
