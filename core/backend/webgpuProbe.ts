// The WebGPU adapter this machine offers, for the wizard's backend list: asked once per process, in a
// child process (webgpuProbeMain.ts) with a time limit, so a hanging driver cannot stall the service.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { compiledScript } from '../util/compiledScript.js';
import type { WebGpuAdapter } from './webgpu.js';

export type WebGpuProbe = { adapter: WebGpuAdapter } | { reason: string };

const PROBE_TIMEOUT_MS = 20_000;
let cached: Promise<WebGpuProbe> | undefined;

export function probeWebGpu(opts: { script?: string; timeoutMs?: number; fresh?: boolean } = {}): Promise<WebGpuProbe> {
  if (cached && !opts.fresh) return cached;
  const script = opts.script ?? compiledScript(import.meta.url, 'webgpuProbeMain.js');
  const timeoutMs = opts.timeoutMs ?? PROBE_TIMEOUT_MS;
  cached = new Promise<WebGpuProbe>((resolve) => {
    if (!existsSync(script)) {
      resolve({ reason: `the adapter probe ${script} is missing (run npm run build)` });
      return;
    }
    let done = false;
    const child = fork(script, [], { execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-1000); });
    const finish = (r: WebGpuProbe) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      resolve(r);
    };
    const timer = setTimeout(() => finish({ reason: `asking the GPU driver for an adapter took longer than ${Math.round(timeoutMs / 1000)} s` }), timeoutMs);
    child.on('message', (m) => finish(m as WebGpuProbe));
    child.on('error', (err) => finish({ reason: `the adapter probe failed to start: ${err.message}` }));
    child.on('exit', (code, signal) => finish({ reason: `the adapter probe stopped (${signal ?? `exit code ${code}`})${stderr ? `: ${stderr.trim().split('\n').slice(-1)[0]}` : ''}` }));
  });
  return cached;
}
