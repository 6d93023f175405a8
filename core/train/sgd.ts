// SGD with momentum and weight decay, as PyTorch's torch.optim.SGD(momentum, weight_decay) that the
// reference code uses: d = g + wd·w; buf = μ·buf + d; w −= lr·buf. Weight decay applies to every
// trainable parameter (convolutions, batch-norm scale and shift, the classifier's bias), exactly as the
// reference passes all its parameters to one SGD group. tf.train.momentum performs the buf/w update;
// the decay is added to the gradients here.
//
// The learning rate must be changed with setLearningRate(): MomentumOptimizer keeps −lr in a tensor
// created by that method, so assigning its `learningRate` field would change nothing.
import { tf } from '../tf.js';
import type { NamedTensor } from '../runs/index.js';

export class Sgd {
  readonly optimizer: tf.MomentumOptimizer;
  private lr: number;

  constructor(lr: number, momentum: number, readonly weightDecay: number, private readonly vars: tf.Variable[]) {
    this.lr = lr;
    this.optimizer = tf.train.momentum(lr, momentum);
  }

  get learningRate(): number {
    return this.lr;
  }

  setLearningRate(lr: number): void {
    if (lr === this.lr) return;
    this.lr = lr;
    this.optimizer.setLearningRate(lr);
  }

  /**
   * One update from gradients keyed by variable name. The gradients are passed in the fixed order of the
   * model's variables: MomentumOptimizer pairs accumulators with gradients by position.
   */
  apply(grads: tf.NamedTensorMap): void {
    const wd = this.weightDecay;
    const ordered: tf.NamedTensorMap = {};
    const made: tf.Tensor[] = [];
    for (const v of this.vars) {
      const g = grads[v.name];
      if (!g) throw new Error(`no gradient for ${v.name}`);
      if (wd > 0) {
        const d = tf.tidy(() => tf.add(g, tf.mul(v, wd)));
        made.push(d);
        ordered[v.name] = d;
      } else ordered[v.name] = g;
    }
    this.optimizer.applyGradients(ordered as tf.NamedTensorMap as Parameters<tf.MomentumOptimizer['applyGradients']>[0]);
    tf.dispose(made);
  }

  /** Optimizer state for a checkpoint: copies (the caller disposes them). */
  async getState(): Promise<NamedTensor[]> {
    const weights = await this.optimizer.getWeights();
    // getWeights returns a fresh iteration scalar plus the live accumulators: copy the latter only.
    return weights.map((w, i) => ({ name: w.name, tensor: i === 0 ? w.tensor : tf.clone(w.tensor) }));
  }

  /** Restore state saved by getState (the tensors stay the caller's). */
  async setState(state: NamedTensor[]): Promise<void> {
    if (state.length > 1 && state.length - 1 !== this.vars.length) {
      throw new Error(`the checkpoint's optimizer state has ${state.length - 1} accumulators, the model ${this.vars.length} trainable weights`);
    }
    state.slice(1).forEach((s, i) => {
      if (!tf.util.arraysEqual(s.tensor.shape, this.vars[i].shape)) {
        throw new Error(`optimizer accumulator "${s.name}" has shape [${s.tensor.shape.join(', ')}], weight ${this.vars[i].name} [${this.vars[i].shape.join(', ')}]`);
      }
    });
    await this.optimizer.setWeights(state);
  }

  dispose(): void {
    this.optimizer.dispose();
    // MomentumOptimizer.dispose() forgets SGDOptimizer's −lr scalar: one tensor would leak per phase.
    (this.optimizer as unknown as { c?: tf.Tensor }).c?.dispose();
  }
}
