// Child process of webgpuProbe.ts: asks Dawn for its adapter, replies over IPC, exits. Separate so that the
// service never loads dawn.node into its own process (Electron's main process, or serve mode's), and so
// that Dawn's driver messages on stderr stay out of the service's output.
import { defaultSystemProbe } from './cudaLibs.js';
import { defaultLoader } from './select.js';
import { probeWebGpuAdapter } from './webgpu.js';

if (process.send) {
  const reply = await probeWebGpuAdapter(defaultLoader, defaultSystemProbe(process.env)).catch((err: unknown) => ({ reason: `the adapter probe failed: ${(err as Error).message}` }));
  process.send(reply, () => process.exit(0));
}
