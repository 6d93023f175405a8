// Which layers of a model stop gradient-based AT (double backprop) in TF.js 4.22, so a run can refuse early
// with a clear message instead of failing mid-step ("gradient function not found for MaxPoolGrad") or, worse,
// training on a silently wrong second derivative (see stableOps.ts for the mechanism).
import { tf } from '../tf.js';

// Activations whose gradient reuses the op's output (wrong at second order) or has no second derivative.
const BAD_ACTIVATIONS = new Set(['sigmoid', 'hardsigmoid', 'tanh', 'elu', 'selu', 'softmax', 'softplus', 'swish', 'mish', 'gelu', 'gelu_new', 'logsoftmax']);
// relu, relu6, linear and leakyrelu have piecewise-constant first derivatives: their second derivative is 0 a.e.
const BAD_LAYERS: Record<string, string> = {
  // 2-D max and average pooling differentiate twice through core/backend/poolGradients.ts.
  MaxPooling1D: 'max pooling', AveragePooling1D: 'average pooling', MaxPooling3D: 'max pooling', AveragePooling3D: 'average pooling',
  GlobalMaxPooling2D: 'global max pooling (its gradient goes through Equal, which has no gradient)',
  GlobalMaxPooling1D: 'global max pooling',
  Softmax: 'softmax (second derivative wrong)', ELU: 'elu (second derivative wrong)',
  UpSampling2D: 'bilinear/nearest resize (no gradient for its gradient kernel)',
};

/** Layer-by-layer reasons why double backprop through `model` would fail or be wrong; [] when it is fine. */
export function doubleBackpropProblems(model: tf.LayersModel): string[] {
  const problems: string[] = [];
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (BAD_LAYERS[cls]) problems.push(`${layer.name}: ${BAD_LAYERS[cls]}`);
    const act = (layer.getConfig() as { activation?: unknown }).activation;
    if (typeof act === 'string' && BAD_ACTIVATIONS.has(act.toLowerCase())) {
      problems.push(`${layer.name}: activation '${act}' (second derivative wrong or missing in TF.js)`);
    }
  }
  return problems;
}
