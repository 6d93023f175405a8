// webgpu: any GPU through Dawn (Vulkan, Metal, D3D12); a hardware adapter only, unless forced.
import { createRequire } from 'node:module';
import { activate, baseVersions } from '../activate.js';
import { describeAdapter, initWebGpu, WEBGPU_PACKAGES } from '../webgpu.js';
import type { AttemptContext, Outcome } from './outcome.js';

export async function tryWebGpu(ctx: AttemptContext): Promise<Outcome> {
  // Forced webgpu accepts a software adapter (tests run on SwiftShader); auto wants a real GPU.
  const init = await initWebGpu({ allowSoftware: ctx.forced, loader: ctx.loader, system: ctx.system });
  if (!init.ok) return { ok: false, reason: init.reason };
  const failed = await activate('webgpu', WEBGPU_PACKAGES.tfjs);
  if (failed !== undefined) return { ok: false, reason: failed };
  const versions = { ...baseVersions() };
  for (const pkg of Object.values(WEBGPU_PACKAGES)) {
    try {
      versions[pkg] = (createRequire(import.meta.url)(`${pkg}/package.json`) as { version: string }).version;
    } catch {
      // a fake loader in tests, or a package without a readable package.json
    }
  }
  const a = init.adapter;
  const warnings = a.software ? [`the WebGPU adapter is ${describeAdapter(a)}: it emulates a GPU on the CPU and is far slower than wasm`] : undefined;
  return { ok: true, reason: `WebGPU on ${describeAdapter(a)}`, threads: 1, versions, adapter: a, ...(warnings ? { warnings } : {}) };
}
