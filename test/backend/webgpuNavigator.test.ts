// Dawn's navigator.gpu in a process that already has a navigator (Node 21+ and Electron's utilityProcess
// define one, with userAgent, hardwareConcurrency…): gpu is added and the rest kept. Played with a fake
// `webgpu` package, so no GPU or Vulkan is needed.
import { expect, it } from 'vitest';
import { probeWebGpuAdapter } from '../../core/backend/webgpu.js';
import type { ModuleLoader } from '../../core/backend/select.js';
import type { SystemProbe } from '../../core/backend/cudaLibs.js';

it("adds gpu to an existing navigator, keeps its fields, and explains a null adapter", async () => {
  const existing = { userAgent: 'Node.js/22', hardwareConcurrency: 2 };
  Object.defineProperty(globalThis, 'navigator', { value: existing, writable: true, configurable: true });
  const gpu = { requestAdapter: async () => null };
  const loader: ModuleLoader = {
    resolve: (s) => s,
    import: async (s) => {
      if (s !== 'webgpu') throw new Error(`unexpected import ${s}`);
      return { create: () => gpu, globals: { GPUBufferUsage: { MAP_READ: 1 } } };
    },
  };
  const system: SystemProbe = { platform: 'linux', arch: 'x64', env: {}, exists: () => false, readText: () => undefined,
    listDir: () => undefined, ldconfigCache: () => '' };
  const r = await probeWebGpuAdapter(loader, system);
  expect(r).toEqual({ reason: expect.stringContaining('the Vulkan loader libvulkan.so.1 is not installed') });
  const nav = (globalThis as unknown as { navigator: typeof existing & { gpu: unknown } }).navigator;
  expect(nav.gpu).toBe(gpu);
  expect(nav.userAgent).toBe('Node.js/22');
  expect(nav.hardwareConcurrency).toBe(2);
  expect((globalThis as unknown as { GPUBufferUsage: unknown }).GPUBufferUsage).toEqual({ MAP_READ: 1 });
});
