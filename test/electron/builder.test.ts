// build/electron-builder.yml: electron-builder's own schema accepts it, it names the targets the issue asks
// for, every path it names exists or is produced by the build, and its asar-unpack globs catch tfjs-node's
// native files (electron-builder matches with minimatch).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(root, 'package.json'));
const yaml = require('js-yaml') as { load(text: string): unknown };
const minimatch = require('minimatch') as (p: string, pattern: string, o?: object) => boolean;
const configPath = path.join(root, 'build', 'electron-builder.yml');

interface BuilderConfig {
  appId: string; productName: string; extraMetadata: { main: string }; files: string[]; asarUnpack: string[];
  directories: { output: string; buildResources: string };
  linux: { target: string[]; category: string; files: string[] }; win: { target: string[]; files: string[] }; mac: { target: string[]; files: string[] };
}
const config = yaml.load(readFileSync(configPath, 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>; optionalDependencies: Record<string, string>; dependencies: Record<string, string>;
};
const tsconfig = JSON.parse(readFileSync(path.join(root, 'tsconfig.json'), 'utf8')) as { include: string[] };

describe('build/electron-builder.yml', () => {
  it("passes electron-builder's own configuration schema (a misspelt option fails it)", async () => {
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = require('builder-util');
    const loaded = await getConfig(root, configPath, null);
    await expect(validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...loaded, linux: { ...loaded.linux, categry: 'Science' } }, new DebugLogger(false)))
      .rejects.toThrow(/configuration object that does not match/);
  });

  it('builds AppImage + deb (Science), NSIS and dmg into release/, as Attention Transfer Studio', () => {
    expect(config.productName).toBe('Attention Transfer Studio');
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.category).toBe('Science');
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.directories.output).toBe('release');
  });

  it('names only paths that exist or that npm run build produces', () => {
    expect(existsSync(path.join(root, config.directories.buildResources))).toBe(true);
    // The packaged app starts the Electron entry, compiled from electron/main.ts.
    expect(config.extraMetadata.main).toBe('dist/electron/main.js');
    expect(existsSync(path.join(root, 'electron', 'main.ts'))).toBe(true);
    for (const pattern of config.files.filter((f) => !f.startsWith('!'))) {
      const base = pattern.split('/').filter((s) => !/[*?{[]/.test(s)).join('/');
      if (base === 'package.json') {
        expect(existsSync(path.join(root, base))).toBe(true);
      } else if (base.startsWith('dist/')) {
        // dist/<part> comes from tsc: the part's sources exist and tsconfig compiles them.
        const part = base.split('/')[1]!;
        expect(existsSync(path.join(root, part)), `${part}/ for ${pattern}`).toBe(true);
        expect(tsconfig.include.some((i) => i.startsWith(`${part}/`)), `tsconfig includes ${part}/`).toBe(true);
      } else if (base === 'renderer/dist') {
        // Built by the renderer's own build (vite); the folder it is built from exists.
        expect(existsSync(path.join(root, 'renderer'))).toBe(true);
      } else {
        throw new Error(`unexpected files entry ${pattern}`);
      }
    }
    expect(config.files).toContain('dist/electron/**/*');
    // scripts/dist.mjs runs electron-builder with this file (or says what is missing for it).
    expect(pkg.scripts.dist).toBe('npm run build && node scripts/dist.mjs');
    expect(readFileSync(path.join(root, 'scripts', 'dist.mjs'), 'utf8')).toContain("'--config', 'build/electron-builder.yml'");
  });

  it("unpacks tfjs-node's addon and libtensorflow from the asar, and nothing else of node_modules", () => {
    const unpacked = (p: string) => config.asarUnpack.some((g) => minimatch(p, g, { dot: true }));
    for (const name of ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']) {
      expect(pkg.optionalDependencies[name]).toBeDefined();
      expect(unpacked(`node_modules/${name}/lib/napi-v8/tfjs_binding.node`)).toBe(true);
      expect(unpacked(`node_modules/${name}/deps/lib/libtensorflow.so.2.9.1`)).toBe(true);
      expect(unpacked(`node_modules/${name}/deps/lib/libtensorflow_framework.so.2`)).toBe(true);
      expect(unpacked(`node_modules/${name}/deps/lib/tensorflow.dll`)).toBe(true);
    }
    expect(unpacked('node_modules/@tensorflow/tfjs/dist/tf.node.js')).toBe(false);
    expect(unpacked('node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')).toBe(false);
    expect(unpacked('dist/electron/main.js')).toBe(false);
  });

  it("unpacks Dawn's dawn.node (and Windows' shader compiler DLLs) from the asar", () => {
    const unpacked = (p: string) => config.asarUnpack.some((g) => minimatch(p, g, { dot: true }));
    expect(unpacked('node_modules/webgpu/dist/linux-x64/dawn.node')).toBe(true);
    expect(unpacked('node_modules/webgpu/dist/win32-x64/dxcompiler.dll')).toBe(true);
    expect(unpacked('node_modules/webgpu/index.js')).toBe(false);
  });

  // electron-builder keeps a node_modules file when it matches "**/*" and then none of the exclusions of
  // the top-level and the platform's `files` (app-builder-lib fileMatcher.js getNodeModuleFileMatcher and
  // util/filter.js minimatchAll), after expanding ${arch}.
  const packedDawn = (platform: 'linux' | 'win' | 'mac', arch: string): string[] => {
    const exclusions = [...config.files, ...config[platform].files].filter((f) => f.startsWith('!'))
      .map((f) => f.slice(1).replace(/\$\{arch\}/g, arch));
    return ['linux-x64', 'linux-arm64', 'darwin-universal', 'win32-x64', 'win32-arm64']
      .filter((dir) => !exclusions.some((g) => minimatch(`node_modules/webgpu/dist/${dir}/dawn.node`, g, { dot: true })));
  };
  it.each([
    ['linux', 'x64', ['linux-x64']], ['linux', 'arm64', ['linux-arm64']], ['win', 'x64', ['win32-x64']],
    ['win', 'arm64', ['win32-arm64']], ['mac', 'universal', ['darwin-universal']], ['mac', 'arm64', ['darwin-universal']],
  ] as const)('packs only the target\'s dawn.node: %s %s', (platform, arch, want) => {
    expect(pkg.dependencies.webgpu).toBeDefined();
    expect(packedDawn(platform, arch)).toEqual(want);
  });

  const packedOrt = (platform: 'linux' | 'win' | 'mac', arch: string): string[] => {
    const exclusions = [...config.files, ...config[platform].files].filter((f) => f.startsWith('!'))
      .map((f) => f.slice(1).replace(/\$\{arch\}/g, arch));
    return ['linux/x64', 'linux/arm64', 'darwin/arm64', 'win32/x64', 'win32/arm64']
      .filter((dir) => !exclusions.some((g) => minimatch(`node_modules/onnxruntime-node/bin/napi-v6/${dir}/onnxruntime_binding.node`, g, { dot: true })));
  };
  it.each([
    ['linux', 'x64', ['linux/x64']], ['linux', 'arm64', ['linux/arm64']], ['win', 'x64', ['win32/x64']],
    ['win', 'arm64', ['win32/arm64']], ['mac', 'arm64', ['darwin/arm64']],
  ] as const)("packs only the target's onnxruntime-node binaries, unpacked: %s %s", (platform, arch, want) => {
    expect(pkg.optionalDependencies['onnxruntime-node']).toBeDefined();
    expect(packedOrt(platform, arch)).toEqual(want);
    expect(config.asarUnpack.some((g) => minimatch(`node_modules/onnxruntime-node/bin/napi-v6/${want[0]}/onnxruntime_binding.node`, g, { dot: true }))).toBe(true);
  });

  it("leaves dependencies' source maps out of the app", () => {
    const excluded = config.files.filter((f) => f.startsWith('!')).map((f) => f.slice(1));
    expect(excluded.some((g) => minimatch('node_modules/@tensorflow/tfjs-core/dist/tf-core.node.js.map', g, { dot: true }))).toBe(true);
    expect(excluded.some((g) => minimatch('node_modules/@tensorflow/tfjs-core/dist/tf-core.node.js', g, { dot: true }))).toBe(false);
  });

  it("packs only the TF.js builds Node loads: each package's dist/tf-*.node.js and the wasm binaries", () => {
    const excluded = config.files.filter((f) => f.startsWith('!')).map((f) => f.slice(1));
    const packed = (p: string) => !excluded.some((g) => minimatch(p, g, { dot: true }));
    const tf = 'node_modules/@tensorflow';
    for (const [name, main] of [['tfjs-core', 'tf-core'], ['tfjs-layers', 'tf-layers'], ['tfjs-backend-cpu', 'tf-backend-cpu'], ['tfjs-backend-wasm', 'tf-backend-wasm'], ['tfjs-backend-webgpu', 'tf-backend-webgpu']]) {
      const pj = JSON.parse(readFileSync(path.join(root, tf, name!, 'package.json'), 'utf8')) as { main: string };
      expect(pj.main).toBe(`dist/${main}.node.js`);
      expect(packed(`${tf}/${name}/${pj.main}`), name).toBe(true);
      expect(packed(`${tf}/${name}/package.json`), name).toBe(true);
      for (const unused of [`dist/${main}.js`, `dist/${main}.min.js`, `dist/${main}.es2017.js`, `dist/${main}.fesm.js`, 'dist/index.js']) expect(packed(`${tf}/${name}/${unused}`), `${name}/${unused}`).toBe(false);
    }
    expect(packed(`${tf}/tfjs-core/dist/ops/conv2d.js`)).toBe(false);
    expect(packed(`${tf}/tfjs-core/dist/tensor_test.js`)).toBe(false);
    for (const wasm of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
      expect(existsSync(path.join(root, tf, 'tfjs-backend-wasm/dist', wasm)), wasm).toBe(true);
      expect(packed(`${tf}/tfjs-backend-wasm/dist/${wasm}`), wasm).toBe(true);
    }
    // tfjs-node's own dist is CommonJS that Node loads.
    expect(packed(`${tf}/tfjs-node/dist/index.js`)).toBe(true);
  });

  it.each(['linux', 'win', 'mac'] as const)("packs dist/ and renderer/dist/ only, not the project's sources, tests or maps: %s", async (platform) => {
    // What electron-builder itself computes: its normalized config (top-level `files` becomes a file set)
    // and its main file matchers for the platform; a file goes into app.asar when any matcher accepts it.
    const { getConfig } = require('app-builder-lib/out/util/config/config.js');
    const { getMainFileMatchers } = require('app-builder-lib/out/fileMatcher.js');
    const loaded = await getConfig(root, configPath, null);
    const packager = { info: { projectDir: root, buildResourcesDir: 'build', config: loaded, isPrepackedAppAsar: false, debugLogger: { isEnabled: false } }, config: loaded };
    const matchers = getMainFileMatchers(root, '/app', (s: string) => s.replace(/\$\{arch\}/g, 'x64'), loaded[platform], packager, path.join(root, 'release'), false) as { createFilter(): (f: string, st: object) => boolean }[];
    const file = { isDirectory: () => false };
    const packed = (p: string) => matchers.some((m) => m.createFilter()(path.join(root, p), file));
    for (const p of ['package.json', 'dist/core/index.js', 'dist/cli/main.js', 'dist/electron/main.js', 'renderer/dist/index.html']) expect(packed(p), p).toBe(true);
    for (const p of ['core/tf.ts', 'test/package/exports.test.ts', 'README.md', 'tsconfig.json', '.ci/run', 'dist/core/index.js.map', 'dist/core/index.d.ts']) expect(packed(p), p).toBe(false);
  });

  it('keeps the electron npm package (an optionalDependency) out of the app', () => {
    expect(pkg.optionalDependencies.electron).toBeDefined();
    const excluded = config.files.filter((f) => f.startsWith('!')).map((f) => f.slice(1));
    expect(excluded.some((g) => minimatch('node_modules/electron/dist/electron', g, { dot: true }))).toBe(true);
    expect(excluded.some((g) => minimatch('node_modules/@tensorflow/tfjs-node/package.json', g, { dot: true }))).toBe(false);
  });
});
