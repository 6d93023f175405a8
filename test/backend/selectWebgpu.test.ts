// The webgpu backend's selection: auto never takes a software adapter (SwiftShader here) and says why;
// forcing it takes it and records the adapter (in the choice and in a run's environment); a lost device
// is reported, fails reads instead of hanging them, and the next selection gets a new device. Plus the
// "no adapter" diagnosis on machines without a Vulkan loader or driver (played by a fake system).
import { describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { describeBackendChoice, selectBackend } from '../../core/backend/index.js';
import { diagnoseNoAdapter } from '../../core/backend/webgpuDiagnose.js';
import { assertWebGpuHealthy, guardWebGpu, loseWebGpuDeviceForTest, webGpuFailure, WebGpuDeviceError } from '../../core/backend/webgpu.js';
import type { SystemProbe } from '../../core/backend/cudaLibs.js';
import { collectEnvironment } from '../../core/runs/environment.js';
import { skipWebgpuTests } from '../helpers/webgpu.js';

const skip = skipWebgpuTests('test/backend/selectWebgpu.test.ts');

describe.skipIf(skip)('webgpu selection on SwiftShader', () => {
  it('auto skips the software adapter, says why, and goes on to the next backend', async () => {
    const choice = await selectBackend({ env: {} });
    expect(choice.name).not.toBe('webgpu');
    const webgpu = choice.attempts.find((a) => a.name === 'webgpu')!;
    expect(webgpu.ok).toBe(false);
    expect(webgpu.reason).toMatch(/SwiftShader.*a CPU emulation of a GPU, far slower than wasm, so auto never picks it/);
    expect(describeBackendChoice(choice)).toContain('webgpu: the only WebGPU adapter is google swiftshader');
  });

  it('forced (ATSTUDIO_BACKEND=webgpu), it takes SwiftShader and records the adapter, in the choice and the run environment', async () => {
    const choice = await selectBackend({ env: { ATSTUDIO_BACKEND: 'webgpu' } });
    expect(choice.name).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    expect(choice.reason).toBe('requested by ATSTUDIO_BACKEND=webgpu');
    expect(choice.adapter).toMatchObject({ vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true, software: true });
    expect(choice.adapter!.limits.maxBufferSize).toBeGreaterThan(0);
    expect(choice.warnings?.[0]).toMatch(/emulates a GPU on the CPU/);
    expect(choice.versions).toMatchObject({ '@tensorflow/tfjs-backend-webgpu': '4.22.0', webgpu: expect.any(String) });
    expect(describeBackendChoice(choice)).toMatch(/^webgpu \(google swiftshader \(SwiftShader driver [^)]*\), a software adapter\), requested by ATSTUDIO_BACKEND=webgpu\./);
    const env = collectEnvironment(choice as unknown as Parameters<typeof collectEnvironment>[0]);
    expect(env.backend.adapter).toEqual(choice.adapter);
    // Reads are asynchronous on webgpu in Node.
    const t = tf.add(tf.scalar(2), tf.scalar(3));
    expect((await t.data())[0]).toBe(5);
    t.dispose();
  });

  it('a lost device: reads fail with the reason instead of hanging, steps refuse to go on, and the next selection gets a new device', async () => {
    await selectBackend({ force: 'webgpu', env: {} });
    const big = tf.randomNormal([64, 64]);
    const product = tf.matMul(big, big);
    const pending = guardWebGpu(product.data());
    loseWebGpuDeviceForTest();
    await expect(pending).rejects.toThrow(/GPU device was lost/);
    expect(webGpuFailure()).toBeInstanceOf(WebGpuDeviceError);
    expect(webGpuFailure()!.kind).toBe('lost');
    expect(() => assertWebGpuHealthy()).toThrow(/^the GPU device was lost \(destroyed/);
    tf.dispose([big, product]);

    const again = await selectBackend({ force: 'webgpu', env: {} });
    expect(again.name).toBe('webgpu');
    expect(webGpuFailure()).toBeUndefined();
    const t = tf.mul(tf.scalar(4), tf.scalar(5));
    expect((await t.data())[0]).toBe(20);
    t.dispose();
  });

  it('a tensor larger than the GPU allows: the step fails with a message that says so, not with garbage', async () => {
    const choice = await selectBackend({ force: 'webgpu', env: {} });
    const big = tf.fill([Math.ceil(choice.adapter!.limits.maxBufferSize / 4) + 1024], 1);
    const total = tf.sum(big);
    await expect(guardWebGpu(total.data())).rejects.toThrow(/^a tensor is larger than this GPU allows \(try a smaller batch\): Buffer size \(\d+\) exceeds the max buffer size limit/);
    expect(webGpuFailure()!.kind).toBe('out-of-memory');
    expect(() => assertWebGpuHealthy()).toThrow(/try a smaller batch/);
    tf.dispose([big, total]);
    await selectBackend({ force: 'webgpu', env: {} }); // a new device: the process can go on
    expect(webGpuFailure()).toBeUndefined();
  });
});

/** A Linux machine with the given files and `ldconfig -p` output. */
function linux(files: string[], ldconfig: string, dirs: Record<string, string[]> = {}, env: NodeJS.ProcessEnv = {}): SystemProbe {
  return {
    platform: 'linux', arch: 'x64', env,
    exists: (f) => files.includes(f), readText: () => undefined, listDir: (d) => dirs[d], ldconfigCache: () => ldconfig,
  };
}
const LOADER_LINE = '\tlibvulkan.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libvulkan.so.1\n';

describe('no WebGPU adapter: what is missing', () => {
  it('no Vulkan loader: install libvulkan1', () => {
    const msg = diagnoseNoAdapter(linux([], '1 libs found in cache\n'));
    expect(msg).toContain('the Vulkan loader libvulkan.so.1 is not installed');
    expect(msg).toContain('install libvulkan1');
  });

  it('a loader found in a library folder but no driver: install the GPU vendor\'s Vulkan driver', () => {
    const msg = diagnoseNoAdapter(linux(['/usr/lib/x86_64-linux-gnu/libvulkan.so.1'], ''));
    expect(msg).toContain('libvulkan.so.1 is installed but no Vulkan driver (ICD) is');
    expect(msg).toContain('nvidia_icd.json');
  });

  it('a loader and only software drivers: names them', () => {
    const msg = diagnoseNoAdapter(linux([], LOADER_LINE, { '/usr/share/vulkan/icd.d': ['lvp_icd.x86_64.json'] }));
    expect(msg).toContain('(lvp_icd.x86_64.json)');
    expect(msg).toContain('only software drivers');
  });

  it('VK_ICD_FILENAMES naming a file that is not there', () => {
    const msg = diagnoseNoAdapter(linux([], LOADER_LINE, {}, { VK_ICD_FILENAMES: '/nowhere/icd.json' }));
    expect(msg).toContain('/nowhere/icd.json) do not exist');
  });
});
