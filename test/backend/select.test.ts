// Backend selection: each optional package absent, present but broken, or present; forcing by option and
// by $ATSTUDIO_BACKEND; and the real selection on this machine (no tfjs-node here: wasm).
// A "present" native package is played by a module that does what tfjs-node does on import — register a
// backend named 'tensorflow' — backed by a cpu backend instance, so the selection code runs unchanged.
import * as os from 'node:os';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import {
  BackendSelectionError,
  defaultLoader,
  describeBackendChoice,
  selectBackend,
  type ModuleLoader,
} from '../../core/backend/index.js';
import { LINUX_CUDA_LIBS, LINUX_DRIVER_LIB, type SystemProbe } from '../../core/backend/cudaLibs.js';

const GPU = '@tensorflow/tfjs-node-gpu';
const NODE = '@tensorflow/tfjs-node';
const WASM = '@tensorflow/tfjs-backend-wasm';

type Behaviour = 'absent' | 'real' | { throws: Error } | { gpu?: boolean };

function notFound(spec: string): Error {
  // Node's own wording for a missing package.
  return Object.assign(new Error(`Cannot find module '${spec}'\nRequire stack:\n- /work/main/core/backend/select.ts`), { code: 'MODULE_NOT_FOUND' });
}

/** A loader over a table; records every import. Natives default to absent, wasm to the real package. */
function fakeLoader(table: Partial<Record<string, Behaviour>>, imports: string[] = []): ModuleLoader {
  const behaviour = (spec: string): Behaviour => table[spec] ?? (spec === WASM ? 'real' : 'absent');
  return {
    resolve(spec) {
      const b = behaviour(spec);
      if (b === 'absent') throw notFound(spec);
      return b === 'real' ? defaultLoader.resolve(spec) : `/fake/node_modules/${spec}/dist/index.js`;
    },
    async import(spec) {
      imports.push(spec);
      const b = behaviour(spec);
      if (b === 'absent') throw notFound(spec);
      if (b === 'real') return defaultLoader.import(spec);
      if ('throws' in b) throw b.throws;
      const CpuBackend = tf.findBackend('cpu')!.constructor as new () => tf.KernelBackend;
      tf.registerBackend('tensorflow', () => Object.assign(new CpuBackend(), { isUsingGpuDevice: b.gpu ?? false }), 3);
      return { version: { 'tfjs-node': '4.22.0' } };
    },
  };
}

/** A Linux x64 machine whose only libraries are the given ones, in the multiarch directory. */
function linuxWith(libs: readonly string[]): SystemProbe {
  const dir = '/usr/lib/x86_64-linux-gnu';
  return {
    platform: 'linux',
    arch: 'x64',
    env: {},
    exists: (f) => libs.some((l) => `${dir}/${l}` === f),
    readText: () => undefined,
    listDir: (d) => (d === dir ? [...libs] : undefined),
    ldconfigCache: () => undefined,
  };
}
const noCuda = linuxWith([]);
const withCuda = linuxWith([...LINUX_CUDA_LIBS, LINUX_DRIVER_LIB]);

beforeAll(() => {
  // The fake 'tensorflow' backend is a cpu backend; give it the one kernel the sanity check uses.
  tf.registerKernel({ ...tf.getKernel('Add', 'cpu')!, backendName: 'tensorflow' });
});

afterEach(() => {
  if (tf.findBackendFactory('tensorflow') != null) tf.removeBackend('tensorflow');
});

describe('selectBackend: automatic', () => {
  it('with both native packages absent, skips them as not installed, without importing them, and uses wasm', async () => {
    const imports: string[] = [];
    const choice = await selectBackend({ env: {}, loader: fakeLoader({}, imports), system: withCuda });
    expect(choice.name).toBe('wasm');
    expect(choice.tfBackend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(choice.attempts.map((a) => [a.name, a.ok])).toEqual([['tensorflow-gpu', false], ['webgpu', false], ['tensorflow', false], ['wasm', true]]);
    expect(choice.attempts[0]!.reason).toBe(`${GPU} is not installed`);
    expect(choice.attempts[1]!.reason).toBe('webgpu is not installed');
    expect(choice.attempts[2]!.reason).toBe(`${NODE} is not installed`);
    expect(imports).toEqual(['webgpu', WASM]);
    expect(choice.reason).toContain(`${NODE} is not installed`);
  });

  it('with wasm absent as well, falls to cpu and says why', async () => {
    const wasmMissing = Object.assign(new Error(`Cannot find package '${WASM}' imported from /work/main/core/backend/select.ts`), { code: 'ERR_MODULE_NOT_FOUND' });
    const choice = await selectBackend({ env: {}, loader: fakeLoader({ [WASM]: { throws: wasmMissing } }) });
    expect(choice.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(choice.attempts[3]).toEqual({ name: 'wasm', ok: false, reason: `${WASM} is not installed` });
    expect(choice.threads).toBe(1);
    expect(describeBackendChoice(choice)).toMatch(/^cpu \(plain JavaScript, very slow\)\. Not used: tensorflow-gpu: .*; wasm: @tensorflow\/tfjs-backend-wasm is not installed\./);
  });

  it('when libtensorflow fails to load, keeps the loader message and moves on', async () => {
    const dlopen = Object.assign(new Error('libtensorflow.so.2: cannot open shared object file: No such file or directory'), { code: 'ERR_DLOPEN_FAILED' });
    const choice = await selectBackend({ env: {}, loader: fakeLoader({ [NODE]: { throws: dlopen } }) });
    expect(choice.name).toBe('wasm');
    const reason = choice.attempts[2]!.reason;
    expect(reason).toContain(`${NODE} is installed but its native library failed to load`);
    expect(reason).toContain('libtensorflow.so.2: cannot open shared object file');
    expect(reason).not.toContain('not installed');
  });

  it('treats a missing native addon (MODULE_NOT_FOUND for the .node file) as a load failure, not as not installed', async () => {
    const addon = Object.assign(
      new Error(`Cannot find module '/x/node_modules/${NODE}/lib/napi-v8/tfjs_binding.node'\nRequire stack:\n- /x/node_modules/${NODE}/dist/index.js`),
      { code: 'MODULE_NOT_FOUND' },
    );
    const choice = await selectBackend({ env: {}, loader: fakeLoader({ [NODE]: { throws: addon } }) });
    expect(choice.attempts[2]!.reason).toContain('native library failed to load');
    expect(choice.attempts[2]!.reason).toContain('tfjs_binding.node');
    expect(choice.attempts[2]!.reason).not.toContain('Require stack');
  });

  it('skips the GPU build when CUDA libraries are missing, without loading it, and uses tfjs-node', async () => {
    const imports: string[] = [];
    const choice = await selectBackend({ env: {}, loader: fakeLoader({ [GPU]: { gpu: true }, [NODE]: {} }, imports), system: noCuda });
    expect(imports).not.toContain(GPU); // loading it would have quietly run on the CPU
    const gpu = choice.attempts[0]!;
    expect(gpu.ok).toBe(false);
    expect(gpu.reason).toContain('CUDA libraries are missing, so it would quietly run on the CPU');
    expect(gpu.reason).toContain('libcudart.so.11.0');
    expect(choice.name).toBe('tensorflow');
    expect(choice.tfBackend).toBe('tensorflow');
    expect(choice.threads).toBe(os.availableParallelism());
    expect(choice.versions[NODE]).toBe('4.22.0');
    expect(describeBackendChoice(choice)).toContain('tensorflow-gpu: @tensorflow/tfjs-node-gpu is installed, but the CUDA libraries are missing');
  });

  it('uses the GPU build when its CUDA libraries are there and TensorFlow sees a GPU', async () => {
    const choice = await selectBackend({ env: {}, loader: fakeLoader({ [GPU]: { gpu: true }, [NODE]: {} }), system: withCuda });
    expect(choice.name).toBe('tensorflow-gpu');
    expect(choice.gpu).toBe(true);
    expect(choice.attempts).toHaveLength(1);
    expect(tf.getBackend()).toBe('tensorflow');
    expect(describeBackendChoice(choice)).toMatch(/^tensorflow-gpu \(CUDA\)\./);
  });

  it('keeps a GPU build that found no GPU (it is still native TensorFlow) but warns; refuses it when forced', async () => {
    const imports: string[] = [];
    const choice = await selectBackend({ env: {}, loader: fakeLoader({ [GPU]: { gpu: false }, [NODE]: {} }, imports), system: withCuda });
    expect(choice.name).toBe('tensorflow-gpu');
    expect(choice.gpu).toBe(false);
    expect(choice.warnings?.[0]).toContain('runs on the CPU');
    expect(imports).toEqual([GPU]);
    expect(describeBackendChoice(choice)).toContain('Warning:');
    tf.removeBackend('tensorflow');
    await expect(
      selectBackend({ force: 'tensorflow-gpu', env: {}, loader: fakeLoader({ [GPU]: { gpu: false } }), system: withCuda }),
    ).rejects.toThrow(/tensorflow-gpu was requested .*no usable GPU/);
  });
});

describe('selectBackend: forced', () => {
  it('ATSTUDIO_BACKEND=cpu selects cpu and touches no other package', async () => {
    const imports: string[] = [];
    const loader = fakeLoader({ [GPU]: { gpu: true }, [NODE]: {} }, imports);
    const choice = await selectBackend({ env: { ATSTUDIO_BACKEND: 'cpu' }, loader, system: withCuda });
    expect(choice.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(choice.attempts).toEqual([{ name: 'cpu', ok: true, reason: 'plain JavaScript kernels (very slow)' }]);
    expect(choice.reason).toBe('requested by ATSTUDIO_BACKEND=cpu');
    expect({ forced: choice.forced, by: choice.by }).toEqual({ forced: true, by: 'env' });
    expect(describeBackendChoice(choice)).toMatch(/^cpu \(plain JavaScript, very slow\), requested by ATSTUDIO_BACKEND=cpu\. TensorFlow\.js /);
    expect(imports).toEqual([]);
  });

  it('the force option wins over the variable, and "auto" means automatic', async () => {
    const forced = await selectBackend({ force: 'wasm', env: { ATSTUDIO_BACKEND: 'cpu' }, loader: fakeLoader({}) });
    expect(forced.name).toBe('wasm');
    expect(forced.reason).toBe('requested by the backend option (wasm)');
    expect({ forced: forced.forced, by: forced.by }).toEqual({ forced: true, by: 'option' });
    const passedThrough = await selectBackend({ force: 'cpu', env: { ATSTUDIO_BACKEND: 'cpu' }, loader: fakeLoader({}) });
    expect({ forced: passedThrough.forced, by: passedThrough.by, reason: passedThrough.reason }).toEqual({ forced: true, by: 'env', reason: 'requested by ATSTUDIO_BACKEND=cpu' });
    const auto = await selectBackend({ env: { ATSTUDIO_BACKEND: 'auto' }, loader: fakeLoader({ [NODE]: {} }) });
    expect(auto.name).toBe('tensorflow');
    expect({ forced: auto.forced, by: auto.by }).toEqual({ forced: false, by: 'auto' });
    expect(auto.attempts.map((a) => a.name)).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow']);
  });

  it('an invalid ATSTUDIO_BACKEND names the variable and the accepted values, and changes nothing', async () => {
    await tf.setBackend('cpu');
    const err = await selectBackend({ env: { ATSTUDIO_BACKEND: 'gpu' }, loader: fakeLoader({}) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendSelectionError);
    const msg = (err as Error).message;
    expect(msg).toContain('ATSTUDIO_BACKEND');
    expect(msg).toContain('"gpu"');
    expect(msg).toContain('tensorflow-gpu, webgpu, tensorflow, wasm, cpu, auto');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('an invalid value passed through as force still names the variable it came from', async () => {
    const env = { ATSTUDIO_BACKEND: 'cuda' };
    await expect(selectBackend({ force: 'cuda' as never, env, loader: fakeLoader({}) })).rejects.toThrow(/ATSTUDIO_BACKEND is "cuda".*accepted values: tensorflow-gpu, webgpu, tensorflow, wasm, cpu, auto/);
  });

  it('a forced backend that cannot load throws with the reason instead of falling back', async () => {
    await tf.setBackend('cpu');
    const imports: string[] = [];
    const err = await selectBackend({ env: { ATSTUDIO_BACKEND: 'tensorflow' }, loader: fakeLoader({}, imports) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendSelectionError);
    expect((err as Error).message).toBe(`backend tensorflow was requested (ATSTUDIO_BACKEND=tensorflow) but cannot be used: ${NODE} is not installed`);
    expect((err as BackendSelectionError).attempts).toEqual([{ name: 'tensorflow', ok: false, reason: `${NODE} is not installed` }]);
    expect(imports).toEqual([]); // wasm was not tried behind the user's back
    expect(tf.getBackend()).toBe('cpu');
    await expect(selectBackend({ force: 'tensorflow-gpu', env: {}, loader: fakeLoader({ [GPU]: { gpu: true } }), system: noCuda })).rejects.toThrow(
      /tensorflow-gpu was requested .*CUDA libraries are missing.*libcudnn\.so\.8/,
    );
  });
});

describe('selectBackend on this machine', () => {
  it('chooses wasm (tfjs-node is not installed here), with its training kernels, a thread per core and versions', async () => {
    const choice = await selectBackend({ env: {} });
    const text = describeBackendChoice(choice);
    console.log(`backend here: ${text}`);
    expect(choice.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(choice.tfBackend).toBe('wasm');
    expect(choice.attempts.map((a) => a.name)).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm']);
    expect(choice.attempts[0]).toEqual({ name: 'tensorflow-gpu', ok: false, reason: `${GPU} is not installed` });
    expect(choice.attempts[2]).toEqual({ name: 'tensorflow', ok: false, reason: `${NODE} is not installed` });
    // No GPU here: Dawn finds no adapter (Debian 12's lavapipe is refused), or only SwiftShader when
    // VK_ICD_FILENAMES names Chromium's ICD, which auto never takes.
    expect(choice.attempts[1]!.ok).toBe(false);
    expect(choice.attempts[1]!.reason).toMatch(/no WebGPU adapter: |a CPU emulation of a GPU, far slower than wasm, so auto never picks it/);
    // The default is wasmThreads 'auto': every core (the threaded build is checked at start-up).
    const cores = Math.min(os.availableParallelism(), 8);
    expect(choice.threads).toBe(cores);
    expect(choice.wasmThreads).toEqual({ requested: 'auto', by: 'the default', used: cores, ...(cores === 1 ? { fallback: '1 logical core' } : {}) });
    expect(choice.versions).toMatchObject({ 'tfjs-core': '4.22.0', [WASM]: '4.22.0', node: process.versions.node });
    // registerWasmTrainingKernels ran: stock wasm has no Conv2DBackpropFilter.
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(text).toMatch(new RegExp(`^wasm \\((no )?SIMD, ${cores} threads?\\)\\. Not used:`));
    expect(text).toMatch(/Not used: tensorflow-gpu: @tensorflow\/tfjs-node-gpu is not installed; webgpu: .*; tensorflow: @tensorflow\/tfjs-node is not installed\./);
    expect(text).toContain(`Node ${process.versions.node}`);
  });
});

describe('describeBackendChoice', () => {
  it('names the request from the structured forced flag, not from the reason text', () => {
    const base = { name: 'cpu' as const, tfBackend: 'cpu', attempts: [], threads: 1, versions: { 'tfjs-core': '4.22.0', node: '20.0.0' } };
    expect(describeBackendChoice({ ...base, reason: 'requested by the backend option (cpu)', forced: true, by: 'option' }))
      .toBe('cpu (plain JavaScript, very slow), requested by the backend option (cpu). TensorFlow.js 4.22.0, Node 20.0.0.');
    // An automatic choice whose reason happens to read like a request is still described as automatic.
    expect(describeBackendChoice({ ...base, reason: 'requested by nobody', forced: false, by: 'auto' }))
      .toBe('cpu (plain JavaScript, very slow). TensorFlow.js 4.22.0, Node 20.0.0.');
  });
});
