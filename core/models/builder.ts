// Small layer-building helpers shared by the zoo families: readable stable names, seeded initializers,
// and PyTorch-exact padding for strided convolutions and pooling.
import { tf } from '../tf.js';
import { Rng } from '../util/rng.js';
import { definedOnly } from '../util/exactOptional.js';
import { ModelError } from './types.js';

type ST = tf.SymbolicTensor;
export type FanMode = 'fanIn' | 'fanOut';

// Layer names become variable names (`<layer>/kernel`), which tfjs restricts to this pattern.
const NAME_OK = /^[A-Za-z0-9][-A-Za-z0-9._/]*$/;

export class Builder {
  private rng: Rng | null;

  constructor(private prefix = '', seed?: number, private exactPadding = true, private zeroInit = false) {
    if (prefix !== '' && !NAME_OK.test(prefix)) {
      throw new ModelError(`namePrefix '${prefix}' is not usable in layer names: start with a letter or digit, then use only letters, digits, '-', '_', '.', '/'`);
    }
    this.rng = seed === undefined ? null : new Rng(seed);
  }

  name(local: string): string {
    return this.prefix + local;
  }

  private seed(): number | undefined {
    return this.rng ? this.rng.int(2 ** 31) : undefined;
  }

  /** Kaiming-normal (plain, not truncated, as torch.nn.init.kaiming_normal_): std = sqrt(2 / fan). */
  kaiming(fan: number): ReturnType<typeof tf.initializers.randomNormal> {
    if (this.zeroInit) return tf.initializers.zeros();
    return tf.initializers.randomNormal(definedOnly({ mean: 0, stddev: Math.sqrt(2 / fan), seed: this.seed() }));
  }

  /** torch.nn.Linear's default: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) for weight and bias. */
  torchLinear(fanIn: number): ReturnType<typeof tf.initializers.randomNormal> {
    if (this.zeroInit) return tf.initializers.zeros();
    const b = 1 / Math.sqrt(fanIn);
    return tf.initializers.randomUniform(definedOnly({ minval: -b, maxval: b, seed: this.seed() }));
  }

  /**
   * Convolution without bias with PyTorch's symmetric padding `pad`. TF 'same' pads stride-2 convs
   * asymmetrically (0 before, 1 after for even sizes), which shifts the sampling grid by a pixel, so
   * strided convs get an explicit ZeroPadding2D + 'valid'; stride-1 convs with pad = (k-1)/2 are
   * identical under 'same' and use it (one op fewer).
   */
  conv(x: ST, name: string, filters: number, kernel: number, stride: number, pad: number, fan: FanMode): ST {
    const inC = x.shape[3] as number;
    const fanCount = kernel * kernel * (fan === 'fanIn' ? inC : filters);
    let input = x;
    let padding: 'same' | 'valid' = 'valid';
    if (pad > 0 && stride === 1 && 2 * pad === kernel - 1) padding = 'same';
    else if (pad > 0 && !this.exactPadding && 2 * pad === kernel - 1) padding = 'same'; // TF grid, for comparison only
    else if (pad > 0) input = this.zeroPad(x, `${name}.pad`, pad);
    return tf.layers.conv2d({
      name: this.name(name), filters, kernelSize: kernel, strides: stride, padding, useBias: false,
      kernelInitializer: this.kaiming(fanCount),
    }).apply(input) as ST;
  }

  zeroPad(x: ST, name: string, pad: number): ST {
    return tf.layers.zeroPadding2d({ name: this.name(name), padding: pad }).apply(x) as ST;
  }

  /**
   * Batch norm as PyTorch's: running stats move by 0.1 per step (tfjs momentum 0.9), eps 1e-5, β = 0.
   * γ = 1 as nn.BatchNorm2d, or 'uniform' U[0, 1) as the reference WRN code's `bnparams` (torch.rand).
   */
  bn(x: ST, name: string, gamma: 'ones' | 'uniform' = 'ones'): ST {
    const gammaInitializer = gamma === 'uniform' && !this.zeroInit
      // tfjs-layers reads `args.minval || -0.05`, so a minval of 0 would become −0.05: ask for the smallest
      // positive double instead (the same draws: u·(1 − 5e-324) + 5e-324 rounds to u in float32).
      ? tf.initializers.randomUniform(definedOnly({ minval: Number.MIN_VALUE, maxval: 1, seed: this.seed() }))
      : 'ones';
    return tf.layers.batchNormalization({
      name: this.name(name), momentum: 0.9, epsilon: 1e-5, gammaInitializer, betaInitializer: 'zeros',
    }).apply(x) as ST;
  }

  relu(x: ST, name: string): ST {
    return tf.layers.reLU({ name: this.name(name) }).apply(x) as ST;
  }

  add(xs: ST[], name: string): ST {
    return tf.layers.add({ name: this.name(name) }).apply(xs) as ST;
  }

  /** Global average pool + dense logits (no softmax). */
  head(x: ST, numClasses: number, init: 'kaiming' | 'torchLinear'): ST {
    const c = x.shape[3] as number;
    const pooled = tf.layers.globalAveragePooling2d({ name: this.name('pool') }).apply(x) as ST;
    const kernel = init === 'kaiming' ? this.kaiming(c) : this.torchLinear(c);
    const bias = init === 'kaiming' ? 'zeros' : this.torchLinear(c);
    return tf.layers.dense({
      name: this.name('fc'), units: numClasses, useBias: true, kernelInitializer: kernel, biasInitializer: bias,
    }).apply(pooled) as ST;
  }
}

export function checkInput(inputShape: [number, number, number], numClasses: number): void {
  if (!Array.isArray(inputShape) || inputShape.length !== 3 || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ModelError(`inputShape must be [H, W, C] with positive integers, got ${JSON.stringify(inputShape)}`);
  }
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new ModelError(`numClasses must be a positive integer, got ${numClasses}`);
  }
}
