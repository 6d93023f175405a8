// Wide residual network WRN-d-k exactly as the reference CIFAR code (szagoruyko/attention-transfer,
// `resnet(depth, width, num_classes)` in cifar.py): conv0 3×3/16, three groups of n = (d-4)/6
// pre-activation basic blocks with widths floor(16k, 32k, 64k) and strides 1, 2, 2, a 1×1 shortcut
// convolution on relu(bn(x)) where the width changes, then relu(bn) → global average pool → dense.
// Taps are the three group outputs g0, g1, g2 (before the final bn-relu), as the reference returns them.
// Initialisation as the reference too: convolutions and the dense layer Kaiming-normal (fan-in), biases 0,
// batch-norm γ drawn from U[0, 1) (its utils.bnparams uses torch.rand), β 0.
import { tf } from '../tf.js';
import { Builder, checkInput } from './builder.js';
import { ModelError, type CreateModelOptions, type TapInfo } from './types.js';

type ST = tf.SymbolicTensor;

export function wrnWidths(widen: number): [number, number, number] {
  return [16, 32, 64].map((w) => Math.floor(w * widen)) as [number, number, number];
}

export function buildWrn(depth: number, widen: number, inputShape: [number, number, number], numClasses: number,
  opts: CreateModelOptions = {}): { model: tf.LayersModel; taps: TapInfo[] } {
  checkInput(inputShape, numClasses);
  const n = (depth - 4) / 6;
  if (!Number.isInteger(n) || n < 1) throw new ModelError(`WRN depth must be 6n+4 (10, 16, 22, 28, 40, …), got ${depth}`);
  const widths = wrnWidths(widen);
  if (!(widen > 0) || widths[0] < 1) throw new ModelError(`WRN widen factor must make every group at least 1 channel wide, got ${widen}`);
  const b = new Builder(opts.namePrefix, opts.seed, opts.exactPadding ?? true, opts.zeroInit ?? false);

  const block = (x: ST, base: string, out: number, stride: number, outName: string): ST => {
    const inC = x.shape[3] as number;
    const o1 = b.relu(b.bn(x, `${base}.bn0`, 'uniform'), `${base}.relu0`);
    const y = b.conv(o1, `${base}.conv0`, out, 3, stride, 1, 'fanIn');
    const o2 = b.relu(b.bn(y, `${base}.bn1`, 'uniform'), `${base}.relu1`);
    const z = b.conv(o2, `${base}.conv1`, out, 3, 1, 1, 'fanIn');
    // The reference adds a 1×1 "convdim" on o1 exactly when the width changes (stride 2 comes with it).
    const shortcut = inC !== out || stride !== 1 ? b.conv(o1, `${base}.convdim`, out, 1, stride, 0, 'fanIn') : x;
    return b.add([z, shortcut], outName);
  };

  const input = tf.input({ shape: inputShape, name: b.name('input') });
  let x = b.conv(input, 'conv0', 16, 3, 1, 1, 'fanIn');
  const tapNames: string[] = [];
  widths.forEach((width, g) => {
    for (let i = 0; i < n; i++) {
      const base = `group${g}.block${i}`;
      // The last block's sum is the group output: name it `group<g>` so it is the tap.
      x = block(x, base, width, i === 0 && g > 0 ? 2 : 1, i === n - 1 ? `group${g}` : `${base}.add`);
    }
    tapNames.push(b.name(`group${g}`));
  });
  const o = b.relu(b.bn(x, 'bn', 'uniform'), 'relu');
  const logits = b.head(o, numClasses, 'kaiming');
  const model = tf.model({ inputs: input, outputs: logits, name: b.name(`wrn-${depth}-${widen}`) });
  return { model, taps: tapNames.map((name) => tapOf(model, name)) };
}

export function tapOf(model: tf.LayersModel, name: string): TapInfo {
  const shape = model.getLayer(name).outputShape as (number | null)[];
  return { name, shape: [shape[1] as number, shape[2] as number, shape[3] as number] };
}
