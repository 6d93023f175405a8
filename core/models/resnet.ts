// ResNet-18/34 (He et al. 2016; torchvision's layout): basic blocks conv3×3-bn-relu-conv3×3-bn + shortcut,
// relu; stages of widths 64, 128, 256, 512 with [2,2,2,2] (18) or [3,4,6,3] (34) blocks; a 1×1 conv + bn
// shortcut where the shape changes. Stems: ImageNet (7×7/2 conv, bn, relu, 3×3/2 max-pool) or small-input
// (3×3/1 conv, bn, relu, no pool — the usual CIFAR adaptation). 'auto' picks the small stem when both
// H and W are at most 64 px (the 28–64 px range and anything smaller), the ImageNet stem otherwise.
// Taps are the four stage outputs (after the last block's relu), named group0…group3.
import { tf } from '../tf.js';
import { Builder, checkInput } from './builder.js';
import { tapOf } from './wrn.js';
import { ModelError, type CreateModelOptions, type TapInfo } from './types.js';

type ST = tf.SymbolicTensor;

const BLOCKS: Record<18 | 34, number[]> = { 18: [2, 2, 2, 2], 34: [3, 4, 6, 3] };
const WIDTHS = [64, 128, 256, 512];

export function resolveStem(stem: 'auto' | 'small' | 'imagenet' | undefined, inputShape: [number, number, number]): 'small' | 'imagenet' {
  if (stem === 'small' || stem === 'imagenet') return stem;
  return inputShape[0] <= 64 && inputShape[1] <= 64 ? 'small' : 'imagenet';
}

export function buildResnet(depth: 18 | 34, stemChoice: 'auto' | 'small' | 'imagenet' | undefined,
  inputShape: [number, number, number], numClasses: number, opts: CreateModelOptions = {}): { model: tf.LayersModel; taps: TapInfo[] } {
  checkInput(inputShape, numClasses);
  const blocks = BLOCKS[depth];
  if (!blocks) throw new ModelError(`ResNet depth must be 18 or 34, got ${depth}`);
  const stem = resolveStem(stemChoice, inputShape);
  const b = new Builder(opts.namePrefix, opts.seed, opts.exactPadding ?? true, opts.zeroInit ?? false);

  const block = (x: ST, base: string, out: number, stride: number, outName: string): ST => {
    const inC = x.shape[3] as number;
    let y = b.relu(b.bn(b.conv(x, `${base}.conv0`, out, 3, stride, 1, 'fanOut'), `${base}.bn0`), `${base}.relu0`);
    y = b.bn(b.conv(y, `${base}.conv1`, out, 3, 1, 1, 'fanOut'), `${base}.bn1`);
    const shortcut = inC !== out || stride !== 1
      ? b.bn(b.conv(x, `${base}.downsample.conv`, out, 1, stride, 0, 'fanOut'), `${base}.downsample.bn`)
      : x;
    return b.relu(b.add([y, shortcut], `${base}.add`), outName);
  };

  const input = tf.input({ shape: inputShape, name: b.name('input') });
  let x: ST;
  if (stem === 'imagenet') {
    x = b.relu(b.bn(b.conv(input, 'stem.conv', 64, 7, 2, 3, 'fanOut'), 'stem.bn'), 'stem.relu');
    // Zero padding equals PyTorch's -inf padding here: the inputs are post-relu (≥ 0) and every window
    // holds at least one real pixel.
    x = tf.layers.maxPooling2d({ name: b.name('stem.pool'), poolSize: 3, strides: 2, padding: 'valid' })
      .apply(b.zeroPad(x, 'stem.pool.pad', 1)) as ST;
  } else {
    x = b.relu(b.bn(b.conv(input, 'stem.conv', 64, 3, 1, 1, 'fanOut'), 'stem.bn'), 'stem.relu');
  }
  const tapNames: string[] = [];
  blocks.forEach((count, g) => {
    for (let i = 0; i < count; i++) {
      const base = `group${g}.block${i}`;
      x = block(x, base, WIDTHS[g], i === 0 && g > 0 ? 2 : 1, i === count - 1 ? `group${g}` : `${base}.relu1`);
    }
    tapNames.push(b.name(`group${g}`));
  });
  const logits = b.head(x, numClasses, 'torchLinear');
  const model = tf.model({ inputs: input, outputs: logits, name: b.name(`resnet-${depth}`) });
  return { model, taps: tapNames.map((name) => tapOf(model, name)) };
}
