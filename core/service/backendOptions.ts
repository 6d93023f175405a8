// backends(): each TF.js backend the wizard may offer, whether it is there and why (not).
import { createRequire } from 'node:module';
import { BACKEND_ORDER, BACKEND_PACKAGES } from '../backend/select.js';
import { describeAdapter, WEBGPU_PACKAGES } from '../backend/webgpu.js';
import { probeWebGpu } from '../backend/webgpuProbe.js';
import type { BackendOption } from './api.js';

const require = createRequire(import.meta.url);

function installed(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

export async function backendOptions(): Promise<BackendOption[]> {
  const webgpu = await webgpuOption();
  return BACKEND_ORDER.map((name): BackendOption => {
    if (name === 'cpu') return { name, available: true, reason: 'plain JavaScript: always there, very slow' };
    if (name === 'webgpu') return webgpu;
    const pkg = BACKEND_PACKAGES[name];
    if (!installed(pkg)) return { name, available: false, reason: `${pkg} is not installed (an optional package; it downloads libtensorflow when installed)` };
    const reason = name === 'wasm' ? `${pkg} is installed` : `${pkg} is installed (whether it loads is known when a run starts)`;
    return { name, available: true, reason };
  });
}

/** webgpu: the adapter Dawn offers here, asked once in a child process (dawn.node never loads in this one). */
async function webgpuOption(): Promise<BackendOption> {
  for (const pkg of Object.values(WEBGPU_PACKAGES)) {
    if (!installed(pkg)) return { name: 'webgpu', available: false, reason: `${pkg} is not installed` };
  }
  const probe = await probeWebGpu();
  if ('reason' in probe) return { name: 'webgpu', available: false, reason: probe.reason };
  const a = probe.adapter;
  const reason = a.software
    ? `only ${describeAdapter(a)}: it emulates a GPU on the CPU, far slower than wasm, so Automatic never picks it`
    : `${describeAdapter(a)} through WebGPU`;
  return { name: 'webgpu', available: true, reason, adapter: { vendor: a.vendor, architecture: a.architecture, description: a.description, software: a.software } };
}
