// Backend choice for a command: --backend, else $ATSTUDIO_BACKEND (read by selectBackend itself), else
// the config's backend, else auto. The choice and why go to stderr so --json output stays clean.
import type { CliIO } from './io.js';
import { describeBackendChoice, selectBackend, type BackendChoice, type BackendName } from './engine.js';

export async function chooseBackend(io: CliIO, flag?: string, fromConfig?: string): Promise<BackendChoice> {
  let env = io.env;
  let force: string | undefined;
  if (flag === 'auto') {
    // An explicit `--backend auto` beats the environment variable too.
    env = { ...io.env };
    delete env.ATSTUDIO_BACKEND;
  } else if (flag) {
    force = flag;
  } else if (!io.env.ATSTUDIO_BACKEND && fromConfig && fromConfig !== 'auto') {
    force = fromConfig;
  }
  const choice = await selectBackend({ ...(force ? { force: force as BackendName } : {}), env });
  io.stderr.write(`backend: ${describeBackendChoice(choice)}\n`);
  return choice;
}
