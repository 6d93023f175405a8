// A stand-in wide residual network for benchmarking while core/models is not available: the
// reference WRN-depth-k layout (pre-activation blocks, 3×3 convs, 1×1 shortcut convs where the
// shape changes, 'same' padding), outputs [logits, group0, group1, group2].
import { tf } from '../tf.js';

export function standInWrn(depth: number, widen: number, inputShape: [number, number, number],
  numClasses: number, namePrefix = ''): tf.LayersModel {
  const n = (depth - 4) / 6;
  if (!Number.isInteger(n) || n < 1) throw new Error(`WRN depth must be 6n+4, got ${depth}`);
  let id = 0;
  const name = (kind: string) => `${namePrefix}${kind}_${id++}`;
  const conv = (x: tf.SymbolicTensor, filters: number, kernelSize: number, strides: number) =>
    tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false,
      kernelInitializer: 'heNormal', name: name('conv') }).apply(x) as tf.SymbolicTensor;
  const bnRelu = (x: tf.SymbolicTensor) => tf.layers.reLU({ name: name('relu') }).apply(
    tf.layers.batchNormalization({ name: name('bn') }).apply(x)) as tf.SymbolicTensor;

  const input = tf.input({ shape: inputShape, name: name('input') });
  let x = conv(input, 16, 3, 1);
  let inChannels = 16;
  const groups: tf.SymbolicTensor[] = [];
  [16 * widen, 32 * widen, 64 * widen].forEach((width, g) => {
    for (let b = 0; b < n; b++) {
      const stride = g > 0 && b === 0 ? 2 : 1;
      const o1 = bnRelu(x);
      const y = conv(bnRelu(conv(o1, width, 3, stride)), width, 3, 1);
      const shortcut = inChannels !== width || stride !== 1 ? conv(o1, width, 1, stride) : x;
      x = tf.layers.add({ name: name('add') }).apply([y, shortcut]) as tf.SymbolicTensor;
      inChannels = width;
    }
    groups.push(x);
  });
  const pooled = tf.layers.globalAveragePooling2d({ name: name('pool') }).apply(bnRelu(x)) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: numClasses, name: name('logits') }).apply(pooled) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: [logits, ...groups] });
}
