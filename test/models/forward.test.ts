// Forward behaviour: output shapes, withTaps, reference padding of strided convs, initialization,
// batch-norm settings, name prefixes and seeds.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { useBackend } from '../helpers/backend.js';
import { createModel, withTaps, type ZooModel } from '../../core/models/index.js';

beforeAll(async () => { await useBackend('cpu'); });

const made: ZooModel[] = [];
const make = (...args: Parameters<typeof createModel>) => { const z = createModel(...args); made.push(z); return z; };
afterEach(() => { made.splice(0).forEach((z) => z.model.dispose()); });

const wrn161 = { family: 'wrn' as const, depth: 16, widen: 1, inputShape: [32, 32, 3] as [number, number, number], numClasses: 10 };

describe('forward', () => {
  it('every family maps [batch, H, W, C] to [batch, classes] logits', () => {
    const cases = [
      { spec: { ...wrn161, inputShape: [28, 28, 1] as [number, number, number], numClasses: 7 }, x: [2, 28, 28, 1] },
      { spec: { family: 'resnet' as const, depth: 18 as const, inputShape: [32, 32, 3] as [number, number, number], numClasses: 4 }, x: [1, 32, 32, 3] },
      { spec: { family: 'nin' as const, variant: 'thin' as const, inputShape: [32, 32, 3] as [number, number, number], numClasses: 100 }, x: [1, 32, 32, 3] },
    ];
    for (const c of cases) {
      const z = make(c.spec, { seed: 1 });
      const y = tf.tidy(() => z.model.predict(tf.randomNormal(c.x, 0, 1, 'float32', 3)) as tf.Tensor);
      expect(y.shape).toEqual([c.x[0], c.spec.numClasses]);
      expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
      y.dispose();
    }
  });

  it('withTaps: [logits, ...taps] in the given order; the logits equal fc(pool(relu(bn(group2))))', () => {
    const z = make(wrn161, { seed: 7, namePrefix: 's.' });
    const tapped = withTaps(z.model, ['s.group2', 's.group0']);
    expect(tapped.outputs.map((o) => o.shape)).toEqual([[null, 10], [null, 8, 8, 64], [null, 32, 32, 16]]);
    // Shares weights: no new variables.
    expect(tapped.weights.length).toBe(z.model.weights.length);
    expect(tapped.weights.every((w, i) => w === z.model.weights[i])).toBe(true);
    tf.tidy(() => {
      const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 5);
      const [logits, g2, g0] = tapped.predict(x) as tf.Tensor[];
      expect(g0.shape).toEqual([2, 32, 32, 16]);
      const plain = z.model.predict(x) as tf.Tensor;
      expect(maxAbs(logits, plain)).toBeLessThan(1e-5);
      // The tap is the group sum *before* the final bn-relu, as the reference's g2.
      const get = (n: string) => z.model.getLayer(n);
      let h = get('s.bn').apply(g2, { training: false }) as tf.Tensor;
      h = get('s.relu').apply(h) as tf.Tensor;
      h = get('s.pool').apply(h) as tf.Tensor;
      h = get('s.fc').apply(h) as tf.Tensor;
      expect(maxAbs(h, logits)).toBeLessThan(1e-4);
    });
    // Training mode works on the tapped model as on the plain one.
    const outs = tf.tidy(() => (tapped.apply(tf.ones([2, 32, 32, 3]), { training: true }) as tf.Tensor[]).map((t) => t.shape));
    expect(outs).toEqual([[2, 10], [2, 8, 8, 64], [2, 32, 32, 16]]);
  });

  it('withTaps: an unknown or non-4-D name fails and lists the 4-D layers', () => {
    const z = make(wrn161);
    expect(() => withTaps(z.model, ['group9'])).toThrow(/no layer named 'group9'.*group0 \(32×32×16\)/);
    expect(() => withTaps(z.model, ['fc'])).toThrow(/'fc' does not output one 4-D activation/);
  });
});

describe('initialisation as the reference', () => {
  it('WRN: batch-norm γ from U[0, 1) (utils.bnparams), β and biases 0, convolutions Kaiming-normal on fan-in; ResNet: γ = 1', () => {
    const z = make({ ...wrn161, inputShape: [16, 16, 3], numClasses: 10 }, { seed: 11 });
    const bns = z.model.layers.filter((l) => l.getClassName() === 'BatchNormalization');
    const gammas = bns.flatMap((l) => Array.from(l.getWeights()[0].dataSync()));
    expect(gammas.length).toBe(464); // WRN-16-1's batch-norm channels
    expect(gammas.filter((g) => !(g >= 0 && g < 1))).toEqual([]); // (tfjs turns a minval of 0 into −0.05)
    // Uniform on [0, 1): mean 1/2 and variance 1/12, within a few standard errors for 464 draws.
    const mean = gammas.reduce((a, g) => a + g, 0) / gammas.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / gammas.length));
    expect(bns.every((l) => Array.from(l.getWeights()[1].dataSync()).every((b) => b === 0))).toBe(true);
    // conv1 of group1.block1 (32 → 32, 3×3): std √(2 / (9·32)) = 1/12.
    const k = Array.from(z.model.getLayer('group1.block1.conv1').getWeights()[0].dataSync());
    const sd = Math.sqrt(k.reduce((a, v) => a + v * v, 0) / k.length);
    expect(Math.abs(sd - 1 / 12) / (1 / 12)).toBeLessThan(0.05);
    // Seeded: the same seed gives the same γ.
    const again = make({ ...wrn161, inputShape: [16, 16, 3], numClasses: 10 }, { seed: 11 });
    expect(Array.from(again.model.getLayer('group0.block0.bn0').getWeights()[0].dataSync())).toEqual(gammas.slice(0, 16));
    const r = make({ family: 'resnet', depth: 18, inputShape: [16, 16, 3], numClasses: 4 }, { seed: 11 });
    expect(r.model.layers.filter((l) => l.getClassName() === 'BatchNormalization')
      .every((l) => Array.from(l.getWeights()[0].dataSync()).every((g) => g === 1))).toBe(true);
  });
});

describe('WRN equals the reference cifar.py forward, written out with raw ops', () => {
  it('WRN-16-1 on 10×10×3 (odd sizes after the first stride): logits and g0, g1, g2 agree', () => {
    const z = make({ ...wrn161, inputShape: [10, 10, 3], numClasses: 6 }, { seed: 5 });
    // Random batch-norm parameters and statistics so inference-mode bn is not the identity.
    let seed = 100;
    for (const l of z.model.layers.filter((l) => l.getClassName() === 'BatchNormalization')) {
      const c = l.getWeights()[0].shape[0];
      l.setWeights([tf.randomUniform([c], 0.5, 1.5, 'float32', seed++), tf.randomNormal([c], 0, 0.2, 'float32', seed++),
        tf.randomNormal([c], 0, 0.2, 'float32', seed++), tf.randomUniform([c], 0.5, 2, 'float32', seed++)]);
    }
    const W = (name: string) => z.model.getLayer(name).getWeights();
    const conv = (x: tf.Tensor4D, name: string, stride: number, pad: number) =>
      tf.conv2d(tf.pad(x, [[0, 0], [pad, pad], [pad, pad], [0, 0]]), W(name)[0] as tf.Tensor4D, stride, 'valid') as tf.Tensor4D;
    const act = (x: tf.Tensor4D, name: string) => {
      const [gamma, beta, mean, variance] = W(name);
      return tf.relu(tf.batchNorm(x, mean, variance, beta, gamma, 1e-5)) as tf.Tensor4D;
    };
    const block = (x: tf.Tensor4D, base: string, stride: number) => {
      const o1 = act(x, `${base}.bn0`);
      const y = conv(o1, `${base}.conv0`, stride, 1);
      const o2 = act(y, `${base}.bn1`);
      const zz = conv(o2, `${base}.conv1`, 1, 1);
      const hasDim = z.model.layers.some((l) => l.name === `${base}.convdim`);
      return tf.add(zz, hasDim ? conv(o1, `${base}.convdim`, stride, 0) : x) as tf.Tensor4D;
    };
    tf.tidy(() => {
      const input = tf.randomNormal([2, 10, 10, 3], 0, 1, 'float32', 6) as tf.Tensor4D;
      let x = conv(input, 'conv0', 1, 1);
      const groups: tf.Tensor4D[] = [];
      [1, 2, 2].forEach((stride, g) => {
        for (let i = 0; i < 2; i++) x = block(x, `group${g}.block${i}`, i === 0 ? stride : 1);
        groups.push(x);
      });
      const pooled = act(x, 'bn').mean([1, 2]);
      const [fcW, fcB] = W('fc');
      const refLogits = pooled.matMul(fcW as tf.Tensor2D).add(fcB);
      const [logits, ...taps] = withTaps(z.model, ['group0', 'group1', 'group2']).predict(input) as tf.Tensor[];
      expect(taps.map((t) => t.shape)).toEqual([[2, 10, 10, 16], [2, 5, 5, 32], [2, 3, 3, 64]]);
      expect(maxAbs(logits, refLogits)).toBeLessThan(1e-4);
      taps.forEach((t, g) => expect(maxAbs(t, groups[g])).toBeLessThan(1e-4));
    });
  });
});

describe('ResNet equals torchvision\'s BasicBlock network, written out with raw ops', () => {
  it('ResNet-18, ImageNet stem on 20×20 (10 → pool 5 → 5, 3, 2, 1): logits and the four stages agree', () => {
    const z = make({ family: 'resnet', depth: 18, stem: 'imagenet', inputShape: [20, 20, 3], numClasses: 4 }, { seed: 8 });
    let seed = 300;
    for (const l of z.model.layers.filter((l) => l.getClassName() === 'BatchNormalization')) {
      const c = l.getWeights()[0].shape[0];
      l.setWeights([tf.randomUniform([c], 0.5, 1.5, 'float32', seed++), tf.randomNormal([c], 0, 0.2, 'float32', seed++),
        tf.randomNormal([c], 0, 0.2, 'float32', seed++), tf.randomUniform([c], 0.5, 2, 'float32', seed++)]);
    }
    const W = (name: string) => z.model.getLayer(name).getWeights();
    const has = (name: string) => z.model.layers.some((l) => l.name === name);
    const conv = (x: tf.Tensor4D, name: string, stride: number, pad: number) =>
      tf.conv2d(tf.pad(x, [[0, 0], [pad, pad], [pad, pad], [0, 0]]), W(name)[0] as tf.Tensor4D, stride, 'valid') as tf.Tensor4D;
    const bn = (x: tf.Tensor4D, name: string) => {
      const [gamma, beta, mean, variance] = W(name);
      return tf.batchNorm(x, mean, variance, beta, gamma, 1e-5) as tf.Tensor4D;
    };
    tf.tidy(() => {
      const input = tf.randomNormal([2, 20, 20, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
      let x = tf.relu(bn(conv(input, 'stem.conv', 2, 3), 'stem.bn')) as tf.Tensor4D;
      x = tf.maxPool(tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], -1e9), 3, 2, 'valid'); // PyTorch pads max-pool with -inf
      const stages: tf.Tensor4D[] = [];
      for (let g = 0; g < 4; g++) {
        for (let i = 0; i < 2; i++) {
          const base = `group${g}.block${i}`;
          const stride = i === 0 && g > 0 ? 2 : 1;
          const y = bn(conv(tf.relu(bn(conv(x, `${base}.conv0`, stride, 1), `${base}.bn0`)) as tf.Tensor4D, `${base}.conv1`, 1, 1), `${base}.bn1`);
          const sc = has(`${base}.downsample.conv`) ? bn(conv(x, `${base}.downsample.conv`, stride, 0), `${base}.downsample.bn`) : x;
          x = tf.relu(tf.add(y, sc)) as tf.Tensor4D;
        }
        stages.push(x);
      }
      const [fcW, fcB] = W('fc');
      const ref = x.mean([1, 2]).matMul(fcW as tf.Tensor2D).add(fcB);
      const [logits, ...taps] = withTaps(z.model, z.taps.map((t) => t.name)).predict(input) as tf.Tensor[];
      expect(taps.map((t) => t.shape[1])).toEqual([5, 3, 2, 1]);
      expect(maxAbs(logits, ref)).toBeLessThan(1e-3);
      taps.forEach((t, g) => expect(maxAbs(t, stages[g])).toBeLessThan(1e-3));
    });
  });
});

describe('strided 3×3 convs pad 1 on each side, like the reference', () => {
  it('a stride-2 conv of ones over ones gives [[4,6],[6,9]]·C, not TF-same\'s [[9,6],[6,4]]·C', () => {
    const z = make({ ...wrn161, inputShape: [8, 8, 3] }); // group1.block0.conv0: 16 → 32 channels, stride 2
    const conv = z.model.getLayer('group1.block0.conv0');
    const pad = z.model.getLayer('group1.block0.conv0.pad');
    const k = conv.getWeights()[0];
    conv.setWeights([tf.onesLike(k)]);
    const y = tf.tidy(() => conv.apply(pad.apply(tf.ones([1, 4, 4, 16]))) as tf.Tensor);
    expect(y.shape).toEqual([1, 2, 2, 32]);
    const v = y.dataSync();
    // Channel 0 of each output pixel: windows over rows/cols {-1,0,1} and {1,2,3} of a 4×4 grid.
    expect([v[0], v[32], v[64], v[96]]).toEqual([4 * 16, 6 * 16, 6 * 16, 9 * 16]);
    y.dispose();
    // TF 'same' would shift the grid; that variant exists only for measurements.
    const same = make({ ...wrn161, inputShape: [8, 8, 3] }, { exactPadding: false });
    expect(same.model.layers.some((l) => l.getClassName() === 'ZeroPadding2D')).toBe(false);
  });

  it('odd sizes follow PyTorch: 7 → 4 → 2', () => {
    const z = make({ ...wrn161, inputShape: [7, 7, 1] });
    expect(z.taps.map((t) => t.shape[0])).toEqual([7, 4, 2]);
  });
});

describe('initialization and batch norm', () => {
  it('WRN convs: plain (untruncated) Kaiming normal, std √(2/fan_in); dense bias 0', () => {
    const z = make(wrn161, { seed: 11 });
    const k = z.model.getLayer('group2.block1.conv1').getWeights()[0]; // 3×3×64×64
    const v = Array.from(k.dataSync());
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    expect(std / Math.sqrt(2 / (9 * 64))).toBeGreaterThan(0.97); // a 2σ-truncated normal would give ≈ 0.88
    expect(std / Math.sqrt(2 / (9 * 64))).toBeLessThan(1.03);
    expect(Math.max(...v.map(Math.abs)) / std).toBeGreaterThan(3); // tails are not cut at 2σ
    expect(Array.from(z.model.getLayer('fc').getWeights()[1].dataSync())).toEqual(new Array(10).fill(0));
  });

  it('ResNet convs use fan_out (torchvision): std √(2/(9·out))', () => {
    const z = make({ family: 'resnet', depth: 18, inputShape: [32, 32, 3], numClasses: 10 }, { seed: 2 });
    const v = Array.from(z.model.getLayer('group3.block1.conv1').getWeights()[0].dataSync());
    const std = Math.sqrt(v.reduce((a, b) => a + b * b, 0) / v.length);
    expect(std / Math.sqrt(2 / (9 * 512))).toBeCloseTo(1, 1);
  });

  it('batch norm: γ in [0, 1) (the reference WRN), β=0, eps 1e-5, running mean moves 0.1 of the way per training step (PyTorch momentum 0.1)', () => {
    const z = make({ ...wrn161, inputShape: [4, 4, 3] });
    const bn = z.model.getLayer('bn');
    const cfg = bn.getConfig() as { momentum: number; epsilon: number };
    expect(cfg.momentum).toBe(0.9);
    expect(cfg.epsilon).toBe(1e-5);
    const [gamma, beta, movingMean] = bn.getWeights();
    expect(Array.from(gamma.dataSync()).every((g) => g >= 0 && g < 1)).toBe(true);
    expect(Array.from(beta.dataSync()).every((b) => b === 0)).toBe(true);
    expect(Array.from(movingMean.dataSync()).every((m) => m === 0)).toBe(true);
    // Per-channel constant 3 → batch mean 3 → moving mean 0.9·0 + 0.1·3.
    tf.tidy(() => { bn.apply(tf.fill([2, 2, 2, 64], 3), { training: true }); });
    const after = bn.getWeights()[2].dataSync();
    expect(after[0]).toBeCloseTo(0.3, 6);
    expect(after[63]).toBeCloseTo(0.3, 6);
  });

  it('the same seed gives the same weights; a different one does not', () => {
    const a = make(wrn161, { seed: 42 });
    const b = make(wrn161, { seed: 42, namePrefix: 'b.' });
    const c = make(wrn161, { seed: 43 });
    const wa = a.model.getLayer('group1.block0.conv0').getWeights()[0];
    expect(maxAbs(wa, b.model.getLayer('b.group1.block0.conv0').getWeights()[0])).toBe(0);
    expect(maxAbs(wa, c.model.getLayer('group1.block0.conv0').getWeights()[0])).toBeGreaterThan(0.01);
  });
});

describe('names', () => {
  it('teacher and student with prefixes coexist: readable layer names, unique variable names', () => {
    const t = make({ ...wrn161, widen: 2 }, { namePrefix: 'teacher.' });
    const s = make(wrn161, { namePrefix: 'student.' });
    expect(t.model.layers.every((l) => l.name.startsWith('teacher.'))).toBe(true);
    expect(s.model.getLayer('student.group1.block0.convdim').getClassName()).toBe('Conv2D');
    expect(s.model.getLayer('student.group0.block0.bn0').getClassName()).toBe('BatchNormalization');
    const names = [...t.model.weights, ...s.model.weights].map((w) => w.name);
    expect(new Set(names).size).toBe(names.length);
    expect(s.model.weights[0].name).toBe('student.conv0/kernel');
    // Without a prefix a second copy still works (tfjs suffixes variable names) but layer names repeat.
    const again = make(wrn161);
    expect(again.model.getLayer('group0').name).toBe('group0');
  });
});

function maxAbs(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => a.sub(b).abs().max().dataSync()[0]);
}
