// Every op the model zoo and the losses use, on the webgpu backend (forced onto SwiftShader, a software
// Vulkan GPU) against the cpu backend: forward values and gradients (upstream: a fixed random weighting of
// every output), on small shapes. Tolerance 1e-4 of the largest cpu value (maxRelError); the project's own
// gradients (pooling, Tile, the stable softmax ops) are registered for every backend by selectBackend and
// are checked to be the ones in use. Reads are `await data()`: dataSync() throws on webgpu in Node.
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { Rng } from '../../core/util/rng.js';
import { attentionMap } from '../../core/attention/index.js';
import { createModel } from '../../core/models/index.js';
import { atLoss, atTerm, crossEntropy, gradAtLoss, kdLoss } from '../../core/losses/index.js';
import { avgPoolGradConfig, maxPoolGradConfig } from '../../core/backend/poolGradients.js';
import { tileGradConfig } from '../../core/backend/wasmKernels/tileGrad.js';
import { meanGradConfig, sumGradConfig } from '../../core/backend/reduceGradients.js';
import { maxRelError, randomArray } from './wasmKernelsCompare.js';
import { skipWebgpuTests, useWebgpu } from '../helpers/webgpu.js';

const skip = skipWebgpuTests('test/backend/webgpuKernels.test.ts');
const TOL = 1e-4;

/** Runs `compute` on a backend; values read asynchronously; checks it leaves no tensor behind. */
async function computeOn(backend: 'cpu' | 'webgpu', compute: () => tf.Tensor[]): Promise<{ values: Float32Array[]; shapes: number[][] }> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const list = tf.tidy(compute);
  const values = await Promise.all(list.map(async (t) => (await t.data()) as Float32Array));
  const shapes = list.map((t) => t.shape);
  tf.dispose(list);
  expect(tf.memory().numTensors, `tensors left behind on ${backend}`).toBe(before);
  return { values, shapes };
}

/** The same computation on cpu and webgpu: the largest error over its outputs. */
async function compare(label: string, compute: () => tf.Tensor[]): Promise<number> {
  const cpu = await computeOn('cpu', compute);
  const gpu = await computeOn('webgpu', compute);
  let worst = 0;
  cpu.values.forEach((ref, k) => {
    expect(gpu.shapes[k], `${label}: output ${k} shape`).toEqual(cpu.shapes[k]);
    const err = maxRelError(gpu.values[k]!, ref);
    expect(err, `${label}: output ${k} (of ${cpu.values.length}), shape [${cpu.shapes[k]}]`).toBeLessThan(TOL);
    worst = Math.max(worst, err);
  });
  console.log(`webgpu vs cpu, ${label}: ${cpu.values.length} outputs, max relative error ${worst.toExponential(1)}`);
  return worst;
}

const rng = new Rng(20261206);
const arr = (shape: number[], scale = 1) => randomArray(rng, shape).map((v) => v * scale);

/** f(inputs) and the gradient of Σ f(inputs)·r with respect to every input. */
function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: { values: Float32Array; shape: number[] }[], r: Float32Array): tf.Tensor[] {
  const xs = inputs.map((i) => tf.tensor(i.values, i.shape));
  const y = f(...xs);
  const weights = tf.tensor(r, y.shape);
  const grads = tf.grads((...ys: tf.Tensor[]) => tf.sum(tf.mul(f(...ys), weights)))(xs);
  return [y, ...grads];
}

function input(shape: number[], scale = 1) {
  return { values: arr(shape, scale), shape };
}

describe.skipIf(skip)('webgpu kernels against cpu (SwiftShader)', () => {
  beforeAll(async () => {
    const choice = await useWebgpu();
    console.log(`webgpu adapter: ${JSON.stringify(choice.adapter)}`);
  });

  it("the project's gradients are the ones registered (pooling, batched Tile), for webgpu as for every backend", () => {
    expect(tf.getGradient('MaxPool')).toBe(maxPoolGradConfig);
    expect(tf.getGradient('AvgPool')).toBe(avgPoolGradConfig);
    expect(tf.getGradient('Tile')).toBe(tileGradConfig);
    expect(tf.getGradient('Sum')).toBe(sumGradConfig);
    expect(tf.getGradient('Mean')).toBe(meanGradConfig);
  });

  it('Sum and Mean over the axes batch norm and attention maps reduce: value, ∂x, and a second derivative', async () => {
    const shape = [2, 3, 4, 5];
    const x = input(shape);
    for (const [name, reduce] of [['sum', tf.sum], ['mean', tf.mean]] as const) {
      for (const axis of [[0, 1, 2], [3], [1, 2]]) {
        const outShape = tf.tidy(() => reduce(tf.zeros(shape), axis).shape);
        const r = arr(outShape);
        await compare(`${name} over [${axis}]`, () => {
          const [y, dx] = valueAndGrads((a) => reduce(a, axis), [x], r);
          const weights = tf.tensor(r, outShape);
          const inner = (xx: tf.Tensor) => tf.grad((z: tf.Tensor) => tf.sum(tf.mul(reduce(tf.square(z), axis), weights)))(xx);
          const second = tf.grad((xx: tf.Tensor) => tf.sum(tf.square(inner(xx))))(tf.tensor(x.values, shape));
          return [y!, dx!, second];
        });
      }
    }
  });

  // The zoo's convolutions (core/models/builder.ts conv): 3×3 stride 1 pad 1 → 'same'; 3×3 stride 2
  // pad 1 → ZeroPadding2D(1) + 'valid' (PyTorch's symmetric padding); 1×1 stride 2 shortcut, 'valid'.
  const convs: { name: string; k: number; stride: number; pad: number }[] = [
    { name: '3×3 stride 1 same', k: 3, stride: 1, pad: -1 },
    { name: '3×3 stride 2, symmetric zero pad 1 + valid', k: 3, stride: 2, pad: 1 },
    { name: '1×1 stride 2 valid (shortcut)', k: 1, stride: 2, pad: 0 },
    { name: '5×5 stride 1 same (NIN)', k: 5, stride: 1, pad: -1 },
  ];
  for (const c of convs) {
    it(`conv2d ${c.name}: output, ∂x, ∂w`, async () => {
      const x = input([2, 6, 6, 3]);
      const w = input([c.k, c.k, 3, 4], 0.5);
      const conv = (xx: tf.Tensor, ww: tf.Tensor) => {
        const padded = c.pad > 0 ? tf.pad(xx, [[0, 0], [c.pad, c.pad], [c.pad, c.pad], [0, 0]]) : xx;
        return tf.conv2d(padded as tf.Tensor4D, ww as tf.Tensor4D, c.stride, c.pad === -1 ? 'same' : 'valid');
      };
      const outShape = c.stride === 1 ? [2, 6, 6, 4] : [2, 3, 3, 4];
      const r = arr(outShape);
      await compare(`conv2d ${c.name}`, () => valueAndGrads(conv, [x, w], r));
    });
  }

  it('batch norm in training mode (the zoo layer): output, ∂x, ∂γ, ∂β, updated running statistics', async () => {
    const shape = [3, 4, 4, 5];
    const x = arr(shape, 2);
    const r = arr(shape);
    const gamma = arr([5]).map((v) => v + 1.5);
    const beta = arr([5]);
    await compare('batchNormalization (training)', () => {
      const layer = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 });
      layer.build(shape);
      layer.setWeights([tf.tensor1d(gamma), tf.tensor1d(beta), tf.zeros([5]), tf.ones([5])]);
      const xt = tf.tensor4d(x, shape as [number, number, number, number]);
      const weights = tf.tensor(r, shape);
      const f = (xx: tf.Tensor) => tf.sum(tf.mul(layer.apply(xx, { training: true }) as tf.Tensor, weights)) as tf.Scalar;
      const y = layer.apply(xt, { training: true }) as tf.Tensor;
      const dx = tf.grad(f)(xt);
      const { grads } = tf.variableGrads(() => f(xt), layer.trainableWeights.map((v) => v.read() as tf.Variable));
      const out = [y, dx, ...Object.values(grads), ...layer.getWeights().slice(2).map((t) => t.clone())];
      for (const w of layer.weights) w.dispose();
      return out;
    });
  });

  const pools: { name: string; pool: (x: tf.Tensor4D) => tf.Tensor }[] = [
    { name: 'max pool 3×3/2 same (NIN)', pool: (x) => tf.maxPool(x, 3, 2, 'same') },
    { name: 'average pool 3×3/2 same (NIN)', pool: (x) => tf.avgPool(x, 3, 2, 'same') },
    { name: 'max pool 3×3/2 valid (ResNet stem)', pool: (x) => tf.maxPool(x, 3, 2, 'valid') },
    { name: 'global average pool', pool: (x) => tf.mean(x, [1, 2]) },
  ];
  for (const p of pools) {
    it(`${p.name}: output, ∂x, and ∂(Σ (∂x)²)/∂x (differentiated again, as gradient-based AT does)`, async () => {
      const shape: [number, number, number, number] = [2, 7, 7, 3];
      const x = input(shape);
      const outShape = tf.tidy(() => p.pool(tf.zeros(shape)).shape);
      const r = arr(outShape);
      await compare(p.name, () => {
        const [y, dx] = valueAndGrads((xx) => p.pool(xx as tf.Tensor4D), [x], r);
        const weights = tf.tensor(r, outShape);
        const inner = (xx: tf.Tensor) => tf.grad((z: tf.Tensor) => tf.sum(tf.mul(p.pool(tf.square(z) as tf.Tensor4D), weights)))(xx);
        const second = tf.grad((xx: tf.Tensor) => tf.sum(tf.square(inner(xx))))(tf.tensor(x.values, shape));
        return [y!, dx!, second];
      });
    });
  }

  it('dense (matMul + bias): output, ∂x, ∂W, ∂b', async () => {
    const r = arr([4, 5]);
    const inputs = [input([4, 6]), input([6, 5]), input([5])];
    await compare('dense', () => valueAndGrads((x, w, b) => tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b), inputs, r));
  });

  it('relu and residual add: output, ∂x', async () => {
    const shape = [2, 5, 5, 3];
    const r = arr(shape);
    // Inputs away from 0, where relu's derivative is defined the same way everywhere.
    const x = { values: arr(shape).map((v) => (Math.abs(v) < 0.05 ? v + Math.sign(v || 1) * 0.1 : v)), shape };
    const b = input(shape);
    await compare('relu + add', () => valueAndGrads((a, bb) => tf.add(tf.relu(a), bb), [x, b], r));
  });

  for (const fn of [{ kind: 'sum' }, { kind: 'sum-p', p: 2 }, { kind: 'sum-p', p: 4 }, { kind: 'max-p', p: 2 }] as const) {
    it(`attention map ${fn.kind}${'p' in fn ? ` p=${fn.p}` : ''}: map and its gradient`, async () => {
      const shape = [2, 4, 4, 6];
      const r = arr([2, 16]);
      const x = input(shape);
      await compare(`attentionMap ${JSON.stringify(fn)}`, () => valueAndGrads((a) => attentionMap(a as tf.Tensor4D, fn), [x], r));
    });
  }

  it('AT loss (code and paper forms, teacher map larger than the student map) and β·Σ: value and ∂student', async () => {
    const s = input([2, 4, 4, 3]);
    const t = input([2, 8, 8, 5]);
    await compare('atLoss', () => {
      const f = (a: tf.Tensor, b: tf.Tensor) => atTerm([atLoss(a as tf.Tensor4D, b as tf.Tensor4D), atLoss(a as tf.Tensor4D, b as tf.Tensor4D, { kind: 'sum-p', p: 2 }, { form: 'paper' })], 1000);
      return valueAndGrads(f, [s, t], new Float32Array([1]));
    });
  });

  it('KD loss and cross-entropy: value and ∂student logits', async () => {
    const labels = [3, 0, 9, 4];
    const logits = [input([4, 10], 3), input([4, 10], 3)];
    await compare('kdLoss + crossEntropy', () => {
      const y = tf.tensor1d(labels, 'int32');
      const f = (s: tf.Tensor, t: tf.Tensor) => tf.add(kdLoss(s as tf.Tensor2D, t as tf.Tensor2D, y, 4, 0.9), crossEntropy(s as tf.Tensor2D, y));
      return valueAndGrads(f, logits, new Float32Array([1]));
    });
  });

  it("gradient-based AT's double backprop (conv, batch-norm-free tiny nets, flip term): loss and ∂loss/∂every student weight", async () => {
    const xShape = [2, 6, 6, 2];
    const x = arr(xShape);
    const sp = [input([3, 3, 2, 3], 0.7), input([3]), input([3, 4]), input([4])];
    const tp = [input([3, 3, 2, 5], 0.7), input([5]), input([5, 4]), input([4])];
    const net = (p: tf.Tensor[]) => (xx: tf.Tensor4D) => {
      // Stride-2 conv with the zoo's symmetric padding, relu, global average pool, dense.
      const h = tf.relu(tf.add(tf.conv2d(tf.pad(xx, [[0, 0], [1, 1], [1, 1], [0, 0]]) as tf.Tensor4D, p[0] as tf.Tensor4D, 2, 'valid'), p[1]!));
      return tf.add(tf.matMul(tf.mean(h, [1, 2]) as tf.Tensor2D, p[2] as tf.Tensor2D), p[3]!) as tf.Tensor2D;
    };
    await compare('gradAtLoss (double backprop)', () => {
      const vars = sp.map((p) => tf.variable(tf.tensor(p.values, p.shape)));
      const teacher = tp.map((p) => tf.tensor(p.values, p.shape));
      const xt = tf.tensor4d(x, xShape as [number, number, number, number]);
      const y = tf.tensor1d([1, 3], 'int32');
      const { value, grads } = tf.variableGrads(() => gradAtLoss({ student: net(vars), teacher: net(teacher), x: xt, labels: y, beta: 50, flip: true }), vars);
      const out = [value, ...vars.map((v) => grads[v.name]!)];
      vars.forEach((v) => v.dispose());
      return out;
    });
  });

  // The zoo's own networks end to end (their layers, padding and batch norm as built), training mode:
  // logits and the cross-entropy gradient of every weight. Same seed, same initial weights on both.
  for (const spec of [{ family: 'wrn', depth: 10, widen: 1 }, { family: 'nin', variant: 'thin' }] as const) {
    it(`${spec.family} (zoo model, training mode): logits and ∂CE/∂every weight`, async () => {
      const xShape = [2, 6, 6, 1] as [number, number, number, number];
      const x = arr(xShape);
      await compare(`${spec.family} model`, () => {
        const zoo = createModel({ ...spec, inputShape: [6, 6, 1], numClasses: 4 } as Parameters<typeof createModel>[0], { seed: 7 });
        const xt = tf.tensor4d(x, xShape);
        const y = tf.tensor1d([1, 3], 'int32');
        const logits = zoo.model.apply(xt, { training: true }) as tf.Tensor2D;
        const vars = zoo.model.trainableWeights.map((w) => w.read() as tf.Variable);
        const { grads } = tf.variableGrads(() => crossEntropy(zoo.model.apply(xt, { training: true }) as tf.Tensor2D, y), vars);
        const out = [logits, ...vars.map((v) => grads[v.name]!)];
        zoo.model.dispose();
        return out;
      });
    });
  }

  it('a software adapter is recorded as such (SwiftShader, a fallback adapter) with the limits that cap tensor sizes', async () => {
    const { webGpuAdapter } = await import('../../core/backend/webgpu.js');
    const a = webGpuAdapter()!;
    expect(a.software).toBe(true);
    expect(a.architecture).toBe('swiftshader');
    expect(a.limits.maxStorageBufferBindingSize).toBeGreaterThanOrEqual(128 * 2 ** 20);
    expect(a.limits.maxComputeWorkgroupStorageSize).toBeGreaterThan(0);
  });
});
