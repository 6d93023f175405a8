// Network-in-Network (Lin et al. 2014) in the batch-normalized form the authors used for CIFAR
// (szagoruyko/wide-residual-networks models/nin.lua: no dropout, conv-bn-relu blocks without conv bias,
// a linear classifier after global average pooling):
//   5×5/192, 1×1/160, 1×1/96, max-pool 3/2 | 5×5/192, 1×1/192, 1×1/192, avg-pool 3/2 |
//   3×3/192, 1×1/192, 1×1/192, global avg-pool, dense.
// NIN-wide is that network (1.0M parameters, the paper's "NIN-wide, 1M"). NIN-thin halves every width
// (0.26M; the paper prints 0.2M and does not list its widths — our choice, stated in the summary).
// Pools use 'same' padding, which equals Torch's ceil-mode pooling for even sizes. Taps: the three
// stage outputs (the relu before each pool and before the head), named group0…group2.
import { tf } from '../tf.js';
import { Builder, checkInput } from './builder.js';
import { tapOf } from './wrn.js';
import type { CreateModelOptions, TapInfo } from './types.js';

type ST = tf.SymbolicTensor;

const WIDE: [number, number][][] = [
  [[5, 192], [1, 160], [1, 96]],
  [[5, 192], [1, 192], [1, 192]],
  [[3, 192], [1, 192], [1, 192]],
];

export function ninStages(variant: 'thin' | 'wide'): [number, number][][] {
  const scale = variant === 'thin' ? 0.5 : 1;
  return WIDE.map((stage) => stage.map(([k, c]) => [k, Math.round(c * scale)] as [number, number]));
}

export function buildNin(variant: 'thin' | 'wide', inputShape: [number, number, number], numClasses: number,
  opts: CreateModelOptions = {}): { model: tf.LayersModel; taps: TapInfo[] } {
  checkInput(inputShape, numClasses);
  const b = new Builder(opts.namePrefix, opts.seed, opts.exactPadding ?? true, opts.zeroInit ?? false);
  const input = tf.input({ shape: inputShape, name: b.name('input') });
  let x: ST = input;
  const tapNames: string[] = [];
  ninStages(variant).forEach((stage, g) => {
    stage.forEach(([k, c], i) => {
      const base = `group${g}.block${i}`;
      x = b.bn(b.conv(x, `${base}.conv`, c, k, 1, (k - 1) / 2, 'fanOut'), `${base}.bn`);
      x = b.relu(x, i === stage.length - 1 ? `group${g}` : `${base}.relu`);
    });
    tapNames.push(b.name(`group${g}`));
    if (g === 0) x = tf.layers.maxPooling2d({ name: b.name('pool0'), poolSize: 3, strides: 2, padding: 'same' }).apply(x) as ST;
    if (g === 1) x = tf.layers.averagePooling2d({ name: b.name('pool1'), poolSize: 3, strides: 2, padding: 'same' }).apply(x) as ST;
  });
  const logits = b.head(x, numClasses, 'torchLinear');
  const model = tf.model({ inputs: input, outputs: logits, name: b.name(`nin-${variant}`) });
  return { model, taps: tapNames.map((name) => tapOf(model, name)) };
}
