// environment.json: what the run ran on, so results can be compared and reproduced.
import * as os from 'node:os';
import { createRequire } from 'node:module';
import { tf } from '../tf.js';
import { appVersion, gitCommit } from '../appInfo.js';

export interface RunEnvironment {
  backend: { name: string; tfBackend?: string; reason: string; threads?: number; attempts?: unknown[]; [k: string]: unknown };
  versions: Record<string, string>;
  os: { platform: string; release: string; arch: string; hostname: string };
  cpu: { model: string; cores: number };
  memoryBytes: number;
  gpu?: string;
  app: { version: string; commit?: string };
  /** What started the run: the exact command line, or the app action. */
  invocation?: string;
  recordedAt: string;
}

function packageVersion(name: string): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    return (require(`${name}/package.json`) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/**
 * Gather the machine facts. `backend` is core/backend's BackendChoice (name, reason, attempts,
 * threads, versions); its versions are merged with the ones found here.
 */
export function collectEnvironment(backend: { name: string; reason: string; versions?: Record<string, string>; [k: string]: unknown }, gpu?: string): RunEnvironment {
  const versions: Record<string, string> = { node: process.versions.node, tfjs: tf.version_core };
  for (const p of ['@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'zod']) {
    const v = packageVersion(p);
    if (v) versions[p] = v;
  }
  if (process.versions.electron) versions.electron = process.versions.electron;
  const cpus = os.cpus();
  return {
    backend: { ...backend, tfBackend: (backend.tfBackend as string | undefined) ?? tf.getBackend() },
    versions: { ...versions, ...(backend.versions ?? {}) },
    os: { platform: process.platform, release: os.release(), arch: process.arch, hostname: os.hostname() },
    cpu: { model: cpus[0]?.model ?? 'unknown', cores: cpus.length },
    memoryBytes: os.totalmem(),
    ...(gpu ? { gpu } : {}),
    app: { version: appVersion(), ...(gitCommit() ? { commit: gitCommit()! } : {}) },
    recordedAt: new Date().toISOString(),
  };
}
