// The fused training-mode batch norm on wasm (core/backend/wasmKernels/batchNormTraining.ts) against
// tf.layers.batchNormalization's own ops on cpu: outputs, moving statistics, gradients (x, γ, β, and
// through the mean and variance outputs), finite differences, the composed fallback gradient, second
// derivatives (which keep the stock path), the switch back to the stock path, and no leaked tensors.
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { Rng } from '../../core/util/rng.js';
import { useBackend } from '../helpers/backend.js';
import {
  BN_TRAINING, batchNormTrainingGradOps, batchNormTrainingOp, registerBatchNormTraining,
} from '../../core/backend/wasmKernels/batchNormTraining.js';
import { maxRelError, randomArray } from './wasmKernelsCompare.js';

const TOL = 1e-4;
const EPS = 1e-5;

beforeAll(async () => {
  await useBackend('cpu');
  await useBackend('wasm');
  registerBatchNormTraining(true);
});

const shapes = [[4, 5, 6, 8], [8, 16, 16, 16], [3, 7, 5, 1], [32, 10]];

interface LayerRun { y: Float32Array; dx: Float32Array; dGamma: Float32Array; dBeta: Float32Array; movMean: Float32Array; movVar: Float32Array; kernels: string[] }

/** One training-mode call of a fresh BN layer (given γ, β), loss Σ w·y², on `backend`. */
async function runLayer(backend: 'cpu' | 'wasm', shape: number[], xs: Float32Array, ws: Float32Array,
  gamma: Float32Array, beta: Float32Array): Promise<LayerRun> {
  await tf.setBackend(backend);
  const C = shape[shape.length - 1];
  const layer = tf.layers.batchNormalization({ momentum: 0.9, epsilon: EPS });
  const x = tf.tensor(xs, shape);
  const w = tf.tensor(ws, shape);
  layer.build(x.shape);
  layer.setWeights([tf.tensor1d(gamma), tf.tensor1d(beta), tf.zeros([C]), tf.ones([C])]);
  const xv = tf.variable(x, true, undefined);
  const vars = [xv, ...layer.trainableWeights.map((v) => v.read() as tf.Variable)];
  let y: Float32Array = new Float32Array();
  const info = await tf.profile(() => {
    const { value, grads } = tf.variableGrads(() => {
      const out = layer.apply(xv, { training: true }) as tf.Tensor;
      y = out.dataSync() as Float32Array;
      return tf.sum(tf.mul(w, tf.square(out)));
    }, vars);
    value.dispose();
    return vars.map((v) => grads[v.name]);
  });
  const [dx, dGamma, dBeta] = info.result as tf.Tensor[];
  const [, , movMean, movVar] = layer.getWeights();
  const out = {
    y, dx: dx.dataSync() as Float32Array, dGamma: dGamma.dataSync() as Float32Array, dBeta: dBeta.dataSync() as Float32Array,
    movMean: movMean.dataSync() as Float32Array, movVar: movVar.dataSync() as Float32Array,
    kernels: info.kernelNames,
  };
  tf.dispose([x, xv, w, dx, dGamma, dBeta]);
  for (const v of layer.weights) v.dispose();
  return out;
}

describe('training-mode batch-norm layer, wasm (fused) vs cpu (TF.js ops)', () => {
  it.each(shapes.map((s) => [JSON.stringify(s), s] as const))('%s: y, dx, dγ, dβ, moving statistics', async (_n, shape) => {
    const rng = new Rng(5);
    const C = shape[shape.length - 1];
    // An offset mean (the statistics must not cancel) and a spread that is not 1.
    const xs = randomArray(rng, shape).map((v) => 3 + 2 * v);
    const ws = randomArray(rng, shape);
    const gamma = randomArray(rng, [C]).map((v) => 1 + 0.5 * v);
    const beta = randomArray(rng, [C]);
    const cpu = await runLayer('cpu', shape, xs, ws, gamma, beta);
    const wasm = await runLayer('wasm', shape, xs, ws, gamma, beta);
    expect(wasm.kernels).toContain(BN_TRAINING);
    expect(cpu.kernels).not.toContain(BN_TRAINING);
    for (const k of ['y', 'dx', 'dGamma', 'dBeta', 'movMean', 'movVar'] as const) {
      expect(maxRelError(wasm[k], cpu[k]), k).toBeLessThanOrEqual(TOL);
    }
  });
});

/** f = Σ w·y + Σ u·mean + Σ t·var with the statistics of x: their gradients must reach x. */
function statsLoss(fused: boolean, x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, w: tf.Tensor, u: tf.Tensor, t: tf.Tensor): tf.Scalar {
  let y: tf.Tensor;
  let mean: tf.Tensor;
  let variance: tf.Tensor;
  if (fused) {
    [y, mean, variance] = batchNormTrainingOp(x, gamma, beta, EPS);
  } else {
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    ({ mean, variance } = tf.moments(x, axes));
    y = tf.batchNorm(x, mean, variance, beta, gamma, EPS);
  }
  return tf.addN([tf.sum(tf.mul(w, y)), tf.sum(tf.mul(u, mean)), tf.sum(tf.mul(t, variance))]) as tf.Scalar;
}

it('is deterministic: two identical runs give identical bits', async () => {
  const shape = [16, 8, 8, 16];
  const rng = new Rng(3);
  const xs = randomArray(rng, shape);
  const ws = randomArray(rng, shape);
  const g = new Float32Array(16).fill(1.5);
  const b = new Float32Array(16).fill(0.25);
  const a = await runLayer('wasm', shape, xs, ws, g, b);
  const c = await runLayer('wasm', shape, xs, ws, g, b);
  for (const k of ['y', 'dx', 'dGamma', 'dBeta', 'movMean', 'movVar'] as const) expect(Array.from(c[k]), k).toEqual(Array.from(a[k]));
});

describe('the op with gradients through its mean and variance outputs', () => {
  it.each([[4, 5, 6, 8], [64, 10]].map((s) => [JSON.stringify(s), s] as const))('%s', async (_n, shape) => {
    const rng = new Rng(9);
    const C = shape[shape.length - 1];
    const data = [randomArray(rng, shape), randomArray(rng, [C]).map((v) => 1 + 0.3 * v), randomArray(rng, [C]),
      randomArray(rng, shape), randomArray(rng, [C]), randomArray(rng, [C])];
    const run = async (backend: 'cpu' | 'wasm', fused: boolean) => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const [x, g, b, w, u, t] = data.map((d, i) => tf.tensor(d, i === 0 || i === 3 ? shape : [C]));
        const { value, grads } = tf.valueAndGrads((xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) =>
          statsLoss(fused, xx, gg, bb, w, u, t))([x, g, b]);
        return [value, ...grads].map((r) => r.dataSync() as Float32Array);
      });
    };
    const ref = await run('cpu', false);
    const got = await run('wasm', true);
    for (let k = 0; k < ref.length; k++) expect(maxRelError(got[k], ref[k]), `output ${k}`).toBeLessThanOrEqual(TOL);
  });
});

describe('finite differences of the fused gradient (wasm)', () => {
  it('dx, dγ, dβ of Σ w·y² match central differences', async () => {
    await tf.setBackend('wasm');
    const shape = [2, 3, 3, 4];
    const C = 4;
    const rng = new Rng(13);
    const xs = randomArray(rng, shape);
    const ws = randomArray(rng, shape);
    const gs = randomArray(rng, [C]).map((v) => 1 + 0.5 * v);
    const bs = randomArray(rng, [C]);
    const f = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.tensor(ws, shape), tf.square(batchNormTrainingOp(x, g, b, EPS)[0]))) as tf.Scalar;
    const args = [xs, gs, bs];
    const shapesOf = [shape, [C], [C]];
    const analytic = tf.tidy(() => tf.grads(f)(args.map((a, i) => tf.tensor(a, shapesOf[i]))).map((t) => t.dataSync() as Float32Array));
    const value = (vals: Float32Array[]): number => {
      // float64 would be better; float32 with a step of 1e-2 keeps rounding well below the tolerance
      return tf.tidy(() => f(tf.tensor(vals[0], shape), tf.tensor(vals[1], [C]), tf.tensor(vals[2], [C])).dataSync()[0]);
    };
    const h = 1e-2;
    for (let a = 0; a < 3; a++) {
      const n = args[a].length;
      const numeric = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const plus = args.map((v) => Float32Array.from(v));
        const minus = args.map((v) => Float32Array.from(v));
        plus[a][i] += h;
        minus[a][i] -= h;
        numeric[i] = (value(plus) - value(minus)) / (2 * h);
      }
      expect(maxRelError(analytic[a], numeric), `argument ${a}`).toBeLessThanOrEqual(5e-3);
    }
  });
});

describe('the composed gradient (used when the gradient itself is recorded)', () => {
  it.each(['cpu', 'wasm'] as const)('equals the fused kernel on %s', async (backend) => {
    const shape = [4, 6, 6, 8];
    const C = 8;
    const rng = new Rng(17);
    const vals = [randomArray(rng, shape), randomArray(rng, shape).map((v) => 1 + v), randomArray(rng, [C]),
      randomArray(rng, [C]), randomArray(rng, [C])];
    // the kernel's gradient on wasm
    await tf.setBackend('wasm');
    const fusedGrads = tf.tidy(() => {
      const [dy, x, g, dm, dv] = vals.map((d, i) => tf.tensor(d, i < 2 ? shape : [C]));
      const [, mean, variance] = batchNormTrainingOp(x, g, tf.zeros([C]), EPS);
      return (tf.engine().runKernel('AtsBatchNormTrainingGrad', { dy, x, scale: g, mean, variance, dmean: dm, dvariance: dv },
        { varianceEpsilon: EPS } as unknown as tf.NamedAttrMap) as tf.Tensor[]).map((t) => t.dataSync() as Float32Array);
    });
    await tf.setBackend(backend);
    const composed = tf.tidy(() => {
      const [dy, x, g, dm, dv] = vals.map((d, i) => tf.tensor(d, i < 2 ? shape : [C]));
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      return batchNormTrainingGradOps(dy, x, g, mean, variance, dm, dv, EPS).map((t) => t.dataSync() as Float32Array);
    });
    for (let k = 0; k < 3; k++) expect(maxRelError(fusedGrads[k], composed[k]), `output ${k}`).toBeLessThanOrEqual(TOL);
  });
});

describe('second derivatives through the layer keep the stock path', () => {
  it('Hessian-vector product of Σ w·y² on wasm equals cpu', async () => {
    const shape = [3, 4, 4, 4];
    const rng = new Rng(23);
    const xs = randomArray(rng, shape).map((v) => 1 + v);
    const ws = randomArray(rng, shape);
    const vs = randomArray(rng, shape);
    const run = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const layer = tf.layers.batchNormalization({ momentum: 0.9, epsilon: EPS });
      layer.build(shape);
      const out = tf.tidy(() => {
        const w = tf.tensor(ws, shape);
        const v = tf.tensor(vs, shape);
        const f = (a: tf.Tensor) => tf.sum(tf.mul(w, tf.square(layer.apply(a, { training: true }) as tf.Tensor)));
        const hv = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.grad(f)(a), v)))(tf.tensor(xs, shape));
        return hv.dataSync() as Float32Array;
      });
      for (const v of layer.weights) v.dispose();
      return out;
    };
    const ref = await run('cpu');
    const got = await run('wasm');
    expect(maxRelError(got, ref)).toBeLessThanOrEqual(TOL);
  });
});

describe('switching and memory', () => {
  const step = (layer: tf.layers.Layer, x: tf.Tensor) => {
    const vars = layer.trainableWeights.map((v) => v.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(x, { training: true }) as tf.Tensor)), vars);
    tf.dispose([value, ...Object.values(grads)]);
  };

  it('registerBatchNormTraining(false) restores TF.js\'s ops; no tensors leak either way', async () => {
    await tf.setBackend('wasm');
    const layer = tf.layers.batchNormalization({ momentum: 0.9, epsilon: EPS });
    const x = tf.randomNormal([8, 8, 8, 16]);
    layer.build(x.shape);
    try {
      for (const fused of [true, false, true]) {
        registerBatchNormTraining(fused);
        step(layer, x);
        const before = tf.memory().numTensors;
        const { kernelNames } = await tf.profile(() => step(layer, x));
        expect(tf.memory().numTensors).toBe(before);
        expect(kernelNames.includes(BN_TRAINING)).toBe(fused);
      }
    } finally {
      registerBatchNormTraining(true);
      x.dispose();
      for (const v of layer.weights) v.dispose();
    }
  });

  it('inference mode and the cpu backend are untouched', async () => {
    for (const backend of ['wasm', 'cpu'] as const) {
      await tf.setBackend(backend);
      const layer = tf.layers.batchNormalization({ momentum: 0.9, epsilon: EPS });
      const x = tf.randomNormal([4, 4, 4, 8]);
      layer.build(x.shape);
      const { kernelNames } = await tf.profile(() => {
        tf.dispose(layer.apply(x, { training: false }) as tf.Tensor);
        if (backend === 'cpu') tf.dispose(layer.apply(x, { training: true }) as tf.Tensor);
      });
      expect(kernelNames).not.toContain(BN_TRAINING);
      x.dispose();
      for (const v of layer.weights) v.dispose();
    }
  });
});
