// The engine imports tfjs-core, tfjs-layers and tfjs-backend-cpu instead of the umbrella @tensorflow/tfjs
// (core/tfPackages.ts). What the umbrella registered on top must still be there: every gradient of
// tfjs-core's register_all_gradients (registered by tfjs-layers) and every chained op of
// register_all_chained_ops (registered by core/chainedOps.ts), read here from tfjs-core's own files.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { CHAINED_OPS, FIRST_ARGUMENT_OPS } from '../../core/chainedOps.js';
import { useBackend } from '../helpers/backend.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(root, 'package.json'));
const coreDist = path.dirname(require.resolve('@tensorflow/tfjs-core/package.json')) + '/dist';
const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^import .*'\.\/(\w+)';$/gm)].map((m) => m[1]!);

beforeAll(async () => { await useBackend('cpu'); });

describe('TF.js without the umbrella package', () => {
  it('registers a gradient for every kernel of tfjs-core register_all_gradients', () => {
    const files = [...readFileSync(path.join(coreDist, 'register_all_gradients.js'), 'utf8').matchAll(/from '\.\/gradients\/(\w+)'/g)].map((m) => m[1]!);
    expect(files.length).toBeGreaterThan(100);
    const kernels = files.map((f) => readFileSync(path.join(coreDist, 'gradients', `${f}.js`), 'utf8').match(/kernelName: (\w+),/)![1]!);
    const missing = kernels.filter((k) => tf.getGradient((tf as unknown as Record<string, string>)[k]!) == null);
    expect(missing).toEqual([]);
  });

  it('registers every chained op of tfjs-core register_all_chained_ops, each as its file defines it', () => {
    const dir = path.join(coreDist, 'public/chained_ops');
    const files = importsOf(path.join(dir, 'register_all_chained_ops.js'));
    expect(files.length).toBe(137);
    const bodies = new Map<string, string>();
    for (const f of files) {
      const src = readFileSync(path.join(dir, `${f}.js`), 'utf8');
      for (const m of src.matchAll(/prototype\.(\w+) =\s*function \(([^)]*)\) \{([\s\S]*?)\n\s*\};/g)) bodies.set(m[1]!, m[3]!.replace(/\s+/g, ' '));
    }
    expect([...bodies.keys()].sort()).toEqual([...CHAINED_OPS].sort());
    // The generic ones really are `return name(this, …)` in tfjs-core.
    for (const name of FIRST_ARGUMENT_OPS) expect(bodies.get(name), name).toMatch(new RegExp(`this\\.throwIfDisposed\\(\\); return ${name}\\(this[,)]`));
    const x = tf.tensor1d([1]);
    for (const name of CHAINED_OPS) expect(typeof (x as unknown as Record<string, unknown>)[name], name).toBe('function');
    x.dispose();
  });

  it('chained ops compute what the ops do (hand-computed values)', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([1, -2, 3]);
      expect(x.square().sum().dataSync()[0]).toBe(14);
      expect(x.abs().max().dataSync()[0]).toBe(3);
      expect(tf.tensor1d([1, 2], 'int32').toFloat().dtype).toBe('float32');
      expect(x.as2D(3, 1).shape).toEqual([3, 1]);
      expect(x.reshapeAs(tf.zeros([1, 3])).shape).toEqual([1, 3]);
      expect(() => x.asScalar()).toThrow('The array must have only 1 element.');
      expect(Array.from(x.concat(tf.tensor1d([4])).dataSync())).toEqual([1, -2, 3, 4]);
      expect(x.stack(x).shape).toEqual([2, 3]);
      expect(Array.from(tf.tensor1d([5, 6, 7]).where(tf.tensor1d([true, false, true], 'bool'), x).dataSync())).toEqual([5, -2, 7]);
      expect(tf.tensor1d([0, 2], 'int32').oneHot(3, 1, 0).arraySync()).toEqual([[1, 0, 0], [0, 0, 1]]);
      expect(tf.zeros([1, 2, 2, 1]).resizeBilinear([4, 4]).shape).toEqual([1, 4, 4, 1]);
    });
    const y = tf.tensor1d([1]);
    y.dispose();
    expect(() => y.square()).toThrow(/disposed/);
  });

  it('has no webgl backend, graph-model loader or tf.data (the umbrella had them)', () => {
    expect(tf.findBackendFactory('webgl')).toBeNull();
    expect('loadGraphModel' in tf).toBe(false);
    expect('data' in tf).toBe(false);
  });

  it('no source imports the umbrella @tensorflow/tfjs, and package.json does not depend on it', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies['@tensorflow/tfjs']).toBeUndefined();
    for (const name of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-cpu']) expect(pkg.dependencies[name]).toBe('4.22.0');
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir)) {
        const p = path.join(dir, e);
        if (e === 'node_modules' || e === 'dist') continue;
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|mts|cts|js|mjs|cjs|svelte)$/.test(e) && /(from |import\(|require\()'@tensorflow\/tfjs'/.test(readFileSync(p, 'utf8'))) offenders.push(path.relative(root, p));
      }
    };
    for (const dir of ['core', 'cli', 'serve', 'electron', 'renderer', 'scripts', 'test']) walk(path.join(root, dir));
    expect(offenders).toEqual([]);
  });
});
