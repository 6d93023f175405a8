// `npm run dist` (after the build): electron-builder with build/electron-builder.yml — or, when the
// optional `electron` package or electron-builder is missing, what is missing and how to get it, instead
// of electron-builder's "Cannot compute electron version".
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const pinned = require('./package.json').optionalDependencies?.electron;

function resolves(id) {
  try {
    return require.resolve(id);
  } catch {
    return null;
  }
}

if (!resolves('electron/package.json')) {
  console.error(`npm run dist: the optional package electron is not installed (npm skips it when its install fails, e.g. offline).
An installer needs it: on a machine with network access run  npm install --no-save electron@${pinned}  then  npm run dist  again.
See build/README.md.`);
  process.exit(1);
}
const builder = resolves('electron-builder/cli.js');
if (!builder) {
  console.error('npm run dist: electron-builder (a devDependency) is not installed: run  npm install  (not --omit=dev), then  npm run dist  again.');
  process.exit(1);
}
const r = spawnSync(process.execPath, [builder, '--config', 'build/electron-builder.yml', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
