// Can `npm start` launch Electron here? electron is an optionalDependency: on Node < 22.12 npm skips it,
// and where its binary cannot be downloaded require('electron') fails or names a file that is not there.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

/**
 * @param {{ root: string, env?: NodeJS.ProcessEnv, nodeVersion?: string,
 *           load?: (id: string) => unknown, exists?: (p: string) => boolean }} opts
 * @returns {{ ok: true, binary: string } | { ok: false, reason: string }}
 */
export function findElectronRuntime(opts) {
  const env = opts.env ?? process.env;
  const nodeVersion = opts.nodeVersion ?? process.versions.node;
  const exists = opts.exists ?? existsSync;
  const load = opts.load ?? createRequire(path.join(opts.root, 'package.json'));
  if (env.ATSTUDIO_NO_ELECTRON) {
    return { ok: false, reason: 'ATSTUDIO_NO_ELECTRON is set: starting serve mode instead.' };
  }
  let binary;
  try {
    binary = load('electron');
  } catch (err) {
    const missing = /** @type {{ code?: string }} */ (err).code === 'MODULE_NOT_FOUND' || /** @type {{ code?: string }} */ (err).code === 'ERR_MODULE_NOT_FOUND';
    const [major, minor] = nodeVersion.split('.').map(Number);
    const oldNode = major < 22 || (major === 22 && minor < 12);
    const why = missing
      ? (oldNode ? `electron needs Node ≥ 22.12 to install and this is Node ${nodeVersion}` : 'the optional electron package was not installed')
      : 'its binary could not be downloaded';
    return { ok: false, reason: `Electron's runtime is not installed (${why}): starting serve mode instead.` };
  }
  if (typeof binary !== 'string' || !exists(binary)) {
    return { ok: false, reason: `Electron's runtime is not installed (its binary could not be downloaded${typeof binary === 'string' ? `: ${binary} is missing` : ''}): starting serve mode instead.` };
  }
  return { ok: true, binary };
}
